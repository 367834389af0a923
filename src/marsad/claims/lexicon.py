"""The claim lexicons (``holders.yaml``, ``claims.yaml`` and the parts of ``attribution.yaml``,
``publishers.yaml`` and ``actors.yaml`` that name holders), compiled once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from marsad.arabic.normalize import normalize_phrase
from marsad.extract.lexicons import Cue
from marsad.extract.matcher import PhraseMatcher
from marsad.lexicon import load

__all__ = ["ClaimLexicon", "Holder", "claim_lexicon", "holder_for_actor", "holder_for_source"]


@dataclass(frozen=True, slots=True)
class Holder:
    id: str
    name: str
    type: str
    party: str | None


@dataclass(frozen=True, slots=True)
class Status:
    topic: str
    value: str
    opposes: str | None


@dataclass(frozen=True, slots=True)
class ClaimLexicon:
    holders: PhraseMatcher  # payload Holder (holders.yaml and publishers.yaml)
    cues: PhraseMatcher  # payload Cue(stance, position): attribution.yaml cues + extra_cues
    statements: PhraseMatcher  # payload Status
    strength_nouns: PhraseMatcher  # payload Cue("strength")
    source_types: dict[str, tuple[str, str]]  # attribution source type -> (holder type, name)
    actor_kinds: dict[str, str]  # actors.yaml kind -> holder type
    method_family: dict[str, str]  # trigger id -> family
    compatible: frozenset[frozenset[str]]  # family pairs that do not conflict
    conflicting: frozenset[frozenset[str]]  # trigger pairs that conflict inside one family
    opposes: dict[tuple[str, str], str]  # (topic, value) -> the opposed value
    negators: frozenset[str]  # normal forms of words that negate a statement word after them

    def methods_conflict(self, a: str, b: str) -> bool:
        """Whether trigger ids ``a`` and ``b`` name methods that cannot both be true of one incident."""
        if a == b:
            return False
        fa, fb = self.method_family.get(a, "generic"), self.method_family.get(b, "generic")
        if "generic" in (fa, fb):
            return False
        if fa == fb:
            return frozenset((a, b)) in self.conflicting
        return frozenset((fa, fb)) not in self.compatible


def _phrases(entries: list[dict[str, Any]], make: Any) -> list[tuple[str, Any]]:
    return [(str(f), make(e)) for e in entries for f in e.get("forms") or ()]


@cache
def claim_lexicon() -> ClaimLexicon:
    holders_data = load("holders")
    claims_data = load("claims")
    att = load("attribution")
    pubs = load("publishers")
    holders = _phrases(
        holders_data["holders"], lambda e: Holder(str(e["id"]), str(e["name"]), str(e["type"]), e.get("party"))
    )
    pub_types = holders_data["publisher_types"]
    for p in pubs["publishers"]:
        if p.get("strict"):
            continue
        h = Holder(
            f"pub:{p['id']}", str(p.get("name_en") or p["id"]), str(pub_types.get(p.get("type"), "outlet")), None
        )
        for form in [p.get("name_ar"), *(p.get("aliases") or ())]:
            if form:
                holders.append((str(form), h))
    cues = _phrases([*att["cues"], *claims_data["extra_cues"]], lambda e: Cue(str(e["stance"]), e.get("position")))
    statements: list[tuple[str, Any]] = []
    opposes: dict[tuple[str, str], str] = {}
    suffixes: set[str] = set()
    for topic, spec in claims_data["statements"].items():
        if "values" not in spec:
            continue
        suffixes.update(str(s) for s in spec.get("suffixes") or ())
        for value, v in spec["values"].items():
            st = Status(str(topic), str(value), v.get("opposes"))
            if st.opposes:
                opposes[(st.topic, st.value)] = str(st.opposes)
            statements.extend((str(f), st) for f in v["forms"])
    nouns = [(str(f), Cue("strength")) for f in claims_data["statements"]["group_strength"]["nouns"]]
    family = {str(t): str(fam) for fam, ids in claims_data["methods"].items() for t in ids}
    return ClaimLexicon(
        holders=PhraseMatcher(holders, bare_article=False),
        cues=PhraseMatcher(cues, bare_article=False),
        statements=PhraseMatcher(statements, suffixes=sorted(suffixes), bare_article=False),
        strength_nouns=PhraseMatcher(nouns, bare_article=False),
        source_types={str(k): (str(v["type"]), str(v["name"])) for k, v in holders_data["source_types"].items()},
        actor_kinds={str(k): str(v) for k, v in holders_data["actor_kinds"].items()},
        method_family=family,
        compatible=frozenset(frozenset(map(str, p)) for p in claims_data["compatible_families"]),
        conflicting=frozenset(frozenset(map(str, p)) for p in claims_data["conflicting"]),
        opposes=opposes,
        negators=frozenset(normalize_phrase(str(w)) for w in claims_data["negators"]),
    )


def holder_for_source(source_type: str) -> Holder:
    """The holder a generic source noun of attribution.yaml stands for («مصادر محلية» → Local sources)."""
    kind, name = claim_lexicon().source_types.get(source_type, ("sources", "Sources"))
    return Holder(f"src:{source_type}", name, kind, None)


def holder_for_actor(actor_id: str, name: str, kind: str) -> Holder | None:
    """An armed actor speaking for itself, or None when its kind does not make statements."""
    htype = claim_lexicon().actor_kinds.get(kind)
    return Holder(f"actor:{actor_id}", name, htype, actor_id) if htype else None
