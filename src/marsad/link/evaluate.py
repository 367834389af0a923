"""Pairwise evaluation of incident linking on annotated pairs (``marsad eval-links``).

A pair file has one JSON object a line: ``{"pair_id", "a": SIDE, "b": SIDE, "same": bool, "note"}``
with ``SIDE = {"doc_id", "field"?, "quote", "date", "place", "type"}``; ``quote`` is an exact
substring of the document's title or text. The documents are read from a corpus JSONL (``id``,
``title``, ``text``, ``published``, ``source``), every document of the corpus is extracted and
linked, and each side is mapped to the engine's event in its document whose words overlap the
quote (failing that, the event of the same date and type, then the only event). A pair is
predicted "same" when both sides map to events of one incident; a side with no event predicts
"different". Precision and recall are over the pairs annotated ``same``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError
from marsad.link.features import THRESHOLD

__all__ = ["PairResult", "evaluate_pairs", "map_side", "score_pairs"]

_DEFAULT_CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "saudinewsnet-incidents.jsonl"


@dataclass(slots=True)
class PairResult:
    pairs: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    unmapped_sides: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "unmapped_sides": self.unmapped_sides, "errors": self.errors}  # fmt: skip

    def summary(self) -> str:
        return (
            f"{self.pairs} pairs: precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn}; {self.unmapped_sides} sides without an event)"
        )


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def map_side(side: dict[str, Any], doc: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The event of ``events`` (rows of one document) that the annotated ``side`` points at."""
    quote = str(side.get("quote") or "")
    fields = [side["field"]] if side.get("field") in ("title", "text") else ["title", "text"]
    for name in fields:
        at = str(doc.get(name) or "").find(quote) if quote else -1
        if at < 0:
            continue
        lo, hi = at, at + len(quote)
        hits = [
            e
            for e in events
            if any(ev.get("field") == name and ev["start"] < hi and lo < ev["end"] for ev in e["evidence"])
        ]
        if not hits:
            hits = [e for e in events if e.get("field") == name and e["start"] < hi and lo < e["end"]]
        if hits:
            return hits[0]
    day, kind = _day(side.get("date")), side.get("type")
    same = [e for e in events if _day(e.get("event_date")) == day and e.get("event_type") == kind]
    if same:
        return same[0]
    return events[0] if len(events) == 1 else None


def score_pairs(pairs: list[dict[str, Any]], docs: dict[str, dict[str, Any]], incident_of: dict[str, str],
                events_by_doc: dict[str, list[dict[str, Any]]]) -> PairResult:  # fmt: skip
    """Pairwise counts of a linking (``incident_of``: event id → incident id)."""
    r = PairResult()
    for p in pairs:
        r.pairs += 1
        mapped = []
        for key in ("a", "b"):
            side = p[key]
            doc = docs.get(side["doc_id"])
            ev = map_side(side, doc, events_by_doc.get(side["doc_id"], [])) if doc else None
            if ev is None:
                r.unmapped_sides += 1
            mapped.append(ev)
        a, b = mapped
        predicted = a is not None and b is not None and incident_of.get(a["id"]) == incident_of.get(b["id"]) is not None
        gold = bool(p["same"])
        if predicted and gold:
            r.tp += 1
        elif predicted:
            r.fp += 1
            r.errors.append({"pair_id": p["pair_id"], "error": "fp"})
        elif gold:
            r.fn += 1
            r.errors.append({"pair_id": p["pair_id"], "error": "fn", "a_event": bool(a), "b_event": bool(b)})
        else:
            r.tn += 1
    return r


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    out = []
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise MarsadError("E501", f"{path}:{n}: not JSON ({exc.msg})") from None
    except OSError as exc:
        raise MarsadError("E502", f"cannot read {path}: {exc.strerror}") from None
    return out


def evaluate_pairs(
    pairs_path: Path, corpus: Path | None = None, *, use_encoder: bool = True, threshold: float = THRESHOLD
) -> PairResult:
    """Extract and link every document of ``corpus`` and score the annotated pairs."""
    from marsad.extract import extract_text
    from marsad.link.run import _sentence, link_events

    pairs = _read_jsonl(pairs_path)
    records = _read_jsonl(corpus or _DEFAULT_CORPUS)
    docs = {str(r["id"]): r for r in records}
    missing = sorted({p[k]["doc_id"] for p in pairs for k in "ab"} - set(docs))
    if missing:
        raise MarsadError("E503", f"{len(missing)} documents of the pairs are not in the corpus, e.g. {missing[0]}")
    events: list[dict[str, Any]] = []
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        x = extract_text(str(r["id"]), str(r.get("text") or ""), str(r.get("title") or ""), _day(r.get("published")))
        for e in x.events:
            row = e.to_dict()
            row["event_date"] = e.event_date
            row["outlet"] = r.get("source")
            trig = next((ev for ev in row["evidence"] if ev["role"] == "trigger"), None)
            src = str(r.get("title") if (trig or row)["field"] == "title" else r.get("text") or "")
            row["sentence"] = _sentence(src, trig["start"], trig["end"]) if trig else src[e.start : e.end]
            events.append(row)
            by_doc.setdefault(str(r["id"]), []).append(row)
    embed = None
    if use_encoder:
        from marsad.link.embed import encoder

        enc = encoder()
        embed = enc.encode if enc is not None else None
    incidents, _ = link_events(events, embed=embed, threshold=threshold)
    incident_of = {rep.event_id: inc.id for inc in incidents for rep in inc.reports}
    return score_pairs(pairs, docs, incident_of, by_doc)
