"""Place mentions of an event and the place it is coded at (until the full geocoder resolves them).

Known places come from ``places.yaml`` (countries and their adjectives, first-level units,
towns). The words before a name set the precision (eval/gold/GUIDE.md, ACLED): «ريف X», «قرب X»,
«شمال X» → near X, geo_precision 2; «محافظة X» → the unit, geo_precision 3; a town named itself
→ 1. A place noun followed by a name the gazetteer does not know («قرية الدوة») is kept as the
mention, coded at the nearest known place with geo_precision 2 or, when none is known, left
unresolved with a reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache

from marsad.arabic.normalize import normalize_phrase
from marsad.clean.publishers import all_publishers
from marsad.extract.analysis import Analysis
from marsad.extract.lexicons import OffScene, Place
from marsad.extract.matcher import Match

__all__ = ["PlaceRef", "doc_country", "in_forms", "place_refs"]

_LEVEL = {"city": 3, "admin1": 2, "country": 1}


@dataclass(frozen=True, slots=True)
class PlaceRef:
    place: Place | None  # None: a named place the gazetteer does not know
    start: int  # mention span in Field.scan, place noun included («مدينة الرقة»)
    end: int
    precision: int  # ACLED geo_precision this mention supports
    noun: str | None  # kind of the place noun before it (settlement | district | region | direction)
    # («street» nouns never reach a PlaceRef: the name after them is a street's)
    field: str
    score: float = 0.0  # how sure the choice among the form's candidates is (0-1, see _choose)

    @property
    def level(self) -> int:
        return _LEVEL[self.place.kind] if self.place else 0


def _noun_before(a: Analysis, hit_start: int) -> Match | None:
    for n in a.place_nouns:
        if n.end <= hit_start and not a.field.scan[n.end : hit_start].strip():
            return n  # right before the name, nothing between (not across «.»)
        if n.start > hit_start:
            break
    return None


# how sure a choice is: one unambiguous place; a gazetteer place named as a place («بلدة X»); an
# ambiguous form settled by the document's country; namesakes told apart by a unit the text names,
# or only by population
_SURE, _NAMED_AS_PLACE, _BY_COUNTRY, _BY_UNIT, _BY_POPULATION = 0.95, 0.8, 0.7, 0.7, 0.5


def _choose(
    hit: Match,
    iso: str | None,
    noun: Match | None,
    named: frozenset[str] = frozenset(),
    countries: frozenset[str] = frozenset(),
) -> tuple[Place, float] | None:
    kind = noun.payloads[0].kind if noun else None
    named_as_place = kind in ("settlement", "district")  # «بلدة X», «حي X»
    cands: list[Place] = [p for p in hit.payloads if not p.adjective and (named_as_place or not p.needs_noun)]
    if not cands:
        return None
    key = noun.key if noun else ""
    if kind == "region" and key in ("محافظه", "ولايه", "اقليم"):
        units = [p for p in cands if p.kind == "admin1"]
        cands = units or cands
    elif kind in ("settlement", "district", "direction") or key in ("ريف", "ارياف"):
        towns = [p for p in cands if p.kind == "city"]
        cands = towns or cands
    local = [p for p in cands if iso is None or p.iso == iso]
    plain = [p for p in cands if not p.ambiguous]
    isos = {p.iso for p in cands}
    # «بلدة X», «حي X» with a gazetteer place of one country; a curated place only after a town noun
    # («مدينة تدمر»: not the verb «تدمر»); an ambiguous name in a country the text names nowhere
    # else is an unknown place of its own («بلدة الحضر في ريف القنيطرة» is not Hatra, Iraq)
    as_place = (
        named_as_place
        and len(isos) == 1
        and (not countries or bool(isos & countries) or not any(p.ambiguous for p in cands))
        and all(p.source != "places.yaml" or (kind == "settlement" and p.kind == "city") for p in cands)
    )
    score = _SURE
    if len(isos) > 1 or all(p.ambiguous for p in cands):
        if as_place:
            score = _NAMED_AS_PLACE  # «بلدة X», «حي X»: a gazetteer place of one country, named as a place
        elif not local or iso is None:
            return None  # shared by several countries, or a common word: needs context
        else:
            cands, score = local, _BY_COUNTRY
    else:
        cands = plain or cands
    # the most specific level; among gazetteer namesakes, one in a unit the text names, then the largest
    cands.sort(key=lambda p: (-_LEVEL[p.kind], p.admin1 not in named, -p.population))
    best = cands[0]
    rivals = [p for p in cands[1:] if _LEVEL[p.kind] == _LEVEL[best.kind] and p.name != best.name]
    if rivals:
        in_unit = best.admin1 in named and all(p.admin1 not in named for p in rivals)
        score = min(score, _BY_UNIT if in_unit else _BY_POPULATION)
    return best, score


def _is_street(noun: Match | None) -> bool:
    return noun is not None and noun.payloads[0].kind == "street"


# Quotation marks round an outlet's name that is also a place («مصادر "الرياض"», «قال لـ"الوطن"»:
# publishers.yaml ``strict``) make it the newspaper; a quoted place otherwise stays a place
# («تفجيرات "أبها"»).
_QUOTES = frozenset("\"«»“”„'")


@cache
def _outlet_names() -> frozenset[str]:
    return frozenset(normalize_phrase(p.name_ar) for p in all_publishers() if p.strict)


def _quoted_outlet(a: Analysis, hit: Match) -> bool:
    scan = a.field.scan
    if hit.word_start == 0 or scan[hit.word_start - 1] not in _QUOTES:
        return False
    if hit.end >= len(scan) or scan[hit.end] not in _QUOTES:
        return False
    return scan[hit.start : hit.end] in _outlet_names()


def _street_name(a: Analysis, hit: Match, noun: Match | None) -> bool:
    """Whether the name at ``hit`` names a street: right after a street noun, or joined by «و» to
    the name right after one («شارعي الثورة وبغداد»)."""
    if _is_street(noun):
        return True
    scan = a.field.scan
    if noun is not None or hit.start != hit.word_start + 1 or scan[hit.word_start] != "و":
        return False
    before = a.word_before(hit.word_start - 1)
    return (
        before is not None and not scan[before[1] : hit.word_start].strip() and _is_street(_noun_before(a, before[0]))
    )


_OFF_SCENE_WINDOW = 6  # words looked at before «إلى/في» (two before «لـ»)


def _bare(word: str) -> str:
    """``word`` without a leading «و/ف», for whole-word lookups."""
    return word[1:] if len(word) > 3 and word[0] in "وف" else word


def in_forms(word: str, forms: frozenset[str]) -> bool:
    """Whether a whole ``word`` is one of ``forms``, with or without a leading «و/ف»."""
    return word in forms or _bare(word) in forms


def _off_scene(a: Analysis, first: Match, start: int, off_scene: OffScene | None) -> str | None:
    """Why the place mention whose first word is ``first`` (its place noun or its name) is not the
    incident's scene («نقل المصابين إلى الرياض»: a destination; «في مؤتمر صحافي عقده في أنقرة»: a
    venue; «باستخدام قاعدة انجرليك»: a base strikes are flown from), or None."""
    if not off_scene:
        return None
    scan = a.field.scan
    mention_start = first.word_start
    clitics = scan[mention_start : first.start].lstrip("وف")
    if clitics.startswith("ل"):
        prep, window = (mention_start, mention_start), 2  # «رحلة لبلدة كوباني»
        kinds: tuple[str, ...] = ("destination",)
    else:
        before = a.word_before(mention_start)
        if before is None or before[0] < start or scan[before[1] : mention_start].strip():
            return None
        word = scan[before[0] : before[1]]
        for kind in off_scene.objects:  # «استخدام قاعدة انجرليك»: the place is the word's object
            if in_forms(word, off_scene.forms.get(kind, frozenset())):
                return kind
        prep, window = before, _OFF_SCENE_WINDOW
        kinds = off_scene.prepositions.get(scan[before[0] : before[1]], ())
    for k in range(1, window + 1):
        w = a.word_before(prep[0], k - 1)
        if w is None or w[0] < start:
            break
        word = scan[w[0] : w[1]]
        for kind in kinds:
            if in_forms(word, off_scene.forms.get(kind, frozenset())):
                return kind
    return None


def _countries(a: Analysis) -> frozenset[str]:
    """Countries the field names unambiguously: a place, a unit or the country itself (not an
    adjective: «الطائرات الروسية» strike elsewhere)."""
    return frozenset(p.iso for hit in a.places for p in hit.payloads if not p.ambiguous and not p.adjective)


def _units(a: Analysis) -> frozenset[str]:
    """admin1 units of the curated places the field names unambiguously (admin hierarchy)."""
    return frozenset(
        p.admin1
        for hit in a.places
        for p in hit.payloads
        if not p.ambiguous and p.admin1 and p.kind != "country" and p.source == "places.yaml"
    )


def place_refs(a: Analysis, start: int, end: int, iso: str | None, off_scene: OffScene | None = None) -> list[PlaceRef]:
    """Place mentions in ``scan[start:end]``, known ones resolved; adjectives are left out, and so are
    places the text puts off the scene (``off_scene``: destinations and venues, extraction.yaml)."""
    dates = [d for d in a.dates if d.start < end and start < d.end]
    out: list[PlaceRef] = []
    lexical = [m for m in (*a.triggers, *a.outcomes, *a.actors, *a.victims) if start <= m.start < end]
    covered: list[tuple[int, int]] = []
    units = _units(a) if any(p.source != "places.yaml" for h in a.places for p in h.payloads) else frozenset()
    countries = _countries(a)
    for hit in a.places:
        if hit.start < start or hit.start >= end:
            continue
        if any(x.start < hit.end and hit.start < x.end for x in a.actors):
            continue  # «قوات سوريا الديمقراطية», «الجيش اليمني»: part of an actor's name
        if any(d.start < hit.end and hit.start < d.end for d in dates):
            continue  # «3 آب (أغسطس)»: a month, not Ibb
        if _quoted_outlet(a, hit):
            continue  # «مصادر "الرياض"»: the newspaper, not the city
        noun = _noun_before(a, hit.word_start)
        if _street_name(a, hit, noun):
            continue  # «شارع بغداد», «شارعي الثورة وبغداد»: a street's name, not the town
        if _off_scene(a, noun or hit, start, off_scene):
            continue  # «نقل المصابين إلى الرياض», «مؤتمر صحافي عقده في أنقرة»
        chosen = _choose(hit, iso, noun, units, countries)
        if chosen is None:
            continue
        place, score = chosen
        kind = noun.payloads[0].kind if noun else None
        near = kind == "direction" or (noun is not None and noun.key in ("ريف", "ارياف", "اطراف", "محيط"))
        if place.kind == "city":
            precision = 2 if near else place.precision
        elif place.kind == "admin1":
            precision = 3
        else:
            precision = 3
        s = noun.word_start if noun else hit.word_start
        out.append(PlaceRef(place, s, hit.end, precision, kind, a.field.name, score))
        covered.append((s, hit.end))
    for n in a.place_nouns:
        if n.start < start or n.start >= end or n.payloads[0].kind != "settlement":
            continue
        if any(x <= n.start < y for x, y in covered):
            continue
        name = a.word_after(n.end)
        if name is None or name[0] >= end or a.field.scan[n.end : name[0]].strip():
            continue
        word = a.field.scan[name[0] : name[1]]
        if len(word) < 3 or not word[0].isalpha() or any(x.start <= name[0] < x.end for x in lexical):
            continue
        out.append(PlaceRef(None, n.word_start, name[1], 2, n.payloads[0].kind, a.field.name))
    out.sort(key=lambda r: r.start)
    return out


def doc_country(analyses: list[Analysis]) -> str | None:
    """The country a document is mostly about: places (title counted twice) and adjectives;
    without one, the country whose forces it names."""
    votes: Counter[str] = Counter()
    for a in analyses:
        weight = 2 if a.field.name == "title" else 1
        for hit in a.places:
            isos = {p.iso for p in hit.payloads if not p.ambiguous}
            if len(isos) == 1:
                votes[isos.pop()] += weight
    if not votes:
        # no place settles it: the forces of one country («قوات النظام», «الحوثيون») do
        for a in analyses:
            for hit in a.actors:
                homes = {x for p in hit.payloads if not p.ambiguous for x in p.countries}
                if len(homes) == 1:
                    votes[homes.pop()] += 1
    if not votes:
        return None
    return votes.most_common(1)[0][0]
