"""One gazetteer row: a named place with coordinates, wherever it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["KINDS", "GazRow"]

# What a row names. ``city`` covers towns; ``village`` and ``neighbourhood`` come from
# imported gazetteers; ``admin1``/``admin2``/``admin3`` are administrative units.
KINDS = ("country", "admin1", "admin2", "admin3", "city", "village", "neighbourhood", "landmark")


@dataclass(slots=True)
class GazRow:
    source: str  # embedded:<part> for shipped rows; the imported file's name otherwise
    id: str  # unique within the source (a geonameid, or the row's line number)
    name: str  # Latin-script name
    latitude: float
    longitude: float
    kind: str = "city"
    iso: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None  # ACLED spelling where known
    admin2: str | None = None
    geonameid: int | None = None
    name_ar: str | None = None
    names: list[str] = field(default_factory=list)  # every Arabic form, name_ar included
    population: int = 0
    feature_code: str | None = None
    note: str | None = None
