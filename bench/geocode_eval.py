"""Geocoding accuracy on the annotated mentions (eval/geocode/mentions.jsonl), with and without
the Syrian Archive gazetteer imported (../shared/gazetteer/syrianarchive-locations.tsv).

Usage: python bench/geocode_eval.py [--mentions eval/geocode/mentions.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

import duckdb  # noqa: E402

from marsad.geo import sql  # noqa: E402
from marsad.geo.evaluate import load_mentions, score_mentions  # noqa: E402
from marsad.geo.gazetteer import embedded_geocoder, geocoder_for, import_files  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mentions", type=Path, default=ROOT / "eval" / "geocode" / "mentions.jsonl")
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "saudinewsnet-incidents.jsonl")
    ap.add_argument("--gazetteer", type=Path, default=SHARED / "gazetteer" / "syrianarchive-locations.tsv")
    args = ap.parse_args()
    if not args.mentions.exists() or not args.corpus.exists():
        print(f"skipped: {args.mentions} or {args.corpus} is missing")
        return 0
    mentions = load_mentions(args.mentions)
    docs = {}
    with args.corpus.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            docs[rec["id"]] = rec
    results = {"embedded": score_mentions(mentions, docs, embedded_geocoder()).as_dict()}
    if args.gazetteer.exists():
        con = duckdb.connect()
        sql.create_tables(con)
        import_files(con, [args.gazetteer], country="SY")
        results["embedded + Syrian Archive"] = score_mentions(mentions, docs, geocoder_for(con)).as_dict()
    for name, r in results.items():
        print(f"{name:28s} " + "  ".join(f"{k} {v}" for k, v in r.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
