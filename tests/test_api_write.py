"""Writes of the workspace API: the token, ingestion through the pipeline, reviews with their audit
log and their effect on every export, rate limits, size limits and read-only sources."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

from api_support import AUTH, TOKEN, Workspace
from conftest import REPORT_2
from marsad.api.app import ApiSettings
from marsad.api.auth import load_token
from marsad.store import Store

pytest_plugins = ("api_support",)


@pytest.fixture
def client(db_path: Path, workspace: Workspace) -> TestClient:
    return workspace.client(db_path)


def marib_battle(client: TestClient) -> dict[str, Any]:
    body = client.get("/api/events", params={"admin1": "Marib", "event_type": "Battles"}).json()
    event: dict[str, Any] = body["items"][0]
    return event


def test_api_writes_need_a_token(client: TestClient) -> None:
    event = marib_battle(client)
    review = {"action": "confirm"}
    missing = client.patch(f"/api/events/{event['id']}", json=review)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert (
        client.patch(f"/api/events/{event['id']}", json=review, headers={"Authorization": "Basic abc"}).status_code
        == 401
    )
    wrong = client.patch(f"/api/events/{event['id']}", json=review, headers={"Authorization": "Bearer wrong-token"})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "forbidden"
    assert client.post("/api/documents", json={"text": REPORT_2}).status_code == 401
    assert client.get(f"/api/events/{event['id']}").json()["reviews"] == []


def test_api_writes_are_refused_without_a_server_token(db_path: Path, workspace: Workspace) -> None:
    client = workspace.client(db_path, token=None)
    response = client.post("/api/documents", json={"text": REPORT_2}, headers=AUTH)
    assert response.status_code == 401


def test_api_token_from_environment_or_new_private_file(tmp_path: Path) -> None:
    token, where = load_token(tmp_path / "t", {"MARSAD_API_TOKEN": TOKEN})
    assert token == TOKEN and "MARSAD_API_TOKEN" in where and not (tmp_path / "t").exists()
    made, where = load_token(tmp_path / "t", {})
    assert len(made) >= 32 and "new token file" in where
    assert stat.S_IMODE(os.stat(tmp_path / "t").st_mode) == 0o600
    assert load_token(tmp_path / "t", {}) == (made, f"token file {tmp_path / 't'}")
    with pytest.raises(ValueError, match="shorter"):
        load_token(tmp_path / "t", {"MARSAD_API_TOKEN": "short"})


def test_api_post_document_runs_the_pipeline(client: TestClient) -> None:
    article = {"text": REPORT_2, "title": "مقتل ثلاثة من الشرطة بانفجار عبوة في ديالى", "published": "2022-11-03",
               "source": "test-outlet", "url": "https://example.org/a/1", "external_id": "post-1"}  # fmt: skip
    response = client.post("/api/documents", json=article, headers=AUTH)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["status"] == "processed" and result["events"]
    event = client.get(f"/api/events/{result['events'][0]}").json()
    assert event["document_id"] == result["document_id"] and event["admin1"] == "Diyala"
    doc = client.get("/api/documents/post-1").json()
    assert doc["source"] == "test-outlet" and doc["published"] == "2022-11-03"
    again = client.post("/api/documents", json=article, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert client.get("/api/events", params={"q": "المقدادية"}).json()["total"] >= 1


def test_api_post_document_html_and_bad_bodies(client: TestClient) -> None:
    html = f"<html><head><title>ديالى</title></head><body><article><p>{REPORT_2}</p></article></body></html>"
    response = client.post("/api/documents", json={"html": html, "published": "2022-11-03"}, headers=AUTH)
    assert response.status_code == 201 and response.json()["status"] == "processed"
    both = client.post("/api/documents", json={"html": html, "text": REPORT_2}, headers=AUTH)
    assert both.status_code == 422 and both.json()["error"]["code"] == "bad_document"
    assert client.post("/api/documents", json={"text": "   "}, headers=AUTH).status_code == 422
    bad_date = client.post("/api/documents", json={"text": REPORT_2, "published": "2022-02-30"}, headers=AUTH)
    assert bad_date.status_code == 400 and "published" in bad_date.json()["error"]["message"]
    english = client.post("/api/documents", json={"text": "Three police officers were killed. " * 5}, headers=AUTH)
    assert english.status_code == 200 and english.json()["status"] == "skipped"


def test_api_request_size_is_limited(db_path: Path, workspace: Workspace) -> None:
    client = workspace.client(db_path, settings=ApiSettings(max_body_bytes=10_000))
    response = client.post("/api/documents", json={"text": REPORT_2 * 100}, headers=AUTH)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_api_writes_are_rate_limited(db_path: Path, workspace: Workspace) -> None:
    client = workspace.client(db_path, settings=ApiSettings(writes_per_minute=1, write_burst=2))
    event = marib_battle(client)
    codes = [client.patch(f"/api/events/{event['id']}", json={"action": "confirm"}, headers=AUTH).status_code
             for _ in range(3)]  # fmt: skip
    assert codes == [200, 200, 429]
    limited = client.patch(f"/api/events/{event['id']}", json={"action": "confirm"}, headers=AUTH)
    assert limited.json()["error"]["code"] == "rate_limited" and int(limited.headers["retry-after"]) > 0
    assert client.get("/api/events").status_code == 200  # reads are not limited


def test_api_review_correction_keeps_an_audit_log(client: TestClient) -> None:
    event = marib_battle(client)
    changes = {"fatalities": 40, "actor2": "Military Forces of Yemen (2016-)", "location": "Sirwah",
               "latitude": 15.45, "longitude": 45.02}  # fmt: skip
    body = {"action": "correct", "changes": changes, "reviewer": "Huda", "note": "two reports"}
    response = client.patch(f"/api/events/{event['id']}", headers=AUTH, json=body)
    assert response.status_code == 200, response.text
    reviewed = response.json()
    assert reviewed["review_status"] == "corrected" and reviewed["fatalities"] == 40
    assert reviewed["location"] == "Sirwah" and reviewed["machine_values"]["fatalities"] == event["fatalities"]
    (log,) = reviewed["reviews"]
    assert log["reviewer"] == "Huda" and log["action"] == "correct" and log["changes"] == changes
    assert log["original"]["fatalities"] == event["fatalities"] and log["original"]["location"] == event["location"]
    confirmed = client.patch(f"/api/events/{event['id']}", json={"action": "confirm"}, headers=AUTH).json()
    assert confirmed["review_status"] == "confirmed" and confirmed["fatalities"] == 40  # corrections kept
    assert [r["revision"] for r in confirmed["reviews"]] == [1, 2]
    listed = client.get("/api/events", params={"review_status": "confirmed"}).json()["items"]
    assert [(e["id"], e["fatalities"]) for e in listed] == [(event["id"], 40)]
    assert client.get("/api/events", params={"min_fatalities": 40, "admin1": "Marib"}).json()["total"] >= 1


@pytest.mark.parametrize(
    "review",
    [
        {"action": "correct", "changes": {}},
        {"action": "correct", "changes": {"document_id": "x"}},
        {"action": "correct", "changes": {"fatalities": -1}},
        {"action": "correct", "changes": {"fatalities": "many"}},
        {"action": "correct", "changes": {"latitude": 91}},
        {"action": "correct", "changes": {"event_type": "Picnic"}},
        {"action": "correct", "changes": {"sub_event_type": "Grenade"}},
        {"action": "correct", "changes": {"event_type": None}},
        {"action": "confirm", "changes": {"fatalities": 1}},
    ],
)
def test_api_review_refuses_bad_corrections(client: TestClient, review: dict[str, Any]) -> None:
    event = marib_battle(client)
    response = client.patch(f"/api/events/{event['id']}", json=review, headers=AUTH)
    assert response.status_code == 422 and response.json()["error"]["code"] == "bad_review"
    assert client.get(f"/api/events/{event['id']}").json()["reviews"] == []


def test_api_review_of_unknown_event_or_action(client: TestClient) -> None:
    assert client.patch("/api/events/nope", json={"action": "confirm"}, headers=AUTH).status_code == 404
    event = marib_battle(client)
    bad = client.patch(f"/api/events/{event['id']}", json={"action": "delete"}, headers=AUTH)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_request"


def test_api_reviews_show_in_every_export(client: TestClient, db_path: Path, workspace: Workspace) -> None:
    event = marib_battle(client)
    assert client.get("/api/stats", params={"admin1": "Marib"}).json()["fatalities"] > 0  # now cached
    before = client.get("/api/stats", params={"admin1": "Marib"}).json()["fatalities"]
    sirwah = client.get("/api/events", params={"admin1": "Marib", "event_type": "Explosions/Remote violence"}).json()
    rejected = sirwah["items"][0]
    client.patch(f"/api/events/{event['id']}", json={"action": "correct", "changes": {"fatalities": 41}}, headers=AUTH)
    client.patch(f"/api/events/{rejected['id']}", json={"action": "reject"}, headers=AUTH)

    after = client.get("/api/stats", params={"admin1": "Marib"}).json()["fatalities"]  # the cache was dropped
    assert after == before - event["fatalities"] + 41 - rejected["fatalities"]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export", params={"format": "acled-csv"}).text)))
    by_id = {r["event_id_cnty"].split("-")[-1]: r for r in rows}
    assert by_id[event["id"]]["fatalities"] == "41" and rejected["id"] not in by_id
    geo = client.get("/api/export", params={"format": "geojson", "country": "YE"}).json()
    props = {f["id"]: f["properties"] for f in geo["features"]}
    assert props[event["id"]]["fatalities"] == 41 and rejected["id"] not in props
    lines = [json.loads(x) for x in client.get("/api/export", params={"format": "jsonl"}).text.splitlines()]
    statuses = {x["id"]: x["review_status"] for x in lines}
    assert statuses[event["id"]] == "corrected" and statuses[rejected["id"]] == "rejected"
    filtered = client.get("/api/export", params={"format": "jsonl", "review_status": "rejected"}).text.splitlines()
    assert [json.loads(x)["id"] for x in filtered] == [rejected["id"]]

    workspace.close()  # `marsad export` reads the same database file
    from marsad.export import export

    with Store(db_path, read_only=True) as store:
        out = io.StringIO()
        report = export(store, "acled-csv", out)
        cli_rows = {r["event_id_cnty"].split("-")[-1]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
        assert cli_rows[event["id"]]["fatalities"] == "41" and rejected["id"] not in cli_rows
        assert report.excluded["rejected by a reviewer"] == 1
        out = io.StringIO()
        export(store, "jsonl", out)
        records = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines()) if r["kind"] == "event"}
        assert records[event["id"]]["fatalities"] == 41
        assert records[event["id"]]["review"]["machine_values"] == {"fatalities": event["fatalities"]}
        assert records[rejected["id"]]["review_status"] == "rejected"


def test_api_read_only_source_refuses_writes(db_path: Path, workspace: Workspace) -> None:
    client = workspace.client(db_path, read_only=True)
    event = marib_battle(client)
    response = client.patch(f"/api/events/{event['id']}", json={"action": "confirm"}, headers=AUTH)
    assert response.status_code == 409 and response.json()["error"]["code"] == "read_only"


def test_api_serves_a_folder_of_parquet_tables(db_path: Path, tmp_path: Path, workspace: Workspace) -> None:
    folder = tmp_path / "parquet"  # laid out as `marsad spark` writes it: one folder of files per table
    with duckdb.connect(str(db_path), read_only=True) as con:
        for table in ("events", "documents", "tallies"):
            (folder / table).mkdir(parents=True)
            con.execute(f"COPY {table} TO '{folder / table / 'part-0.parquet'}' (FORMAT parquet)")
        expected = con.execute("SELECT count(*) FROM events").fetchone()
    assert expected is not None
    client = workspace.client(folder, read_only=True)
    assert client.get("/api/events").json()["total"] == expected[0]
    assert client.get("/api/events", params={"q": "مأرب"}).json()["total"] >= 1
    assert client.get("/api/incidents").json()["total"] == 0  # a table the folder lacks reads empty
    assert client.get("/api/export", params={"format": "acled-csv"}).status_code == 200
