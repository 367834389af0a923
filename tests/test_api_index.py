"""The in-memory event index answers /api/events exactly as SQL does: same totals, same items,
same order, same bytes, over random combinations of every filter on awkward data (NULL dates and
coordinates, mixed case, Arabic names, reviewed events, orphan documents)."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api_support import AUTH, Workspace
from marsad.api import queries, search
from marsad.api.app import ApiSettings, _json_bytes
from marsad.api.db import open_database
from marsad.api.filters import BBox, EventFilters
from marsad.api.index import EventIndex, build_index
from marsad.store import Store

pytest_plugins = ("api_support",)

TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests"]
ACTORS = [
    ("Houthi Movement", "houthi"),
    ("Military Forces of Syria", "sy-army"),
    ("Islamic State (Iraq)", "isis"),
    ("Unidentified Armed Group (Libya)", None),
    ("قوات سوريا الديمقراطية", "sdf"),
    (None, None),
]
PLACES = [  # country, iso, admin1, lat, lon (None: not resolved)
    ("Syria", "SY", "Idleb", 35.93, 36.63),
    ("Syria", "sy", "aleppo", 36.2, 37.15),
    ("Yemen", "YE", "Marib", 15.46, 45.33),
    ("Fiji", "FJ", "Northern", -16.4, 179.4),
    ("Fiji", "FJ", "Rotuma", -12.5, -177.1),
    ("Iraq", "IQ", "نينوى", 36.34, 43.13),
    (None, None, None, None, None),
]
OUTLETS = ["عنب بلدي", "Enab Baladi", "SANA", "المرصد السوري", None]
WORDS = ["قصف", "مأرب", "إدلب", "اشتباكات", "الرقة", "غارة", "مدنيين"]


def _store(path: Path, n: int, seed: int) -> Path:
    rng = random.Random(seed)
    docs, events = [], []
    for d in range(n // 3):
        outlet = rng.choice(OUTLETS)
        docs.append(
            {
                "document_id": f"doc{d}",
                "source": rng.choice([outlet, None, "feed"]),
                "publisher": rng.choice(["Publisher A", None]),
                "metadata": json.dumps({"publisher_name": outlet} if outlet and rng.random() < 0.5 else {}),
                "text": " ".join(rng.choice(WORDS) for _ in range(12)),
                "title": rng.choice(WORDS),
            }
        )
    for i in range(n):
        country, iso, admin1, lat, lon = rng.choice(PLACES)
        a1, a2 = rng.choice(ACTORS), rng.choice(ACTORS)
        day = None if rng.random() < 0.1 else dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(60))
        events.append(
            {
                "id": f"ev{i:04d}" if rng.random() < 0.5 else f"EV{i:04d}",
                "document_id": f"doc{rng.randrange(n // 3 + 3)}",  # a few orphans
                "event_type": rng.choice(TYPES),
                "event_date": day,
                "actor1": a1[0],
                "actor1_id": a1[1],
                "actor2": a2[0],
                "actor2_id": a2[1],
                "country": country,
                "iso": iso,
                "admin1": admin1,
                "latitude": lat,
                "longitude": lon,
                "fatalities": rng.choice([0, 0, 1, 3, 7, 20]),
                "claim_status": rng.choice([None, "corroborated", "contested", "single_source"]),
                "confidence": round(rng.random(), 3),
            }
        )
    with Store(path) as store:
        con = store.con
        for doc in docs:
            con.execute(
                "INSERT INTO documents (document_id, record_id, input_path, locator, input_kind, source, publisher, "
                "title, text, text_hash, language, metadata, run_id, created_at) "
                "VALUES (?, ?, 'test', '', 'text', ?, ?, ?, ?, md5(?), 'ar', ?, 'test', now())",
                [doc["document_id"], doc["document_id"], doc["source"], doc["publisher"], doc["title"], doc["text"],
                 doc["text"], doc["metadata"]],
            )  # fmt: skip
        for e in events:
            con.execute(
                "INSERT INTO events (id, document_id, event_type, sub_event_type, disorder_type, trigger, event_date, "
                "actor1, actor1_id, actor2, actor2_id, civilian_targeting, country, iso, admin1, location, latitude, "
                "longitude, fatalities, fatalities_low, fatalities_high, injured, abducted, stance, "
                'source_attribution, confidence, claim_status, "start", "end", field, evidence, notes, run_id, '
                "created_at) VALUES (?, ?, ?, 'Armed clash', 'Political violence', 't', ?, ?, ?, ?, ?, false, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?, 0, 0, 'asserts', '', ?, ?, 0, 3, 'text', '[]', '', 'test', now())",
                [e["id"], e["document_id"], e["event_type"], e["event_date"], e["actor1"], e["actor1_id"],
                 e["actor2"], e["actor2_id"], e["country"], e["iso"], e["admin1"], e["admin1"], e["latitude"],
                 e["longitude"], e["fatalities"], e["fatalities"], e["fatalities"], e["confidence"],
                 e["claim_status"]],
            )  # fmt: skip
        con.execute(
            "INSERT INTO incident_reports (incident_id, event_id, document_id, outlet, linked_to, score, features) "
            "SELECT 'inc1', id, document_id, NULL, NULL, 1.0, '{}' FROM events ORDER BY id LIMIT 5"
        )
    return path


def _random_filters(rng: random.Random) -> EventFilters:
    pick: dict[str, Any] = {}
    if rng.random() < 0.3:
        pick["date_from"] = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(60))
    if rng.random() < 0.3:
        pick["date_to"] = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(60))
    if rng.random() < 0.2:
        pick["bbox"] = rng.choice(
            [BBox(35, 32, 42, 37), BBox(170, -20, -170, -10), BBox(-180, -90, 180, 90), BBox(44, 15, 46, 16)]
        )
    if rng.random() < 0.3:
        pick["country"] = rng.choice(["SY", "sy", "syria", "SYRIA", "Fiji", "XX", "iq"])
    if rng.random() < 0.2:
        pick["admin1"] = rng.choice(["idleb", "ALEPPO", "Marib", "نينوى", "nowhere"])
    if rng.random() < 0.3:
        pick["event_type"] = tuple(rng.sample([*TYPES, "Riots"], rng.randint(1, 2)))
    if rng.random() < 0.3:
        pick["actor"] = rng.choice(["houthi", "HOUTHI", "syria", "sdf", "سوريا", "|", "unidentified", "zzz"])
    if rng.random() < 0.2:
        pick["outlet"] = rng.choice(["عنب", "enab", "SANA", "publisher", "feed", "nothing"])
    if rng.random() < 0.2:
        pick["claim_status"] = rng.choice(["corroborated", "contested", "confirmed"])
    if rng.random() < 0.15:
        pick["review_status"] = rng.choice(["unreviewed", "confirmed", "rejected", "corrected"])
    if rng.random() < 0.2:
        pick["q"] = rng.choice(
            ["مأرب", "مارب", "الرقه", "غارة", "لا يوجد", "ا", "رب", "قصف مأرب", "ف م", "ب إدلب", "ات غ", "  غارة  "]
        )
    if rng.random() < 0.1:
        pick["document_id"] = f"doc{rng.randrange(10)}"
    if rng.random() < 0.1:
        pick["incident_id"] = rng.choice(["inc1", "inc2"])
    if rng.random() < 0.2:
        pick["min_fatalities"] = rng.choice([0, 1, 5, 100])
    return EventFilters(**pick)


def _sql_page(con: Any, f: EventFilters, limit: int, offset: int, reviewed: bool) -> bytes:
    total, rows = queries.event_page(con, f, limit, offset, reviewed)
    return _json_bytes({"total": total, "limit": limit, "offset": offset, "items": rows})


def _compare(path: Path, seed: int, rounds: int) -> int:
    db = open_database(path, read_only=True)
    try:
        search.refresh(db.con)
        reviewed = queries.any_reviews(db.con)
        index = build_index(db.con, queries.events_relation(db.con, reviewed), queries.EVENT_SUMMARY, _json_bytes)
        rng = random.Random(seed)
        matched = 0
        for _ in range(rounds):
            f = _random_filters(rng)
            limit, offset = rng.choice([(1, 0), (7, 0), (50, 0), (7, 14), (100, 3), (5, 10_000)])
            expected = _sql_page(db.con, f, limit, offset, reviewed)
            assert index.page(db.con, f, limit, offset) == expected, f
            matched += json.loads(expected)["total"] > 0
        return matched
    finally:
        db.close()


def test_api_index_pages_equal_the_sql_pages_over_random_filters(tmp_path: Path) -> None:
    path = _store(tmp_path / "awkward.duckdb", 300, seed=7)
    matched = _compare(path, seed=11, rounds=400)
    assert matched > 150  # the filters are not all empty-handed


def test_api_index_sees_reviews_like_sql(tmp_path: Path, workspace: Workspace) -> None:
    path = _store(tmp_path / "reviewed.duckdb", 120, seed=3)
    client = workspace.client(path)
    index: EventIndex = client.app.state.event_index  # type: ignore[attr-defined]
    assert index.wait(60) is not None
    first = client.get("/api/events", params={"limit": 3}).json()["items"]
    target = first[1]["id"]
    corrected = client.patch(
        f"/api/events/{target}",
        json={"action": "correct", "changes": {"event_type": "Riots", "fatalities": 99, "admin1": "Hama"}},
        headers=AUTH,
    )
    assert corrected.status_code == 200, corrected.text
    rejected = client.patch(f"/api/events/{first[2]['id']}", json={"action": "reject"}, headers=AUTH)
    assert rejected.status_code == 200, rejected.text
    assert index.wait(60) is not None  # rebuilt after the writes
    got = client.get("/api/events", params={"event_type": "Riots", "min_fatalities": 99, "admin1": "hama"}).json()
    assert [e["id"] for e in got["items"]] == [target]
    assert got["items"][0]["review_status"] == "corrected"
    assert client.get("/api/events", params={"review_status": "rejected"}).json()["total"] == 1
    workspace.close()
    assert _compare(path, seed=5, rounds=150) > 40  # reviewed view: index and SQL still agree


def test_api_index_is_skipped_above_its_limit_and_sql_answers(tmp_path: Path, workspace: Workspace) -> None:
    path = _store(tmp_path / "small.duckdb", 60, seed=1)
    client = workspace.client(path, read_only=True, settings=ApiSettings(index_max_events=10))
    index: EventIndex = client.app.state.event_index  # type: ignore[attr-defined]
    assert index.wait(60) is None
    assert index.skipped is not None and "more than the index limit" in index.skipped
    body = client.get("/api/events", params={"limit": 5}).json()
    assert body["total"] == 60 and len(body["items"]) == 5


def test_api_index_builds_for_the_example_corpus(template_db: Path, workspace: Workspace) -> None:
    client = workspace.client(template_db, read_only=True)
    index: EventIndex = client.app.state.event_index  # type: ignore[attr-defined]
    built = index.wait(60)
    assert built is not None and len(built) == client.get("/api/events").json()["total"] > 0
    assert _compare(template_db, seed=2, rounds=120) > 30


def test_api_index_client_pages_match_without_index(tmp_path: Path, workspace: Workspace) -> None:
    path = _store(tmp_path / "served.duckdb", 90, seed=9)
    fast = workspace.client(path, read_only=True)
    assert fast.app.state.event_index.wait(60) is not None  # type: ignore[attr-defined]
    slow: TestClient = workspace.client(path, read_only=True, settings=ApiSettings(index_max_events=0))
    for params in ({"limit": 10}, {"country": "sy", "limit": 4, "offset": 2}, {"q": "مارب"}, {"actor": "SDF"}):
        a, b = fast.get("/api/events", params=params), slow.get("/api/events", params=params)
        assert a.status_code == b.status_code == 200
        assert a.content == b.content
