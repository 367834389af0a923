"""Contradictions between claims, and the grade of an incident.

Claims are the dict rows of the ``claims`` table (``values`` a dict, ``evidence`` a list), each
with an optional ``outlet`` key (the publishing outlet). Two accounts contradict each other on:

* ``cause`` — their methods cannot both be true (claims.yaml method families: «لغم» vs «مفخخة»);
* ``perpetrator`` — two known, unrelated actors are said to have done it;
* ``fatalities`` — their [low, high] ranges do not overlap;
* ``location`` — they name different provinces;
* ``existence`` — one holder says it happened, another denies it;
* ``group_status`` (statements in one document) — «القضاء على داعش» vs «لا تزال خلاياه تنتشر».

A holder found on both sides of one disagreement is left out of it (its words were misread or it
changed its mind; neither is a contradiction between accounts).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.claims.lexicon import claim_lexicon
from marsad.link.features import same_party

__all__ = ["Contradiction", "contradictions_between", "contradictions_in_document", "grade"]

_CONTESTING = frozenset({"existence", "perpetrator", "cause"})


@dataclass(slots=True)
class Side:
    value: str
    claims: list[dict[str, Any]]

    def holders(self) -> list[str]:
        return list(dict.fromkeys(str(c["holder"]) for c in self.claims))

    def row(self, prefix: str) -> dict[str, Any]:
        first = self.claims[0]
        evidence = [dict(e, claim_id=c["id"]) for c in self.claims for e in _evidence(c)]
        return {
            f"{prefix}_value": self.value,
            f"{prefix}_holder": "; ".join(self.holders()),
            f"{prefix}_holder_type": "; ".join(dict.fromkeys(str(c["holder_type"]) for c in self.claims)),
            f"{prefix}_source": "; ".join(
                dict.fromkeys(str(c.get("outlet") or "") for c in self.claims if c.get("outlet"))
            )
            or None,
            f"{prefix}_document_id": first["document_id"],
            f"{prefix}_event_id": first.get("event_id"),
            f"{prefix}_claim_id": first["id"],
            f"{prefix}_evidence": evidence,
        }


@dataclass(slots=True)
class Contradiction:
    """Two accounts that cannot both be true, each side with its holders, claims and evidence."""

    id: str
    scope: str  # document | incident
    aspect: str
    subject: str | None
    a: Side
    b: Side
    explanation: str
    incident_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_row(self) -> dict[str, Any]:
        row: dict[str, Any] = {"id": self.id, "scope": self.scope, "aspect": self.aspect,
                               "incident_id": self.incident_id, "subject": self.subject,
                               "explanation": self.explanation}  # fmt: skip
        row.update(self.a.row("a"))
        row.update(self.b.row("b"))
        return row


def _evidence(c: dict[str, Any]) -> list[dict[str, Any]]:
    ev = c.get("evidence") or []
    return json.loads(ev) if isinstance(ev, str) else list(ev)


def _values(c: dict[str, Any]) -> dict[str, Any]:
    v = c.get("values") or {}
    return json.loads(v) if isinstance(v, str) else dict(v)


def _make(
    scope: str, aspect: str, subject: str | None, a: Side, b: Side, why: str, incident: str | None
) -> Contradiction:
    if (a.value, a.claims[0]["id"]) > (b.value, b.claims[0]["id"]):
        a, b = b, a
    sides = [",".join(sorted(c["id"] for c in side.claims)) for side in (a, b)]
    key = "\x1f".join([scope, aspect, str(subject), str(incident), a.value, b.value, *sides])
    cid = "cx_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]
    return Contradiction(cid, scope, aspect, subject, a, b, why, incident)


def _split(groups: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Drop holders that stand on more than one side; drop sides left empty."""
    seen: dict[str, set[str]] = {}
    for value, cs in groups.items():
        for c in cs:
            seen.setdefault(str(c["holder_id"]) + "|" + str(c["document_id"]), set()).add(value)
    out = {}
    for value, cs in groups.items():
        kept = [c for c in cs if len(seen[str(c["holder_id"]) + "|" + str(c["document_id"])]) == 1]
        if kept:
            out[value] = kept
    return out


def _effective(c: dict[str, Any]) -> str | None:
    value = c.get("value")
    if value is None:
        return None
    if c.get("stance") == "denies":
        return claim_lexicon().opposes.get((str(c["topic"]), str(value)))
    return str(value)


def _statement_contradictions(
    claims: Sequence[dict[str, Any]], scope: str, incident: str | None
) -> list[Contradiction]:
    by_subject: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
    for c in claims:
        if c.get("kind") != "statement" or c.get("topic") != "group_status":
            continue
        value = _effective(c)
        if value is not None:
            by_subject.setdefault((str(c.get("subject")), "group_status"), {}).setdefault(value, []).append(c)
    out = []
    opposes = claim_lexicon().opposes
    for (subject, topic), groups in by_subject.items():
        groups = _split(groups)
        for value, cs in sorted(groups.items()):
            other = opposes.get((topic, value))
            if other and other in groups and value < other:
                a, b = Side(value, cs), Side(other, groups[other])
                why = (
                    f"{subject} is {value} according to {', '.join(a.holders())}; "
                    f"{other} according to {', '.join(b.holders())}"
                )
                out.append(_make(scope, topic, subject, a, b, why, incident))
    return out


def _event_contradictions(claims: Sequence[dict[str, Any]], scope: str, incident: str | None) -> list[Contradiction]:
    events = [c for c in claims if c.get("kind") == "event" and c.get("topic") in ("event", "responsibility")]
    lex = claim_lexicon()
    out: list[Contradiction] = []
    # cause: the first method each account names
    causes: dict[str, list[dict[str, Any]]] = {}
    for c in events:
        cause = _values(c).get("cause")
        if cause and c.get("stance") != "denies":
            causes.setdefault(str(cause[0]), []).append(c)
    causes = _split(causes)
    keys = sorted(causes)
    for i, x in enumerate(keys):
        for y in keys[i + 1 :]:
            if lex.methods_conflict(x, y):
                a, b = Side(x, causes[x]), Side(y, causes[y])
                why = f"method: {x} according to {', '.join(a.holders())}; {y} according to {', '.join(b.holders())}"
                out.append(_make(scope, "cause", None, a, b, why, incident))
    # perpetrator
    perps: dict[str, list[dict[str, Any]]] = {}
    for c in events:
        p = _values(c).get("perpetrator")
        if p and not str(p).startswith("unidentified") and c.get("stance") != "denies":
            perps.setdefault(str(p), []).append(c)
    perps = _split(perps)
    keys = sorted(perps)
    for i, x in enumerate(keys):
        for y in keys[i + 1 :]:
            if not same_party(x, y):
                a, b = Side(x, perps[x]), Side(y, perps[y])
                out.append(_make(scope, "perpetrator", None, a, b, f"carried out by {x} or by {y}", incident))
    # fatalities: ranges that do not overlap
    tolls: dict[str, list[dict[str, Any]]] = {}
    ranges: dict[str, tuple[int, int]] = {}
    for c in events:
        f = _values(c).get("fatalities")
        if f and int(f[1]) > 0:
            key = f"{int(f[0])}" if int(f[0]) == int(f[1]) else f"{int(f[0])}-{int(f[1])}"
            tolls.setdefault(key, []).append(c)
            ranges[key] = (int(f[0]), int(f[1]))
    tolls = _split(tolls)
    keys = sorted(tolls, key=lambda k: ranges[k])
    for i, x in enumerate(keys):
        for y in keys[i + 1 :]:
            (xl, xh), (yl, yh) = ranges[x], ranges[y]
            if xh < yl or yh < xl:
                a, b = Side(x, tolls[x]), Side(y, tolls[y])
                out.append(_make(scope, "fatalities", None, a, b, f"{x} killed vs {y} killed", incident))
    # location: different provinces
    places: dict[str, list[dict[str, Any]]] = {}
    for c in events:
        v = _values(c)
        if v.get("admin1"):
            places.setdefault(str(v["admin1"]), []).append(c)
    places = _split(places)
    keys = sorted(places)
    for i, x in enumerate(keys):
        for y in keys[i + 1 :]:
            a, b = Side(x, places[x]), Side(y, places[y])
            out.append(_make(scope, "location", None, a, b, f"in {x} or in {y}", incident))
    # existence: asserted by some, denied by others
    asserted = [c for c in claims if c.get("kind") == "event" and c.get("stance") in ("asserts", "alleges")]
    denied = [
        c for c in claims if c.get("stance") == "denies" and (c.get("kind") == "event" or c.get("topic") == "existence")
    ]
    if asserted and denied:
        groups = _split({"happened": asserted, "denied": denied})
        if len(groups) == 2:
            a, b = Side("happened", groups["happened"]), Side("denied", groups["denied"])
            why = f"reported by {', '.join(a.holders())}; denied by {', '.join(b.holders())}"
            out.append(_make(scope, "existence", None, a, b, why, incident))
    return out


def contradictions_in_document(claims: Sequence[dict[str, Any]]) -> list[Contradiction]:
    """Competing accounts inside one article: per event (cause, perpetrator, toll, existence) and
    per armed group (status). ``claims`` are the claims of one document."""
    out = _statement_contradictions(claims, "document", None)
    by_event: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        if c.get("event_id"):
            by_event.setdefault(str(c["event_id"]), []).append(c)
    for cs in by_event.values():
        out.extend(_event_contradictions(cs, "document", None))
    return out


def contradictions_between(claims: Sequence[dict[str, Any]], incident_id: str | None) -> list[Contradiction]:
    """Disagreements between the reports of one incident: ``claims`` are the event claims (and
    denials) of its events, from two documents or more; pairs inside one document are left to
    :func:`contradictions_in_document`."""
    docs = {c["document_id"] for c in claims}
    if len(docs) < 2:
        return []
    found = _event_contradictions(claims, "incident", incident_id)
    return [x for x in found if len({c["document_id"] for c in [*x.a.claims, *x.b.claims]}) > 1]


def grade(
    claims: Iterable[dict[str, Any]],
    contradictions: Sequence[Contradiction],
    outlets: Sequence[str | None],
    document_ids: Sequence[str],
) -> tuple[str, str]:
    """``(grade, reason)`` of an incident, in Airwars' spirit:

    * ``confirmed`` — a party accepted responsibility (its own claim of responsibility, or the
      perpetrator's own media reporting the act), and nobody denies the incident;
    * ``contested`` — its accounts disagree on whether it happened, who did it or how;
    * ``corroborated`` — two or more independent outlets report it;
    * ``single_source`` — one outlet only.
    """
    claims = list(claims)
    aspects = sorted({c.aspect for c in contradictions})
    contested = [a for a in aspects if a in _CONTESTING]
    for c in claims:
        v = _values(c)
        perp = v.get("perpetrator")
        party = c.get("holder_party")
        accepted = v.get("responsibility") or (perp and same_party(str(perp), str(party)))
        if c.get("stance") == "asserts" and party and accepted and "existence" not in contested:
            return "confirmed", f"responsibility accepted by {c['holder']}"
    if contested:
        return "contested", "accounts disagree on " + ", ".join(contested)
    independent = {o or d for o, d in zip(outlets, document_ids, strict=True)}
    tolls = " (tolls differ)" if "fatalities" in aspects else ""
    if len(independent) >= 2:
        return "corroborated", f"{len(independent)} independent outlets{tolls}"
    return "single_source", f"one outlet{tolls}"
