"""Event extraction throughput and peak memory on one core.

Runs ``marsad.extract.extract_text`` (extraction alone: cleaning is measured by bench/ingest.py)
over the real articles of ../shared/corpus (SaudiNewsNet incidents and sample), cycled up to
``--docs`` documents, after one warm-up document that compiles the lexicons. Prints documents/s,
characters/s, events and tallies found, and the process's peak resident memory.

Usage: python bench/extract.py [--docs 3000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "src"))

from marsad.extract import extract_text  # noqa: E402
from marsad.extract.lexicons import lexicons  # noqa: E402


def _records() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for name in ("saudinewsnet-incidents.jsonl", "saudinewsnet-sample.jsonl"):
        path = SHARED / name
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                out.extend(json.loads(line) for line in fh if line.strip())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=3000)
    args = parser.parse_args()
    records = _records()
    if not records:
        print("skipped: ../shared/corpus absent")
        return 0
    t0 = time.perf_counter()
    lexicons()
    compile_s = time.perf_counter() - t0
    extract_text("warm-up", records[0].get("text", ""), records[0].get("title", ""), None)
    events = tallies = chars = 0
    t0 = time.perf_counter()
    for i in range(args.docs):
        r = records[i % len(records)]
        text = r.get("text") or ""
        pub = dt.date.fromisoformat(r["published"]) if r.get("published") else None
        x = extract_text(r["id"], text, r.get("title") or "", pub)
        events += len(x.events)
        tallies += len(x.tallies)
        chars += len(text)
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}")
    print(f"lexicons compiled in {compile_s:.2f} s")
    print(f"documents: {args.docs} ({len(records)} distinct), {chars / args.docs:.0f} chars on average")
    print(f"extraction: {args.docs / elapsed:.0f} docs/s, {chars / elapsed / 1e6:.2f} M chars/s")
    print(f"found: {events} events, {tallies} tallies")
    print(f"peak RSS: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
