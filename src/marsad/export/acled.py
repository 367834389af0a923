"""ACLED-compatible CSV export: one row per event, ACLED's 31 columns then Marsad's own.

Columns: :data:`~marsad.extract.model.ACLED_COLUMNS` in ACLED's order, then
:data:`EXTRA_COLUMNS`. Choices where Marsad's data differs from ACLED's:

- ``event_id_cnty``: the event's stable id, prefixed by its ISO alpha-2 code when known
  (``SY-<id>``). ACLED numbers events per country (``SYR12345``); numbering would change with
  every export, the id does not.
- ``event_date``: ISO 8601 (``YYYY-MM-DD``), not the ``dd Month YYYY`` of some ACLED exports:
  unambiguous, and read as a date by every tool. ``year`` is taken from it.
- ``iso``: ACLED's numeric ISO 3166-1 code. It, ``region`` and the ``country`` name used when
  extraction gave none come from ``lexicon/data/regions.yaml`` (empty for a country missing there).
- ``interaction``: ACLED's two-digit code from ``inter1``/``inter2``, lower digit first
  (``inter1=2, inter2=1`` → 12); an event with one actor type is that type times ten (20).
- ``civilian_targeting``: ``Civilian targeting`` or empty, as in ACLED.
- ``source``: the outlet of each document reporting the event (publisher name, else the source
  given at ingestion), ``; ``-separated as in ACLED; ``source_scale`` and ``tags`` are empty.
- ``notes``: the event's notes, then ``According to <source>.`` when the article attributes the
  report to someone.
- ``timestamp``: Unix time at which the run that extracted the event stored it (so exporting the
  same database twice gives the same file, and the value changes when the event is re-extracted,
  like ACLED's last-modified timestamp).
- ``document_ids`` (``|``-separated), ``incident_id`` (empty until incidents are linked),
  ``actor1_id``, ``actor2_id``, ``fatalities_low``, ``fatalities_high``, ``geonameid``,
  ``evidence`` (the JSON list of the exact words each value was read from), ``confidence`` and
  ``claim_status`` follow.

Events ACLED would not code are left out, and counted by reason in the returned report: those
whose place is not resolved below the country (no coordinates), and those without a date. The
JSON Lines export keeps them. Reviewers' decisions (:mod:`marsad.review`) are applied: corrected
values replace the machine's, and events a reviewer rejected are left out (counted too).

Text in cells comes from untrusted articles. A text cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is prefixed with ``'`` so that a spreadsheet shows it as text
instead of running it as a formula (OWASP's advice for CSV injection). Numeric and date columns
are written by Marsad from numbers and are never prefixed (a negative longitude stays a number).
Cells are quoted by the :mod:`csv` module, so commas, quotes and newlines in Arabic text read back
intact with :func:`csv.reader`.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TextIO

from marsad.export.regions import country
from marsad.export.report import ExportReport
from marsad.extract.model import ACLED_COLUMNS
from marsad.review import apply_reviews
from marsad.store import Store

__all__ = [
    "EXTRA_COLUMNS",
    "HEADER",
    "NUMERIC_COLUMNS",
    "acled_row",
    "exclusion_reason",
    "guard_formula",
    "interaction_code",
    "write_acled_csv",
]

EXTRA_COLUMNS: tuple[str, ...] = (
    "document_ids", "incident_id", "actor1_id", "actor2_id", "fatalities_low", "fatalities_high",
    "geonameid", "evidence", "confidence", "claim_status",
)  # fmt: skip
HEADER: tuple[str, ...] = (*ACLED_COLUMNS, *EXTRA_COLUMNS)
# columns Marsad fills from numbers or dates, never from article text: written as they are
NUMERIC_COLUMNS = frozenset(
    {"event_date", "year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude", "longitude",
     "geo_precision", "fatalities", "timestamp", "fatalities_low", "fatalities_high", "geonameid", "confidence"}
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NO_PLACE = "place not resolved below country level"
NO_DATE = "no event date"
REJECTED = "rejected by a reviewer"


def guard_formula(text: str) -> str:
    """``text``, prefixed with ``'`` if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two actor types, lower first; one actor type times ten."""
    types = sorted(t for t in (inter1, inter2) if t)
    if not types:
        return None
    return types[0] * 10 + (types[1] if len(types) == 2 else 0)


def exclusion_reason(event: dict[str, Any]) -> str | None:
    """Why ACLED would not code this event (or a reviewer rejected it), or None when it belongs in the CSV."""
    if event.get("review_status") == "rejected":
        return REJECTED
    if event.get("latitude") is None or event.get("longitude") is None:
        return NO_PLACE
    if event.get("event_date") is None:
        return NO_DATE
    return None


def _notes(event: dict[str, Any]) -> str:
    parts = [(event.get("notes") or "").strip()]
    if event.get("source_attribution"):
        parts.append(f"According to {event['source_attribution']}.")
    return " ".join(p for p in parts if p)


def _timestamp(created_at: dt.datetime | None) -> int | None:
    return int(created_at.replace(tzinfo=dt.UTC).timestamp()) if created_at else None


def acled_row(event: dict[str, Any], outlets: Iterable[str | None]) -> list[str]:
    """The CSV cells of one stored event (as :meth:`Store.events` returns it), in :data:`HEADER` order.

    ``outlets`` names the outlet of each of the event's documents (None when unknown).
    """
    date: dt.date | None = event.get("event_date")
    iso2: str | None = event.get("iso")
    known = country(iso2)
    values: dict[str, Any] = dict(event)
    values |= {
        "event_id_cnty": f"{iso2.upper()}-{event['id']}" if iso2 else event["id"],
        "event_date": date.isoformat() if date else None,
        "year": date.year if date else None,
        "interaction": interaction_code(event.get("inter1"), event.get("inter2")) or event.get("interaction"),
        "civilian_targeting": "Civilian targeting" if event.get("civilian_targeting") else "",
        "iso": known.numeric if known else None,
        "region": known.region if known else None,
        "country": event.get("country") or (known.name if known else None),
        "source": "; ".join(dict.fromkeys(o for o in outlets if o)),
        "source_scale": "",
        "notes": _notes(event),
        "tags": "",
        "timestamp": _timestamp(event.get("created_at")),
        "document_ids": event["document_id"],
        "incident_id": event.get("incident_id") or "",
        "evidence": json.dumps(event.get("evidence") or [], ensure_ascii=False),
    }
    return [_cell(column, values.get(column)) for column in HEADER]


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in NUMERIC_COLUMNS:
        return str(value)
    return guard_formula(str(value))


def _chunks(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def write_acled_csv(store: Store, out: TextIO) -> ExportReport:
    """Write the header and one row per codable event of ``store`` to ``out`` (opened with ``newline=""``)."""
    report = ExportReport("acled-csv")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for chunk in _chunks(store.iter_events(), 1000):
        chunk = apply_reviews(store.con, chunk)
        outlets = store.document_outlets({e["document_id"] for e in chunk})
        for event in chunk:
            reason = exclusion_reason(event)
            if reason is not None:
                report.excluded[reason] += 1
                continue
            writer.writerow(acled_row(event, [outlets.get(event["document_id"])]))
            report.events += 1
    return report
