"""Blocks of candidate events and the incidents inside a block.

An event goes to the block of its country and week (``ISO|week``), and to the neighbouring week
when it lies within :data:`~marsad.link.features.WINDOW_DAYS` of the week's edge, so any two
events close enough in time share a block and nothing compares events of different countries or
far-apart dates: the work grows with the number of events times the events per country-week.
Inside a block, events are compared in date order within the window; pairs are merged greedily,
best score first, never putting two events of one document in one incident.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.link.features import THRESHOLD, WINDOW_DAYS, compare, event_day

__all__ = ["DisjointSets", "Incident", "Report", "block_keys", "incident_id", "link_block", "merge_incidents"]

_BUCKET_DAYS = 7
_GROUP_AGREEMENT = 0.5  # mean score between the reports of two groups that join


@dataclass(slots=True)
class Report:
    """One event of an incident, with the match that put it there."""

    event_id: str
    document_id: str
    outlet: str | None
    linked_to: str | None  # the event of the incident it matched (None for the first)
    score: float
    features: dict[str, Any]


@dataclass(slots=True)
class Incident:
    """Events that report one incident; ``id`` is a hash of its smallest event id (stable while
    that report is in the store)."""

    id: str
    reports: list[Report] = field(default_factory=list)

    @property
    def event_ids(self) -> list[str]:
        return [r.event_id for r in self.reports]


def incident_id(event_ids: Iterable[str]) -> str:
    return "in_" + hashlib.sha1(min(event_ids).encode("utf-8")).hexdigest()[:16]


def block_keys(event: dict[str, Any]) -> list[str]:
    """The blocks an event (a row of the ``events`` table) is compared in: ``"ISO|week"`` for its
    country and week, plus the next or previous week near the week's edge; none without a date."""
    day = event_day(event)
    if day is None:
        return []
    iso = event.get("iso") or "??"
    n = day.toordinal()
    week, pos = divmod(n, _BUCKET_DAYS)
    keys = [f"{iso}|{week}"]
    if pos < WINDOW_DAYS:
        keys.append(f"{iso}|{week - 1}")
    elif pos > _BUCKET_DAYS - 1 - WINDOW_DAYS:
        keys.append(f"{iso}|{week + 1}")
    return keys


def _similarity(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    ea, eb = a.get("embedding"), b.get("embedding")
    if ea is None or eb is None:
        return None
    return float(sum(x * y for x, y in zip(ea, eb, strict=False))) if not hasattr(ea, "dot") else float(ea.dot(eb))


def link_block(events: Sequence[dict[str, Any]], threshold: float = THRESHOLD) -> list[Incident]:
    """Incidents of one block. ``events`` are rows of the ``events`` table, optionally with
    ``outlet`` (who published the document), ``sentence`` (the words the event was read from) and
    ``embedding`` (a unit vector of that sentence); every event ends in exactly one incident."""
    rows = sorted((e for e in events if e.get("id")), key=lambda e: (str(event_day(e) or ""), str(e["id"])))
    days = [event_day(e) for e in rows]
    pairs: list[tuple[float, int, int, dict[str, Any]]] = []
    scores: dict[tuple[int, int], float] = {}  # every pair compared (the others are too far apart in time)
    for i, a in enumerate(rows):
        da = days[i]
        for j in range(i + 1, len(rows)):
            db = days[j]
            if da is None or db is None or (db - da).days > WINDOW_DAYS:
                break
            b = rows[j]
            if a["document_id"] == b["document_id"]:
                continue
            score, feats = compare(a, b, _similarity(a, b))
            scores[(i, j)] = score
            if score >= threshold:
                pairs.append((score, i, j, feats))
    parent = list(range(len(rows)))
    docs: list[set[str]] = [{str(e["document_id"])} for e in rows]
    members: list[list[int]] = [[k] for k in range(len(rows))]
    link: dict[int, tuple[int, float, dict[str, Any]]] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for score, i, j, feats in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        ri, rj = find(i), find(j)
        if ri == rj or docs[ri] & docs[rj] or not _agree(members[ri], members[rj], scores):
            continue
        parent[rj] = ri
        members[ri] += members[rj]
        docs[ri] |= docs[rj]
        if j not in link:
            link[j] = (i, score, feats)
        elif i not in link:
            link[i] = (j, score, feats)
    groups: dict[int, list[int]] = {}
    for k in range(len(rows)):
        groups.setdefault(find(k), []).append(k)
    out = []
    for group in groups.values():
        ids = [str(rows[k]["id"]) for k in group]
        inc = Incident(incident_id(ids))
        for k in group:
            e = rows[k]
            to, score, feats = link.get(k, (None, 1.0, {"matched": [], "first": True}))
            inc.reports.append(
                Report(str(e["id"]), str(e["document_id"]), e.get("outlet"),
                       str(rows[to]["id"]) if to is not None else None, round(float(score), 3), feats)
            )  # fmt: skip
        out.append(inc)
    return out


def _agree(x: list[int], y: list[int], scores: dict[tuple[int, int], float]) -> bool:
    """Two groups join only when no report of one rules out a report of the other (no chaining of
    «same day, same city» through a third report) and they agree on average."""
    cross = [scores.get((min(i, j), max(i, j)), 0.0) for i in x for j in y]
    return min(cross) > 0.0 and sum(cross) / len(cross) >= _GROUP_AGREEMENT


class DisjointSets:
    """Union-find over string nodes; a set is named by its smallest node (path halving)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        """The name of ``x``'s set (``x`` joins as a set of its own if new)."""
        parent = self.parent
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def merge_incidents(incidents: Iterable[Incident]) -> list[Incident]:
    """One incident per connected set: incidents of different blocks that share an event are one
    (an event near a week's edge is in two blocks). Each event keeps its best-scored report."""
    sets = DisjointSets()
    best: dict[str, Report] = {}
    for inc in incidents:
        ids = inc.event_ids
        for r in inc.reports:
            sets.find(r.event_id)
            old = best.get(r.event_id)
            if (
                old is None
                or (old.linked_to is None and r.linked_to is not None)
                or (r.linked_to is not None and r.score > old.score)
            ):
                best[r.event_id] = r
        for other in ids[1:]:
            sets.union(ids[0], other)
    groups: dict[str, list[str]] = {}
    for eid in best:
        groups.setdefault(sets.find(eid), []).append(eid)
    out = []
    for ids in groups.values():
        inc = Incident(incident_id(ids), [best[e] for e in sorted(ids)])
        out.append(inc)
    return sorted(out, key=lambda i: i.id)
