"""The one way the workspace reaches its data: a plain DuckDB connection with tables named
``events``, ``tallies``, ``documents``, ``ledger``, ``claims``, ``incidents``,
``incident_reports``, ``contradictions``, ``event_reviews`` and ``document_search``.

A Marsad DuckDB file is opened as it is (read-write through :class:`~marsad.store.Store`, which
applies the migrations, or read-only). A folder of Parquet tables (one ``NAME.parquet`` file or
``NAME/`` folder of Parquet files per table, as a Spark run writes them) is served read-only by an
in-memory database with a view of each name. A table the source lacks (an older database, a
partial Parquet output) is created empty with the store's schema, so every query runs everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from marsad.errors import StoreError
from marsad.store import Store, parquet
from marsad.store.duck import migrations

__all__ = ["TABLES", "Database", "connect", "open_database"]

TABLES = (
    "events",
    "tallies",
    "documents",
    "ledger",
    "claims",
    "incidents",
    "incident_reports",
    "contradictions",
    "event_reviews",
    "document_search",
)
# kept by the workspace itself, in memory, when the source cannot be written
_OWN = frozenset({"document_search"})
_CREATE = re.compile(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+) \((.*?)\n\);", re.DOTALL)


@dataclass(slots=True)
class Database:
    """An open source of data: ``con`` for reads (take a ``cursor()`` per thread) and, when it
    can be written, the :class:`Store` that writes documents through the pipeline."""

    con: duckdb.DuckDBPyConnection
    store: Store | None
    path: str

    @property
    def writable(self) -> bool:
        return self.store is not None

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        else:
            self.con.close()


def _table_ddl() -> dict[str, str]:
    """``CREATE TABLE`` statement of every table of the shipped migrations, by name."""
    out: dict[str, str] = {}
    for _, _, sql in migrations():
        for match in _CREATE.finditer(sql):
            out[match.group(1)] = f"CREATE TABLE {match.group(1)} ({match.group(2)}\n)"
    return out


def _existing(con: duckdb.DuckDBPyConnection) -> set[str]:
    sql = "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()"
    return {r[0] for r in con.execute(sql).fetchall()}


def _add_missing(con: duckdb.DuckDBPyConnection) -> None:
    have = _existing(con)
    ddl = _table_ddl()
    for name in TABLES:
        if name not in have and name in ddl:
            con.execute(ddl[name])


def _parquet_source(folder: Path, name: str) -> str | None:
    if (folder / f"{name}.parquet").is_file():
        return str(folder / f"{name}.parquet")
    if (folder / name).is_dir() and any((folder / name).rglob("*.parquet")):
        return str(folder / name / "**" / "*.parquet")
    return None


def connect(path: str | Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection on which every table of :data:`TABLES` can be read."""
    return open_database(path, read_only=read_only).con


def open_database(path: str | Path, *, read_only: bool = False) -> Database:
    """Open a Marsad database file (read-write unless ``read_only``) or a folder of Parquet tables."""
    p = Path(path)
    if not p.is_dir() and not read_only:
        store = Store(p)
        _add_missing(store.con)
        return Database(store.con, store, str(p))
    if p.is_dir():
        # a folder written by `marsad spark`: the store's tables as typed views over its Parquet files
        if not any(_parquet_source(p, name) for name in TABLES if name not in _OWN):
            raise StoreError("E308", f"{p} holds no Parquet table of Marsad ({', '.join(TABLES[:4])}, ...)")
        folder_con = parquet.connect(p)
        try:
            _add_missing(folder_con)
        except duckdb.Error as exc:
            folder_con.close()
            raise StoreError("E305", f"cannot read {p}: {exc}") from None
        return Database(folder_con, None, str(p))
    Store(p, read_only=True).close()  # the store's checks: a DuckDB file, a schema it knows
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_literal(str(p))} AS src (READ_ONLY)")
        have = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'src'"
            ).fetchall()
        }
        for name in TABLES:
            if name in have and name not in _OWN:
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM src.{name}")
        _add_missing(con)
    except duckdb.Error as exc:
        con.close()
        raise StoreError("E305", f"cannot read {p}: {exc}") from None
    except StoreError:
        con.close()
        raise
    return Database(con, None, str(p))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
