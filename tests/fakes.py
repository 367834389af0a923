"""A stand-in for the extraction engine: fixed events and tallies, so store, pipeline and export
tests do not depend on what the engine finds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marsad.extract.model import Event, Evidence, Extraction, Tally
from marsad.model import Document


def evidence(doc: Document, role: str, phrase: str) -> Evidence:
    """Evidence for ``phrase`` in the document's text (its first characters when it is absent)."""
    start = doc.text.find(phrase)
    if start < 0:
        start, phrase = 0, doc.text[:5]
    return Evidence(role, start, start + len(phrase), phrase)


def make_event(doc: Document, n: int = 0, **overrides: Any) -> Event:
    values: dict[str, Any] = {
        "id": f"{doc.id}-e{n}",
        "document_id": doc.id,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "disorder_type": "Political violence",
        "trigger": "shelling",
        "plover_type": "ATTACK",
        "event_date": dt.date(2019, 4, 30),
        "time_precision": 1,
        "actor1": "Military Forces of Syria (2000-)",
        "actor1_id": "syria-military",
        "inter1": 1,
        "actor2": "Civilians (Syria)",
        "actor2_id": "civilians-syria",
        "inter2": 7,
        "civilian_targeting": True,
        "country": "Syria",
        "iso": "SY",
        "admin1": "Rif Dimashq",
        "location": "Douma",
        "latitude": 33.5711,
        "longitude": 36.4028,
        "geo_precision": 1,
        "geonameid": 170592,
        "place_mention": "دوما",
        "fatalities": 5,
        "fatalities_low": 5,
        "fatalities_high": 5,
        "injured": 8,
        "source_attribution": "Syrian Civil Defence",
        "confidence": 0.8,
        "start": 0,
        "end": min(len(doc.text), 120),
        "evidence": [
            evidence(doc, "trigger", "قصف مدفعي"),
            evidence(doc, "place", "دوما"),
            evidence(doc, "fatalities", "قُتل خمسة مدنيين"),
            evidence(doc, "source", "الدفاع المدني السوري"),
        ],
        "notes": "قصف مدفعي على دوما.",
    }
    values.update(overrides)
    return Event(**values)


def make_tally(doc: Document, n: int = 0, **overrides: Any) -> Tally:
    values: dict[str, Any] = {
        "id": f"{doc.id}-t{n}",
        "document_id": doc.id,
        "period_start": dt.date(2019, 4, 1),
        "period_end": dt.date(2019, 4, 30),
        "period_text": "خلال نيسان",
        "area": "ريف دمشق",
        "country": "Syria",
        "iso": "SY",
        "actors": ["Military Forces of Syria (2000-)", "Wagner Group"],
        "victims": "Civilians (Syria)",
        "fatalities": 50,
        "fatalities_low": 51,
        "fatalities_high": 60,
        "fatalities_qualifier": "more than",
        "methods": ["shelling", "airstrike"],
        "evidence": [evidence(doc, "period", "اليوم الثلاثاء")],
    }
    values.update(overrides)
    return Tally(**values)


@dataclass
class FakeExtractor:
    """One event and one tally per document by default; ``events`` builds other events, ``fail``
    makes it raise for the documents it picks. Remembers the documents it was given and what it
    returned."""

    events: Callable[[Document], list[Event]] = field(default=lambda doc: [make_event(doc)])
    tallies: Callable[[Document], list[Tally]] = field(default=lambda doc: [make_tally(doc)])
    fail: Callable[[Document], bool] = field(default=lambda doc: False)
    seen: list[str] = field(default_factory=list)
    returned: list[Extraction] = field(default_factory=list)

    def __call__(self, doc: Document) -> Extraction:
        self.seen.append(doc.id)
        if self.fail(doc):
            raise RuntimeError("the engine broke on this document")
        self.returned.append(Extraction(doc.id, self.events(doc), self.tallies(doc)))
        return self.returned[-1]
