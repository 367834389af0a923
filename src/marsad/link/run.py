"""Linking over a store: incidents, contradictions and grades, after per-document processing.

:func:`link_store` reads every event (with the sentence it was read from and the outlet of its
document), blocks them (:func:`~marsad.link.blocking.block_keys`), links each block, merges the
blocks' incidents, finds the contradictions inside each document and across each incident's
reports, grades every incident and writes ``incidents``, ``incident_reports``, ``contradictions``
and ``events.claim_status`` in one transaction, replacing what an earlier linking wrote.

The Spark driver (:mod:`marsad.spark.link`) runs the same steps as stages and builds its rows
with the same functions: :func:`link_row` (an event row with its ``outlet`` and ``sentence``),
:func:`claim_row`, :func:`incident_records` (one incident's row, report rows and grade, and the
contradictions across its reports) and :func:`contradiction_row`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from marsad.errors import StoreError
from marsad.link.blocking import Incident, block_keys, link_block, merge_incidents
from marsad.link.contradict import Contradiction, contradictions_between, contradictions_in_document, grade
from marsad.link.features import THRESHOLD
from marsad.store.duck import Store

__all__ = [
    "CONTRADICTION_SCHEMA", "INCIDENT_SCHEMA", "LINK_COLUMNS", "REPORT_SCHEMA", "LinkSummary", "anchor_event",
    "claim_order", "claim_row", "contradiction_row", "event_order", "event_rows", "event_sentence",
    "incident_records", "link_events", "link_row", "link_stamp", "link_store", "outlet_of",
]  # fmt: skip

_SENTENCE_END = re.compile(r"[.!?؟\n]")
_MAX_SENTENCE = 400
# the events columns linking reads (with ``outlet`` and ``sentence`` added, ``evidence`` used up)
LINK_COLUMNS = (
    "id", "document_id", "event_type", "sub_event_type", "event_date", "time_precision", "iso", "admin1",
    "location", "latitude", "longitude", "geo_precision", "actor1", "actor1_id", "actor2", "actor2_id",
    "fatalities", "fatalities_low", "fatalities_high", "field", "start", "end",
)  # fmt: skip
# the outlet of a document: its publisher_name metadata, else its source, else its publisher
_OUTLET_SQL = "coalesce(json_extract_string(d.metadata, '$.publisher_name'), d.source, d.publisher)"
_EVENT_SQL = f"""
SELECT {", ".join(f'e."{c}"' for c in LINK_COLUMNS)}, e.evidence, d.title, d.text, {_OUTLET_SQL} AS outlet
FROM events e JOIN documents d USING (document_id)
ORDER BY e.event_date NULLS LAST, e.id
"""


@dataclass(slots=True)
class LinkSummary:
    events: int = 0
    blocks: int = 0
    incidents: int = 0
    linked_incidents: int = 0  # incidents with two reports or more
    contradictions: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    aspects: dict[str, int] = field(default_factory=dict)
    encoder: str = "none"
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]`` (at most a few hundred characters)."""
    lo = max(0, start - _MAX_SENTENCE // 2)
    before = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    a = before[-1] if before else lo
    m = _SENTENCE_END.search(text, end, min(len(text), end + _MAX_SENTENCE // 2))
    b = m.start() if m else min(len(text), end + _MAX_SENTENCE // 2)
    return text[a:b].strip()[:_MAX_SENTENCE]


def event_order(event: dict[str, Any]) -> tuple[bool, dt.date, str]:
    """Where an event comes in :func:`event_rows` (by date, undated last, then id)."""
    day = event.get("event_date")
    return day is None, day or dt.date.min, str(event["id"])


def link_stamp() -> tuple[str, dt.datetime]:
    """A new linking's ``link_run`` id and its time (UTC, naive)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return now.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6], now


def outlet_of(metadata: str | dict[str, Any] | None, source: str | None, publisher: str | None) -> str | None:
    """The outlet of a document (``metadata`` as stored, JSON text): what the store query takes."""
    meta = json.loads(metadata) if isinstance(metadata, str) else metadata
    name = meta.get("publisher_name") if isinstance(meta, dict) else None
    if name is not None:
        return name if isinstance(name, str) else json.dumps(name, ensure_ascii=False)
    return source if source is not None else publisher


def event_sentence(event: dict[str, Any], text: str, title: str) -> str:
    """The sentence an event row was read from: around its trigger, else its own span."""
    evidence = event.get("evidence") or []
    if isinstance(evidence, str):
        evidence = json.loads(evidence)
    trig = next((e for e in evidence if e.get("role") == "trigger"), None)
    if trig is not None:
        source = title if trig.get("field") == "title" else text
        return _sentence(source, int(trig["start"]), int(trig["end"]))
    return (title if event["field"] == "title" else text)[event["start"] : event["end"]][:_MAX_SENTENCE]


def link_row(event: dict[str, Any], text: str, title: str, outlet: str | None) -> dict[str, Any]:
    """The row linking compares: an ``events`` row's :data:`LINK_COLUMNS` with ``outlet`` and
    ``sentence`` (``text`` and ``title`` are its document's)."""
    row = {c: event.get(c) for c in LINK_COLUMNS}
    row["outlet"] = outlet
    row["sentence"] = event_sentence(event, text or "", title or "")
    return row


def event_rows(store: Store) -> Iterator[dict[str, Any]]:
    """Every stored event as a dict row, with ``outlet`` and ``sentence`` (its trigger's sentence)."""
    cur = store.con.cursor()
    try:
        cur.execute(_EVENT_SQL)
        cols = [d[0] for d in cur.description or []]
        while rows := cur.fetchmany(2000):
            for r in rows:
                row = dict(zip(cols, r, strict=True))
                yield link_row(row, row["text"], row["title"], row["outlet"])
    finally:
        cur.close()


def link_events(
    events: list[dict[str, Any]],
    *,
    embed: Callable[[list[str]], list[Any]] | None = None,
    threshold: float = THRESHOLD,
) -> tuple[list[Incident], int]:
    """Incidents of a list of event rows (every event in one), and the number of blocks used.
    ``embed`` (texts → unit vectors) adds ``embedding`` to rows that have a ``sentence``."""
    if embed is not None:
        todo = [e for e in events if e.get("sentence") and e.get("embedding") is None]
        for e, vec in zip(todo, embed([str(e["sentence"]) for e in todo]), strict=True):
            e["embedding"] = vec
    blocks: dict[str, list[dict[str, Any]]] = {}
    unblocked: list[dict[str, Any]] = []
    for e in events:
        keys = block_keys(e)
        if not keys:
            unblocked.append(e)
        for k in keys:
            blocks.setdefault(k, []).append(e)
    found: list[Incident] = []
    for rows in blocks.values():
        found.extend(link_block(rows, threshold))
    found.extend(link_block([e], threshold)[0] for e in unblocked)
    return merge_incidents(found), len(blocks)


def claim_row(row: dict[str, Any], outlet: str | None) -> dict[str, Any]:
    """A ``claims`` row as contradictions read it: ``values`` and ``evidence`` parsed, ``outlet`` added."""
    out = dict(row, outlet=outlet)
    for key, empty in (("values", "{}"), ("evidence", "[]")):
        if out[key] is None or isinstance(out[key], str):
            out[key] = json.loads(out[key] or empty)
    return out


def _claims(store: Store) -> list[dict[str, Any]]:
    cur = store.con.execute(
        f"SELECT c.*, {_OUTLET_SQL} AS outlet "
        'FROM claims c JOIN documents d USING (document_id) ORDER BY c.document_id, c."start", c.id'
    )
    cols = [d[0] for d in cur.description or []]
    out = []
    for r in cur.fetchall():
        row = dict(zip(cols, r, strict=True))
        out.append(claim_row(row, row["outlet"]))
    return out


def claim_order(claim: dict[str, Any]) -> tuple[str, int, str]:
    """The order claims are read in (document, start, id): contradictions depend on it."""
    return str(claim["document_id"]), int(claim["start"]), str(claim["id"])


def anchor_event(x: Contradiction) -> str | None:
    """The event a contradiction inside one document is about (its first claim's), if any."""
    event_id = x.a.claims[0].get("event_id")
    return str(event_id) if event_id else None


def incident_records(
    inc: Incident,
    events: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    within: list[Contradiction],
    link_run: str,
    now: dt.datetime,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[Contradiction]]:
    """One incident's ``incidents`` row (with its grade) and ``incident_reports`` rows, and the
    contradictions across its reports. ``events`` are the link rows of ``inc.event_ids`` in that
    order, ``claims`` their claims (event by event, in :func:`claim_order`), ``within`` the
    contradictions inside its documents about its events."""
    across = contradictions_between(claims, inc.id) if len(inc.reports) > 1 else []
    mine = within + across
    outlets = [r.outlet for r in inc.reports]
    docs = [r.document_id for r in inc.reports]
    g, why = grade(claims, mine, outlets, docs)
    reports = [
        {"incident_id": inc.id, "event_id": r.event_id, "document_id": r.document_id, "outlet": r.outlet,
         "linked_to": r.linked_to, "score": r.score,
         "features": json.dumps(r.features, ensure_ascii=False, default=str)}
        for r in inc.reports
    ]  # fmt: skip
    return _incident_row(inc, events, g, why, len(mine), link_run, now), reports, across


def contradiction_row(x: Contradiction, link_run: str, now: dt.datetime) -> dict[str, Any]:
    """The ``contradictions`` row of ``x`` (evidence as JSON text)."""
    row = x.to_row()
    row["a_evidence"] = json.dumps(row["a_evidence"], ensure_ascii=False)
    row["b_evidence"] = json.dumps(row["b_evidence"], ensure_ascii=False)
    row["link_run"], row["created_at"] = link_run, now
    return row


def link_store(store: Store, *, use_encoder: bool = True, threshold: float = THRESHOLD) -> LinkSummary:
    """Link every stored event into incidents, find contradictions, grade; replace earlier results."""
    t0 = time.perf_counter()
    summary = LinkSummary()
    events = list(event_rows(store))
    summary.events = len(events)
    embed = None
    if use_encoder and events:
        from marsad.link.embed import ENCODER_NAME, encoder

        enc = encoder()
        if enc is not None:
            embed = enc.encode
            summary.encoder = ENCODER_NAME
    incidents, summary.blocks = link_events(events, embed=embed, threshold=threshold)
    by_event = {str(e["id"]): e for e in events}
    claims = _claims(store)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    by_event_claims: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_doc.setdefault(str(c["document_id"]), []).append(c)
        if c.get("event_id"):
            by_event_claims.setdefault(str(c["event_id"]), []).append(c)
    found: list[Contradiction] = []
    for cs in by_doc.values():
        found.extend(contradictions_in_document(cs))
    incident_of = {r.event_id: inc.id for inc in incidents for r in inc.reports}
    for x in found:
        anchor = anchor_event(x)
        x.incident_id = incident_of.get(anchor) if anchor else None
    per_incident: dict[str, list[Contradiction]] = {}
    for x in found:
        if x.incident_id:
            per_incident.setdefault(x.incident_id, []).append(x)
    link_run, now = link_stamp()
    inc_rows: list[dict[str, Any]] = []
    rep_rows: list[dict[str, Any]] = []
    status_rows: list[dict[str, Any]] = []
    for inc in incidents:
        inc_claims = [c for eid in inc.event_ids for c in by_event_claims.get(eid, [])]
        evs = [by_event[eid] for eid in inc.event_ids]
        row, reports, across = incident_records(inc, evs, inc_claims, per_incident.get(inc.id, []), link_run, now)
        found.extend(across)
        inc_rows.append(row)
        rep_rows.extend(reports)
        status_rows.extend({"id": r["event_id"], "claim_status": row["grade"]} for r in reports)
    cx_rows = [contradiction_row(x, link_run, now) for x in found]
    _write(store, inc_rows, rep_rows, cx_rows, status_rows)
    summary.incidents = len(incidents)
    summary.linked_incidents = sum(1 for i in incidents if len(i.reports) > 1)
    summary.contradictions = len(found)
    summary.grades = dict(Counter(r["grade"] for r in inc_rows))
    summary.aspects = dict(Counter(x.aspect for x in found))
    summary.seconds = round(time.perf_counter() - t0, 2)
    return summary


def _incident_row(
    inc: Incident, evs: list[dict[str, Any]], g: str, why: str, n_cx: int, link_run: str, now: dt.datetime
) -> dict[str, Any]:
    def common(key: str) -> Any:
        values = [e[key] for e in evs if e.get(key) is not None]
        return Counter(values).most_common(1)[0][0] if values else None

    dates = [e["event_date"] for e in evs if e.get("event_date") is not None]
    tolls = [e for e in evs if int(e.get("fatalities_high") or 0) > 0]
    precise = sorted(evs, key=lambda e: (e.get("geo_precision") or 9, e["id"]))[0]
    outlets = list(dict.fromkeys(str(e.get("outlet") or e["document_id"]) for e in evs))
    return {
        "id": inc.id, "event_type": common("event_type") or "", "sub_event_type": common("sub_event_type"),
        "event_date": min(dates) if dates else None, "date_high": max(dates) if dates else None,
        "iso": common("iso"), "admin1": common("admin1"), "location": precise.get("location"),
        "latitude": precise.get("latitude"), "longitude": precise.get("longitude"),
        "actor1": common("actor1"), "actor2": common("actor2"),
        "fatalities": min((int(e["fatalities"]) for e in tolls), default=0),
        "fatalities_low": min((int(e["fatalities_low"]) for e in tolls), default=0),
        "fatalities_high": max((int(e["fatalities_high"]) for e in tolls), default=0),
        "n_reports": len(evs), "n_documents": len({e["document_id"] for e in evs}), "n_outlets": len(outlets),
        "outlets": outlets, "grade": g, "grade_reason": why, "n_contradictions": n_cx,
        "link_run": link_run, "created_at": now,
    }  # fmt: skip


INCIDENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()), ("event_type", pa.string()), ("sub_event_type", pa.string()), ("event_date", pa.date32()),
        ("date_high", pa.date32()), ("iso", pa.string()), ("admin1", pa.string()), ("location", pa.string()),
        ("latitude", pa.float64()), ("longitude", pa.float64()), ("actor1", pa.string()), ("actor2", pa.string()),
        ("fatalities", pa.int32()), ("fatalities_low", pa.int32()), ("fatalities_high", pa.int32()),
        ("n_reports", pa.int32()), ("n_documents", pa.int32()), ("n_outlets", pa.int32()),
        ("outlets", pa.list_(pa.string())), ("grade", pa.string()), ("grade_reason", pa.string()),
        ("n_contradictions", pa.int32()), ("link_run", pa.string()), ("created_at", pa.timestamp("us")),
    ]
)  # fmt: skip
REPORT_SCHEMA = pa.schema(
    [("incident_id", pa.string()), ("event_id", pa.string()), ("document_id", pa.string()), ("outlet", pa.string()),
     ("linked_to", pa.string()), ("score", pa.float64()), ("features", pa.string())]
)  # fmt: skip
_CX_COLUMNS = ["id", "scope", "aspect", "incident_id", "subject",
               *[f"{p}_{k}" for p in "ab" for k in ("value", "holder", "holder_type", "source", "document_id",
                                                   "event_id", "claim_id", "evidence")],
               "explanation", "link_run", "created_at"]  # fmt: skip
CONTRADICTION_SCHEMA = pa.schema([(c, pa.timestamp("us") if c == "created_at" else pa.string()) for c in _CX_COLUMNS])


def _write(
    store: Store,
    incidents: list[dict[str, Any]],
    reports: list[dict[str, Any]],
    contradictions: list[dict[str, Any]],
    statuses: list[dict[str, Any]],
) -> None:
    con = store.con
    inc_tbl = pa.Table.from_pylist(incidents, schema=INCIDENT_SCHEMA)  # noqa: F841 - read by DuckDB
    rep_tbl = pa.Table.from_pylist(reports, schema=REPORT_SCHEMA)  # noqa: F841
    cx_tbl = pa.Table.from_pylist(contradictions, schema=CONTRADICTION_SCHEMA)  # noqa: F841
    status_tbl = pa.Table.from_pylist(statuses, schema=pa.schema([("id", pa.string()), ("claim_status", pa.string())]))  # noqa: F841
    cols = ", ".join(f'"{c}"' for c in INCIDENT_SCHEMA.names)
    rcols = ", ".join(REPORT_SCHEMA.names)
    xcols = ", ".join(_CX_COLUMNS)
    try:
        con.execute("BEGIN TRANSACTION")
        for table in ("incident_reports", "incidents", "contradictions"):
            con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO incidents ({cols}) SELECT {cols} FROM inc_tbl")
        con.execute(f"INSERT INTO incident_reports ({rcols}) SELECT {rcols} FROM rep_tbl")
        con.execute(f"INSERT INTO contradictions ({xcols}) SELECT {xcols} FROM cx_tbl")
        con.execute("UPDATE events SET claim_status = NULL WHERE claim_status IS NOT NULL")
        con.execute("UPDATE events SET claim_status = s.claim_status FROM status_tbl s WHERE events.id = s.id")
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError("E320", f"cannot write incidents: {exc}") from None
