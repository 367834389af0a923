"""Table rows of one processed record, as the Spark driver writes them to Parquet.

The columns are those of the store's tables (migrations 0001, 0002 and 0004), so a Parquet output
folder reads back through :mod:`marsad.store.parquet` exactly like a DuckDB store. Every table
also has a ``month`` column (``YYYY-MM`` or ``undated``) that the Parquet folders are
partitioned by; it is derived from a date of the row and is not part of the store's columns.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from marsad.model import Outcome, Status
from marsad.store.records import CLAIM_SCHEMA, EVENT_SCHEMA, TALLY_SCHEMA, claim_records, record_rows

if TYPE_CHECKING:
    from marsad.spark.inputs import OrderKey

__all__ = [
    "DOCUMENT_SCHEMA", "LEDGER_SCHEMA", "RUN_SCHEMA", "TABLES", "UNDATED", "as_duplicate", "month_of", "result_rows",
]  # fmt: skip

UNDATED = "undated"
_S, _TS = pa.string(), pa.timestamp("us")

LEDGER_SCHEMA = pa.schema(
    [
        ("record_id", _S), ("input_path", _S), ("locator", _S), ("input_kind", _S), ("external_id", _S),
        ("url", _S), ("source", _S), ("content_hash", _S), ("size_bytes", pa.int64()), ("status", _S),
        ("reason", _S), ("duplicate_of", _S), ("document_id", _S), ("encoding", _S), ("language", _S),
        ("run_id", _S), ("first_seen", _TS), ("updated_at", _TS), ("attempts", pa.int32()),
    ]
)  # fmt: skip
DOCUMENT_SCHEMA = pa.schema(
    [
        ("document_id", _S), ("record_id", _S), ("external_id", _S), ("input_path", _S), ("locator", _S),
        ("input_kind", _S), ("url", _S), ("source", _S), ("publisher", _S), ("title", _S),
        ("published", pa.date32()), ("published_source", _S), ("text", _S), ("text_hash", _S),
        ("language", _S), ("language_score", pa.float64()), ("encoding", _S), ("byline", _S), ("signature", _S),
        ("raw_segments", _S), ("title_segments", _S), ("removed", _S), ("metadata", _S), ("minhash", pa.binary()),
        ("run_id", _S), ("created_at", _TS),
    ]
)  # fmt: skip
RUN_SCHEMA = pa.schema(
    [
        ("run_id", _S), ("started_at", _TS), ("finished_at", _TS), ("status", _S), ("marsad_version", _S),
        ("inputs", _S), ("options", _S), ("counts", _S),
    ]
)  # fmt: skip

# table name -> (schema, the date column its month partition comes from)
TABLES: dict[str, tuple[pa.Schema, str | None]] = {
    "ledger": (LEDGER_SCHEMA, None),  # the month of the record's document, when it has one
    "documents": (DOCUMENT_SCHEMA, "published"),
    "events": (EVENT_SCHEMA, "event_date"),
    "tallies": (TALLY_SCHEMA, "period_start"),
    "claims": (CLAIM_SCHEMA, "claim_date"),
}


def month_of(day: dt.date | None) -> str:
    return f"{day.year:04d}-{day.month:02d}" if day is not None else UNDATED


def result_rows(outcome: Outcome, order: OrderKey, run_id: str, now: dt.datetime) -> dict[str, Any]:
    """Everything one record contributes to the output: its ledger row, and when it was
    processed its document, events and tallies, plus its fingerprint for the duplicate stage."""
    rec, doc = outcome.record, outcome.document
    processed = outcome.status is Status.PROCESSED and doc is not None
    month = month_of(doc.published if doc is not None else None)
    ledger = {
        "record_id": rec.record_id, "input_path": rec.input_path, "locator": rec.locator,
        "input_kind": str(rec.kind), "external_id": rec.meta.external_id,
        "url": (doc.url if doc else None) or rec.meta.url, "source": (doc.source if doc else None) or rec.meta.source,
        "content_hash": rec.content_hash(), "size_bytes": rec.size, "status": str(outcome.status),
        "reason": outcome.reason, "duplicate_of": outcome.duplicate_of,
        "document_id": doc.id if processed and doc else None, "encoding": outcome.encoding,
        "language": outcome.language, "run_id": run_id, "first_seen": now, "updated_at": now, "attempts": 1,
        "month": month,
    }  # fmt: skip
    out: dict[str, Any] = {"order": order, "ledger": ledger, "document": None, "events": [], "tallies": [],
                           "claims": [], "fingerprint": None}  # fmt: skip
    if not processed or doc is None:
        return out
    out["document"] = {
        "document_id": doc.id, "record_id": doc.record_id, "external_id": doc.external_id,
        "input_path": doc.input_path, "locator": doc.locator, "input_kind": str(doc.input_kind), "url": doc.url,
        "source": doc.source, "publisher": doc.publisher, "title": doc.title, "published": doc.published,
        "published_source": doc.published_source, "text": doc.text, "text_hash": doc.text_hash or "",
        "language": doc.language, "language_score": doc.language_score, "encoding": doc.encoding,
        "byline": doc.byline, "signature": doc.signature,
        "raw_segments": json.dumps(doc.raw_segments) if doc.raw_segments is not None else None,
        "title_segments": json.dumps(doc.title_segments) if doc.title_segments is not None else None,
        "removed": json.dumps(doc.removed, ensure_ascii=False),
        "metadata": json.dumps(doc.metadata, ensure_ascii=False, default=str), "minhash": doc.minhash,
        "run_id": run_id, "created_at": now, "month": month,
    }  # fmt: skip
    out["fingerprint"] = (doc.text_hash or "", doc.minhash)
    if outcome.extraction is not None:
        out["events"] = [
            dict(r, month=month_of(r["event_date"])) for r in record_rows(outcome.extraction.events, run_id, now)
        ]
        out["tallies"] = [
            dict(r, month=month_of(r["period_start"])) for r in record_rows(outcome.extraction.tallies, run_id, now)
        ]
        claims = claim_records(outcome.extraction.claims, run_id, now)
        out["claims"] = [dict(r, month=month_of(r["claim_date"])) for r in claims]
    return out


def as_duplicate(result: dict[str, Any], duplicate_of: str, reason: str) -> dict[str, Any]:
    """The result of a processed record that the duplicate stage found to be a copy: its ledger
    row says so, and it keeps no document, events or tallies (as in a local run)."""
    ledger = dict(result["ledger"], status="duplicate", reason=reason, duplicate_of=duplicate_of, document_id=None)
    return dict(result, ledger=ledger, document=None, events=[], tallies=[], claims=[], fingerprint=None)
