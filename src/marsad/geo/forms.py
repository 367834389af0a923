"""The Arabic forms under which a gazetteer row is matched, and the ones never matched.

Driven by ``data/gazetteer.yaml``: descriptors stripped from a name («حي الشعار» → «الشعار»),
the stop list of forms that are common words or pieces of other words («زارة» in «وزارة»,
«بنان» in «لبنان»), and the shortest form allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from marsad.arabic.normalize import normalize_phrase

__all__ = ["FormRules", "has_arabic", "row_forms", "rules"]

_ARABIC = re.compile("[\u0621-\u064a]")


def has_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def load_data(name: str) -> Any:
    text = (resources.files("marsad.geo") / "data" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True, slots=True)
class FormRules:
    countries: tuple[str, ...]
    strip: frozenset[str]  # normal forms of descriptors dropped before a name
    keep: frozenset[str]
    stop: frozenset[str]  # normal forms never matched, with and without the article
    min_letters: int

    def allowed(self, key: str) -> bool:
        """May the normal form ``key`` be matched as a gazetteer place?"""
        if not key or key in self.stop:
            return False
        first = key.split(" ", 1)[0]
        bare = first[2:] if first.startswith("ال") else first
        if " " not in key and len(bare) < self.min_letters:
            return False
        return not (key.startswith("ال") and key[2:] in self.stop)


@cache
def rules() -> FormRules:
    data = load_data("gazetteer.yaml")
    stop = {normalize_phrase(str(f)) for f in data.get("stop_forms") or ()}
    stop |= {f[2:] for f in stop if f.startswith("ال")}
    desc = data.get("descriptors") or {}
    return FormRules(
        countries=tuple(str(c) for c in data.get("countries") or ()),
        strip=frozenset(normalize_phrase(str(d)) for d in desc.get("strip") or ()),
        keep=frozenset(normalize_phrase(str(d)) for d in desc.get("keep") or ()),
        stop=frozenset(stop),
        min_letters=int(data.get("min_letters") or 4),
    )


def strip_descriptor(name: str) -> tuple[str, str | None]:
    """``(rest, descriptor)``: «حي الشعار» → («الشعار», «حي»); a name without one is returned as is."""
    parts = name.split()
    if len(parts) > 1 and normalize_phrase(parts[0]) in rules().strip:
        return " ".join(parts[1:]), parts[0]
    return name, None


def row_forms(names: list[str]) -> list[str]:
    """Normal forms to match for a row's Arabic names, minus the stop list and too-short forms.
    A name written with a descriptor («حي الشعار») is matched without it: the descriptor is a
    place noun of the extraction lexicons, which then qualifies the name as in news text."""
    r = rules()
    out: dict[str, None] = {}
    for name in names:
        if not has_arabic(name):
            continue
        key = normalize_phrase(strip_descriptor(name)[0])
        if r.allowed(key):
            out[key] = None
    return list(out)
