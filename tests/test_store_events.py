from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import duckdb

from conftest import EXAMPLES, REPORT, REPORT_2
from fakes import FakeExtractor, make_event
from marsad.extract.model import Event, Tally
from marsad.runner import run
from marsad.store import Store
from marsad.store.duck import migrations
from marsad.store.records import EVENT_SCHEMA, TALLY_SCHEMA


def _columns(store: Store, table: str) -> list[str]:
    rows = store.con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
    ).fetchall()
    return [r[0] for r in rows]


def _count(store: Store, table: str) -> int:
    row = store.con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_store_events_tables_hold_every_field_of_event_and_tally(store: Store) -> None:
    written = ["run_id", "created_at"]
    # columns added by later migrations come last in the table: compare the sets
    assert sorted(_columns(store, "events")) == sorted([f.name for f in dataclasses.fields(Event)] + written)
    assert sorted(_columns(store, "tallies")) == sorted([f.name for f in dataclasses.fields(Tally)] + written)
    for table, schema in (("events", EVENT_SCHEMA), ("tallies", TALLY_SCHEMA)):
        not_null = store.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND is_nullable = 'NO'", [table]
        ).fetchall()
        assert {r[0] for r in not_null} == {f.name for f in schema if not f.nullable}, table
    indexes = {r[0] for r in store.con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert {"events_document_id", "tallies_document_id"} <= indexes


def test_store_events_round_trip_with_arabic_evidence(tmp_path: Path, store: Store) -> None:
    (tmp_path / "a.txt").write_text(REPORT)
    extractor = FakeExtractor()
    report = run([str(tmp_path / "a.txt")], store, extractor=extractor)
    assert (report.events, report.tallies) == (1, 1)
    [extraction] = extractor.returned
    doc = store.document(extraction.document_id)
    assert doc is not None
    expected = extraction.events[0]
    [stored] = store.events()
    for key, value in dataclasses.asdict(expected).items():
        assert stored[key] == value, key
    assert stored["event_date"] == dt.date(2019, 4, 30) and stored["run_id"] == report.run_id
    assert [e["text"] for e in stored["evidence"]] == ["قصف مدفعي", "دوما", "قُتل خمسة مدنيين", "الدفاع المدني السوري"]
    for ev in stored["evidence"]:
        assert doc["text"][ev["start"] : ev["end"]] == ev["text"]
    assert store.event(expected.id) == stored and store.event("nope") is None
    [tally] = store.tallies()
    for key, value in dataclasses.asdict(extraction.tallies[0]).items():
        assert tally[key] == value, key
    assert tally["actors"] == ["Military Forces of Syria (2000-)", "Wagner Group"]
    assert tally["evidence"][0]["text"] == "اليوم الثلاثاء" and tally["period_end"] == dt.date(2019, 4, 30)
    assert store.extraction_counts() == {"events": 1, "tallies": 1}


def test_store_events_rerun_is_idempotent_and_reprocessing_replaces(tmp_path: Path, store: Store) -> None:
    first = run([str(EXAMPLES)], store, extractor=FakeExtractor())
    before = sorted(e["id"] for e in store.events())
    assert len(before) == first.counts["processed"] == _count(store, "tallies")
    second = run([str(EXAMPLES)], store, extractor=FakeExtractor())
    assert second.events == 0 and sorted(e["id"] for e in store.events()) == before
    forced = run([str(EXAMPLES)], store, extractor=FakeExtractor(), force=True)
    assert forced.events == len(before) and sorted(e["id"] for e in store.events()) == before
    assert _count(store, "tallies") == len(before)
    # the engine now finds two events per document, none with the old ids: the old ones are gone
    two = FakeExtractor(events=lambda doc: [make_event(doc, 1), make_event(doc, 2)], tallies=lambda doc: [])
    run([str(EXAMPLES)], store, extractor=two, force=True)
    ids = {e["id"] for e in store.events()}
    assert len(ids) == 2 * len(before) and not ids & set(before)
    assert _count(store, "tallies") == 0


def test_store_events_only_processed_documents_have_events(store: Store) -> None:
    extractor = FakeExtractor()
    report = run([str(EXAMPLES)], store, extractor=extractor)
    processed = {r["document_id"] for r in store.ledger(status="processed")}
    assert set(extractor.seen) == processed  # never called on duplicates or skipped records
    assert report.counts["duplicate"] == 1 and report.counts["skipped"] == 1
    assert {e["document_id"] for e in store.events()} == processed
    assert {t["document_id"] for t in store.tallies()} == processed


def test_store_events_changed_content_replaces_or_removes_events(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "a.txt"
    path.write_text(REPORT)
    run([str(path)], store, extractor=FakeExtractor())
    path.write_text(REPORT_2)
    run([str(path)], store, extractor=FakeExtractor(events=lambda doc: [make_event(doc, 7, iso="IQ")]))
    [event] = store.events()
    assert event["id"].endswith("-e7") and event["iso"] == "IQ"
    path.write_text("This report is in English and will be skipped by the language check. " * 3)
    run([str(path)], store, extractor=FakeExtractor())
    assert store.ledger()[0]["status"] == "skipped"
    assert store.events() == [] and store.tallies() == []


def test_store_events_filters(tmp_path: Path, store: Store) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(REPORT)
    (inputs / "b.txt").write_text(REPORT_2)
    extractor = FakeExtractor(
        events=lambda doc: [
            make_event(doc, 0, iso="IQ" if "ديالى" in doc.text else "SY", event_date=dt.date(2019, 5, 1)),
            make_event(doc, 1, event_type="Battles", event_date=None),
        ]
    )
    run([str(inputs)], store, extractor=extractor)
    assert len(store.events()) == 4
    assert [e["iso"] for e in store.events(iso="IQ")] == ["IQ"]
    assert {e["event_type"] for e in store.events(event_type="Battles")} == {"Battles"}
    assert len(store.events(since=dt.date(2019, 5, 1), until=dt.date(2019, 5, 1))) == 2
    assert store.events(since=dt.date(2019, 5, 2)) == []
    doc_id = store.events(iso="IQ")[0]["document_id"]
    assert {e["document_id"] for e in store.events(document_id=doc_id)} == {doc_id}
    assert len(store.events(limit=3)) == 3 and store.events()[-1]["event_date"] is None  # undated last
    assert len(store.tallies(document_id=doc_id)) == 1 and len(store.tallies(iso="SY")) == 2


def test_store_events_migrates_a_version_1_database(tmp_path: Path) -> None:
    db = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(db))  # a database as Marsad 0.1 left it: migration 0001 only
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    version, name, sql = migrations()[0]
    con.execute(sql)
    con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])
    con.close()
    readonly = Store(db, read_only=True)  # an old database is read as it is: no events yet
    assert readonly.schema_version() == 1 and readonly.events() == [] and readonly.tallies() == []
    assert readonly.extraction_counts() == {"events": 0, "tallies": 0}
    readonly.close()
    upgraded = Store(db)
    assert upgraded.schema_version() == migrations()[-1][0] >= 2
    assert upgraded.events() == [] and _columns(upgraded, "events")
    upgraded.close()
