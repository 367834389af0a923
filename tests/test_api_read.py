"""Read endpoints of the workspace API: every filter against an independent SQL count, pagination,
and clear 4xx JSON errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

from api_support import Workspace
from marsad.api.app import ApiSettings

pytest_plugins = ("api_support",)


@pytest.fixture(params=["index", "sql"])
def client(request: pytest.FixtureRequest, template_db: Path, workspace: Workspace) -> TestClient:
    """The read endpoints answered from the in-memory event index, and through SQL alone."""
    if request.param == "sql":
        return workspace.client(template_db, read_only=True, settings=ApiSettings(index_max_events=0))
    made = workspace.client(template_db, read_only=True)
    assert made.app.state.event_index.wait(60) is not None  # type: ignore[attr-defined]
    return made


def sql_count(path: Path, where: str = "TRUE", params: list[Any] | None = None) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(f"SELECT count(*) FROM events WHERE {where}", params or []).fetchone()
        assert row is not None
        return int(row[0])


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {e["id"] for e in response.json()["items"]}


def test_api_events_lists_every_event_newest_first(client: TestClient, template_db: Path) -> None:
    body = client.get("/api/events", params={"limit": 500}).json()
    assert body["total"] == sql_count(template_db) == len(body["items"]) > 10
    dates = [e["event_date"] for e in body["items"] if e["event_date"]]
    assert dates == sorted(dates, reverse=True)
    first = body["items"][0]
    assert {"id", "event_type", "latitude", "longitude", "fatalities", "outlet", "review_status"} <= set(first)


def test_api_events_paginates_without_overlap(client: TestClient, template_db: Path) -> None:
    total = sql_count(template_db)
    pages = [client.get("/api/events", params={"limit": 5, "offset": o}).json() for o in range(0, total + 5, 5)]
    seen = [e["id"] for p in pages for e in p["items"]]
    assert len(seen) == len(set(seen)) == total
    assert all(p["total"] == total for p in pages)
    assert pages[-1]["items"] == []


def test_api_events_filters_by_date_range(client: TestClient, template_db: Path) -> None:
    got = client.get("/api/events", params={"date_from": "2021-02-01", "date_to": "2021-03-31"}).json()
    expected = sql_count(template_db, "event_date BETWEEN ? AND ?", [dt.date(2021, 2, 1), dt.date(2021, 3, 31)])
    assert got["total"] == expected > 0
    assert all("2021-02-01" <= e["event_date"] <= "2021-03-31" for e in got["items"])


def test_api_events_filters_by_bbox(client: TestClient, template_db: Path) -> None:
    # Syria and Iraq, roughly
    got = client.get("/api/events", params={"bbox": "35.5,32,45,37.5"}).json()
    expected = sql_count(template_db, "longitude BETWEEN 35.5 AND 45 AND latitude BETWEEN 32 AND 37.5")
    assert got["total"] == expected > 0
    assert all(35.5 <= e["longitude"] <= 45 and 32 <= e["latitude"] <= 37.5 for e in got["items"])


def test_api_events_bbox_across_the_antimeridian(client: TestClient, template_db: Path) -> None:
    got = client.get("/api/events", params={"bbox": "40,-90,-170,90"}).json()
    assert got["total"] == sql_count(template_db, "longitude >= 40 OR longitude <= -170") > 0


def test_api_events_filters_by_country_code_or_name_and_admin1(client: TestClient, template_db: Path) -> None:
    by_code = ids(client.get("/api/events", params={"country": "ye", "limit": 500}))
    by_name = ids(client.get("/api/events", params={"country": "Yemen", "limit": 500}))
    assert by_code == by_name and len(by_code) == sql_count(template_db, "iso = 'YE'") > 0
    marib = client.get("/api/events", params={"admin1": "marib"}).json()
    assert marib["total"] == sql_count(template_db, "admin1 = 'Marib'") > 0


def test_api_events_filters_by_one_or_several_event_types(client: TestClient, template_db: Path) -> None:
    one = client.get("/api/events", params={"event_type": "Battles"}).json()
    assert one["total"] == sql_count(template_db, "event_type = 'Battles'") > 0
    two = client.get("/api/events", params=[("event_type", "Battles"), ("event_type", "Violence against civilians")])
    expected = sql_count(template_db, "event_type IN ('Battles', 'Violence against civilians')")
    assert two.json()["total"] == expected > one["total"]


def test_api_events_filters_by_actor_outlet_and_fatalities(client: TestClient, template_db: Path) -> None:
    houthi = client.get("/api/events", params={"actor": "houthi", "limit": 500}).json()
    assert houthi["total"] == sql_count(template_db, "actor1 ILIKE '%houthi%' OR actor2 ILIKE '%houthi%'") > 0
    outlet = client.get("/api/events", params={"outlet": "الوادي نت"}).json()
    assert outlet["total"] > 0 and {e["outlet"] for e in outlet["items"]} == {"الوادي نت"}
    heavy = client.get("/api/events", params={"min_fatalities": 10}).json()
    assert heavy["total"] == sql_count(template_db, "fatalities >= 10") > 0


def test_api_events_filters_by_claim_and_review_status(client: TestClient, template_db: Path) -> None:
    unreviewed = client.get("/api/events", params={"review_status": "unreviewed"}).json()
    assert unreviewed["total"] == sql_count(template_db)
    assert client.get("/api/events", params={"review_status": "rejected"}).json()["total"] == 0
    claimed = client.get("/api/events", params={"claim_status": "contested"}).json()
    assert claimed["total"] == sql_count(template_db, "claim_status = 'contested'")


def test_api_events_arabic_search_is_normalised(client: TestClient, template_db: Path) -> None:
    # the title says «مأرب»; a search without hamza, with a diacritic and tatweel finds it
    plain = ids(client.get("/api/events", params={"q": "مأرب"}))
    variant = ids(client.get("/api/events", params={"q": "مارِب"}))
    stretched = ids(client.get("/api/events", params={"q": "مـأرب"}))
    assert plain and plain == variant == stretched
    assert ids(client.get("/api/events", params={"q": "كلمةٌ لا توجد أبداً"})) == set()


def test_api_events_filters_combine(client: TestClient, template_db: Path) -> None:
    got = client.get(
        "/api/events", params={"country": "SY", "date_from": "2021-01-01", "event_type": "Explosions/Remote violence"}
    )
    expected = sql_count(
        template_db, "iso = 'SY' AND event_date >= DATE '2021-01-01' AND event_type = 'Explosions/Remote violence'"
    )
    assert got.json()["total"] == expected > 0


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"date_from": "2021-13-01"}, "bad_date"),
        ({"date_to": "yesterday"}, "bad_date"),
        ({"date_from": "2021-05-01", "date_to": "2021-04-01"}, "bad_date"),
        ({"bbox": "1,2,3"}, "bad_bbox"),
        ({"bbox": "a,b,c,d"}, "bad_bbox"),
        ({"bbox": "0,50,10,40"}, "bad_bbox"),
        ({"bbox": "0,0,200,10"}, "bad_bbox"),
        ({"bbox": "nan,0,1,1"}, "bad_bbox"),
        ({"limit": 0}, "bad_page"),
        ({"limit": 501}, "bad_page"),
        ({"offset": -1}, "bad_page"),
        ({"limit": "ten"}, "invalid_request"),
        ({"review_status": "maybe"}, "bad_filter"),
        ({"q": "\u064b\u0640"}, "bad_query"),
    ],
)
def test_api_events_bad_parameters_are_clear_400s(client: TestClient, params: dict[str, Any], code: str) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_api_stats_bad_dates_are_400s(client: TestClient) -> None:
    response = client.get("/api/stats", params={"date_from": "2021-02-30"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_date"


@pytest.mark.parametrize("path", ["/api/events/nope", "/api/documents/nope", "/api/incidents/nope", "/api/nothing"])
def test_api_unknown_ids_are_404_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_api_event_detail_has_evidence_and_source_document(client: TestClient) -> None:
    first = client.get("/api/events", params={"country": "YE", "admin1": "Marib", "event_type": "Battles"}).json()
    event = client.get(f"/api/events/{first['items'][0]['id']}").json()
    assert event["evidence"] and {"role", "start", "end", "text", "field"} <= set(event["evidence"][0])
    doc = event["documents"][0]
    assert doc["document_id"] == event["document_id"]
    for ev in event["evidence"]:  # every quote is the document's own characters at its offsets
        source = doc["text"] if ev["field"] == "text" else doc["title"]
        assert source[ev["start"] : ev["end"]] == ev["text"]
    assert all(c["event_id"] == event["id"] for c in event["claims"])
    assert isinstance(event["contradictions"], list)
    assert event["reviews"] == [] and event["review_status"] is None


def test_api_document_by_id_and_external_id(client: TestClient, template_db: Path) -> None:
    with duckdb.connect(str(template_db), read_only=True) as con:
        row = con.execute("SELECT document_id FROM events WHERE admin1 = 'Marib' LIMIT 1").fetchone()
    assert row is not None
    doc = client.get(f"/api/documents/{row[0]}").json()
    assert doc["document_id"] == row[0] and doc["text"] and doc["events"]
    assert "minhash" not in doc and isinstance(doc["metadata"], dict)
    assert all(e["document_id"] == row[0] for e in doc["events"])


def test_api_tallies_list_and_filters(client: TestClient, template_db: Path) -> None:
    with duckdb.connect(str(template_db), read_only=True) as con:
        total = con.execute("SELECT count(*) FROM tallies").fetchone()
    assert total is not None
    body = client.get("/api/tallies").json()
    assert body["total"] == total[0] > 0
    doc = body["items"][0]["document_id"]
    assert all(t["document_id"] == doc for t in client.get("/api/tallies", params={"document_id": doc}).json()["items"])
    assert client.get("/api/tallies", params={"date_from": "bad"}).status_code == 400


def test_api_stats_counts_per_day_type_and_admin1(client: TestClient, template_db: Path) -> None:
    stats = client.get("/api/stats").json()
    assert stats["events"] == sql_count(template_db)
    assert sum(d["events"] for d in stats["per_day"]) == stats["events"]
    assert sum(t["events"] for t in stats["per_type"]) == stats["events"]
    assert {a["admin1"] for a in stats["per_admin1"]} >= {"Marib", "Baghdad"}
    yemen = client.get("/api/stats", params={"country": "YE"}).json()
    assert yemen["events"] == sql_count(template_db, "iso = 'YE'") < stats["events"]


def test_api_facets_name_the_filter_values(client: TestClient) -> None:
    facets = client.get("/api/facets").json()
    assert "Battles" in facets["event_types"] and "YE" in facets["countries"] and "Marib" in facets["admin1"]
    assert facets["writable"] is False


def test_api_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/incidents", "/api/contradictions", "/api/tallies",
                 "/api/documents/{document_id}", "/api/documents", "/api/stats", "/api/export"):  # fmt: skip
        assert path in paths
    assert "patch" in paths["/api/events/{event_id}"]


def test_api_serves_the_dashboard_with_strict_headers(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    for asset in ("/static/app.js", "/static/app.css", "/static/vendor/leaflet/leaflet.js",
                  "/static/vendor/countries.geojson"):  # fmt: skip
        response = client.get(asset)
        assert response.status_code == 200 and response.headers["content-security-policy"] == csp


def test_api_concurrent_requests_each_get_their_own_cursor(client: TestClient, template_db: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    queries = [{"country": "YE"}, {"event_type": "Battles"}, {"min_fatalities": 5}, {}] * 10
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda p: client.get("/api/events", params=p), queries))
    assert all(r.status_code == 200 for r in results)
    totals = {tuple(sorted(p.items())): r.json()["total"] for p, r in zip(queries, results, strict=True)}
    assert totals[(("country", "YE"),)] == sql_count(template_db, "iso = 'YE'")
    assert totals[()] == sql_count(template_db)
