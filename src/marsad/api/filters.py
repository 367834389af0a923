"""Query parameters to parameterised SQL conditions, checked with clear errors.

Every condition is a SQL fragment with ``?`` placeholders and its values; nothing a client sends
is ever spliced into SQL. Dates are ``YYYY-MM-DD``; a bounding box is
``min_lon,min_lat,max_lon,max_lat`` (WGS 84; ``min_lon > max_lon`` crosses the antimeridian).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from marsad.api.errors import APIError
from marsad.api.search import normalize_query

__all__ = ["BBox", "EventFilters", "Where", "parse_bbox", "parse_date", "parse_page"]

MAX_LIMIT = 500


@dataclass(slots=True)
class Where:
    """Conditions joined by AND, and their parameters in order."""

    parts: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, sql: str, *params: Any) -> None:
        self.parts.append(sql)
        self.params.extend(params)

    def sql(self) -> str:
        return (" WHERE " + " AND ".join(f"({p})" for p in self.parts)) if self.parts else ""


@dataclass(frozen=True, slots=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def parse_date(value: str | None, name: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` query parameter, or a 400 naming the parameter."""
    if value is None or value == "":
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise APIError(400, "bad_date", f"{name}: {value[:40]!r} is not a date in the form YYYY-MM-DD") from None


def parse_date_range(date_from: str | None, date_to: str | None) -> tuple[dt.date | None, dt.date | None]:
    start, end = parse_date(date_from, "date_from"), parse_date(date_to, "date_to")
    if start and end and start > end:
        raise APIError(400, "bad_date", f"date_from ({start}) is after date_to ({end})")
    return start, end


def parse_bbox(value: str | None) -> BBox | None:
    """``min_lon,min_lat,max_lon,max_lat``, or a 400 saying what is wrong."""
    if value is None or value == "":
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise APIError(400, "bad_bbox", "bbox must be four numbers: min_lon,min_lat,max_lon,max_lat")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise APIError(400, "bad_bbox", f"bbox: {value[:80]!r} holds something that is not a number") from None
    if not all(math.isfinite(n) for n in numbers):
        raise APIError(400, "bad_bbox", "bbox values must be finite numbers")
    box = BBox(*numbers)
    if not (-180 <= box.min_lon <= 180 and -180 <= box.max_lon <= 180):
        raise APIError(400, "bad_bbox", "bbox longitudes must be between -180 and 180")
    if not (-90 <= box.min_lat <= 90 and -90 <= box.max_lat <= 90):
        raise APIError(400, "bad_bbox", "bbox latitudes must be between -90 and 90")
    if box.min_lat > box.max_lat:
        raise APIError(400, "bad_bbox", "bbox min_lat is greater than max_lat")
    return box


def parse_page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_LIMIT:
        raise APIError(400, "bad_page", f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise APIError(400, "bad_page", "offset must be 0 or more")
    return limit, offset


def add_bbox(where: Where, box: BBox | None, lon: str = "longitude", lat: str = "latitude") -> None:
    if box is None:
        return
    where.add(f"{lat} BETWEEN ? AND ?", box.min_lat, box.max_lat)
    if box.min_lon <= box.max_lon:
        where.add(f"{lon} BETWEEN ? AND ?", box.min_lon, box.max_lon)
    else:
        where.add(f"{lon} >= ? OR {lon} <= ?", box.min_lon, box.max_lon)


def add_country(where: Where, country: str | None) -> None:
    if country:
        where.add("upper(iso) = upper(?) OR lower(country) = lower(?)", country, country)


@dataclass(frozen=True, slots=True)
class EventFilters:
    """Filters of ``/api/events``, ``/api/stats`` and ``/api/export`` (all optional, all ANDed)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    bbox: BBox | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: tuple[str, ...] = ()
    actor: str | None = None
    outlet: str | None = None
    claim_status: str | None = None
    review_status: str | None = None
    q: str | None = None
    document_id: str | None = None
    incident_id: str | None = None
    min_fatalities: int | None = None

    def where(self) -> Where:
        """Conditions on a relation with the columns of ``events`` (plus ``review_status``)."""
        w = Where()
        if self.date_from:
            w.add("event_date >= ?", self.date_from)
        if self.date_to:
            w.add("event_date <= ?", self.date_to)
        add_bbox(w, self.bbox)
        add_country(w, self.country)
        if self.admin1:
            w.add("lower(admin1) = lower(?)", self.admin1)
        if self.event_type:
            w.add("event_type IN (SELECT unnest(?::VARCHAR[]))", list(self.event_type))
        if self.actor:
            w.add(
                "contains(lower(concat_ws('|', actor1, actor2, assoc_actor_1, assoc_actor_2, actor1_id, actor2_id)), "
                "lower(?))",
                self.actor,
            )
        if self.outlet:
            w.add(
                "document_id IN (SELECT document_id FROM documents WHERE contains(lower(concat_ws('|', "
                "json_extract_string(metadata, '$.publisher_name'), source, publisher)), lower(?)))",
                self.outlet,
            )
        if self.claim_status:
            w.add("claim_status = ?", self.claim_status)
        if self.review_status == "unreviewed":
            w.add("review_status IS NULL")
        elif self.review_status:
            w.add("review_status = ?", self.review_status)
        if self.q is not None:
            norm = normalize_query(self.q)
            if not norm:
                raise APIError(400, "bad_query", "q has nothing to search for once normalised")
            w.add("document_id IN (SELECT document_id FROM document_search WHERE contains(norm, ?))", norm)
        if self.document_id:
            w.add("document_id = ?", self.document_id)
        if self.incident_id:
            w.add("id IN (SELECT event_id FROM incident_reports WHERE incident_id = ?)", self.incident_id)
        if self.min_fatalities is not None:
            w.add("fatalities >= ?", self.min_fatalities)
        return w


REVIEW_STATUSES = ("confirmed", "rejected", "corrected", "unreviewed")


def event_filters(
    date_from: str | None,
    date_to: str | None,
    bbox: str | None,
    country: str | None,
    admin1: str | None,
    event_type: list[str] | None,
    actor: str | None,
    outlet: str | None,
    claim_status: str | None,
    review_status: str | None,
    q: str | None,
    document_id: str | None,
    incident_id: str | None,
    min_fatalities: int | None,
) -> EventFilters:
    """Checked :class:`EventFilters` from raw query parameters."""
    start, end = parse_date_range(date_from, date_to)
    if review_status is not None and review_status not in REVIEW_STATUSES:
        raise APIError(400, "bad_filter", f"review_status must be one of {', '.join(REVIEW_STATUSES)}")
    if min_fatalities is not None and min_fatalities < 0:
        raise APIError(400, "bad_filter", "min_fatalities must be 0 or more")
    if q is not None and len(q) > 200:
        raise APIError(400, "bad_query", "q is longer than 200 characters")
    if q and not normalize_query(q):
        raise APIError(400, "bad_query", "q has nothing to search for once normalised")
    types = tuple(t.strip() for raw in event_type or [] for t in raw.split(",") if t.strip())
    return EventFilters(
        date_from=start,
        date_to=end,
        bbox=parse_bbox(bbox),
        country=country or None,
        admin1=admin1 or None,
        event_type=types,
        actor=actor or None,
        outlet=outlet or None,
        claim_status=claim_status or None,
        review_status=review_status or None,
        q=q if q else None,
        document_id=document_id or None,
        incident_id=incident_id or None,
        min_fatalities=min_fatalities,
    )
