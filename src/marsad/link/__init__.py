"""Incidents across reports, contradictions between accounts, and each incident's grade.

Runs over the store after per-document processing (``marsad link``, and at the end of
``marsad run``). The same functions serve the local driver (:func:`link_store`) and Spark, which
calls them per block. Stable API (events are dict rows of the ``events`` table; the optional
keys ``outlet``, ``sentence`` and ``embedding`` improve the decision):

``block_keys(event: dict) -> list[str]``
    The blocks the event is compared in: ``"ISO|week"`` (plus the neighbouring week near the
    week's edge, so each event is in one or two blocks); ``[]`` when it has no date.
``link_block(events: list[dict], threshold: float = THRESHOLD) -> list[Incident]``
    The incidents of one block; every event of the block is in exactly one. Each
    :class:`Report` carries ``features`` (JSON-ready): ``date_days``, ``distance_km``, ``type``,
    ``similarity``, ``score``, ``matched`` (what agreed) and ``vetoed`` (what ruled a pair out).
``merge_incidents(incidents: Iterable[Incident]) -> list[Incident]``
    Joins the incidents of all blocks (those sharing an event become one).
``find_contradictions(claims: list[dict], incident_id: str | None = None) -> list[Contradiction]``
    ``claims`` are dict rows of the ``claims`` table (``values`` as a dict); with
    ``incident_id`` they are the claims of that incident's events and the disagreements between
    its documents are returned, without it the competing accounts inside each document.
``grade(claims, contradictions, outlets, document_ids) -> (grade, reason)``
    confirmed | corroborated | single_source | contested.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marsad.link.blocking import Incident, Report, block_keys, link_block, merge_incidents
from marsad.link.contradict import Contradiction, contradictions_between, contradictions_in_document, grade
from marsad.link.features import THRESHOLD, WINDOW_DAYS, compare

__all__ = [
    "THRESHOLD",
    "WINDOW_DAYS",
    "Contradiction",
    "Incident",
    "Report",
    "block_keys",
    "compare",
    "find_contradictions",
    "grade",
    "link_block",
    "merge_incidents",
]


def find_contradictions(claims: Sequence[dict[str, Any]], incident_id: str | None = None) -> list[Contradiction]:
    """Contradictions among ``claims``: across documents for one incident when ``incident_id`` is
    given, else inside each document (see the package docstring)."""
    if incident_id is not None:
        return contradictions_between(claims, incident_id)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_doc.setdefault(str(c["document_id"]), []).append(c)
    return [x for cs in by_doc.values() for x in contradictions_in_document(cs)]
