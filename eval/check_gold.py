"""Check gold annotation files against the guide (eval/gold/GUIDE.md).

Usage: python eval/check_gold.py [FILE ...]   (default: every file in eval/gold/articles)
Exits 1 and lists the problems when a file does not follow the guide (every problem of every file,
where `marsad eval` stops at the first). Needs ../shared/corpus and Marsad installed (the ACLED
type table and evidence keys are those of marsad.evaluate.gold).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from marsad.evaluate.gold import EVIDENCE_KEYS, SUB_EVENT_TYPES

HERE = Path(__file__).parent
CORPUS = HERE.parents[1] / "shared" / "corpus"

EVENT_KEYS = {
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "fatalities_high",
    "injured",
    "abducted",
    "civilian_targeting",
    "source_attribution",
    "evidence",
    "notes",
}
TALLY_KEYS = {
    "period_start",
    "period_end",
    "area",
    "country",
    "actors",
    "victims",
    "fatalities",
    "fatalities_qualifier",
    "injured",
    "methods",
    "source_attribution",
    "evidence",
}


def _articles() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name in ("saudinewsnet-incidents.jsonl", "saudinewsnet-sample.jsonl"):
        with (CORPUS / name).open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                out[rec["id"]] = rec
    return out


def _date(value: object) -> bool:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def check(path: Path, articles: dict[str, dict[str, str]]) -> list[str]:
    errs: list[str] = []
    try:
        ann = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"cannot read: {exc}"]
    art = articles.get(ann.get("id", ""))
    if art is None:
        return [f"unknown article id {ann.get('id')!r}"]
    if path.name != ann["id"].replace(":", "_") + ".json":
        errs.append("file name does not match id")
    haystack = art["title"] + "\n" + art["text"]
    if ann.get("relevance") not in {"event", "related", "none"}:
        errs.append("relevance must be event|related|none")
    events = ann.get("events")
    if not isinstance(events, list):
        return [*errs, "events must be a list"]
    if (ann.get("relevance") == "event") != bool(events):
        errs.append("relevance 'event' iff events is non-empty")
    for i, ev in enumerate(events):
        where = f"event {i}"
        missing = EVENT_KEYS - ev.keys()
        extra = ev.keys() - EVENT_KEYS
        if missing:
            errs.append(f"{where}: missing {sorted(missing)}")
        if extra:
            errs.append(f"{where}: unknown keys {sorted(extra)}")
        if ev.get("sub_event_type") not in SUB_EVENT_TYPES.get(ev.get("event_type", ""), frozenset()):
            errs.append(f"{where}: bad type/sub-type {ev.get('event_type')!r}/{ev.get('sub_event_type')!r}")
        if not _date(ev.get("event_date")):
            errs.append(f"{where}: bad event_date")
        for key, allowed in (("time_precision", {1, 2, 3}), ("geo_precision", {1, 2, 3})):
            if ev.get(key) not in allowed:
                errs.append(f"{where}: {key} must be 1, 2 or 3")
        for key in ("inter1", "inter2"):
            if ev.get(key) not in {None, 0, 1, 2, 3, 4, 5, 6, 7, 8}:
                errs.append(f"{where}: {key} must be 0-8 or null")
        for key in ("fatalities", "fatalities_high", "injured", "abducted"):
            if not isinstance(ev.get(key), int) or ev[key] < 0:
                errs.append(f"{where}: {key} must be a non-negative integer")
        low, high = ev.get("fatalities"), ev.get("fatalities_high")
        if isinstance(low, int) and isinstance(high, int) and high < low:
            errs.append(f"{where}: fatalities_high < fatalities")
        lat, lon = ev.get("latitude"), ev.get("longitude")
        if (lat is not None or lon is not None) and not (
            isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and -90 <= lat <= 90 and -180 <= lon <= 180
        ):
            errs.append(f"{where}: bad coordinates")
        evidence = ev.get("evidence", {})
        if not isinstance(evidence, dict) or "trigger" not in evidence:
            errs.append(f"{where}: evidence must be an object with at least 'trigger'")
            evidence = {}
        for key, quote in evidence.items():
            if key not in EVIDENCE_KEYS:
                errs.append(f"{where}: unknown evidence key {key!r}")
            elif not isinstance(quote, str) or not quote or quote not in haystack:
                errs.append(f"{where}: evidence {key!r} is not an exact substring: {quote!r}")
    for i, ta in enumerate(ann.get("tallies", [])):
        where = f"tally {i}"
        missing = TALLY_KEYS - ta.keys()
        if missing:
            errs.append(f"{where}: missing {sorted(missing)}")
        for key in ("period_start", "period_end"):
            if ta.get(key) is not None and not _date(ta.get(key)):
                errs.append(f"{where}: bad {key}")
        quote = ta.get("evidence")
        if not isinstance(quote, str) or quote not in haystack:
            errs.append(f"{where}: evidence is not an exact substring: {quote!r}")
    return errs


def main() -> int:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    paths = [Path(p) for p in sys.argv[1:]] or sorted((HERE / "gold" / "articles").glob("*.json"))
    articles = _articles()
    bad = 0
    for path in paths:
        errs = check(path, articles)
        if errs:
            bad += 1
            print(f"{path}:")
            for err in errs:
                print(f"  - {err}")
    print(f"{len(paths) - bad}/{len(paths)} files OK")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
