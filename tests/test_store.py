from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPORT, REPORT_2
from marsad.errors import StoreError
from marsad.runner import run
from marsad.settings import Settings
from marsad.store import Store
from marsad.store.duck import migrations


def test_store_creates_schema_at_latest_version(store: Store) -> None:
    assert store.schema_version() == migrations()[-1][0]
    tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"ledger", "documents", "document_raw", "runs", "schema_version"} <= tables


def test_store_reopen_does_not_reapply_migrations(tmp_path: Path) -> None:
    Store(tmp_path / "a.duckdb").close()
    s = Store(tmp_path / "a.duckdb")
    assert s.con.execute("SELECT count(*) FROM schema_version").fetchone() == (len(migrations()),)
    s.close()


def test_store_refuses_a_newer_schema(tmp_path: Path) -> None:
    s = Store(tmp_path / "a.duckdb")
    s.con.execute("INSERT INTO schema_version VALUES (999, 'future', now())")
    s.close()
    with pytest.raises(StoreError, match="newer than this Marsad knows"):
        Store(tmp_path / "a.duckdb")


def test_store_refuses_files_that_are_not_databases(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database")
    with pytest.raises(StoreError, match="cannot open"):
        Store(tmp_path / "notes.txt")
    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing" / "x.duckdb")
    with pytest.raises(StoreError, match="no database"):
        Store(tmp_path / "absent.duckdb", read_only=True)


def _snapshot(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    ledger = store.con.execute(
        "SELECT record_id, status, reason, duplicate_of, document_id FROM ledger ORDER BY record_id"
    ).fetchall()
    docs = store.con.execute("SELECT document_id, text, title, published FROM documents ORDER BY 1").fetchall()
    return ledger, docs


def test_store_rerun_is_idempotent(store: Store) -> None:
    first = run([str(EXAMPLES)], store)
    before = _snapshot(store)
    second = run([str(EXAMPLES)], store)
    assert _snapshot(store) == before
    assert second.counts["unchanged"] == first.total
    assert store.con.execute("SELECT count(*) FROM ledger").fetchone() == (first.total,)
    third = run([str(EXAMPLES)], store, force=True)
    assert _snapshot(store) == before  # same ids, same outcomes, including the duplicate link
    assert third.counts["unchanged"] == 0
    attempts = store.con.execute("SELECT min(attempts), max(attempts) FROM ledger").fetchone()
    assert attempts == (2, 2)


def test_store_changed_content_is_processed_again(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "a.txt"
    path.write_text(REPORT)
    run([str(path)], store)
    path.write_text(REPORT_2)
    report = run([str(path)], store)
    assert report.counts["processed"] == 1
    [doc] = store.con.execute("SELECT text FROM documents").fetchall()
    assert "ديالى" in doc[0]


def test_store_failed_records_are_retried(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "later.txt"
    run([str(path)], store)
    assert store.ledger()[0]["status"] == "failed"
    path.write_text(REPORT)
    run([str(path)], store)
    [row] = store.ledger()
    assert row["status"] == "processed" and row["attempts"] == 2


def test_store_run_killed_half_way_is_consistent_and_completed_by_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "k.duckdb"
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(
        "\n".join(
            json.dumps({"id": str(i), "text": f"{REPORT} {i} {REPORT_2 if i % 2 else ''}"}, ensure_ascii=False)
            for i in range(10)
        )
    )
    store = Store(db)
    calls = {"n": 0}
    real_write = Store.write

    def dying_write(self: Store, outcomes, run_id, *, store_raw=True):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process is killed while the second batch is written
        return real_write(self, outcomes, run_id, store_raw=store_raw)

    monkeypatch.setattr(Store, "write", dying_write)
    report = run([str(inputs)], store, settings=Settings(batch_size=4))
    assert report.interrupted
    rows = store.con.execute("SELECT count(*) FROM ledger").fetchone()
    docs = store.con.execute("SELECT count(*) FROM documents").fetchone()
    assert rows == (4,) and docs is not None and docs[0] <= 4
    orphans = store.con.execute(
        "SELECT count(*) FROM documents d LEFT JOIN ledger l ON l.document_id = d.document_id WHERE l.record_id IS NULL"
    ).fetchone()
    assert orphans == (0,)
    monkeypatch.setattr(Store, "write", real_write)
    again = run([str(inputs)], store, settings=Settings(batch_size=4))
    assert again.counts["unchanged"] == 4 and again.total == 10
    assert store.con.execute("SELECT count(*) FROM ledger").fetchone() == (10,)
    assert store.runs()[0]["status"] == "interrupted" and store.runs()[1]["status"] == "completed"
    store.close()


def test_store_never_splices_text_into_sql(tmp_path: Path, store: Store) -> None:
    hostile = "'); DROP TABLE ledger; -- " + REPORT
    path = tmp_path / "x'; DROP TABLE documents; --.txt"
    path.write_text(hostile)
    run([str(path)], store)
    assert store.document(store.ledger()[0]["document_id"])["text"].startswith("');")  # type: ignore[index]
    assert store.con.execute("SELECT count(*) FROM ledger").fetchone() == (1,)


def test_store_database_in_use_by_another_process_is_reported(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    Store(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="in use by another process"):
            Store(db)
    finally:
        holder.kill()
        holder.wait()
