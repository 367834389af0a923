"""Claims, incidents (with their reports) and contradictions read back from the store as plain
dicts, for exports and the API: JSON columns parsed, dates as :class:`datetime.date`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from marsad.store.duck import Store

__all__ = ["iter_link_records"]

_JSON = {"values", "evidence", "features", "a_evidence", "b_evidence"}


def _rows(store: Store, sql: str) -> Iterator[dict[str, Any]]:
    cur = store.con.cursor()
    try:
        cur.execute(sql)
        cols = [d[0] for d in cur.description or []]
        while rows := cur.fetchmany(1000):
            for r in rows:
                row = dict(zip(cols, r, strict=True))
                for key in _JSON & row.keys():
                    if isinstance(row[key], str):
                        row[key] = json.loads(row[key])
                yield row
    finally:
        cur.close()


def iter_link_records(store: Store) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(record_type, record)`` of every claim, incident and contradiction (none before schema 4)."""
    if store.schema_version() < 4:
        return
    for row in _rows(store, 'SELECT * FROM claims ORDER BY document_id, "start", id'):
        row["claim_kind"] = row.pop("kind")
        yield "claim", {"record_type": "claim", **row}
    reports: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(store, "SELECT * FROM incident_reports ORDER BY incident_id, event_id"):
        reports.setdefault(str(row.pop("incident_id")), []).append(row)
    for row in _rows(store, "SELECT * FROM incidents ORDER BY event_date NULLS LAST, id"):
        yield "incident", {"record_type": "incident", **row, "reports": reports.get(str(row["id"]), [])}
    for row in _rows(store, "SELECT * FROM contradictions ORDER BY scope, aspect, id"):
        yield "contradiction", {"record_type": "contradiction", **row}
