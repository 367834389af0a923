"""The holder and claim lexicons (holders.yaml, claims.yaml) load and are consistent."""

from __future__ import annotations

import datetime as dt

from marsad.claims import claim_lexicon
from marsad.extract import extract_text
from marsad.lexicon import load

_TYPES = {"party_media", "government", "military", "coalition", "armed_group", "official", "monitor", "news_agency",
          "sources", "activists", "witness", "medical", "ngo", "outlet"}  # fmt: skip


def test_claims_lexicon_holders_are_well_formed() -> None:
    data = load("holders")
    actors = {a["id"] for a in load("actors")["actors"]}
    ids = [h["id"] for h in data["holders"]]
    assert len(ids) == len(set(ids))
    for h in data["holders"]:
        assert h["type"] in _TYPES, h
        assert h["forms"], h
        assert h.get("party") is None or h["party"] in actors, h
    source_types = {s["type"] for s in load("attribution")["sources"]}
    assert source_types <= set(data["source_types"])
    assert {v["type"] for v in data["source_types"].values()} <= _TYPES


def test_claims_lexicon_methods() -> None:
    lex = claim_lexicon()
    events = {t["id"] for t in load("events")["triggers"]}
    assert set(lex.method_family) <= events
    assert lex.methods_conflict("landmine", "car_bomb")
    assert lex.methods_conflict("air_strike", "car_bomb")
    assert not lex.methods_conflict("ied", "car_bomb")
    assert not lex.methods_conflict("attack", "landmine")
    assert lex.opposes[("group_status", "defeated")] == "active"


def test_claims_lexicon_named_holders_in_text() -> None:
    text = "قال المرصد السوري لحقوق الإنسان إن خمسة مدنيين قتلوا في غارة جوية على مدينة إدلب أمس."
    x = extract_text("d", text, "", dt.date(2015, 8, 7))
    (c,) = [c for c in x.claims if c.kind == "event"]
    assert c.holder_id == "pub:sohr" and c.holder_type == "monitor" and c.cue == "قال" and c.stance == "asserts"
    text = "زعمت وكالة أعماق أن مقاتلي التنظيم قتلوا عشرة جنود في هجوم على حاجز في العريش أمس."
    x = extract_text("d", text, "", dt.date(2015, 8, 7))
    (c,) = [c for c in x.claims if c.kind == "event"][:1]
    assert c.holder_id == "isis_media" and c.stance == "alleges" and c.holder_party == "isis"
