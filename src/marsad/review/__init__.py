"""Reviewers' decisions on events: an append-only audit log and the reviewed view of an event.

The ``events`` table keeps what extraction found. A reviewer confirms, rejects or corrects an
event (its type, actors, place, fatalities); each decision is a row of ``event_reviews``
(migration 0005) with the machine's original values, the reviewer, the time, the fields changed
and the cumulative corrections. Readers (the API, the exports) lay the latest review's
corrections over the machine values with :func:`apply_reviews` or :func:`reviewed_events_sql`.

Everything here takes a plain DuckDB connection, so it serves a DuckDB file and a folder of
Parquet tables alike; values always go in as parameters.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb

from marsad.errors import MarsadError
from marsad.evaluate.gold import OUT_OF_SCOPE_EVENT_TYPES, SUB_EVENT_TYPES

__all__ = [
    "ACTIONS",
    "REVIEWABLE",
    "ReviewError",
    "apply_reviews",
    "has_reviews",
    "latest_reviews",
    "record_review",
    "review_history",
    "reviewed_events_sql",
]

ACTIONS = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected"}
# field -> kind of value a correction may give it
REVIEWABLE: dict[str, str] = {
    "event_type": "str", "sub_event_type": "str", "actor1": "str?", "actor2": "str?", "country": "str?",
    "iso": "str?", "admin1": "str?", "admin2": "str?", "location": "str?", "latitude": "lat?",
    "longitude": "lon?", "fatalities": "int",
}  # fmt: skip
EVENT_TYPES = frozenset(SUB_EVENT_TYPES) | OUT_OF_SCOPE_EVENT_TYPES
_MAX_TEXT = 300


class ReviewError(MarsadError):
    """A review that cannot be recorded (``E8xx``): unknown field, bad value, unknown action."""


def has_reviews(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database has the ``event_reviews`` table (schema version 5 or later)."""
    row = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'event_reviews'").fetchone()
    return bool(row and row[0])


def reviewed_events_sql(with_reviews: bool) -> str:
    """A SELECT of every event with the latest review's corrections laid over its machine values,
    and ``review_status`` (NULL when nobody reviewed it); usable as a subquery named anything."""
    if not with_reviews:
        return "SELECT e.*, CAST(NULL AS VARCHAR) AS review_status FROM events e"
    replaced = []
    for name, kind in REVIEWABLE.items():
        path = f"'$.{name}'"
        if kind.startswith(("lat", "lon")):
            value = f"CAST(json_extract(r.state, {path}) AS DOUBLE)"
        elif kind == "int":
            value = f"CAST(json_extract(r.state, {path}) AS INTEGER)"
        else:
            value = f"json_extract_string(r.state, {path})"
        replaced.append(f"CASE WHEN json_exists(r.state, {path}) THEN {value} ELSE e.{name} END AS {name}")
    # unreviewed events (nearly all) as they are, so that filters reach the scan of ``events``;
    # reviewed ones with their latest review laid over them
    return (
        "SELECT e.*, CAST(NULL AS VARCHAR) AS review_status FROM events e "
        "WHERE e.id NOT IN (SELECT event_id FROM event_reviews) UNION ALL "
        f"SELECT e.* REPLACE ({', '.join(replaced)}), r.status AS review_status FROM events e "
        "JOIN (SELECT event_id, status, state FROM event_reviews "
        "QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY revision DESC) = 1) r ON r.event_id = e.id"
    )


def latest_reviews(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The latest review of each event that has one, by event id."""
    if not event_ids or not has_reviews(con):
        return {}
    rows = con.execute(
        "SELECT event_id, status, state, revision, reviewer, reviewed_at FROM event_reviews "
        "WHERE event_id IN (SELECT unnest(?::VARCHAR[])) "
        "QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY revision DESC) = 1",
        [list(event_ids)],
    ).fetchall()
    return {
        r[0]: {"status": r[1], "state": json.loads(r[2]), "revision": r[3], "reviewer": r[4], "reviewed_at": r[5]}
        for r in rows
    }


def apply_reviews(con: duckdb.DuckDBPyConnection, events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``events`` (stored rows) with their reviews' corrections applied, and
    ``review_status`` and ``review`` (status, revision, reviewer, time, machine values of the
    corrected fields) added; unreviewed events get ``review_status`` None."""
    latest = latest_reviews(con, [e["id"] for e in events])
    out = []
    for event in events:
        review = latest.get(event["id"])
        copy = dict(event)
        copy["review_status"] = review["status"] if review else None
        if review:
            state: dict[str, Any] = review["state"]
            copy["review"] = {
                "status": review["status"],
                "revision": review["revision"],
                "reviewer": review["reviewer"],
                "reviewed_at": review["reviewed_at"],
                "machine_values": {k: event.get(k) for k in state},
            }
            copy.update(state)
        out.append(copy)
    return out


def review_history(con: duckdb.DuckDBPyConnection, event_id: str) -> list[dict[str, Any]]:
    """Every review of one event, oldest first."""
    if not has_reviews(con):
        return []
    cur = con.execute(
        "SELECT review_id, revision, action, status, reviewer, reviewed_at, changes, original, note "
        "FROM event_reviews WHERE event_id = ? ORDER BY revision",
        [event_id],
    )
    cols = [d[0] for d in cur.description or []]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    for row in rows:
        row["changes"], row["original"] = json.loads(row["changes"]), json.loads(row["original"])
    return rows


def _check_value(name: str, value: Any) -> Any:
    kind = REVIEWABLE[name]
    if value is None:
        if kind.endswith("?"):
            return None
        raise ReviewError("E802", f"{name} cannot be empty")
    if kind.startswith("str"):
        if not isinstance(value, str) or not value.strip():
            raise ReviewError("E802", f"{name} must be a non-empty string")
        value = value.strip()
        if len(value) > _MAX_TEXT:
            raise ReviewError("E802", f"{name} is longer than {_MAX_TEXT} characters")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
            raise ReviewError("E802", f"{name} must be a whole number between 0 and 1000000")
        return value
    limit = 90.0 if kind.startswith("lat") else 180.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
        raise ReviewError("E802", f"{name} must be a number between {-limit:g} and {limit:g}")
    return float(value)


def check_changes(event: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The corrections, checked: known fields, values of the right kind, a known ACLED type."""
    unknown = sorted(set(changes) - set(REVIEWABLE))
    if unknown:
        raise ReviewError("E801", f"cannot correct {', '.join(unknown)} (correctable: {', '.join(REVIEWABLE)})")
    checked = {name: _check_value(name, value) for name, value in changes.items()}
    event_type = checked.get("event_type", event.get("event_type"))
    if "event_type" in checked and event_type not in EVENT_TYPES:
        raise ReviewError("E803", f"{event_type!r} is not an ACLED event type ({', '.join(sorted(EVENT_TYPES))})")
    if "sub_event_type" in checked or "event_type" in checked:
        sub = checked.get("sub_event_type", event.get("sub_event_type"))
        allowed = SUB_EVENT_TYPES.get(str(event_type))
        if allowed is not None and sub not in allowed:
            raise ReviewError("E803", f"{sub!r} is not a sub-event type of {event_type} ({', '.join(sorted(allowed))})")
    return checked


def record_review(
    con: duckdb.DuckDBPyConnection,
    event: Mapping[str, Any],
    action: str,
    changes: Mapping[str, Any],
    reviewer: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Append a review of ``event`` (its stored machine row) and return the row written.

    ``confirm`` and ``reject`` keep earlier corrections and may carry none of their own;
    ``correct`` must change at least one field.
    """
    if action not in ACTIONS:
        raise ReviewError("E804", f"unknown action {action!r} (use {', '.join(ACTIONS)})")
    checked = check_changes(event, changes)
    if action == "correct" and not checked:
        raise ReviewError("E805", "a correction must change at least one field")
    if action != "correct" and checked:
        raise ReviewError("E805", f"{action} takes no field changes (use correct)")
    original = {name: event.get(name) for name in REVIEWABLE}
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        row = cur.execute(
            "SELECT revision, state FROM event_reviews WHERE event_id = ? ORDER BY revision DESC LIMIT 1",
            [event["id"]],
        ).fetchone()
        revision = (int(row[0]) if row else 0) + 1
        state = {**(json.loads(row[1]) if row else {}), **checked}
        record = {
            "review_id": uuid.uuid4().hex[:20],
            "event_id": event["id"],
            "revision": revision,
            "action": action,
            "status": ACTIONS[action],
            "reviewer": reviewer,
            "reviewed_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
            "changes": checked,
            "original": original,
            "state": state,
            "note": note,
        }
        cur.execute(
            "INSERT INTO event_reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                record["review_id"], record["event_id"], revision, action, record["status"], reviewer,
                record["reviewed_at"], json.dumps(checked, ensure_ascii=False),
                json.dumps(original, ensure_ascii=False, default=str), json.dumps(state, ensure_ascii=False), note,
            ],
        )  # fmt: skip
        cur.execute("COMMIT")
    except duckdb.Error as exc:
        cur.execute("ROLLBACK")
        raise ReviewError("E806", f"cannot record the review: {exc}") from None
    finally:
        cur.close()
    return record
