"""``/api/export``: the filtered events, as reviewed, in ACLED CSV, GeoJSON or JSON Lines.

The ACLED CSV uses the same row builder as ``marsad export`` (:func:`marsad.export.acled.acled_row`,
formula guard included) and leaves out what it leaves out, plus events a reviewer rejected.
GeoJSON has one Point feature per event with coordinates (rejected events left out). JSON Lines has
every matching event (``"kind": "event"``), rejected ones included with ``review_status``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import duckdb

from marsad.api.filters import EventFilters
from marsad.api.queries import EVENT_SUMMARY, events_relation, outlets
from marsad.export.acled import HEADER, acled_row, exclusion_reason

__all__ = ["FORMATS", "stream"]

FORMATS = {
    "acled-csv": ("text/csv; charset=utf-8", "csv"),
    "geojson": ("application/geo+json", "geojson"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
}
_CHUNK = 1000


def _default(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _rows(con: duckdb.DuckDBPyConnection, filters: EventFilters) -> Iterator[list[dict[str, Any]]]:
    where = filters.where()
    cur = con.cursor()
    try:
        cur.execute(
            f"SELECT * FROM {events_relation(cur)} ev{where.sql()} "
            'ORDER BY event_date NULLS LAST, document_id, "start", id',
            where.params,
        )
        cols = [d[0] for d in cur.description or []]
        while batch := cur.fetchmany(_CHUNK):
            chunk = [dict(zip(cols, r, strict=True)) for r in batch]
            for event in chunk:
                event["evidence"] = json.loads(event["evidence"]) if isinstance(event["evidence"], str) else []
            yield chunk
    finally:
        cur.close()


def stream(con: duckdb.DuckDBPyConnection, filters: EventFilters, fmt: str) -> Iterator[str]:
    """The export, piece by piece."""
    if fmt == "acled-csv":
        yield from _csv(con, filters)
    elif fmt == "geojson":
        yield from _geojson(con, filters)
    else:
        yield from _jsonl(con, filters)


def _csv(con: duckdb.DuckDBPyConnection, filters: EventFilters) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for chunk in _rows(con, filters):
        found = outlets(con, [e["document_id"] for e in chunk])
        for event in chunk:
            if event.get("review_status") == "rejected" or exclusion_reason(event) is not None:
                continue
            writer.writerow(acled_row(event, [found.get(event["document_id"])]))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _geojson(con: duckdb.DuckDBPyConnection, filters: EventFilters) -> Iterator[str]:
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for chunk in _rows(con, filters):
        found = outlets(con, [e["document_id"] for e in chunk])
        for event in chunk:
            if event.get("review_status") == "rejected" or event.get("latitude") is None:
                continue
            props = {k: event.get(k) for k in EVENT_SUMMARY if k not in {"latitude", "longitude"}}
            props["outlet"] = found.get(event["document_id"])
            props["evidence"] = event["evidence"]
            feature = {
                "type": "Feature",
                "id": event["id"],
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [event["longitude"], event["latitude"]]},
            }
            yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False, default=_default)
            first = False
    yield "]}\n"


def _jsonl(con: duckdb.DuckDBPyConnection, filters: EventFilters) -> Iterator[str]:
    for chunk in _rows(con, filters):
        yield "".join(json.dumps({"kind": "event", **e}, ensure_ascii=False, default=_default) + "\n" for e in chunk)
