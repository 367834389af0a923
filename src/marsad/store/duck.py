"""The DuckDB store.

The schema is a sequence of numbered SQL migrations (``store/migrations/NNNN_name.sql``); opening a
database applies the ones it lacks, each in a transaction, and records the version. A database
written by a newer Marsad is refused rather than damaged.

Writes come in batches, one transaction each: a run killed half-way leaves every batch either
wholly stored or not at all, and a re-run stores what is missing. A batch holds the ledger rows,
the documents and what extraction found in them (``events``, ``tallies``): a record processed
again has its document, events and tallies replaced together. Every statement takes values as
parameters or as an Arrow table; no text from an input is ever spliced into SQL.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from marsad import __version__
from marsad.errors import StoreError
from marsad.model import Outcome, Status
from marsad.store.records import (
    CLAIM_SCHEMA,
    EVENT_SCHEMA,
    TALLY_SCHEMA,
    claim_records,
    column_list,
    parse_row,
    record_rows,
)

__all__ = ["KnownRecord", "Store", "migrations"]


def migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` of every shipped migration, in order."""
    folder = resources.files("marsad.store") / "migrations"
    out: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            out.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(out)


@dataclass(frozen=True, slots=True)
class KnownRecord:
    content_hash: str
    status: Status
    document_id: str | None
    attempts: int


_LEDGER_COLUMNS = (
    "record_id", "input_path", "locator", "input_kind", "external_id", "url", "source", "content_hash",
    "size_bytes", "status", "reason", "duplicate_of", "document_id", "encoding", "language", "run_id",
    "first_seen", "updated_at", "attempts",
)  # fmt: skip
_DOCUMENT_COLUMNS = (
    "document_id", "record_id", "external_id", "input_path", "locator", "input_kind", "url", "source",
    "publisher", "title", "published", "published_source", "text", "text_hash", "language",
    "language_score", "encoding", "byline", "signature", "raw_segments", "title_segments", "removed",
    "metadata", "minhash", "run_id", "created_at",
)  # fmt: skip
_EVENTS_VERSION = 2  # the schema version that added the events and tallies tables


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Store:
    """A Marsad database in one DuckDB file (or ``:memory:``)."""

    def __init__(self, path: str | Path = "marsad.duckdb", *, read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            p = Path(self.path)
            if p.is_dir():
                raise StoreError("E301", f"{p} is a directory, not a database file")
            if read_only and not p.exists():
                raise StoreError("E302", f"no database at {p} (run `marsad run ... --db {p}` first)")
            if not p.parent.exists():
                raise StoreError("E303", f"folder {p.parent} does not exist")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise StoreError("E304", f"{self.path} is in use by another process ({msg.splitlines()[0]})") from None
            raise StoreError("E305", f"cannot open {self.path} as a DuckDB database: {msg.splitlines()[0]}") from None
        except duckdb.Error as exc:
            raise StoreError("E305", f"cannot open {self.path} as a DuckDB database: {exc}") from None
        if not read_only:
            self._migrate()
            self._version = migrations()[-1][0]
        else:
            self._version = self._check_version()

    # -- schema ---------------------------------------------------------------------------------

    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def _check_version(self) -> int:
        current = self.schema_version()
        latest = migrations()[-1][0]
        if current > latest:
            raise StoreError(
                "E306",
                f"{self.path} has schema version {current}, newer than this Marsad knows ({latest}): "
                "upgrade Marsad to use it",
            )
        return current

    def _migrate(self) -> None:
        current = self._check_version()
        if current == 0:
            self.con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
            )
        for version, name, sql in migrations():
            if version <= current:
                continue
            try:
                self.con.execute("BEGIN TRANSACTION")
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, _now()])
                self.con.execute("COMMIT")
            except duckdb.Error as exc:
                self.con.execute("ROLLBACK")
                raise StoreError("E307", f"migration {name} failed: {exc}") from None

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs -----------------------------------------------------------------------------------

    def start_run(self, inputs: Sequence[str], options: dict[str, Any]) -> str:
        run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        self.con.execute(
            "INSERT INTO runs VALUES (?, ?, NULL, 'running', ?, ?, ?, NULL)",
            [run_id, _now(), __version__, json.dumps(list(inputs)), json.dumps(options, default=str)],
        )
        return run_id

    def finish_run(self, run_id: str, counts: dict[str, int], status: str = "completed") -> None:
        self.con.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE run_id = ?",
            [_now(), status, json.dumps(counts), run_id],
        )

    def runs(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM runs ORDER BY started_at")

    # -- ledger ---------------------------------------------------------------------------------

    def known(self, record_ids: Iterable[str]) -> dict[str, KnownRecord]:
        ids = list(record_ids)
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT record_id, content_hash, status, document_id, attempts FROM ledger WHERE record_id IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
        return {r[0]: KnownRecord(r[1], Status(r[2]), r[3], r[4]) for r in rows}

    def write(self, outcomes: Sequence[Outcome], run_id: str, *, store_raw: bool = True) -> None:
        """Store a batch of outcomes in one transaction."""
        if not outcomes:
            return
        now = _now()
        ledger_rows: list[dict[str, Any]] = []
        doc_rows: list[dict[str, Any]] = []
        raw_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        tally_rows: list[dict[str, Any]] = []
        claim_rows: list[dict[str, Any]] = []
        for o in outcomes:
            rec = o.record
            doc = o.document
            processed = o.status is Status.PROCESSED and doc is not None
            ledger_rows.append(
                {
                    "record_id": rec.record_id,
                    "input_path": rec.input_path,
                    "locator": rec.locator,
                    "input_kind": str(rec.kind),
                    "external_id": rec.meta.external_id,
                    "url": (doc.url if doc else None) or rec.meta.url,
                    "source": (doc.source if doc else None) or rec.meta.source,
                    "content_hash": rec.content_hash(),
                    "size_bytes": rec.size,
                    "status": str(o.status),
                    "reason": o.reason,
                    "duplicate_of": o.duplicate_of,
                    "document_id": doc.id if processed and doc else None,
                    "encoding": o.encoding,
                    "language": o.language,
                    "run_id": run_id,
                    "first_seen": now,
                    "updated_at": now,
                    "attempts": 1,
                }
            )
            if processed and doc is not None:
                doc_rows.append(
                    {
                        "document_id": doc.id,
                        "record_id": doc.record_id,
                        "external_id": doc.external_id,
                        "input_path": doc.input_path,
                        "locator": doc.locator,
                        "input_kind": str(doc.input_kind),
                        "url": doc.url,
                        "source": doc.source,
                        "publisher": doc.publisher,
                        "title": doc.title,
                        "published": doc.published,
                        "published_source": doc.published_source,
                        "text": doc.text,
                        "text_hash": doc.text_hash or "",
                        "language": doc.language,
                        "language_score": doc.language_score,
                        "encoding": doc.encoding,
                        "byline": doc.byline,
                        "signature": doc.signature,
                        "raw_segments": json.dumps(doc.raw_segments) if doc.raw_segments is not None else None,
                        "title_segments": json.dumps(doc.title_segments) if doc.title_segments is not None else None,
                        "removed": json.dumps(doc.removed, ensure_ascii=False),
                        "metadata": json.dumps(doc.metadata, ensure_ascii=False, default=str),
                        "minhash": doc.minhash,
                        "run_id": run_id,
                        "created_at": now,
                    }
                )
                if store_raw:
                    raw_rows.append({"document_id": doc.id, "raw": doc.raw})
                if o.extraction is not None:
                    event_rows += record_rows(o.extraction.events, run_id, now)
                    tally_rows += record_rows(o.extraction.tallies, run_id, now)
                    claim_rows += claim_records(o.extraction.claims, run_id, now)
        ledger_tbl = pa.Table.from_pylist(ledger_rows, schema=_ledger_schema())  # noqa: F841 - read by DuckDB
        ids = [r["record_id"] for r in ledger_rows]
        con = self.con
        try:
            con.execute("BEGIN TRANSACTION")
            # a record that was processed before and is now something else loses its document, and
            # a record processed again gets the events and tallies of this processing only
            tables = ("document_raw", "documents", "events", "tallies") + (("claims",) if self._version >= 4 else ())
            for table in tables:
                con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
            con.execute(
                f"INSERT INTO ledger SELECT {', '.join(_LEDGER_COLUMNS)} FROM ledger_tbl "
                "ON CONFLICT (record_id) DO UPDATE SET "
                + ", ".join(
                    f"{c} = EXCLUDED.{c}" for c in _LEDGER_COLUMNS if c not in {"record_id", "first_seen", "attempts"}
                )
                + ", attempts = ledger.attempts + 1"
            )
            if doc_rows:
                docs_tbl = pa.Table.from_pylist(doc_rows, schema=_document_schema())  # noqa: F841
                con.execute(f"INSERT INTO documents SELECT {', '.join(_DOCUMENT_COLUMNS)} FROM docs_tbl")
            if raw_rows:
                raw_tbl = pa.Table.from_pylist(raw_rows)  # noqa: F841
                con.execute("INSERT INTO document_raw SELECT document_id, raw FROM raw_tbl")
            if event_rows:
                events_tbl = pa.Table.from_pylist(event_rows, schema=EVENT_SCHEMA)  # noqa: F841
                columns = column_list(EVENT_SCHEMA)
                con.execute(f"INSERT INTO events ({columns}) SELECT {columns} FROM events_tbl")
            if tally_rows:
                tallies_tbl = pa.Table.from_pylist(tally_rows, schema=TALLY_SCHEMA)  # noqa: F841
                columns = column_list(TALLY_SCHEMA)
                con.execute(f"INSERT INTO tallies ({columns}) SELECT {columns} FROM tallies_tbl")
            if claim_rows:
                claims_tbl = pa.Table.from_pylist(claim_rows, schema=CLAIM_SCHEMA)  # noqa: F841
                columns = column_list(CLAIM_SCHEMA)
                con.execute(f"INSERT INTO claims ({columns}) SELECT {columns} FROM claims_tbl")
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError("E310", f"cannot write batch: {exc}") from None

    def ledger(
        self, status: str | None = None, limit: int | None = None, run_id: str | None = None
    ) -> list[dict[str, Any]]:
        sql = "SELECT * FROM ledger WHERE (? IS NULL OR status = ?) AND (? IS NULL OR run_id = ?) ORDER BY input_path, "
        sql += "try_cast(split_part(locator, ':', 2) AS BIGINT) NULLS FIRST, locator"
        params: list[Any] = [status, status, run_id, run_id]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._dicts(sql, params)

    def ledger_counts(self) -> dict[str, int]:
        rows = self.con.execute("SELECT status, count(*) FROM ledger GROUP BY status").fetchall()
        return {r[0]: int(r[1]) for r in rows}

    # -- documents ------------------------------------------------------------------------------

    def document(self, document_id: str) -> dict[str, Any] | None:
        rows = self._dicts(
            "SELECT d.*, r.raw FROM documents d LEFT JOIN document_raw r USING (document_id) "
            "WHERE d.document_id = ? OR d.external_id = ? LIMIT 1",
            [document_id, document_id],
        )
        return rows[0] if rows else None

    def documents(self, limit: int | None = None) -> list[dict[str, Any]]:
        sql = (
            "SELECT document_id, external_id, published, source, publisher, title, length(text) AS chars "
            "FROM documents ORDER BY published NULLS LAST, document_id"
        )
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._dicts(sql, params)

    def iter_fingerprints(self) -> Iterator[tuple[str, str, bytes | None]]:
        cur = self.con.execute("SELECT document_id, text_hash, minhash FROM documents ORDER BY created_at, document_id")
        while True:
            rows = cur.fetchmany(10000)
            if not rows:
                return
            for r in rows:
                yield r[0], r[1], r[2]

    def document_outlets(self, document_ids: Iterable[str]) -> dict[str, str | None]:
        """The outlet each document came from: the publisher's name, else the source, else the
        publisher id (``None`` when none is known)."""
        ids = list(document_ids)
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT document_id, coalesce(json_extract_string(metadata, '$.publisher_name'), source, publisher) "
            "FROM documents WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    # -- events and tallies ---------------------------------------------------------------------

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event by id, evidence as a list of dicts."""
        rows = self.events(event_id=event_id)
        return rows[0] if rows else None

    def events(
        self,
        *,
        event_id: str | None = None,
        document_id: str | None = None,
        event_type: str | None = None,
        iso: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Stored events matching every filter given (dates inclusive), by date then document."""
        filters = [("id", "=", event_id), ("document_id", "=", document_id), ("event_type", "=", event_type),
                   ("iso", "=", iso), ("event_date", ">=", since), ("event_date", "<=", until)]  # fmt: skip
        return list(self._iter_records("events", filters, limit))

    def iter_events(self) -> Iterator[dict[str, Any]]:
        """Every stored event, read in chunks (for exports)."""
        return self._iter_records("events", [], None)

    def tallies(
        self, *, document_id: str | None = None, iso: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Stored tallies matching every filter given, by period then document."""
        return list(self._iter_records("tallies", [("document_id", "=", document_id), ("iso", "=", iso)], limit))

    def iter_tallies(self) -> Iterator[dict[str, Any]]:
        """Every stored tally, read in chunks (for exports)."""
        return self._iter_records("tallies", [], None)

    def extraction_counts(self) -> dict[str, int]:
        """How many events and tallies the database holds."""
        if self._version < _EVENTS_VERSION:
            return {"events": 0, "tallies": 0}
        row = self.con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM tallies)").fetchone()
        assert row is not None
        return {"events": int(row[0]), "tallies": int(row[1])}

    def _iter_records(
        self, table: str, filters: Sequence[tuple[str, str, Any]], limit: int | None
    ) -> Iterator[dict[str, Any]]:
        if self._version < _EVENTS_VERSION:  # a database opened read-only before its upgrade
            return
        order = {"events": "event_date", "tallies": "period_start"}[table]
        sql = f"SELECT * FROM {table}"
        if table == "events" and self._version >= 4:  # the incident each event was linked into
            sql = (
                "SELECT *, (SELECT r.incident_id FROM incident_reports r WHERE r.event_id = events.id LIMIT 1) "
                "AS incident_id FROM events"
            )
        given = [(column, op, value) for column, op, value in filters if value is not None]
        if given:
            sql += " WHERE " + " AND ".join(f"{column} {op} ?" for column, op, _ in given)
        sql += f' ORDER BY {order} NULLS LAST, document_id, "start", id'
        params = [value for _, _, value in given]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        cur = self.con.cursor()  # its own cursor: the caller may query the store between chunks
        try:
            cur.execute(sql, params)
            cols = [d[0] for d in cur.description or []]
            while rows := cur.fetchmany(1000):
                for row in rows:
                    yield parse_row(dict(zip(cols, row, strict=True)))
        finally:
            cur.close()

    def _dicts(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        cols = [d[0] for d in cur.description or []]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _ledger_schema() -> pa.Schema:
    numeric = {"size_bytes", "first_seen", "updated_at", "attempts"}
    fields = {name: pa.string() for name in _LEDGER_COLUMNS if name not in numeric}
    fields |= {"size_bytes": pa.int64(), "first_seen": pa.timestamp("us"), "updated_at": pa.timestamp("us"),
               "attempts": pa.int32()}  # fmt: skip
    return pa.schema([(name, fields[name]) for name in _LEDGER_COLUMNS])


def _document_schema() -> pa.Schema:
    return pa.schema(
        [
            ("document_id", pa.string()), ("record_id", pa.string()), ("external_id", pa.string()),
            ("input_path", pa.string()), ("locator", pa.string()), ("input_kind", pa.string()),
            ("url", pa.string()), ("source", pa.string()), ("publisher", pa.string()), ("title", pa.string()),
            ("published", pa.date32()), ("published_source", pa.string()), ("text", pa.string()),
            ("text_hash", pa.string()), ("language", pa.string()), ("language_score", pa.float64()),
            ("encoding", pa.string()), ("byline", pa.string()), ("signature", pa.string()),
            ("raw_segments", pa.string()), ("title_segments", pa.string()), ("removed", pa.string()),
            ("metadata", pa.string()), ("minhash", pa.binary()), ("run_id", pa.string()),
            ("created_at", pa.timestamp("us")),
        ]
    )  # fmt: skip
