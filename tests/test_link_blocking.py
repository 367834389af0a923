"""Blocking, pair features and incidents inside a block."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marsad.link import THRESHOLD, block_keys, compare, link_block, merge_incidents


def _event(eid: str, doc: str, day: str, **kw: Any) -> dict[str, Any]:
    row = {"id": eid, "document_id": doc, "event_date": dt.date.fromisoformat(day),
           "event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb", "iso": "SA",
           "admin1": "Asir", "location": "Abha", "latitude": 18.22,
           "longitude": 42.5, "geo_precision": 1, "actor1_id": "isis", "fatalities_low": 15, "fatalities_high": 15,
           "sentence": "فجر انتحاري نفسه في مسجد قوات الطوارئ في أبها", "outlet": doc}  # fmt: skip
    row.update(kw)
    return row


def test_link_block_keys_share_a_block_within_the_window() -> None:
    start = dt.date(2015, 7, 1)
    for i in range(21):
        for gap in range(4):
            a = _event("a", "d1", (start + dt.timedelta(days=i)).isoformat())
            b = _event("b", "d2", (start + dt.timedelta(days=i + gap)).isoformat())
            assert set(block_keys(a)) & set(block_keys(b)), (i, gap)
            assert 1 <= len(block_keys(a)) <= 2
    other = _event("c", "d3", "2015-07-01", iso="YE")
    assert not set(block_keys(other)) & set(block_keys(_event("a", "d1", "2015-07-01")))
    assert block_keys(_event("a", "d1", "2015-07-01", event_date=None)) == []


def test_link_compare_explains() -> None:
    score, f = compare(_event("a", "d1", "2015-08-06"), _event("b", "d2", "2015-08-07"), None)
    assert score > 0.8
    assert {"date", "sub_event_type", "place", "actor1", "fatalities"} <= set(f["matched"])
    far = _event("b", "d2", "2015-08-06", iso="YE", admin1="Sanaa", location="Sanaa", latitude=15.35, longitude=44.2)
    score, f = compare(_event("a", "d1", "2015-08-06"), far, None)
    assert score == 0.0 and "country" in f["vetoed"]


def test_link_block_links_reports_not_same_document() -> None:
    events = [
        _event("a", "d1", "2015-08-06"),
        _event("b", "d2", "2015-08-07", fatalities_low=10, fatalities_high=10),
        _event("c", "d1", "2015-08-06", sub_event_type="Remote explosive/landmine/IED", location="Khamis Mushait"),
        _event("d", "d3", "2015-08-06", event_type="Protests", sub_event_type="Peaceful protest",
               sentence="تظاهر المئات في أبها", actor1_id=None, fatalities_low=0, fatalities_high=0),
    ]  # fmt: skip
    incidents = link_block(events)
    by_event = {r.event_id: inc.id for inc in incidents for r in inc.reports}
    assert by_event["a"] == by_event["b"]
    assert by_event["c"] != by_event["a"]  # same document as a
    assert by_event["d"] != by_event["a"]
    assert sorted(by_event) == ["a", "b", "c", "d"]
    linked = next(i for i in incidents if len(i.reports) == 2)
    follower = next(r for r in linked.reports if r.linked_to is not None)
    assert follower.features["score"] >= THRESHOLD and "date" in follower.features["matched"]


def test_link_merge_incidents_across_blocks() -> None:
    x = link_block([_event("a", "d1", "2015-08-06"), _event("b", "d2", "2015-08-06")])
    y = link_block([_event("b", "d2", "2015-08-06"), _event("c", "d3", "2015-08-07")])
    (merged,) = merge_incidents([*x, *y])
    assert sorted(merged.event_ids) == ["a", "b", "c"]
