"""The pair scorer of `marsad eval-links` on a fixture we wrote, and linking on real reports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from marsad.errors import MarsadError
from marsad.extract import extract_text
from marsad.link import find_contradictions
from marsad.link.evaluate import evaluate_pairs, map_side, score_pairs
from marsad.link.run import _sentence, link_events

# Written for these tests (not from any outlet): two reports of one bombing, one of another.
DOCS = [
    {"id": "f1", "source": "okaz", "published": "2015-08-07", "title": "مقتل 10 في تفجير انتحاري بمسجد في أبها",
     "text": "قتل عشرة أشخاص اليوم الخميس في تفجير انتحاري استهدف مسجدا لقوات الطوارئ في مدينة أبها بمنطقة عسير."},
    {"id": "f2", "source": "alriyadh", "published": "2015-08-07", "title": "تفجير مسجد الطوارئ في أبها",
     "text": "قتل عشرة أشخاص اليوم الخميس في تفجير انتحاري استهدف مسجد قوات الطوارئ في أبها بمنطقة عسير."},
    {"id": "f3", "source": "okaz", "published": "2015-08-07", "title": "غارة في صنعاء",
     "text": "قتل خمسة مدنيين اليوم الخميس في غارة جوية لطيران التحالف العربي على حي سكني في صنعاء."},
]  # fmt: skip


def _side(doc: str, quote: str, field: str = "text") -> dict[str, Any]:
    return {"doc_id": doc, "field": field, "quote": quote, "date": "2015-08-06", "place": "Abha",
            "type": "Explosions/Remote violence"}  # fmt: skip


PAIRS = [
    {"pair_id": "q1", "a": _side("f1", "تفجير انتحاري استهدف مسجدا"), "b": _side("f2", "تفجير انتحاري استهدف مسجد"),
     "same": True, "note": ""},
    {"pair_id": "q2", "a": _side("f1", "تفجير انتحاري استهدف مسجدا"), "b": _side("f3", "غارة جوية"), "same": False,
     "note": ""},
]  # fmt: skip


def test_link_eval_scorer_counts() -> None:
    docs = {d["id"]: d for d in DOCS}
    ev = {"f1": [{"id": "e1", "field": "text", "start": 0, "end": 90, "event_date": "2015-08-06",
                  "event_type": "Explosions/Remote violence",
                  "evidence": [{"role": "trigger", "start": 34, "end": 39, "field": "text"}]}],
          "f2": [{"id": "e2", "field": "text", "start": 0, "end": 90, "event_date": "2015-08-06",
                  "event_type": "Explosions/Remote violence", "evidence": []}],
          "f3": []}  # fmt: skip
    assert map_side(PAIRS[0]["a"], docs["f1"], ev["f1"])["id"] == "e1"  # type: ignore[index]
    assert map_side(PAIRS[1]["b"], docs["f3"], ev["f3"]) is None
    r = score_pairs(PAIRS, docs, {"e1": "i1", "e2": "i1"}, ev)
    assert (r.tp, r.fp, r.fn, r.tn, r.unmapped_sides) == (1, 0, 0, 1, 1)
    r = score_pairs(PAIRS, docs, {"e1": "i1", "e2": "i2"}, ev)
    assert (r.tp, r.fn, r.precision, r.recall) == (0, 1, 1.0, 0.0)


def test_link_eval_end_to_end(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS), encoding="utf-8")
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PAIRS), encoding="utf-8")
    r = evaluate_pairs(pairs, corpus, use_encoder=False)
    assert (r.pairs, r.tp, r.fp, r.fn, r.tn) == (2, 1, 0, 0, 1)
    assert r.precision == 1.0 and r.recall == 1.0 and "precision 1.000" in r.summary()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(MarsadError, match="not JSON"):
        evaluate_pairs(bad, corpus, use_encoder=False)


# Two SaudiNewsNet reports of the 6 August 2015 Abha mosque bombing with different tolls.
REAL = ("snn:alyaum:03943d058b94", "snn:alriyadh:82ca6ef07704")


def test_link_eval_real_reports_disagree(shared: Path) -> None:
    path = shared / "corpus" / "saudinewsnet-incidents.jsonl"
    if not path.exists():
        pytest.skip("saudinewsnet-incidents.jsonl absent")
    docs = [d for d in map(json.loads, path.open(encoding="utf-8")) if d["id"] in REAL]
    if len(docs) != 2:
        pytest.skip("the two reports are not in this copy of the corpus")
    events, claims = [], []
    for d in docs:
        x = extract_text(d["id"], d["text"], d["title"], dt.date.fromisoformat(d["published"]))
        for e in x.events:
            row = e.to_dict() | {"event_date": e.event_date, "outlet": d["source"]}
            trig = next(v for v in row["evidence"] if v["role"] == "trigger")
            row["sentence"] = _sentence(
                d["title"] if trig["field"] == "title" else d["text"], trig["start"], trig["end"]
            )
            events.append(row)
        claims += [c.to_dict() | {"outlet": d["source"]} for c in x.claims]
    from marsad.link.embed import encoder

    enc = encoder()
    incidents, _ = link_events(events, embed=enc.encode if enc else None)
    (linked,) = [i for i in incidents if len({r.document_id for r in i.reports}) == 2]
    mine = [c for c in claims if c["event_id"] in set(linked.event_ids)]
    found = {x.aspect: x for x in find_contradictions(mine, linked.id)}
    assert "fatalities" in found
    tolls = {found["fatalities"].a.value, found["fatalities"].b.value}
    assert "10" in tolls and tolls != {"10"}
