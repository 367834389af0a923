"""Who acted and who was hit: actor1 and actor2 of an event from the actors named around it.

The role of a named actor is read from the words just before it (extraction.yaml ``roles``:
«برصاص», «على يد», «من قبل» → perpetrator; «استهدف», «في صفوف», «ضد», «مقر» → target;
«7 عناصر من» → victims), then from its place: named before the trigger with no such word it is
the subject (actor1); right after an air strike or shelling word it is the one firing
(«غارات التحالف»); otherwise it is the target. Civilians are always actor2 (ACLED: in violence
against civilians the victim is always actor2). Aliases that are also common words
(«الدولة», «التنظيم», «الجيش») count only once the context confirms them.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.extract.analysis import Analysis
from marsad.extract.lexicons import Actor, Lexicons, Place
from marsad.extract.matcher import PROCLITICS, Match

__all__ = ["ActorRef", "actor_refs", "choose_roles", "distinct", "flies"]

_FIRING = frozenset(
    {"Air/drone strike", "Shelling/artillery/missile attack"},
)
# Seizing: an actor right after the word is its agent («سيطرت قوات الحوثيين على», «استيلاء
# الحوثيين على»: the verb before its subject, the noun before its doer). Not regaining: «طرد
# عناصر داعش», «تحرير» take their object next.
_SEIZING = frozenset({"Non-state actor overtakes territory"})
# Sub-types whose perpetrator is almost never the state: state forces named in such a report,
# without a word making them the perpetrator, are its target («تفجير مسجد قوات الطوارئ»).
_NON_STATE_METHODS = frozenset(
    {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Abduction/forced disappearance"}
)

# Actors that fly aircraft: anyone else named with an air strike word, without a word making it
# the perpetrator, is its target («استهدفت المقاتلات التركية قرية زركلة ... من حزب العمال»,
# «مواقع الحوثيين تعرضت لغارات التحالف»). Drones are flown by armed groups too: named before a
# drone word, an armed group is still the subject («أطلق الحوثيون طائرة مسيرة»).
_AIR_POWERS = frozenset({"state_forces", "coalition"})


def flies(actor: Actor) -> bool:
    """Whether ``actor`` has an air force: a coalition, or state forces other than the police."""
    return actor.kind in _AIR_POWERS and not actor.acled.startswith("Police")


@dataclass(frozen=True, slots=True)
class ActorRef:
    actor: Actor
    hit: Match
    hint: str | None  # perpetrator | target | victim_of | None
    before_trigger: bool
    country: str | None  # ISO2 from an adjective right after the name («الجيش اليمني»)
    field: str


def _word(a: Analysis, span: tuple[int, int] | None) -> str:
    if span is None:
        return ""
    return a.field.scan[span[0] : span[1]]


def _strip(word: str) -> str:
    for run in ("و", "ف"):
        if len(word) > 2 and word.startswith(run):
            return word[len(run) :]
    return word


def _role_word(a: Analysis, word_start: int, skip: int, roles: tuple[str, ...], lex: Lexicons) -> str | None:
    """The first of ``roles`` whose word (one or two words, «و/ف» allowed) ends ``skip`` words before
    ``word_start``."""
    p1 = _word(a, a.word_before(word_start, skip))
    p2 = _word(a, a.word_before(word_start, skip + 1))
    cands = (p2 + " " + p1, p1, _strip(p1), _strip(p2 + " " + p1))
    return next((role for role in roles if any(c in lex.prepositions[role] for c in cands)), None)


def _hint(a: Analysis, hit: Match, lex: Lexicons) -> str | None:
    if _strip(_word(a, a.word_before(hit.word_start))) in lex.role_group_nouns and _role_word(
        a, hit.word_start, 1, ("perpetrator",), lex
    ):
        # a perpetrator word is read past «جماعة» in «تبنت جماعة "أنصار ..."», «على يد تنظيم داعش»
        # (not a target or victim word: «انتحاري من تنظيم داعش» is the bomber)
        return "perpetrator"
    role = _role_word(a, hit.word_start, 0, ("perpetrator", "victim_of", "target"), lex)
    if role is not None:
        return role
    prefix = a.field.scan[hit.word_start : hit.start]
    if prefix in PROCLITICS and prefix.endswith("ل") and prefix not in ("ال", "وال", "فال", "بال", "كال"):
        return "target"  # «لقوات النظام»: of/for the forces — a possessor of the target
    return None


def _adjective_country(a: Analysis, hit: Match) -> str | None:
    for p in a.places:
        if p.start >= hit.end and a.words_between(hit.end, p.start) == 0:
            place: Place = p.payloads[0]
            if place.adjective:
                return place.iso
            return None
        if p.start > hit.end:
            break
    return None


def actor_refs(
    a: Analysis, start: int, end: int, trigger_at: int, lex: Lexicons, confirmed: set[str], iso: str | None
) -> list[ActorRef]:
    """Actors named in ``scan[start:end]``; ambiguous aliases only when confirmed."""
    out: list[ActorRef] = []
    for hit in a.actors:
        if hit.start < start:
            continue
        if hit.start >= end:
            break
        adjective = _adjective_country(a, hit)
        actor = _pick(hit, confirmed, iso, adjective is not None)
        if actor is None:
            continue
        out.append(ActorRef(actor, hit, _hint(a, hit, lex), hit.start < trigger_at, adjective, a.field.name))
    return out


def _pick(hit: Match, confirmed: set[str], iso: str | None, adjective: bool = False) -> Actor | None:
    """One actor for a hit: prefer unambiguous payloads, then those active in the country; a form
    that needs a country adjective («الدبابات التركية») only when one follows."""
    cands: list[Actor] = [c for c in hit.payloads if not c.needs_adjective]
    if adjective and not any(not c.ambiguous for c in cands):
        # a country adjective settles whose forces a generic name means («طائرات حربية أمريكية»)
        with_adj: list[Actor] = [c for c in hit.payloads if c.needs_adjective or "{country}" in c.acled]
        if with_adj:
            return with_adj[0]
    plain = [c for c in cands if not c.ambiguous]
    if plain:
        if len(plain) == 1 or iso is None:
            return plain[0]
        local = [c for c in plain if iso in c.countries or c.home_country == iso]
        return (local or plain)[0]
    # confirmed: named plainly elsewhere in the document; or the event's country settles it between
    # several actors, or is where the alias names this actor (``local``: «المقاومة الشعبية» in Yemen)
    ok = [
        c
        for c in cands
        if c.id in confirmed or (iso is not None and iso in c.countries and (len(cands) > 1 or c.local))
    ]
    return ok[0] if ok else None


def choose_roles(
    refs: list[ActorRef], sub_event_type: str, trigger_end: int, drone: bool = False
) -> tuple[ActorRef | None, ActorRef | None]:
    """(actor1, actor2) from the actors named in an event's sentences (``drone``: the strike
    word names a drone)."""
    first: list[ActorRef] = []
    second: list[ActorRef] = []
    for r in refs:
        kind = r.actor.kind
        if (
            kind == "civilians"
            or (kind == "state_forces" and r.hint != "perpetrator" and sub_event_type in _NON_STATE_METHODS)
            or (
                not flies(r.actor)
                and r.hint != "perpetrator"
                and (not r.before_trigger or not drone)
                and sub_event_type == "Air/drone strike"
            )
        ):
            second.append(r)
        elif r.hint == "perpetrator":
            first.insert(0, r)
        elif r.hint in ("target", "victim_of"):
            second.append(r)
        elif r.before_trigger:
            first.append(r)
        elif sub_event_type in _FIRING and r.hit.start - trigger_end <= 2:
            # named right after the strike word or ending it («ضربات التحالف»), or in an earlier
            # sentence of the incident (a negative distance): the side that fires
            first.insert(0, r)
        elif sub_event_type in _SEIZING and r.hit.start <= trigger_end + 2 and r.hit.end > trigger_end:
            first.insert(0, r)
        elif kind in ("unidentified", "protesters"):
            first.append(r)
        else:
            second.append(r)
    actor1 = first[0] if first else None
    actor2 = None
    for r in second + first[1:]:
        if actor1 is None or distinct(actor1.actor, r.actor):
            actor2 = r
            break
    if (
        actor1 is None
        and actor2 is not None
        and actor2.actor.kind != "civilians"
        and len(second) > 1
        and sub_event_type not in _NON_STATE_METHODS
    ):
        # two targets and no perpetrator: the first named is more often the attacker (of an air
        # strike, the first that flies aircraft, or no one)
        flyers = [r for r in second if flies(r.actor) or sub_event_type != "Air/drone strike"]
        if flyers:
            actor1 = flyers[0]
            actor2 = next((r for r in second if r is not actor1 and distinct(actor1.actor, r.actor)), None)
    return actor1, actor2


def distinct(x: Actor, y: Actor) -> bool:
    """Two different forces: not the same actor, and neither a unit of the other."""
    return x.id != y.id and x.parent != y.id and y.parent != x.id
