"""JSON Lines export: every stored event and tally as one JSON object a line.

Each object is the stored record (the fields of :class:`~marsad.extract.model.Event` or
:class:`~marsad.extract.model.Tally`, with ``evidence`` as a list, ``run_id`` and ``created_at``
of the run that wrote it) after a ``kind`` field, ``"event"`` or ``"tally"``: events first, then
tallies; then claims, incidents and contradictions (``kind`` and ``record_type`` ``"claim"``,
``"incident"``, ``"contradiction"``; a claim's own kind is ``claim_kind``). Dates are ISO 8601;
text is UTF-8, Arabic as is (``ensure_ascii=False``). Nothing is left out: events whose place or
date could not be resolved are here, unlike in the ACLED CSV.
Events carry reviewers' decisions (:mod:`marsad.review`): corrected values, ``review_status``
(None when unreviewed, else confirmed, corrected or rejected; rejected events are kept) and, for a
reviewed event, ``review`` with the machine's values of the corrected fields.
"""

from __future__ import annotations

import datetime as dt
import json
from itertools import islice
from typing import Any, TextIO

from marsad.export.report import ExportReport
from marsad.link.records import iter_link_records
from marsad.review import apply_reviews
from marsad.store import Store

__all__ = ["write_jsonl"]


def _default(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _line(kind: str, record: dict[str, Any]) -> str:
    return json.dumps({"kind": kind, **record}, ensure_ascii=False, default=_default) + "\n"


def write_jsonl(store: Store, out: TextIO) -> ExportReport:
    """Write every event, then every tally, of ``store`` to ``out``."""
    report = ExportReport("jsonl")
    events = store.iter_events()
    while chunk := list(islice(events, 1000)):
        for event in apply_reviews(store.con, chunk):
            out.write(_line("event", event))
            report.events += 1
    for tally in store.iter_tallies():
        out.write(_line("tally", tally))
        report.tallies += 1
    for kind, record in iter_link_records(store):
        out.write(_line(kind, record))
    return report
