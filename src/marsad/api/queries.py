"""Reads of the workspace, on a plain DuckDB connection (see :mod:`marsad.api.db`).

Events are always read through the reviewed view (:func:`marsad.review.reviewed_events_sql`):
what a reviewer corrected is what the API shows, with ``review_status`` saying so.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb

from marsad.api.filters import EventFilters, Where, add_bbox, add_country, parse_date_range
from marsad.review import has_reviews, review_history, reviewed_events_sql

__all__ = [
    "EVENT_SUMMARY",
    "any_reviews",
    "contradictions",
    "document",
    "event",
    "event_page",
    "events_relation",
    "incident",
    "incidents",
    "stats",
    "tallies",
]

EVENT_SUMMARY = (
    "id",
    "document_id",
    "event_type",
    "sub_event_type",
    "event_date",
    "actor1",
    "actor2",
    "country",
    "iso",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "fatalities",
    "injured",
    "claim_status",
    "review_status",
    "confidence",
)
_OUTLET = "coalesce(json_extract_string(metadata, '$.publisher_name'), source, publisher)"
_JSON_COLUMNS = ("evidence", "a_evidence", "b_evidence", "values", "features", "metadata", "removed")


def any_reviews(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any event has been reviewed (two queries: callers that serve many requests keep
    the answer until the next write and pass it to :func:`events_relation`)."""
    return has_reviews(con) and bool(con.execute("SELECT EXISTS (SELECT 1 FROM event_reviews)").fetchone()[0])  # type: ignore[index]


def events_relation(con: duckdb.DuckDBPyConnection, reviewed: bool | None = None) -> str:
    """A parenthesised subquery of the reviewed events, to select from (``reviewed``: the answer
    of :func:`any_reviews`, looked up when None)."""
    return f"({reviewed_events_sql(any_reviews(con) if reviewed is None else reviewed)})"


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description or []]
    out = []
    for row in cur.fetchall():
        record = dict(zip(cols, row, strict=True))
        for key in _JSON_COLUMNS:
            if isinstance(record.get(key), str):
                record[key] = json.loads(record[key])
        out.append(record)
    return out


def outlets(con: duckdb.DuckDBPyConnection, document_ids: Sequence[str]) -> dict[str, str | None]:
    if not document_ids:
        return {}
    rows = con.execute(
        f"SELECT document_id, {_OUTLET} FROM documents WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(set(document_ids))],
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def event_page(
    con: duckdb.DuckDBPyConnection, filters: EventFilters, limit: int, offset: int, reviewed: bool | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """``(total, events)`` matching ``filters``: newest first, ``limit`` from ``offset`` (``reviewed``:
    see :func:`events_relation`)."""
    where = filters.where()
    rel = events_relation(con, reviewed)
    columns = ", ".join(f'"{c}"' for c in EVENT_SUMMARY)
    rows = _dicts(
        con,
        f"SELECT p.*, {_OUTLET} AS outlet FROM (SELECT {columns} FROM {rel} ev{where.sql()} "
        "ORDER BY event_date DESC NULLS LAST, id LIMIT ? OFFSET ?) p LEFT JOIN documents d USING (document_id) "
        "ORDER BY p.event_date DESC NULLS LAST, p.id",
        [*where.params, limit, offset],
    )
    total = offset + len(rows) if len(rows) < limit and (rows or not offset) else _count(con, rel, where)
    return total, rows


def _count(con: duckdb.DuckDBPyConnection, rel: str, where: Where) -> int:
    row = con.execute(f"SELECT count(*) FROM {rel} ev{where.sql()}", where.params).fetchone()
    return int(row[0]) if row else 0


def event(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    """One event, reviewed, with its machine values, reviews, claims, incident, contradictions and
    source documents (the event's own, then those of the other reports of its incident)."""
    rows = _dicts(con, f"SELECT * FROM {events_relation(con)} ev WHERE id = ?", [event_id])
    if not rows:
        return None
    record = rows[0]
    machine = _dicts(con, "SELECT * FROM events WHERE id = ?", [event_id])[0]
    history = review_history(con, event_id)
    record["reviews"] = history
    corrected = {name for review in history for name in review["changes"]}
    record["machine_values"] = {k: machine[k] for k in sorted(corrected)}
    record["claims"] = _dicts(con, 'SELECT * FROM claims WHERE event_id = ? ORDER BY "start", id', [event_id])
    link = _dicts(con, "SELECT * FROM incident_reports WHERE event_id = ?", [event_id])
    incident_id = link[0]["incident_id"] if link else None
    record["incident"] = incident(con, incident_id) if incident_id else None
    record["contradictions"] = _dicts(
        con,
        "SELECT * FROM contradictions WHERE a_event_id = ? OR b_event_id = ? OR (incident_id IS NOT NULL AND "
        "incident_id = ?) ORDER BY aspect, id",
        [event_id, event_id, incident_id],
    )
    doc_ids = [record["document_id"]]
    if record["incident"]:
        doc_ids += [r["document_id"] for r in record["incident"]["reports"] if r["document_id"] not in doc_ids]
    documents = {d["document_id"]: d for d in _documents(con, doc_ids)}
    record["documents"] = [documents[d] for d in doc_ids if d in documents]
    return record


def _documents(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> list[dict[str, Any]]:
    return _dicts(
        con,
        "SELECT document_id, external_id, url, source, publisher, "
        f"{_OUTLET} AS outlet, title, published, text, language, byline "
        "FROM documents WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
        [list(ids)],
    )


def document(con: duckdb.DuckDBPyConnection, document_id: str) -> dict[str, Any] | None:
    """One document (by id or external id) with its events, tallies and claims."""
    rows = _dicts(
        con,
        "SELECT * EXCLUDE (minhash, raw_segments, title_segments), "
        f"{_OUTLET} AS outlet FROM documents WHERE document_id = ? OR external_id = ? LIMIT 1",
        [document_id, document_id],
    )
    if not rows:
        return None
    doc = rows[0]
    columns = ", ".join(f'"{c}"' for c in EVENT_SUMMARY)
    doc["events"] = _dicts(
        con,
        f'SELECT {columns}, evidence FROM {events_relation(con)} ev WHERE document_id = ? ORDER BY "start", id',
        [doc["document_id"]],
    )
    for table in ("tallies", "claims"):
        doc[table] = _dicts(
            con, f'SELECT * FROM {table} WHERE document_id = ? ORDER BY "start", id', [doc["document_id"]]
        )
    return doc


def incident(con: duckdb.DuckDBPyConnection, incident_id: str) -> dict[str, Any] | None:
    rows = _dicts(con, "SELECT * FROM incidents WHERE id = ?", [incident_id])
    if not rows:
        return None
    found = rows[0]
    found["reports"] = _dicts(
        con, "SELECT * FROM incident_reports WHERE incident_id = ? ORDER BY score DESC, event_id", [incident_id]
    )
    found["contradictions"] = _dicts(
        con, "SELECT * FROM contradictions WHERE incident_id = ? ORDER BY aspect, id", [incident_id]
    )
    return found


def _page(
    con: duckdb.DuckDBPyConnection, table: str, where: Where, order: str, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    total_row = con.execute(f"SELECT count(*) FROM {table}{where.sql()}", where.params).fetchone()
    items = _dicts(
        con, f"SELECT * FROM {table}{where.sql()} ORDER BY {order} LIMIT ? OFFSET ?", [*where.params, limit, offset]
    )
    return (int(total_row[0]) if total_row else 0), items


def incidents(
    con: duckdb.DuckDBPyConnection,
    *,
    date_from: str | None,
    date_to: str | None,
    bbox: Any,
    country: str | None,
    admin1: str | None,
    event_type: str | None,
    grade: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    start, end = parse_date_range(date_from, date_to)
    w = Where()
    if start:
        w.add("coalesce(date_high, event_date) >= ?", start)
    if end:
        w.add("event_date <= ?", end)
    add_bbox(w, bbox)
    if country:
        w.add("upper(iso) = upper(?)", country)
    if admin1:
        w.add("lower(admin1) = lower(?)", admin1)
    if event_type:
        w.add("event_type = ?", event_type)
    if grade:
        w.add("grade = ?", grade)
    return _page(con, "incidents", w, "event_date DESC NULLS LAST, id", limit, offset)


def contradictions(
    con: duckdb.DuckDBPyConnection,
    *,
    incident_id: str | None,
    event_id: str | None,
    document_id: str | None,
    aspect: str | None,
    scope: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    w = Where()
    if incident_id:
        w.add("incident_id = ?", incident_id)
    if event_id:
        w.add("a_event_id = ? OR b_event_id = ?", event_id, event_id)
    if document_id:
        w.add("a_document_id = ? OR b_document_id = ?", document_id, document_id)
    if aspect:
        w.add("aspect = ?", aspect)
    if scope:
        w.add("scope = ?", scope)
    return _page(con, "contradictions", w, "created_at DESC, id", limit, offset)


def tallies(
    con: duckdb.DuckDBPyConnection,
    *,
    date_from: str | None,
    date_to: str | None,
    country: str | None,
    document_id: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    start, end = parse_date_range(date_from, date_to)
    w = Where()
    if start:
        w.add("coalesce(period_end, period_start) >= ?", start)
    if end:
        w.add("coalesce(period_start, period_end) <= ?", end)
    add_country(w, country)
    if document_id:
        w.add("document_id = ?", document_id)
    return _page(con, "tallies", w, 'period_start DESC NULLS LAST, document_id, "start", id', limit, offset)


def stats(con: duckdb.DuckDBPyConnection, filters: EventFilters, reviewed: bool | None = None) -> dict[str, Any]:
    """Counts of the filtered events (and their fatalities) per day, per type and per admin1."""
    where = filters.where()
    rel = f"(SELECT * FROM {events_relation(con, reviewed)} ev{where.sql()})"

    def grouped(key: str, order: str) -> list[dict[str, Any]]:
        sql = (
            f"SELECT {key} AS key, count(*) AS events, sum(fatalities) AS fatalities FROM {rel} g "
            f"GROUP BY 1 ORDER BY {order}"
        )
        return [
            {"key": r[0], "events": int(r[1]), "fatalities": int(r[2] or 0)}
            for r in con.execute(sql, where.params).fetchall()
        ]

    total = con.execute(f"SELECT count(*), sum(fatalities) FROM {rel} t", where.params).fetchone()
    per_day = [
        {"date": d["key"], "events": d["events"], "fatalities": d["fatalities"]}
        for d in grouped("event_date", "1 NULLS LAST")
    ]
    return {
        "events": int(total[0]) if total else 0,
        "fatalities": int(total[1] or 0) if total else 0,
        "per_day": per_day,
        "per_type": [
            {"event_type": d["key"], **{k: d[k] for k in ("events", "fatalities")}}
            for d in grouped("event_type", "2 DESC, 1")
        ],
        "per_admin1": [
            {"admin1": d["key"], **{k: d[k] for k in ("events", "fatalities")}}
            for d in grouped("admin1", "2 DESC, 1 NULLS LAST")
        ],
    }


def facets(con: duckdb.DuckDBPyConnection, reviewed: bool | None = None) -> dict[str, list[str]]:
    """Values the dashboard offers in its filters: event types, countries, admin1, outlets."""

    def values(sql: str) -> list[str]:
        return [r[0] for r in con.execute(sql).fetchall() if r[0]]

    rel = events_relation(con, reviewed)
    return {
        "event_types": values(f"SELECT DISTINCT event_type FROM {rel} f ORDER BY 1"),
        "countries": values(f"SELECT DISTINCT iso FROM {rel} f ORDER BY 1"),
        "admin1": values(f"SELECT DISTINCT admin1 FROM {rel} f ORDER BY 1"),
        "outlets": values(f"SELECT DISTINCT {_OUTLET} FROM documents ORDER BY 1"),
        "claim_statuses": values(f"SELECT DISTINCT claim_status FROM {rel} f ORDER BY 1"),
    }
