"""Countries in ACLED's terms (name, region, numeric ISO code), from ``lexicon/data/regions.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from marsad import lexicon
from marsad.errors import MarsadError

__all__ = ["Country", "countries", "country"]


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str  # ISO 3166-1 alpha-2
    name: str  # as ACLED names it
    region: str  # one of ACLED's regions
    numeric: int  # ISO 3166-1 numeric, ACLED's ``iso`` column


@cache
def countries() -> dict[str, Country]:
    """Every country of the table by alpha-2 code; a malformed table is a coded error."""
    data = lexicon.load("regions")
    regions = set(data["regions"])
    out: dict[str, Country] = {}
    for code, entry in data["countries"].items():
        if not (isinstance(code, str) and len(code) == 2 and code.isupper()):
            raise MarsadError("E104", f"regions.yaml: {code!r} is not an ISO 3166-1 alpha-2 code")
        if entry.get("region") not in regions:
            raise MarsadError("E104", f"regions.yaml: {code}: {entry.get('region')!r} is not an ACLED region")
        out[code] = Country(code, str(entry["name"]), str(entry["region"]), int(entry["numeric"]))
    return out


def country(iso2: str | None) -> Country | None:
    """The country with this alpha-2 code (any case), or None when unknown."""
    return countries().get(iso2.upper()) if iso2 else None
