"""A folder of Parquet tables (what ``marsad spark`` writes) read as a Marsad store.

:func:`connect` opens an in-memory DuckDB whose views carry the names, columns and types of the
store's tables (``runs``, ``ledger``, ``documents``, ``document_raw``, ``events``, ``tallies``,
``claims``, ``incidents``, ``incident_reports``, ``contradictions``) over
``DIR/<table>/**/*.parquet``. The empty tables are made by the store's own migrations, so a view
has exactly its table's columns; a table with no Parquet files stays an empty table, and a column
a file lacks reads as NULL. :class:`ParquetStore` is the read-only :class:`~marsad.store.Store`
over that connection: ``marsad export --db DIR`` and the other read commands use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from marsad.errors import StoreError
from marsad.model import Outcome
from marsad.store.duck import Store, migrations

__all__ = ["ParquetStore", "connect", "copy_to_store", "is_parquet_store"]


def _quote(text: str) -> str:
    """A SQL string literal (for a folder path given by the operator; no article text goes here)."""
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_parquet_store(path: str | Path) -> bool:
    """True when ``path`` is a folder holding at least one table written by ``marsad spark``."""
    p = Path(path)
    return p.is_dir() and any(p.glob("*/**/*.parquet"))


def connect(folder: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the store's tables as views over ``folder``."""
    root = Path(folder)
    if not root.is_dir():
        raise StoreError("E308", f"{root} is not a folder of Parquet tables")
    con = duckdb.connect(":memory:")
    for _, _, sql in migrations():
        con.execute(sql)
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
    ).fetchall()]  # fmt: skip
    for table in tables:
        files = sorted(root.glob(f"{table}/**/*.parquet"))
        if not files:
            continue
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
        pattern = _quote(str(root / table) + "/**/*.parquet")
        source = f"read_parquet({pattern}, hive_partitioning = false, union_by_name = true)"
        try:
            present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        except duckdb.Error as exc:
            raise StoreError("E309", f"cannot read the {table} table in {root}: {exc}") from None
        select = ", ".join(
            f"CAST({_ident(name)} AS {kind}) AS {_ident(name)}"
            if name in present
            else f"CAST(NULL AS {kind}) AS {_ident(name)}"
            for name, kind in columns
        )
        con.execute(f"DROP TABLE {_ident(table)}")
        con.execute(f"CREATE VIEW {_ident(table)} AS SELECT {select} FROM {source}")
    return con


class ParquetStore(Store):
    """The read side of :class:`~marsad.store.Store` over a Parquet folder (writes are refused)."""

    def __init__(self, folder: str | Path) -> None:
        self.path = str(folder)
        self.con = connect(folder)
        self._version = migrations()[-1][0]

    def _read_only(self) -> StoreError:
        return StoreError("E308", f"{self.path} is a folder of Parquet tables (written by `marsad spark`): read-only")

    def start_run(self, inputs: Sequence[str], options: dict[str, Any]) -> str:
        raise self._read_only()

    def write(self, outcomes: Sequence[Outcome], run_id: str, *, store_raw: bool = True) -> None:
        raise self._read_only()

    def finish_run(self, run_id: str, counts: dict[str, int], status: str = "completed") -> None:
        raise self._read_only()


_KEYS = {"runs": "run_id", "ledger": "record_id", "documents": "document_id", "document_raw": "document_id",
         "incident_reports": "incident_id"}  # fmt: skip


def copy_to_store(folder: str | Path, db: str | Path) -> dict[str, int]:
    """Copy every table of a Parquet folder into the DuckDB store ``db`` (created if needed; its
    rows with the same keys are replaced), e.g. to run ``marsad link`` on a Spark run's output.
    Returns the rows copied per table."""
    source = connect(folder)
    copied: dict[str, int] = {}
    views = [r[0] for r in source.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'VIEW'"
    ).fetchall()]  # fmt: skip
    with Store(db) as store:
        con = store.con
        for view in views:
            name, key = _ident(view), _ident(_KEYS.get(view, "id"))
            reader = source.execute(f"SELECT * FROM {name}").to_arrow_reader(50_000)  # noqa: F841 - read by DuckDB
            try:
                con.execute("BEGIN TRANSACTION")
                con.execute("CREATE TEMP TABLE incoming AS SELECT * FROM reader")
                con.execute(f"DELETE FROM {name} WHERE {key} IN (SELECT {key} FROM incoming)")
                con.execute(f"INSERT INTO {name} SELECT * FROM incoming")
                row = con.execute("SELECT count(*) FROM incoming").fetchone()
                copied[view] = int(row[0]) if row else 0
                con.execute("DROP TABLE incoming")
                con.execute("COMMIT")
            except duckdb.Error as exc:
                con.execute("ROLLBACK")
                raise StoreError("E311", f"cannot copy the {view} table into {db}: {exc}") from None
    source.close()
    return copied
