"""Contradictions between accounts we write (tolls, cause, perpetrator, denial) and incident grades."""

from __future__ import annotations

from typing import Any

from marsad.link import find_contradictions, grade


def _claim(cid: str, doc: str, holder: str, *, stance: str = "asserts", party: str | None = None,
           **values: Any) -> dict[str, Any]:  # fmt: skip
    return {"id": cid, "document_id": doc, "kind": "event", "holder": holder, "holder_id": holder.lower(),
            "holder_type": "outlet", "holder_party": party, "stance": stance, "topic": "event",
            "value": (values.get("cause") or [None])[0], "values": values, "event_id": f"e-{doc}",
            "evidence": [{"role": "trigger", "start": 0, "end": 3, "text": "x", "field": "text"}],
            "outlet": f"outlet-{doc}"}  # fmt: skip


def test_link_contradictions_tolls() -> None:
    a = _claim("c1", "d1", "Okaz", fatalities=[10, 10])
    b = _claim("c2", "d2", "SPA", fatalities=[15, 15])
    (x,) = find_contradictions([a, b], "inc")
    assert x.aspect == "fatalities" and {x.a.value, x.b.value} == {"10", "15"}
    assert x.scope == "incident" and x.incident_id == "inc"
    row = x.to_row()
    assert row["a_document_id"] != row["b_document_id"] and row["a_evidence"][0]["claim_id"] in ("c1", "c2")
    overlapping = _claim("c3", "d2", "SPA", fatalities=[8, 12])
    assert find_contradictions([a, overlapping], "inc") == []


def test_link_contradictions_cause_and_perpetrator() -> None:
    a = _claim("c1", "d1", "Okaz", cause=["car_bomb"], perpetrator="isis")
    b = _claim("c2", "d2", "SPA", cause=["air_strike"], perpetrator="houthis")
    found = {x.aspect: x for x in find_contradictions([a, b], "inc")}
    assert set(found) == {"cause", "perpetrator"}
    assert {found["perpetrator"].a.value, found["perpetrator"].b.value} == {"isis", "houthis"}
    same_family = _claim("c3", "d2", "SPA", cause=["ied"], perpetrator="isis_sinai")
    assert find_contradictions([a, same_family], "inc") == []  # an IED is no other method; Sinai Province is ISIS


def test_link_contradictions_denial() -> None:
    a = _claim("c1", "d1", "Okaz", cause=["explosion"])
    b = _claim("c2", "d2", "Ministry of Interior", stance="denies", cause=["explosion"])
    (x,) = find_contradictions([a, b], "inc")
    assert x.aspect == "existence"
    assert {x.a.value, x.b.value} == {"happened", "denied"}
    assert "Ministry of Interior" in x.explanation
    g, why = grade([a, b], [x], ["outlet-d1", "outlet-d2"], ["d1", "d2"])
    assert g == "contested" and "existence" in why


def test_link_contradictions_one_document_is_not_across() -> None:
    a = _claim("c1", "d1", "Okaz", fatalities=[10, 10])
    b = _claim("c2", "d1", "Okaz", fatalities=[15, 15])
    assert find_contradictions([a, b], "inc") == []


def test_link_contradictions_grades() -> None:
    a = _claim("c1", "d1", "Okaz", cause=["car_bomb"], fatalities=[10, 10])
    b = _claim("c2", "d2", "SPA", cause=["car_bomb"], fatalities=[15, 15])
    tolls = find_contradictions([a, b], "inc")
    assert grade([a, b], tolls, ["Okaz", "SPA"], ["d1", "d2"]) == (
        "corroborated",
        "2 independent outlets (tolls differ)",
    )
    assert grade([a], [], ["Okaz"], ["d1"])[0] == "single_source"
    assert grade([a, b], [], ["Okaz", "Okaz"], ["d1", "d2"])[0] == "single_source"  # one outlet, two articles
    claim = _claim("c3", "d3", "Amaq", party="isis", perpetrator="isis", responsibility=True)
    assert grade([a, claim], [], ["Okaz", "Amaq"], ["d1", "d3"])[0] == "confirmed"
