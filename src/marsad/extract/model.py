"""What extraction produces: events and tallies, each field tied to the words it came from.

Offsets (``start``/``end``) index the document field named by ``field`` (``text`` or ``title``)
of :class:`marsad.model.Document`, so every value can be shown in its sentence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from marsad.claims.model import Claim

__all__ = ["ACLED_COLUMNS", "Event", "Evidence", "Extraction", "Tally"]

# ACLED's export columns, in ACLED's order (ACLED export guide, 2023).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)


@dataclass(slots=True)
class Evidence:
    """The exact words a value was read from: ``text[start:end]`` of the document ``field``."""

    role: str  # trigger | date | place | actor1 | actor2 | fatalities | injured | abducted | source | negation | period
    start: int
    end: int
    text: str
    field: str = "text"


@dataclass(slots=True)
class Event:
    """One incident in ACLED's terms, as one document reports it."""

    id: str
    document_id: str
    event_type: str
    sub_event_type: str
    disorder_type: str
    trigger: str  # id of the trigger in events.yaml that typed it
    plover_type: str | None = None
    plover_mode: str | None = None
    event_date: dt.date | None = None
    time_precision: int | None = None
    date_reason: str | None = None  # why the date is missing or vague
    actor1: str | None = None
    actor1_id: str | None = None
    inter1: int | None = None
    assoc_actor_1: str | None = None
    actor2: str | None = None
    actor2_id: str | None = None
    inter2: int | None = None
    assoc_actor_2: str | None = None
    interaction: int | None = None
    civilian_targeting: bool = False
    country: str | None = None
    iso: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonameid: int | None = None
    geo_score: float | None = None  # how sure the geocoder is of the place chosen for the mention (0-1)
    place_mention: str | None = None  # the Arabic words naming the place, as printed
    place_reason: str | None = None  # why the place is missing or coarse
    fatalities: int = 0
    fatalities_low: int = 0
    fatalities_high: int = 0
    injured: int = 0
    abducted: int = 0
    stance: str = "asserts"  # asserts | denies | alleges | reports_uncertain
    source_attribution: str = ""  # who the article says reported it; "" = the outlet itself
    confidence: float = 0.0
    claim_status: str | None = None  # set by incident linking (issue 5); None until then
    start: int = 0  # span of the sentences the event was read from
    end: int = 0
    field: str = "text"
    evidence: list[Evidence] = dataclasses.field(default_factory=list)
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["event_date"] = self.event_date.isoformat() if self.event_date else None
        return d


@dataclass(slots=True)
class Tally:
    """An aggregate count over a period or an area («أكثر من 50 مقاتلا خلال نيسان»), not one incident."""

    id: str
    document_id: str
    period_start: dt.date | None
    period_end: dt.date | None
    period_text: str | None
    area: str | None  # the place mention, as printed
    country: str | None
    iso: str | None
    actors: list[str]  # ACLED names of the perpetrators named
    victims: str | None  # ACLED name (or description) of who was counted
    fatalities: int
    fatalities_low: int
    fatalities_high: int
    fatalities_qualifier: str
    injured: int = 0
    methods: list[str] = dataclasses.field(default_factory=list)  # trigger ids named in the statement
    source_attribution: str = ""
    stance: str = "asserts"
    confidence: float = 0.0
    start: int = 0
    end: int = 0
    field: str = "text"
    evidence: list[Evidence] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["period_start"] = self.period_start.isoformat() if self.period_start else None
        d["period_end"] = self.period_end.isoformat() if self.period_end else None
        return d


@dataclass(slots=True)
class Extraction:
    """Everything extraction found in one document, and what it could not resolve."""

    document_id: str
    events: list[Event] = dataclasses.field(default_factory=list)
    tallies: list[Tally] = dataclasses.field(default_factory=list)
    # things read but not turned into records, with why («hypothetical: threat», «background»)
    notes: list[str] = dataclasses.field(default_factory=list)
    # who asserts each event, tally and statement (marsad.claims)
    claims: list[Claim] = dataclasses.field(default_factory=list)
