"""Score the geocoder on annotated place mentions (eval/geocode/mentions.jsonl).

Each mention is resolved with the context of its document field (the country it is mostly
about, and the curated places it names: their admin1 units and positions). Reported: the share
resolved within 25 km of the annotated point, with the exact geonameid (of the mentions that
have one), and with the same admin1 (of the mentions that have one).
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.extract.lexicons import lexicons
from marsad.extract.text import prepare
from marsad.geo.geocoder import Geocoder, km

__all__ = ["GeocodeScores", "admin_key", "context_of", "load_mentions", "score_mentions"]


@dataclass(slots=True)
class GeocodeScores:
    mentions: int = 0
    resolved: int = 0
    within_25km: int = 0
    geonameid_n: int = 0
    geonameid_ok: int = 0
    admin1_n: int = 0
    admin1_ok: int = 0

    def as_dict(self) -> dict[str, float | int]:
        def share(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {
            "mentions": self.mentions,
            "resolved": share(self.resolved, self.mentions),
            "within_25km": share(self.within_25km, self.mentions),
            "geonameid": share(self.geonameid_ok, self.geonameid_n),
            "geonameid_n": self.geonameid_n,
            "admin1": share(self.admin1_ok, self.admin1_n),
            "admin1_n": self.admin1_n,
        }


def admin_key(name: str | None) -> str:
    """A unit's name compared loosely: «Ar-Raqqa» = «Raqqa», «Al Anbar» = «Anbar»."""
    text = unicodedata.normalize("NFKD", (name or "").lower())
    text = "".join(c for c in text if c.isalpha() or c == " " or c == "-").replace("-", " ")
    words = [w for w in text.split() if w not in ("al", "ar", "as", "ad", "an", "at", "ash", "az", "el", "governorate")]
    return "".join(words)


def load_mentions(path: Path) -> list[dict[str, Any]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
    return out


def context_of(text: str) -> tuple[str | None, set[str], list[tuple[float, float]]]:
    """(country, admin1 units, positions) of the curated places a text names unambiguously."""
    f = prepare("text", text)
    votes: Counter[str] = Counter()
    units: set[str] = set()
    near: list[tuple[float, float]] = []
    for hit in lexicons().places.find(f.scan):
        plain = [p for p in hit.payloads if not p.ambiguous and not p.adjective and p.source == "places.yaml"]
        isos = {p.iso for p in hit.payloads if not p.ambiguous}
        if len(isos) == 1:
            votes[next(iter(isos))] += 1
        if len(plain) == 1 and plain[0].kind != "country":
            p = plain[0]
            if p.admin1:
                units.add(p.admin1)
            if p.lat is not None and p.lon is not None and p.kind == "city":
                near.append((p.lat, p.lon))
    iso = votes.most_common(1)[0][0] if votes else None
    return iso, units, near


def score_mentions(
    mentions: Iterable[Mapping[str, Any]], documents: Mapping[str, Mapping[str, Any]], geo: Geocoder
) -> GeocodeScores:
    """``documents``: corpus records by id (fields ``text``, ``title``)."""
    s = GeocodeScores()
    contexts: dict[tuple[str, str], tuple[str | None, set[str], list[tuple[float, float]]]] = {}
    for m in mentions:
        s.mentions += 1
        doc = documents.get(str(m["doc_id"])) or {}
        field = str(m.get("field") or "text")
        key = (str(m["doc_id"]), field)
        if key not in contexts:
            contexts[key] = context_of(str(doc.get(field) or ""))
        iso, units, near = contexts[key]
        best = geo.resolve(str(m["mention"]), iso=iso, admin1=units, near=near)
        if best is None:
            if m.get("geonameid") is not None:
                s.geonameid_n += 1
            if m.get("admin1"):
                s.admin1_n += 1
            continue
        s.resolved += 1
        r = best.row
        lat, lon = m.get("lat"), m.get("lon")
        if lat is not None and lon is not None and km(r.latitude, r.longitude, float(lat), float(lon)) <= 25.0:
            s.within_25km += 1
        if m.get("geonameid") is not None:
            s.geonameid_n += 1
            s.geonameid_ok += int(r.geonameid == int(m["geonameid"]))
        if m.get("admin1"):
            s.admin1_n += 1
            s.admin1_ok += int(admin_key(r.admin1) == admin_key(str(m["admin1"])))
    return s
