"""Gazetteer tables in DuckDB: the store's (migration 0003) and the embedded cache's.

Every statement takes its values as parameters or an Arrow table; nothing from a file is ever
spliced into SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import duckdb
import pyarrow as pa

from marsad.geo.model import GazRow

__all__ = ["ROW_COLUMNS", "create_tables", "has_tables", "insert_names", "insert_rows", "load_rows", "stats"]

ROW_COLUMNS = (
    "source", "id", "name", "latitude", "longitude", "kind", "iso", "admin1", "admin2", "geonameid",
    "name_ar", "names", "population", "feature_code", "note",
)  # fmt: skip
_SCHEMA = pa.schema(
    [
        ("source", pa.string()), ("id", pa.string()), ("name", pa.string()), ("latitude", pa.float64()),
        ("longitude", pa.float64()), ("kind", pa.string()), ("iso", pa.string()), ("admin1", pa.string()),
        ("admin2", pa.string()), ("geonameid", pa.int64()), ("name_ar", pa.string()),
        ("names", pa.list_(pa.string())), ("population", pa.int64()), ("feature_code", pa.string()),
        ("note", pa.string()), ("imported_at", pa.timestamp("us")),
    ]
)  # fmt: skip


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The tables of migration 0003, for a database that is not a Marsad store (the cache)."""
    sql = (resources.files("marsad.store") / "migrations" / "0003_gazetteer.sql").read_text(encoding="utf-8")
    con.execute(sql)


def has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'gazetteer'").fetchone()
    return bool(row and row[0])


def insert_rows(con: duckdb.DuckDBPyConnection, rows: Sequence[GazRow]) -> int:
    """Insert or replace ``rows`` (key: source, id); returns how many were written."""
    if not rows:
        return 0
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    data = [{**{c: getattr(r, c) for c in ROW_COLUMNS}, "imported_at": now} for r in rows]
    gaz_rows = pa.Table.from_pylist(data, schema=_SCHEMA)  # noqa: F841 - read by DuckDB
    cols = ", ".join([*ROW_COLUMNS, "imported_at"])
    con.execute(f"INSERT OR REPLACE INTO gazetteer ({cols}) SELECT {cols} FROM gaz_rows")
    return len(rows)


def insert_names(con: duckdb.DuckDBPyConnection, names: Iterable[tuple[int, str]], source: str) -> int:
    data = [{"geonameid": g, "name": n, "source": source} for g, n in dict.fromkeys(names)]
    if not data:
        return 0
    gaz_names = pa.Table.from_pylist(data)  # noqa: F841 - read by DuckDB
    con.execute("INSERT OR REPLACE INTO gazetteer_names SELECT geonameid, name, source FROM gaz_names")
    return len(data)


def load_rows(con: duckdb.DuckDBPyConnection, extra_names: dict[int, list[str]] | None = None) -> list[GazRow]:
    """Every row of the ``gazetteer`` table; ``extra_names`` gets the ``gazetteer_names`` forms."""
    cur = con.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM gazetteer ORDER BY source, id")
    out = [GazRow(**dict(zip(ROW_COLUMNS, r, strict=True))) for r in cur.fetchall()]
    if extra_names is not None:
        for g, n in con.execute("SELECT geonameid, name FROM gazetteer_names ORDER BY geonameid, name").fetchall():
            extra_names.setdefault(int(g), []).append(str(n))
    return out


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Row counts by source and by country, and the number of alternate names."""
    by_source = con.execute("SELECT source, count(*) FROM gazetteer GROUP BY source ORDER BY source").fetchall()
    by_country = con.execute(
        "SELECT coalesce(iso, '?'), count(*) FROM gazetteer GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    names = con.execute("SELECT count(*) FROM gazetteer_names").fetchone()
    return {
        "by_source": {str(s): int(n) for s, n in by_source},
        "by_country": {str(s): int(n) for s, n in by_country},
        "alternate_names": int(names[0]) if names else 0,
    }
