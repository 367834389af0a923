"""Reproducibly select the articles of the gold set from ../shared/corpus.

The selection is random (fixed seed) among articles of at most MAX_CHARS characters
(91% of the incidents file, 98% of the sample file), so that annotators can read
each article whole. Half of the articles (by a hash of their id) form the held-out
split, scored only when reporting final figures.

Usage: python eval/select_gold.py [SHARED_CORPUS_DIR]  -> writes eval/gold/selection.json
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

SEED = 20261124
MAX_CHARS = 6000
N_INCIDENTS = 88
N_SAMPLE = 24
N_BATCHES = 4


def _load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def split_of(doc_id: str) -> str:
    """Deterministic dev/heldout split by the id's SHA-1 parity."""
    return "heldout" if hashlib.sha1(doc_id.encode()).digest()[0] % 2 else "dev"


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared" / "corpus"
    rng = random.Random(SEED)
    chosen: list[dict[str, str]] = []
    for name, n in (("saudinewsnet-incidents.jsonl", N_INCIDENTS), ("saudinewsnet-sample.jsonl", N_SAMPLE)):
        records = [r for r in _load(corpus / name) if len(r["text"]) <= MAX_CHARS]
        for r in rng.sample(records, n):
            chosen.append({"id": r["id"], "file": name})
    rng.shuffle(chosen)
    for i, item in enumerate(chosen):
        item["split"] = split_of(item["id"])
        item["batch"] = str(i % N_BATCHES + 1)
    out = Path(__file__).parent / "gold" / "selection.json"
    out.write_text(
        json.dumps({"seed": SEED, "max_chars": MAX_CHARS, "articles": chosen}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"{len(chosen)} articles -> {out}")


if __name__ == "__main__":
    main()
