"""Pair features of two events and the explainable link decision."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from marsad.geo.distance import km

__all__ = ["THRESHOLD", "WINDOW_DAYS", "compare", "event_day", "same_party", "token_similarity"]

WINDOW_DAYS = 3  # reports of one incident are dated at most this many days apart
THRESHOLD = 0.66  # score at or above which two reports are one incident (tuned on eval/incidents/pairs.jsonl)
_NEAR_KM, _FAR_KM = 30.0, 120.0
# event types that one outlet may code differently for the same incident
_COMPATIBLE_TYPES = {
    frozenset({"Explosions/Remote violence", "Violence against civilians"}): 0.6,
    frozenset({"Battles", "Explosions/Remote violence"}): 0.4,
    frozenset({"Battles", "Violence against civilians"}): 0.3,
    frozenset({"Riots", "Protests"}): 0.6,
}
_WEIGHTS = {"date": 0.15, "type": 0.15, "place": 0.2, "actors": 0.1, "fatalities": 0.1, "similarity": 0.3}
_WORD = re.compile(r"\w{3,}")


def event_day(event: dict[str, Any]) -> dt.date | None:
    d = event.get("event_date")
    if isinstance(d, str):
        try:
            return dt.date.fromisoformat(d[:10])
        except ValueError:
            return None
    return d if isinstance(d, dt.date) else None


def _km(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    if None in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")):
        return None
    return km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])


def token_similarity(a: str, b: str) -> float:
    """Jaccard overlap of words of three letters or more (the fallback when no encoder is given)."""
    x, y = set(_WORD.findall(a)), set(_WORD.findall(b))
    return len(x & y) / len(x | y) if x and y else 0.0


def same_party(a: str, b: str) -> bool:
    """Whether two actor ids name one party: equal, or one the parent of the other (isis, isis_sinai)."""
    return a == b or bool(_lineage(a) & _lineage(b))


@cache
def _lineage(actor_id: str) -> frozenset[str]:
    from marsad.extract.lexicons import lexicons

    by_id = lexicons().actor_by_id
    seen: list[str] = []
    cur: str | None = actor_id
    while cur and cur not in seen:
        seen.append(cur)
        actor = by_id.get(cur)
        cur = actor.parent if actor else None
    return frozenset(seen[-1:])  # the root


def _known(actor_id: Any) -> bool:
    return bool(actor_id) and not str(actor_id).startswith("unidentified")


def compare(a: dict[str, Any], b: dict[str, Any], similarity: float | None) -> tuple[float, dict[str, Any]]:
    """``(score, features)`` of two events; ``features['matched']`` names what agrees, ``vetoed``
    what rules the pair out (score 0)."""
    f: dict[str, Any] = {"matched": [], "vetoed": []}
    da, db = event_day(a), event_day(b)
    days = abs((da - db).days) if da and db else None
    f["date_days"] = days
    date_s = 0.0 if days is None or days > WINDOW_DAYS else 1.0 - days / (WINDOW_DAYS + 1)
    if days is None or days > WINDOW_DAYS:
        f["vetoed"].append("date")
    elif days <= 1:
        f["matched"].append("date")
    ta, tb = a.get("event_type"), b.get("event_type")
    type_s = 1.0 if ta == tb else _COMPATIBLE_TYPES.get(frozenset({str(ta), str(tb)}), 0.0)
    if ta == tb and a.get("sub_event_type") == b.get("sub_event_type"):
        f["matched"].append("sub_event_type")
    elif type_s >= 0.6:
        f["matched"].append("type")
    elif type_s == 0.0:
        f["vetoed"].append("type")
    f["type"] = f"{ta} / {tb}" if ta != tb else ta
    dist = _km(a, b)
    f["distance_km"] = round(dist, 1) if dist is not None else None
    if a.get("iso") and b.get("iso") and a["iso"] != b["iso"]:
        place_s = 0.0
        f["vetoed"].append("country")
    elif a.get("admin1") and b.get("admin1") and a["admin1"] != b["admin1"]:
        precise = (a.get("geo_precision") or 3) <= 2 and (b.get("geo_precision") or 3) <= 2
        far = precise and dist is not None and dist > _FAR_KM
        place_s = 0.0 if far else 0.1
        f["place_differs"] = [a["admin1"], b["admin1"]]
    elif dist is not None and dist <= _NEAR_KM and a.get("location") == b.get("location"):
        place_s = 1.0
        f["matched"].append("place")
    elif a.get("admin1") and a.get("admin1") == b.get("admin1"):
        place_s = 0.8
        f["matched"].append("admin1")
    else:
        place_s = 0.5  # country only on one side
    a1, b1 = a.get("actor1_id"), b.get("actor1_id")
    if _known(a1) and _known(b1):
        same = same_party(str(a1), str(b1))
        actors_s = 1.0 if same else 0.0
        if same:
            f["matched"].append("actor1")
        else:
            f["actors_differ"] = [a1, b1]
    else:
        actors_s = 0.6
    fa = (int(a.get("fatalities_low") or 0), int(a.get("fatalities_high") or 0))
    fb = (int(b.get("fatalities_low") or 0), int(b.get("fatalities_high") or 0))
    if fa[1] > 0 and fb[1] > 0:
        lo, hi = min(fa[0], fb[0]), max(fa[1], fb[1])
        overlap = fa[0] <= fb[1] and fb[0] <= fa[1]
        fat_s = 1.0 if overlap else max(0.0, lo / hi) if hi else 0.0
        if fat_s >= 0.6:
            f["matched"].append("fatalities")
    else:
        fat_s = 0.5
    if similarity is None:
        similarity = token_similarity(str(a.get("sentence") or ""), str(b.get("sentence") or ""))
        f["similarity_kind"] = "tokens"
    f["similarity"] = round(float(similarity), 3)
    sim_s = max(0.0, min(1.0, (float(similarity) - 0.2) / 0.5))
    if sim_s >= 0.6:
        f["matched"].append("text")
    parts = {
        "date": date_s,
        "type": type_s,
        "place": place_s,
        "actors": actors_s,
        "fatalities": fat_s,
        "similarity": sim_s,
    }
    score = 0.0 if f["vetoed"] else sum(_WEIGHTS[k] * v for k, v in parts.items())
    f["score"] = round(score, 3)
    return score, f
