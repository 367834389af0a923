"""Rows of the ``events`` and ``tallies`` tables: extraction results in, plain dicts out.

Columns carry the names of the fields of :class:`~marsad.extract.model.Event` and
:class:`~marsad.extract.model.Tally` (plus ``run_id`` and ``created_at``), so a stored row reads
back as the record's ``to_dict()`` with dates as :class:`datetime.date`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:
    from marsad.claims.model import Claim
    from marsad.extract.model import Event, Extraction, Tally

__all__ = [
    "CLAIM_SCHEMA",
    "EVENT_SCHEMA",
    "TALLY_SCHEMA",
    "check_storable",
    "claim_records",
    "column_list",
    "parse_row",
    "record_rows",
]

_STR, _INT, _FLOAT, _DATE = pa.string(), pa.int32(), pa.float64(), pa.date32()
_WRITTEN = ["run_id", "created_at"]


def _schema(columns: list[tuple[str, pa.DataType]], required: str) -> pa.Schema:
    """Columns in table order; those named in ``required`` are NOT NULL in the table."""
    columns = [*columns, ("run_id", _STR), ("created_at", pa.timestamp("us"))]
    needed = set(required.split()) | set(_WRITTEN)
    return pa.schema([pa.field(name, kind, nullable=name not in needed) for name, kind in columns])


EVENT_SCHEMA = _schema(
    [
        ("id", _STR), ("document_id", _STR), ("event_type", _STR), ("sub_event_type", _STR),
        ("disorder_type", _STR), ("trigger", _STR), ("plover_type", _STR), ("plover_mode", _STR),
        ("event_date", _DATE), ("time_precision", _INT), ("date_reason", _STR),
        ("actor1", _STR), ("actor1_id", _STR), ("inter1", _INT), ("assoc_actor_1", _STR),
        ("actor2", _STR), ("actor2_id", _STR), ("inter2", _INT), ("assoc_actor_2", _STR),
        ("interaction", _INT), ("civilian_targeting", pa.bool_()), ("country", _STR), ("iso", _STR),
        ("admin1", _STR), ("admin2", _STR), ("admin3", _STR), ("location", _STR),
        ("latitude", _FLOAT), ("longitude", _FLOAT), ("geo_precision", _INT), ("geonameid", pa.int64()),
        ("geo_score", _FLOAT), ("place_mention", _STR), ("place_reason", _STR),
        ("fatalities", _INT), ("fatalities_low", _INT), ("fatalities_high", _INT), ("injured", _INT),
        ("abducted", _INT), ("stance", _STR), ("source_attribution", _STR), ("confidence", _FLOAT),
        ("claim_status", _STR), ("start", _INT), ("end", _INT), ("field", _STR), ("evidence", _STR),
        ("notes", _STR),
    ],
    "id document_id event_type sub_event_type disorder_type trigger civilian_targeting fatalities fatalities_low "
    "fatalities_high injured abducted stance source_attribution confidence start end field evidence notes",
)  # fmt: skip

TALLY_SCHEMA = _schema(
    [
        ("id", _STR), ("document_id", _STR), ("period_start", _DATE), ("period_end", _DATE),
        ("period_text", _STR), ("area", _STR), ("country", _STR), ("iso", _STR),
        ("actors", pa.list_(_STR)), ("victims", _STR), ("fatalities", _INT), ("fatalities_low", _INT),
        ("fatalities_high", _INT), ("fatalities_qualifier", _STR), ("injured", _INT),
        ("methods", pa.list_(_STR)), ("source_attribution", _STR), ("stance", _STR), ("confidence", _FLOAT),
        ("start", _INT), ("end", _INT), ("field", _STR), ("evidence", _STR),
    ],
    "id document_id actors fatalities fatalities_low fatalities_high fatalities_qualifier injured methods "
    "source_attribution stance confidence start end field evidence",
)  # fmt: skip


CLAIM_SCHEMA = _schema(
    [
        ("id", _STR), ("document_id", _STR), ("kind", _STR), ("holder", _STR), ("holder_id", _STR),
        ("holder_type", _STR), ("holder_party", _STR), ("holder_text", _STR), ("cue", _STR), ("cue_id", _STR),
        ("stance", _STR), ("subject", _STR), ("topic", _STR), ("value", _STR), ("values", _STR),
        ("event_id", _STR), ("tally_id", _STR), ("claim_date", _DATE), ("date_text", _STR), ("sentence", _STR),
        ("start", _INT), ("end", _INT), ("field", _STR), ("evidence", _STR), ("confidence", _FLOAT),
    ],
    "id document_id kind holder holder_id holder_type stance topic values sentence start end field evidence confidence",
)  # fmt: skip


def claim_records(claims: Iterable[Claim], run_id: str, now: dt.datetime) -> list[dict[str, Any]]:
    """Rows for an Arrow table of :data:`CLAIM_SCHEMA` (``values`` and ``evidence`` as JSON text)."""
    rows = []
    for claim in claims:
        row = dataclasses.asdict(claim)
        row["values"] = json.dumps(row["values"], ensure_ascii=False)
        row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False)
        row["run_id"], row["created_at"] = run_id, now
        rows.append(row)
    return rows


def column_list(schema: pa.Schema) -> str:
    """The schema's column names, quoted (``start`` and ``end`` are SQL words), for SELECT/INSERT."""
    return ", ".join(f'"{name}"' for name in schema.names)


def record_rows(records: Iterable[Event | Tally], run_id: str, now: dt.datetime) -> list[dict[str, Any]]:
    """Rows for an Arrow table of :data:`EVENT_SCHEMA` or :data:`TALLY_SCHEMA`."""
    rows = []
    for record in records:
        row = dataclasses.asdict(record)
        row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False)
        row["run_id"], row["created_at"] = run_id, now
        rows.append(row)
    return rows


def check_storable(extraction: Extraction) -> None:
    """Raise ValueError when a record of ``extraction`` has no value for a NOT NULL column or a
    value its column's type cannot hold (caught per document, before the batch's transaction)."""
    now = dt.datetime(2000, 1, 1)
    for kind, schema, records in (("event", EVENT_SCHEMA, extraction.events),
                                  ("tally", TALLY_SCHEMA, extraction.tallies)):  # fmt: skip
        rows = record_rows(records, "check", now)
        required = [f.name for f in schema if not f.nullable]
        for row in rows:
            missing = [name for name in required if row.get(name) is None]
            if missing:
                raise ValueError(f"{kind} {row.get('id')!r} has no {', '.join(missing)}")
        try:
            pa.Table.from_pylist(rows, schema=schema)
        except (pa.ArrowException, OverflowError, TypeError) as exc:
            raise ValueError(f"a {kind} of the extraction cannot be stored: {exc}") from None
    try:
        pa.Table.from_pylist(claim_records(extraction.claims, "check", now), schema=CLAIM_SCHEMA)
    except (pa.ArrowException, OverflowError, TypeError) as exc:
        raise ValueError(f"a claim of the extraction cannot be stored: {exc}") from None


def parse_row(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row with its evidence read back into a list of dicts."""
    if isinstance(row.get("evidence"), str):
        row["evidence"] = json.loads(row["evidence"])
    return row
