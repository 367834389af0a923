"""Geocoder speed and the memory the embedded gazetteer costs.

Resolves the annotated mentions of eval/geocode/mentions.jsonl (or, without it, every tenth
gazetteer name) ``--rounds`` times with a country context and prints mentions/s; measures with
tracemalloc the memory held by the embedded gazetteer (rows loaded from the cache + geocoder
index) and by the places matcher of the extraction lexicons, and the time of a cold build.

Usage: python bench/geocode.py [--rounds 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.geo.embedded import build_rows, embedded_rows  # noqa: E402
from marsad.geo.geocoder import Geocoder  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=50)
    args = ap.parse_args()
    t0 = time.perf_counter()
    build_rows()
    build_s = time.perf_counter() - t0
    tracemalloc.start()
    rows = embedded_rows()
    geo = Geocoder(rows)
    gaz_mb = tracemalloc.get_traced_memory()[0] / 2**20
    from marsad.extract.lexicons import lexicons

    lexicons()
    lex_mb = tracemalloc.get_traced_memory()[0] / 2**20 - gaz_mb
    tracemalloc.stop()
    path = ROOT / "eval" / "geocode" / "mentions.jsonl"
    if path.exists():
        mentions = [
            (m["mention"], m.get("country")) for m in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        ]
    else:
        mentions = [(r.names[0], r.iso) for r in rows[::10] if r.names]
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for text, iso in mentions:
            geo.resolve(text, iso=iso)
    secs = time.perf_counter() - t0
    n = args.rounds * len(mentions)
    print(f"{dt.date.today()} {platform.machine()} {platform.python_implementation()} {platform.python_version()}")
    print(f"embedded gazetteer: {len(rows)} rows, {len(geo.index)} forms; cold build {build_s:.2f} s")
    print(
        f"memory: gazetteer rows + geocoder index {gaz_mb:.1f} MB; "
        f"extraction lexicons incl. places matcher {lex_mb:.1f} MB"
    )
    print(f"resolution: {n} mentions in {secs:.2f} s = {n / secs:,.0f} mentions/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
