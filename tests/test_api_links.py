"""Incidents, contradictions and claims through the API (rows written here with the columns of
migration 0004, linking two real events of the example corpus)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from api_support import Workspace

NOW = dt.datetime(2024, 1, 1)

pytest_plugins = ("api_support",)


@pytest.fixture
def linked(db_path: Path) -> dict[str, str]:
    """Link the two Jazan events into one incident with a contradiction on fatalities."""
    with duckdb.connect(str(db_path)) as con:
        rows = con.execute(
            "SELECT id, document_id FROM events WHERE admin1 = 'Jazan' ORDER BY event_date, id"
        ).fetchall()
        (a, doc_a), (b, doc_b) = rows[:2]
        con.execute(
            "INSERT INTO incidents VALUES ('in_test', 'Explosions/Remote violence', NULL, DATE '2021-03-07', "
            "DATE '2021-03-08', 'SA', 'Jazan', 'Jazan', 16.89, 42.55, 'Saudi-led Coalition', 'Houthi Movement', "
            "0, 0, 2, 2, 1, 1, ['outlet-a'], 'contested', 'two figures', 1, 'link-1', ?)",
            [NOW],
        )
        for event, doc, linked_to in ((a, doc_a, None), (b, doc_b, a)):
            con.execute(
                "INSERT INTO incident_reports VALUES ('in_test', ?, ?, 'outlet-a', ?, 0.9, ?)",
                [event, doc, linked_to, json.dumps({"date_days": 1})],
            )
        evidence = json.dumps([{"role": "fatalities", "start": 0, "end": 4, "text": "مقتل", "field": "text"}])
        con.execute(
            "INSERT INTO contradictions VALUES ('cx_test', 'incident', 'fatalities', 'in_test', NULL, '0', "
            "'التحالف', 'coalition', 'outlet-a', ?, ?, NULL, ?, '2', 'الحوثيون', 'armed_group', 'outlet-b', ?, ?, "
            "NULL, ?, 'the coalition says none died; the Houthis say two', 'link-1', ?)",
            [doc_a, a, evidence, doc_b, b, evidence, NOW],
        )
    return {"a": a, "b": b, "doc_a": doc_a}


@pytest.fixture
def client(db_path: Path, linked: dict[str, str], workspace: Workspace) -> TestClient:
    return workspace.client(db_path, read_only=True)


def test_api_incidents_list_filter_and_detail(client: TestClient, linked: dict[str, str]) -> None:
    body = client.get("/api/incidents").json()
    assert body["total"] == 1 and body["items"][0]["id"] == "in_test"
    assert client.get("/api/incidents", params={"country": "SA", "grade": "contested"}).json()["total"] == 1
    assert client.get("/api/incidents", params={"date_to": "2021-03-01"}).json()["total"] == 0
    assert client.get("/api/incidents", params={"bbox": "0,0,10,10"}).json()["total"] == 0
    assert client.get("/api/incidents", params={"date_from": "03/07/2021"}).status_code == 400
    detail = client.get("/api/incidents/in_test").json()
    assert {r["event_id"] for r in detail["reports"]} == {linked["a"], linked["b"]}
    assert [c["id"] for c in detail["contradictions"]] == ["cx_test"]


def test_api_contradictions_list_and_filters(client: TestClient, linked: dict[str, str]) -> None:
    body = client.get("/api/contradictions").json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["a_evidence"][0]["text"] == "مقتل" and item["aspect"] == "fatalities"
    assert client.get("/api/contradictions", params={"event_id": linked["b"]}).json()["total"] == 1
    assert client.get("/api/contradictions", params={"incident_id": "in_other"}).json()["total"] == 0
    assert client.get("/api/contradictions", params={"aspect": "cause"}).json()["total"] == 0


def test_api_event_detail_shows_incident_contradictions_and_other_reports(
    client: TestClient, linked: dict[str, str]
) -> None:
    event = client.get(f"/api/events/{linked['a']}").json()
    assert event["incident"]["id"] == "in_test"
    assert [c["id"] for c in event["contradictions"]] == ["cx_test"]
    assert event["documents"][0]["document_id"] == linked["doc_a"]
    incident_events = client.get("/api/events", params={"incident_id": "in_test"}).json()
    assert {e["id"] for e in incident_events["items"]} == {linked["a"], linked["b"]}


def test_api_event_detail_lists_the_claims_of_the_event(db_path: Path, workspace: Workspace) -> None:
    with duckdb.connect(str(db_path)) as con:
        row = con.execute("SELECT id, document_id FROM events WHERE admin1 = 'Taizz' LIMIT 1").fetchone()
        assert row is not None
        con.execute("DELETE FROM claims WHERE event_id = ?", [row[0]])
        con.execute(
            "INSERT INTO claims VALUES ('cl_test', ?, 'event', 'Witnesses', 'witness', 'witness', NULL, 'شهود عيان', "
            "'أفاد', 'said', 'asserts', 'incident', 'event', NULL, '{}', ?, NULL, NULL, NULL, 'أفاد شهود عيان', "
            "0, 10, 'text', '[]', 0.8, 'run', ?)",
            [row[1], row[0], NOW],
        )
    client = workspace.client(db_path, read_only=True)
    event = client.get(f"/api/events/{row[0]}").json()
    assert [c["id"] for c in event["claims"]] == ["cl_test"] and event["claims"][0]["holder"] == "Witnesses"
    document = client.get(f"/api/documents/{row[1]}").json()
    assert "cl_test" in {c["id"] for c in document["claims"]}
