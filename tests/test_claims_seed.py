"""Claims on the seed article: holders, cues, stances, statements, and its competing accounts."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import SEED
from marsad.claims import Claim
from marsad.extract import Extraction, extract_text
from marsad.link import find_contradictions


@pytest.fixture(scope="module")
def seed() -> tuple[str, Extraction]:
    if not SEED.exists():
        pytest.skip("seed article absent")
    text = SEED.read_text(encoding="utf-8")
    return text, extract_text("seed", text, "", dt.date(2019, 4, 28))


def test_claims_seed_holders_and_stances(seed: tuple[str, Extraction]) -> None:
    text, x = seed
    held = [c for c in x.claims if c.holder_id != "outlet" and c.cue]
    assert len(held) >= 3
    assert {c.stance for c in x.claims} >= {"asserts", "denies"}
    for c in x.claims:
        assert text[c.start : c.end] == c.sentence
        for ev in c.evidence:
            assert text[ev["start"] : ev["end"]] == ev["text"], ev


def _find(x: Extraction, **want: object) -> list[Claim]:
    return [c for c in x.claims if all(getattr(c, k) == v for k, v in want.items())]


def test_claims_seed_competing_accounts(seed: tuple[str, Extraction]) -> None:
    _, x = seed
    (event,) = x.events
    sdf = _find(x, kind="event", holder_id="sdf_media", event_id=event.id)
    assert sdf and sdf[0].values["cause"] == ["landmine"] and sdf[0].holder_party == "sdf"
    assert any(ev["text"] == "لغم" for ev in sdf[0].evidence)
    main = [c for c in _find(x, kind="event", event_id=event.id) if c.value == "car_bomb"]
    assert main and main[0].holder_type == "sources" and main[0].values["fatalities"] == [7, 7]
    assert main[0].values["perpetrator"] == "isis"


def test_claims_seed_statements_and_tallies(seed: tuple[str, Extraction]) -> None:
    _, x = seed
    defeated = _find(x, kind="statement", subject="isis", topic="group_status", value="defeated", stance="asserts")
    assert {"international_coalition", "sdf"} <= {c.holder_id for c in defeated}
    assert any(c.claim_date == dt.date(2019, 3, 1) for c in defeated)  # «أعلنت الشهر الماضي»
    denied = _find(x, kind="statement", topic="group_status", value="defeated", stance="denies")
    assert denied and denied[0].holder_type == "sources" and denied[0].cue == "نفت"
    strength = _find(x, kind="statement", topic="group_strength", subject="isis")
    assert strength and strength[0].value.startswith("500") and strength[0].holder_type == "sources"
    tallies = sorted(c.values["fatalities"][0] for c in _find(x, kind="tally"))
    assert tallies == [11, 50]
    assert {c.tally_id for c in _find(x, kind="tally")} == {t.id for t in x.tallies}


def test_claims_seed_contradictions(seed: tuple[str, Extraction]) -> None:
    _, x = seed
    found = find_contradictions([c.to_dict() for c in x.claims])
    cause = next(c for c in found if c.aspect == "cause")
    assert {cause.a.value, cause.b.value} == {"car_bomb", "landmine"}
    land = cause.a if cause.a.value == "landmine" else cause.b
    bomb = cause.b if land is cause.a else cause.a
    assert land.holders() == ["SDF media"] and bomb.claims[0]["holder_type"] == "sources"
    status = next(c for c in found if c.aspect == "group_status")
    sides = {status.a.value: status.a, status.b.value: status.b}
    assert {c["holder_id"] for c in sides["defeated"].claims} >= {"international_coalition", "sdf"}
    assert {c["holder_type"] for c in sides["active"].claims} == {"sources"}
    assert status.subject == "isis"
