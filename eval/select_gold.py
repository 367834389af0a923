"""Reproducibly select the articles of the gold set from ../shared/corpus.

The selection is random (fixed seed) among articles of at most MAX_CHARS characters
(91% of the incidents file, 98% of the sample file), so that annotators can read
each article whole. Half of the articles (by a hash of their id) form the held-out
split, scored only when reporting final figures.

A second round (seed SEED + 1, batches 5-7) adds ROUND2_INCIDENTS + ROUND2_SAMPLE articles not chosen
in the first, so the dev split has more to learn from and the held-out split a steadier estimate;
the first round's choice is unchanged. A third round (seed SEED + 2, batches 8-11) adds
ROUND3_INCIDENTS + ROUND3_SAMPLE more in the same way; earlier rounds are unchanged.

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
ROUND2_INCIDENTS = 40
ROUND2_SAMPLE = 8
ROUND2_BATCHES = 3
ROUND3_INCIDENTS = 40
ROUND3_SAMPLE = 8
ROUND3_BATCHES = 4


def _load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def split_of(doc_id: str) -> str:
    """Deterministic dev/heldout split by the id's SHA-1 parity."""
    return "heldout" if hashlib.sha1(doc_id.encode()).digest()[0] % 2 else "dev"


def _round(
    corpus: Path, seed: int, sizes: tuple[int, int], batches: tuple[int, int], taken: set[str]
) -> list[dict[str, str]]:
    """One selection round: ``sizes`` articles from the incidents and the sample file, none of
    ``taken``, shuffled and dealt into ``batches`` (first batch number, how many)."""
    rng = random.Random(seed)
    chosen: list[dict[str, str]] = []
    for name, n in zip(("saudinewsnet-incidents.jsonl", "saudinewsnet-sample.jsonl"), sizes, strict=True):
        records = [r for r in _load(corpus / name) if len(r["text"]) <= MAX_CHARS and r["id"] not in taken]
        for r in rng.sample(records, n):
            chosen.append({"id": r["id"], "file": name})
    rng.shuffle(chosen)
    first, count = batches
    for i, item in enumerate(chosen):
        item["split"] = split_of(item["id"])
        item["batch"] = str(first + i % count)
    return chosen


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared" / "corpus"
    rounds = (
        (SEED, (N_INCIDENTS, N_SAMPLE), (1, N_BATCHES)),
        (SEED + 1, (ROUND2_INCIDENTS, ROUND2_SAMPLE), (N_BATCHES + 1, ROUND2_BATCHES)),
        (SEED + 2, (ROUND3_INCIDENTS, ROUND3_SAMPLE), (N_BATCHES + ROUND2_BATCHES + 1, ROUND3_BATCHES)),
    )
    chosen: list[dict[str, str]] = []
    for seed, sizes, batches in rounds:
        chosen.extend(_round(corpus, seed, sizes, batches, {item["id"] for item in chosen}))
    out = Path(__file__).parent / "gold" / "selection.json"
    out.write_text(
        json.dumps({"seed": SEED, "max_chars": MAX_CHARS, "articles": chosen}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"{len(chosen)} articles -> {out}")


if __name__ == "__main__":
    main()
