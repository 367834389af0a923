"""From sentences to events and tallies.

1. **Frames.** Each sentence with a trigger (events.yaml) gets a frame: the trigger that types it
   (strong before weak, a refining trigger before the one it overrides), its casualty figures,
   its date and places. Triggers under a hypothetical cue («هدد», «سوف», «حكم بالإعدام») or a
   denial («نفى», «لا صحة») make no frame and leave a note; weak triggers need a figure, an
   actor or a strong trigger beside them; plural triggers after a vague count («عشرات
   العمليات») are a trend, not an incident. A sentence with a casualty figure and no trigger
   is a frame too (``casualty_only``) — it usually completes a neighbour.
2. **Tallies.** A killed count with a period («خلال شهر نيسان», «منذ بداية العام», «حتى الآن»)
   is a tally per group of victims, not an event.
3. **Events.** Frames close to each other that agree on type, date and place are one incident
   (ACLED: one event per day × location × type); the title joins the first event it agrees
   with. Each event takes its date (the sentence's, else the group's, else the publication
   date minus one day with precision 2, GUIDE.md), its place, actor1/actor2, the largest figure
   any sentence gives, and its evidence. Events dated more than 60 days before publication
   are background and dropped with a note.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from marsad.arabic.reltime import ResolvedDate
from marsad.extract.analysis import Analysis
from marsad.extract.figures import Figure, figures, totals
from marsad.extract.lexicons import Lexicons, Trigger
from marsad.extract.matcher import Match
from marsad.extract.model import Event, Evidence, Extraction, Tally
from marsad.extract.places import PlaceRef, in_forms, place_refs
from marsad.extract.roles import ActorRef, actor_refs, choose_roles, distinct, flies
from marsad.extract.text import Sentence
from marsad.lexicon import load

__all__ = ["Context", "assemble"]

_BACKGROUND_DAYS = 60
_UNDATED_DAYS = 7  # an undated incident is dated the day before publication, precision 2 (a week)
_CUE_WINDOW = 5  # words between a hypothetical/denial cue and the trigger it governs
_MERGE_SENTENCES = 3
_TALLY_WINDOW = 15  # words between a killed count and the period phrase that makes it a tally
# a count this large is a war's or a year's toll («أكثر من 240 ألف قتيل»), never one incident's
_MAX_INCIDENT_COUNT = 1000
_CASUALTY_ONLY = Trigger(
    "casualty_only", "Battles", "Armed clash", "ASSAULT", None, strong=False, overrides=frozenset()
)
_CASUALTY_ONLY_CIVILIANS = dataclasses.replace(
    _CASUALTY_ONLY, event_type="Violence against civilians", sub_event_type="Attack"
)
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_NEEDS_PERPETRATOR = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_STATE_SIDE = frozenset({1, 3, 8})
_MANY_PLACES = frozenset({"Air/drone strike", "Shelling/artillery/missile attack"})  # reported as lists
_LIST_GAP = 8  # words between two places of one list («... بمحافظة لحج، وفي أنحاء متفرقة من محافظة مأرب»)


@dataclass(slots=True)
class Context:
    document_id: str
    published: dt.date | None
    iso: str | None  # the country the document is mostly about
    confirmed: set[str]  # actor ids named unambiguously somewhere in the document
    lex: Lexicons
    notes: list[str] = field(default_factory=list)
    analyses: list[Analysis] = field(default_factory=list)  # the document's fields (set by assemble)
    # the forces with an air force that the document names, most named first (read on first need)
    air_powers: list[tuple[Analysis, ActorRef]] | None = None


@dataclass(slots=True)
class Frame:
    a: Analysis
    s: Sentence
    trigger: Trigger
    hit: Match | None
    figs: list[Figure]
    date: ResolvedDate | None
    places: list[PlaceRef]
    background: bool  # the sentence opens with a background marker («يذكر أن», «وكان»)
    turn: bool = False  # ... or turns to other news («وفي سياق متصل», «من جهة أخرى»)
    split: bool = False  # a clause of a sentence that reports several incidents (``_clauses``)

    @property
    def field(self) -> str:
        return self.a.field.name


def _before(a: Analysis, cues: list[Match], hit: Match) -> Match | None:
    """A cue overlapping ``hit`` or ending at most a few words before it (same sentence); a cue
    marked ``position: adjacent`` in the data only right before it."""
    for c in cues:
        if c.start < hit.end and hit.start < c.end:
            return c
        window = 0 if c.payloads[0].detail == "adjacent" else _CUE_WINDOW
        if c.end <= hit.start and a.words_between(c.end, hit.start) <= window:
            return c
    return None


def _rank(
    t: Trigger, hit: Match, others: list[tuple[Trigger, Match]], anchor: int | None = None
) -> tuple[int, int, int, int, int]:
    """Strong before weak, refining before refined, then nearest the sentence's anchor (its
    exact date or first casualty figure: in a long sentence listing several kinds of attack,
    the one dated and counted is the incident), then longest."""
    overrides = sum(1 for o, _ in others if o.id in t.overrides)
    overridden = sum(1 for o, _ in others if t.id in o.overrides)
    near = -abs(hit.start - anchor) if anchor is not None else 0
    return (int(t.strong), overrides - overridden, near, hit.length, -hit.start)


def _anchor(a: Analysis, s: Sentence, figs: list[Figure]) -> int | None:
    days: list[ResolvedDate] = [d for d in a.in_sentence(a.dates, s) if d.precision == 1]
    if days:
        return days[0].start
    return figs[0].start if figs else None


def _vague_before(a: Analysis, hit: Match) -> bool:
    for q in a.quantities:
        if q.qualifier == "vague" and q.end <= hit.word_start and a.words_between(q.end, hit.word_start) == 0:
            return True
    return False


def _since(a: Analysis, at: int, since_words: frozenset[str]) -> bool:
    """Whether the date phrase at ``at`` follows «منذ»: the start of a state («يسيطرون عليها منذ
    الشهر الماضي»), not the day of an incident (extraction.yaml ``since_words``)."""
    w = a.word_before(at)
    return w is not None and a.field.scan[w[0] : w[1]] in since_words and not a.field.scan[w[1] : at].strip()


def _died_of_wounds_at(a: Analysis, s: Sentence, words: frozenset[str]) -> int | None:
    """Where «متأثرا (بجراحه)» stands in the sentence: a death from wounds is reported there."""
    i = a.word_index(s.start)
    while i < len(a.word_starts) and a.word_starts[i] < s.end:
        if a.field.scan[a.word_starts[i] : a.word_ends[i]] in words:
            return a.word_starts[i]
        i += 1
    return None


def _nearest_date(a: Analysis, s: Sentence, at: int, lex: Lexicons) -> ResolvedDate | None:
    dates: list[ResolvedDate] = [
        d
        for d in a.in_sentence(a.dates, s)
        if (d.date is not None or d.reason) and not _since(a, d.start, lex.since_words)
    ]
    if len(dates) > 1:
        died = _died_of_wounds_at(a, s, lex.wounds_words)
        if died is not None and any(d.start > died for d in dates):
            # «توفي جندي، أمس، متأثرا بإصابته في حادث ... يوم الخميس»: the incident's day follows
            dates = [d for d in dates if d.start > died]
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d.start - at))


def _frame(a: Analysis, s: Sentence, ctx: Context, tallies: list[Tally]) -> Frame | None:
    lex = ctx.lex
    trig_hits = a.in_sentence(a.triggers, s)
    figs = figures(a, s, lex)
    killed = [f for f in figs if f.outcome == "killed"]
    periods = [
        p
        for p in a.in_sentence(a.periods, s)
        if any(abs(a.word_index(p.start) - a.word_index(k.start)) <= _TALLY_WINDOW for k in killed)
    ]
    if killed and periods:
        tallies.extend(_tallies(a, s, ctx, killed, periods, trig_hits))
        return None
    if any(f.best >= _MAX_INCIDENT_COUNT for f in figs):
        big = next(f for f in figs if f.best >= _MAX_INCIDENT_COUNT)
        ctx.notes.append(f"a toll too large for one incident: «{a.field.quote(big.start, big.end)}»")
        figs = [f for f in figs if f.best < _MAX_INCIDENT_COUNT]
    hypo = a.in_sentence(a.hypothetical, s)
    neg = [m for m in a.in_sentence(a.negation, s) if m.payloads[0].kind == "event"]
    nonpol = a.in_sentence(a.non_political, s)
    actors_here = [
        m
        for m in a.in_sentence(a.actors, s)
        if any(not p.ambiguous and p.kind not in ("civilians", "protesters") for p in m.payloads)
    ]
    kept: list[tuple[Trigger, Match]] = []
    for hit in trig_hits:
        t: Trigger = hit.payloads[0]
        cue = _before(a, hypo, hit)
        if cue is not None:
            ctx.notes.append(f"not an event ({cue.payloads[0].kind}): «{a.field.quote(cue.start, hit.end)}»")
            continue
        cue = _before(a, neg, hit)
        if cue is not None and t.sub_event_type != "Disrupted weapons use":
            ctx.notes.append(f"denied or foiled: «{a.field.quote(cue.start, hit.end)}»")
            continue
        if _vague_before(a, hit):
            continue
        kept.append((t, hit))
    # a match report names clubs that bear armed forces' names («حرس الحدود», «الجيش», «الشرطة»):
    # two sports words make the sentence sport whoever is named
    sport = len({m.key for m in nonpol if m.payloads[0].kind == "sport"}) >= 2
    if nonpol and (not actors_here or sport):
        if kept:
            ctx.notes.append(
                f"not political violence ({nonpol[0].payloads[0].kind}): «{a.field.quote(s.start, s.end)[:80]}»"
            )
        return None
    strong = any(t.strong for t, _ in kept)
    if kept and not strong and not figs and not actors_here:
        kept = []
    places = place_refs(a, s.start, s.end, ctx.iso, ctx.lex.off_scene)
    opening = [b.payloads[0].kind for b in a.in_sentence(a.background, s) if b.start - s.start < 12]
    background, turn = "background" in opening, "transition" in opening
    if kept:
        anchor = _anchor(a, s, figs)
        best_t, best_hit = max(kept, key=lambda th: _rank(th[0], th[1], kept, anchor))
        date = _nearest_date(a, s, best_hit.start, ctx.lex)
        if best_t.sub_event_type == "Air/drone strike":
            places = [p for p in places if not _air_base(a, p, ctx.lex)]
        return Frame(a, s, best_t, best_hit, figs, date, places, background, turn)
    if any(f.outcome in ("killed", "injured") for f in figs) and not any(
        h.payloads[0].detail != "adjacent" for h in hypo
    ):
        at = figs[0].start
        date = _nearest_date(a, s, at, ctx.lex)
        return Frame(a, s, _CASUALTY_ONLY, None, figs, date, places, background, turn)
    return None


def _air_base(a: Analysis, p: PlaceRef, lex: Lexicons) -> bool:
    """Whether ``p`` names a base («قاعدة انجرليك») that is not the target of the strike: the base
    strikes are flown from (extraction.yaml ``base_nouns``)."""
    scan = a.field.scan
    first = a.word_after(p.start)
    if first is None or not in_forms(scan[first[0] : first[1]], lex.base_nouns):
        return False
    before = a.word_before(p.start)
    return before is None or not in_forms(scan[before[0] : before[1]], lex.prepositions["target"])


def _clauses(a: Analysis, s: Sentence) -> list[Sentence]:
    """The sentence, or its clauses when a conjunction (extraction.yaml ``clause_openers``) opens
    a clause that reports an incident of its own: each part has a strong trigger word. Parts
    about one incident join again when the frames are grouped (same kind, same day and town)."""
    cuts = [
        b.start
        for b in a.in_sentence(a.background, s)
        if b.payloads[0].kind in ("clause", "transition") and b.start > s.start
    ]
    if not cuts:
        return [s]
    strong = [m.start for m in a.in_sentence(a.triggers, s) if m.payloads[0].strong]
    parts: list[Sentence] = []
    lo = s.start  # the first part starts the sentence, the last ends it
    for cut in [*cuts, s.end]:
        if any(lo <= x < cut for x in strong):
            parts.append(Sentence(s.index, lo, cut))
        elif parts:
            parts[-1] = Sentence(s.index, parts[-1].start, cut)  # no incident of its own: it stays
        else:
            continue  # the first part has no strong trigger yet: it grows to the next cut
        lo = cut
    return parts or [s]


def _tallies(
    a: Analysis,
    s: Sentence,
    ctx: Context,
    killed: list[Figure],
    periods: list[Match],
    trig_hits: list[Match],
) -> list[Tally]:
    lex = ctx.lex
    period = periods[0]
    after = [d for d in a.in_sentence(a.dates, s) if d.start >= period.start and d.date is not None]
    pdate = after[0] if after else None
    start = end = None
    if pdate is not None and pdate.date is not None:
        if pdate.precision == 3:
            start = pdate.date.replace(day=1)
            end = min(_month_end(start), ctx.published) if ctx.published else _month_end(start)
        else:
            start = pdate.date
            end = ctx.published
    elif period.payloads[0].kind in ("to_date", "total", "since"):
        end = ctx.published
    places = place_refs(a, s.start, s.end, ctx.iso, ctx.lex.off_scene)
    area = a.field.quote(places[0].start, places[0].end) if places else None
    iso = next((p.place.iso for p in places if p.place), ctx.iso)
    refs = actor_refs(a, s.start, s.end, killed[0].start, lex, ctx.confirmed, iso)
    country = lex.country_names.get(iso or "", None)
    out: list[Tally] = []
    for f in killed:
        victims = f.victims
        v_actor = next(
            (
                r
                for r in refs
                if f.victim_end is not None
                and r.hit.start >= f.victim_end
                and a.words_between(f.victim_end, r.hit.start) <= 1
            ),
            None,
        )
        if v_actor is not None:
            victims = _acled_name(v_actor, country)
        elif victims == "civilians":
            victims = _acled_name_of(lex, "civilians", country)
        perps = [
            _acled_name(r, country)
            for r in refs
            if r is not v_actor
            and r.actor.kind != "civilians"
            and (r.hint == "perpetrator" or (r.hit.end <= killed[0].start and r.hint is None))
        ]
        ev = [Evidence("fatalities", *a.field.span(f.start, f.end), a.field.quote(f.start, f.end), a.field.name)]
        ev.append(
            Evidence(
                "period",
                *a.field.span(period.start, (pdate.end if pdate else period.end)),
                a.field.quote(period.start, pdate.end if pdate else period.end),
                a.field.name,
            )
        )
        if places:
            ev.append(Evidence("place", *a.field.span(places[0].start, places[0].end), area or "", a.field.name))
        tid = _id(ctx.document_id, "tally", a.field.name, f.start)
        o0, o1 = a.field.span(s.start, s.end)
        out.append(
            Tally(
                id=tid,
                document_id=ctx.document_id,
                period_start=start,
                period_end=end,
                period_text=a.field.quote(period.start, pdate.end if pdate else period.end),
                area=area,
                country=country,
                iso=iso,
                actors=list(dict.fromkeys(p for p in perps if p and p != victims)),
                victims=victims,
                fatalities=f.best,
                fatalities_low=f.low,
                fatalities_high=f.high,
                fatalities_qualifier=f.qualifier if f.qualifier != "implied" else "exact",
                methods=sorted({h.payloads[0].id for h in trig_hits}),
                confidence=0.6,
                start=o0,
                end=o1,
                field=a.field.name,
                evidence=ev,
            )
        )
    return out


def _month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def _id(*parts: object) -> str:
    return hashlib.sha1("\x00".join(str(p) for p in parts).encode()).hexdigest()[:20]


def _acled_name(ref: ActorRef, country: str | None) -> str:
    return _format(ref.actor.acled, country)


def _acled_name_of(lex: Lexicons, actor_id: str, country: str | None) -> str | None:
    actor = lex.actor_by_id.get(actor_id)
    return _format(actor.acled, country) if actor else None


@cache
def _with_article() -> frozenset[str]:
    """Country names that take «the» after «of» in ACLED actor names (places.yaml ``article``)."""
    return frozenset(str(c["name"]) for c in load("places")["countries"] if c.get("article") == "the")


def _format(template: str, country: str | None) -> str:
    if "{country}" not in template:
        return template
    if country:
        if country in _with_article():
            template = template.replace("of {country}", "of the {country}")
        return template.replace("{country}", country)
    return template.replace(" ({country})", "").replace("{country}", "").strip()


# ------------------------------------------------------------------------------------ merging


def _compatible(g: list[Frame], fr: Frame) -> bool:
    last = g[-1]
    if fr.field == last.field and fr.s.index - last.s.index > _MERGE_SENTENCES:
        return False
    if (fr.background or fr.turn) and fr.field == last.field and fr.s.index != last.s.index:
        return False  # «يشار إلى أن ...», «وفي سياق متصل»: the text turns to another incident
    head = _head(g)
    if fr.trigger.id != "casualty_only" and head.trigger.id != "casualty_only":
        t1, t2 = head.trigger, fr.trigger
        # a word that refines another («إبطال مفعول عبوة» after «عبوة ناسفة») speaks of the same
        # incident, unless a conjunction set it in a clause of its own (``_clauses``)
        clause = fr.field == head.field and fr.s.index == head.s.index and fr.s.start != head.s.start
        same = t1.event_type == t2.event_type or (not clause and (t1.id in t2.overrides or t2.id in t1.overrides))
        if not same and t1.strong and t2.strong:
            return False
        if fr.split and fr.s.index != last.s.index and t1.sub_event_type != t2.sub_event_type:
            # a sentence that reports several incidents is a round-up: its clauses continue an
            # incident told before only when they tell the same kind of attack
            return False
    return _days_agree(g, [fr]) and _towns_agree(g, [fr])


def _explicit_day(g: list[Frame]) -> dt.date | None:
    return next((f.date.date for f in g if f.date is not None and f.date.date is not None), None)


def _days_agree(x: list[Frame], y: list[Frame]) -> bool:
    """No two explicit days more than one day apart."""
    d1, d2 = _explicit_day(x), _explicit_day(y)
    return d1 is None or d2 is None or abs((d1 - d2).days) <= 1


def _towns(g: list[Frame]) -> set[str]:
    return {p.place.name for f in g for p in f.places if p.place is not None and p.place.kind == "city"}


def _towns_agree(x: list[Frame], y: list[Frame]) -> bool:
    """Not two different towns only."""
    c1, c2 = _towns(x), _towns(y)
    return not (c1 and c2 and not c1 & c2)


def _head(g: list[Frame]) -> Frame:
    real = [f for f in g if f.hit is not None]
    if not real:
        return g[0]
    pairs = [(f.trigger, f.hit) for f in real if f.hit is not None]

    def key(f: Frame) -> tuple[int, ...]:
        if f.hit is None:
            return (0, 0, 0, 0, 0, 0)
        strong, refines, near, length, first = _rank(f.trigger, f.hit, pairs)
        # among equals, the sentence that dates or counts the incident names it
        told = int(bool(f.figs) or (f.date is not None and f.date.precision == 1))
        return (strong, refines, told, near, length, first)

    return max(real, key=key)


def _group(frames: list[Frame], published: dt.date | None = None) -> list[list[Frame]]:
    groups: list[list[Frame]] = []
    body = [f for f in frames if f.field != "title"]
    for fr in body:
        target = None
        for g in reversed(groups[-2:]):
            if _compatible(g, fr):
                target = g
                break
        if target is None:
            groups.append([fr])
        else:
            target.append(fr)
    groups = [g for g in groups if any(f.hit is not None for f in g) or _specific(g)]
    groups = _merge_far(groups, published)
    for fr in (f for f in frames if f.field == "title"):
        for g in groups:
            if _compatible(g, _retitled(fr, g)):
                g.insert(0, fr)
                break
        else:
            if fr.hit is not None:
                groups.insert(0, [fr])
    return groups


def _merge_far(groups: list[list[Frame]], published: dt.date | None) -> list[list[Frame]]:
    """ACLED codes one event per day, place and type: a later passage about the same incident
    (same type or a generic/casualty-only one, no other day, no other town) joins the first."""
    out: list[list[Frame]] = []
    for g in groups:
        for h in out:
            t1, t2 = _head(h).trigger, _head(g).trigger
            generic = not t1.strong or not t2.strong or "casualty_only" in (t1.id, t2.id)
            if t1.event_type != t2.event_type and not generic:
                continue
            if (
                t1.sub_event_type != t2.sub_event_type
                and not generic
                and not (t1.id in t2.overrides or t2.id in t1.overrides)
            ):
                continue
            if not (_days_agree(h, g) and _towns_agree(h, g)):
                continue
            if g[0].background and _explicit_day(h) is None and _before_the_news(g, published):
                continue  # an undated incident is recent news: background dated before that
                # («وكان آخر هجوم قد وقع في الأول من يوليو», «منذ يوليو 2013») is another one
            h.extend(g)
            break
        else:
            out.append(g)
    return out


def _before_the_news(g: list[Frame], published: dt.date | None) -> bool:
    """The group's first date lies before the week an undated report speaks of (the week before
    publication, time_precision 2); without a publication date, it is a month or a year."""
    d = next((f.date for f in g if f.date is not None and f.date.date is not None), None)
    if d is None or d.date is None:
        return False
    if published is None:
        return d.precision != 1
    return (published - d.date).days > _UNDATED_DAYS


def _retitled(title: Frame, g: list[Frame]) -> Frame:
    """The title has no sentence distance to the body: compare it as if it stood beside ``g``."""
    return dataclasses.replace(title, s=Sentence(g[-1].s.index, title.s.start, title.s.end))


def _specific(g: list[Frame]) -> bool:
    """A casualty-only group stands as an event only with a place or an explicit date."""
    return any(f.places for f in g) and any(f.date is not None and f.date.date is not None for f in g)


# ------------------------------------------------------------------------------------- events


def _figure_rank(f: Frame) -> int:
    """How far a sentence's casualty figures speak for the incident of its group."""
    if f.field == "title":
        return 0
    return 1 if f.hit is None else 2


def _counted(g: list[Frame], outcome: str) -> tuple[tuple[int, int, int] | None, Frame | None]:
    """(low, best, high) of ``outcome`` and the sentence it comes from: the largest among the
    sentences that speak best for the incident (:func:`_figure_rank`); the first on a tie."""
    found = [(t, f) for f in g if (t := totals(f.figs, outcome)) is not None]
    if not found:
        return None, None
    return max(found, key=lambda tf: (_figure_rank(tf[1]), tf[0][1]))


def _event(g: list[Frame], ctx: Context) -> list[Event]:
    lex = ctx.lex
    head = _head(g)
    trig = head.trigger
    if trig.id == "casualty_only":
        trig = _casualty_type(g)
    # figures: the largest given by the sentences that name the incident; else by casualty-only
    # sentences; the title's last — a headline or a lead often sums the article's incidents
    # («مقتل 24 عراقياً ... في بعقوبة» over a bombing that killed 6 and shelling that killed 18)
    fat, fat_f = _counted(g, "killed")
    inj, inj_f = _counted(g, "injured")
    abd, abd_f = _counted(g, "abducted")
    victims = next((x.victims for f in g for x in f.figs if x.victims), None)
    # date
    dated = [f for f in g if f.date is not None and f.date.date is not None]
    dated.sort(key=lambda f: (f is not head, f.field == "title"))
    date_ev: tuple[Frame, ResolvedDate] | None = None
    reason = None
    if dated and dated[0].date is not None:
        date_ev = (dated[0], dated[0].date)
        event_date, precision = dated[0].date.date, dated[0].date.precision
    elif ctx.published is not None:
        event_date, precision = ctx.published - dt.timedelta(days=1), 2
        reason = "no date in the report: publication date minus one day (time_precision 2)"
    else:
        event_date, precision = None, None
        unresolved = next((f.date.reason for f in g if f.date is not None and f.date.reason), None)
        reason = unresolved or "no date in the report and no publication date"
    if date_ev is None and not any(f.places for f in g):
        ctx.notes.append(f"no place and no date: «{head.a.field.quote(head.s.start, head.s.end)[:80]}»")
        return []
    resolved = any(p.place is not None for f in g for p in f.places)
    if not trig.strong and fat is None and inj is None and not (resolved and date_ev is not None):
        ctx.notes.append(
            f"generic word without casualties, place and date: «{head.a.field.quote(head.s.start, head.s.end)[:80]}»"
        )
        return []
    if any(f.background for f in g) and (date_ev is None or date_ev[1].precision != 1):
        ctx.notes.append(f"background without a date: «{head.a.field.quote(head.s.start, head.s.end)[:80]}»")
        return []
    if event_date is not None and ctx.published is not None and (ctx.published - event_date).days > _BACKGROUND_DAYS:
        ctx.notes.append(
            f"background ({event_date.isoformat()}): «{head.a.field.quote(head.s.start, head.s.end)[:80]}»"
        )
        return []
    # place
    place = _best_place(g, head)
    if date_ev is None and (place is None or place.level <= 1):
        # neither a date nor a place below the country: a reference in commentary («الحوثيون
        # يقصفون السعودية»), not a codable incident
        ctx.notes.append(f"no date and no place below country: «{head.a.field.quote(head.s.start, head.s.end)[:80]}»")
        return []
    iso = place.place.iso if place and place.place else ctx.iso
    # actors
    refs: list[ActorRef] = []
    for f in g:
        at = f.hit.start if f.hit is not None else f.s.start
        refs.extend(actor_refs(f.a, f.s.start, f.s.end, at, lex, ctx.confirmed, iso))
    if iso is None:
        iso = next((r.country for r in refs if r.country), None) or next(
            (r.actor.home_country for r in refs if r.actor.home_country), None
        )
    country = lex.country_names.get(iso or "")
    head_refs = [r for r in refs if r.field == head.field and head.s.start <= r.hit.start < head.s.end]
    other_refs = [r for r in refs if r not in head_refs]
    end_at = head.hit.end if head.hit is not None else head.s.start
    drone = trig.plover_mode == "drone"
    a1, a2 = choose_roles(head_refs + other_refs, trig.sub_event_type, end_at, drone)
    a1_from: Analysis | None = None  # where actor1 was named, when outside the event's sentences
    if a1 is None and trig.sub_event_type == "Air/drone strike" and not drone:
        # an air strike nobody is named for: flown by the air force the document names most
        # («الطيران الحربي» in a report on the Iraqi army's offensive), never by "unidentified
        # armed groups"
        if ctx.air_powers is None:
            ctx.air_powers = _air_powers(ctx.analyses, ctx)
        a1_from, a1 = next(
            ((x, r) for x, r in ctx.air_powers if a2 is None or distinct(r.actor, a2.actor)),
            (None, None),
        )
    killed_people = fat_f is not None and any(x.outcome == "killed" and x.victims == "civilians" for x in fat_f.figs)
    if (
        a2 is not None
        and killed_people
        and a2.hint is None
        and a2 not in head_refs
        and a2.actor.kind == "state_forces"
        and trig.event_type == "Explosions/Remote violence"
    ):
        # a bomb's dead are people («قتل 12 شخصا»), and the police are named only in another
        # sentence (investigating, securing the site): the victims are civilians
        a2 = None
    civilians = (a2 is not None and a2.actor.kind == "civilians") or (a2 is None and victims == "civilians")
    event_type, sub = _retype(trig, a1, a2, civilians)
    actor1 = _format(a1.actor.acled, _country_for(a1, country, lex)) if a1 else None
    inter1 = _inter(a1, iso) if a1 else None
    actor2 = _format(a2.actor.acled, _country_for(a2, country, lex)) if a2 else None
    inter2 = _inter(a2, iso) if a2 else None
    ev_actor2_id: str | None = None
    if actor2 is None and event_type in _NEEDS_PERPETRATOR:
        named = _victim_forces(g, lex, country)
        if named is not None:
            actor2, inter2, a2_id = named
            ev_actor2_id = a2_id
    if actor2 is None and civilians and event_type in _NEEDS_PERPETRATOR:
        actor2, inter2 = _format("Civilians ({country})", country), 7
    if actor1 is None and event_type in _NEEDS_PERPETRATOR:
        actor1, inter1 = _format("Unidentified Armed Group ({country})", country), 3
    if actor1 is not None and actor1 == actor2:
        # one force on both sides («مقتل شرطي برصاص ... قوة أمنية», «أعلن الجيش المصري مقتل 17
        # جنديا في هجوم على كمائن للجيش»): in an attack the side named as the perpetrator stays
        # when the other is not named as the target, else the target stays and the attacker is
        # unknown; in an arrest, a seizure or a riot, or when the attacker is already unknown,
        # the acting side stays
        if (
            event_type not in _NEEDS_PERPETRATOR
            or a1 is None
            or (a1.hint == "perpetrator" and (a2 is None or a2.hint is None))
        ):
            a2, actor2, inter2, ev_actor2_id = None, None, None, None
        else:
            a1, actor1, inter1 = None, _format("Unidentified Armed Group ({country})", country), 3
    # evidence
    ev: list[Evidence] = []

    def add(role: str, fr: Frame | Analysis, start: int, end: int) -> None:
        a = fr.a if isinstance(fr, Frame) else fr
        a0, b0 = a.field.span(start, end)
        ev.append(Evidence(role, a0, b0, a.field.original[a0:b0], a.field.name))

    if head.hit is not None:
        add("trigger", head, head.hit.start, head.hit.end)
    title = next((f for f in g if f.field == "title" and f.hit is not None), None)
    if title is not None and title is not head and title.hit is not None:
        add("headline", title, title.hit.start, title.hit.end)  # the headline reports it too
    if date_ev is not None:
        add("date", date_ev[0], date_ev[1].start, date_ev[1].end)
    if place is not None:
        # offsets map through the field, so any frame of that field will do: a span may start
        # before its frame's sentence (a place noun closing the sentence before: «... قرية. الدوة»)
        pf = next(f for f in g if f.field == place.field)
        add("place", pf, place.start, place.end)
    for role, ref in (("actor1", a1), ("actor2", a2)):
        if ref is not None:
            named_in = (
                a1_from if role == "actor1" and a1_from is not None else next(f for f in g if f.field == ref.field)
            )
            add(role, named_in, ref.hit.start, ref.hit.end)
    for role, fr, outcome in (
        ("fatalities", fat_f, "killed"),
        ("injured", inj_f, "injured"),
        ("abducted", abd_f, "abducted"),
    ):
        if fr is not None:
            for x in fr.figs:
                if x.outcome == outcome:
                    add(role, fr, x.start, x.end)
    source, stance = _attribution(g, head)
    if source is not None:
        add("source", source[0], source[1].start, source[1].end)
    span_f = [f for f in g if f.field == head.field]
    o0 = head.a.field.span(min(f.s.start for f in span_f), max(f.s.end for f in span_f))
    confidence = 0.3 + 0.2 * trig.strong + 0.15 * (fat is not None) + 0.1 * (date_ev is not None)
    confidence += 0.1 * (place is not None and place.place is not None) + 0.1 * (a1 is not None or a2 is not None)
    confidence -= 0.15 * (head.hit is None)
    main = Event(
        id=_id(ctx.document_id, head.field, head.s.start, trig.id),
        document_id=ctx.document_id,
        event_type=event_type,
        sub_event_type=sub,
        disorder_type=_DISORDER.get(event_type, "Political violence"),
        trigger=trig.id,
        plover_type=trig.plover_type,
        plover_mode=trig.plover_mode,
        event_date=event_date,
        time_precision=precision,
        date_reason=reason,
        actor1=actor1,
        actor1_id=a1.actor.id if a1 else None,
        inter1=inter1,
        actor2=actor2,
        actor2_id=a2.actor.id if a2 else ev_actor2_id,
        inter2=inter2,
        interaction=_interaction(inter1, inter2),
        civilian_targeting=bool(civilians and actor2 and inter2 == 7),
        country=country,
        iso=iso,
        place_mention=(
            next(f for f in g if f.field == place.field).a.field.quote(place.start, place.end) if place else None
        ),
        **_place_fields(place),
        fatalities=fat[1] if fat else 0,
        fatalities_low=fat[0] if fat else 0,
        fatalities_high=fat[2] if fat else 0,
        injured=inj[1] if inj else 0,
        abducted=abd[1] if abd else 0,
        stance=stance,
        source_attribution=source[0].a.field.quote(source[1].start, source[1].end) if source else "",
        confidence=round(max(0.05, min(confidence, 0.99)), 2),
        start=o0[0],
        end=o0[1],
        field=head.field,
        evidence=ev,
    )
    if place is None:
        return [main]
    listed = next((f for f in g if any(p is place for p in f.places)), None)
    return [main, *_copies(main, listed, place, lex)] if listed is not None else [main]


def _place_fields(ref: PlaceRef | None) -> dict[str, Any]:
    """The Event fields a place mention sets (coordinates, admin units, precision), and the reason
    when it sets none below the country."""
    p = ref.place if ref is not None else None
    if ref is None or p is None:
        reason = "place named but not in the gazetteer" if ref is not None else "no place named in the report"
        return {"place_reason": reason}
    if p.kind == "country":
        return {"geonameid": p.geonameid, "place_reason": "only the country is named"}
    return {
        "admin1": p.admin1,
        "admin2": p.admin2 if p.kind == "city" else None,
        "location": p.name,
        "latitude": p.lat,
        "longitude": p.lon,
        "geo_precision": ref.precision,
        "geonameid": p.geonameid,
        "geo_score": ref.score,
        "place_reason": None,
    }


def _victim_forces(g: list[Frame], lex: Lexicons, country: str | None) -> tuple[str, int, str] | None:
    """actor2 from the victims' noun: «خمسة جنود عراقيين» → Military Forces of Iraq."""
    for f in g:
        for x in f.figs:
            actor_id = lex.victim_actors.get(x.victim_key or "")
            if actor_id is None or x.victim_end is None:
                continue
            actor = lex.actor_by_id[actor_id]
            name = country
            adj = next(
                (p for p in f.a.places if p.start >= x.victim_end and f.a.words_between(x.victim_end, p.start) == 0),
                None,
            )
            if adj is not None and adj.payloads[0].adjective:
                name = lex.country_names.get(adj.payloads[0].iso, country)
            return _format(actor.acled, name), actor.inter, actor.id
    return None


def _casualty_type(g: list[Frame]) -> Trigger:
    civ = any(x.victims == "civilians" for f in g for x in f.figs)
    if civ:
        return _CASUALTY_ONLY_CIVILIANS
    return _CASUALTY_ONLY


def _retype(trig: Trigger, a1: ActorRef | None, a2: ActorRef | None, civilians: bool) -> tuple[str, str]:
    et, sub = trig.event_type, trig.sub_event_type
    if et == "Battles" and sub == "Armed clash" and civilians and (a2 is None or a2.actor.kind == "civilians"):
        return "Violence against civilians", "Attack"
    if sub in ("Non-state actor overtakes territory", "Government regains territory") and a1 is not None:
        # government forces or their affiliates (ACLED): state forces, coalitions, and the militias
        # that fight on the state's side (actors.yaml kind "militia", e.g. «المقاومة الشعبية»)
        state = a1.actor.kind in ("state_forces", "coalition", "militia") or a1.actor.inter == 1
        return "Battles", "Government regains territory" if state else "Non-state actor overtakes territory"
    return et, sub


def _country_for(ref: ActorRef, country: str | None, lex: Lexicons) -> str | None:
    if ref.country:
        return lex.country_names.get(ref.country, country)
    return country


def _inter(ref: ActorRef, iso: str | None) -> int:
    actor = ref.actor
    home = actor.home_country or ref.country
    if home and iso and home != iso and actor.inter_abroad:
        return int(actor.inter_abroad)
    return actor.inter


def _interaction(i1: int | None, i2: int | None) -> int | None:
    if i1 is None:
        return None
    if i2 is None:
        return i1 * 10
    lo, hi = sorted((i1, i2))
    return lo * 10 + hi


def _attribution(g: list[Frame], head: Frame) -> tuple[tuple[Frame, Match] | None, str]:
    """The source named next to a reporting cue, and the stance of the head sentence's cues."""
    stance = "asserts"
    for c in head.a.in_sentence(head.a.cues, head.s):
        kind = c.payloads[0].kind
        if kind in ("alleges", "reports_uncertain"):
            stance = kind
    for f in g:
        cues = f.a.in_sentence(f.a.cues, f.s)
        if not cues:
            continue
        for src in f.a.in_sentence(f.a.sources, f.s):
            if any(abs(src.start - c.end) < 40 for c in cues):
                return (f, src), stance
    return None, stance


def _best_place(g: list[Frame], head: Frame) -> PlaceRef | None:
    def score(f: Frame, p: PlaceRef) -> tuple[int, int, int, int, int]:
        # a place below country level anywhere in the incident beats a country named in its head
        # sentence («البحرين تدين التفجير ... في عسير»)
        resolved = p.place is not None
        dist = abs(p.start - (head.hit.start if head.hit is not None and f is head else p.start))
        return (int(p.level > 1), int(f is head), int(resolved), p.level, -dist)

    cands = [(f, p) for f in g for p in f.places]
    if not cands:
        return None
    f, p = max(cands, key=lambda fp: score(*fp))
    if p.place is not None and p.place.kind == "admin1":
        # a town of that province named elsewhere in the incident says where in it
        # («غارتين على مدينة حيس» beside «مقتل 17 حوثيا في محافظة الحديدة»)
        towns = [
            q for _, q in cands if q.place is not None and q.place.kind == "city" and q.place.admin1 == p.place.name
        ]
        if towns:
            return towns[0]
    if p.place is None:
        # a place the gazetteer does not know: code it at a known place of the same sentence
        known = [q for q in f.places if q.place is not None]
        if known:
            q = max(known, key=lambda q: q.level)
            end = max(p.end, q.end) if q.start >= p.start else p.end
            # an unknown place coded at a known one nearby: as sure as that one, halved
            return PlaceRef(q.place, p.start, end, 2, p.noun, p.field, q.score / 2)
    return p


def _joined(scan: str, x: PlaceRef, y: PlaceRef) -> bool:
    """Whether ``y`` follows ``x`` as the next item of a list of places («في مأرب وإب», «صعدة، حجة»)."""
    gap = scan[x.end : y.start].strip()
    return gap in ("،", ",") or (not gap and scan.startswith("و", y.start))


def _coordinated(f: Frame, chosen: PlaceRef, lex: Lexicons) -> list[PlaceRef]:
    """The other places of the list ``chosen`` is part of, of the same kind («غارات على مواقع في
    مأرب وإب»: Marib and Ibb), left to right; none when the list is a route («بين حلب وإدلب»)."""
    if chosen.place is None or chosen.place.kind == "country":
        return []
    scan = f.a.field.scan
    refs = sorted(f.places, key=lambda r: r.start)
    i = next((k for k, r in enumerate(refs) if r is chosen), None)
    if i is None:
        return []
    lo = hi = i
    while lo > 0 and _joined(scan, refs[lo - 1], refs[lo]):
        lo -= 1
    while hi + 1 < len(refs) and _joined(scan, refs[hi], refs[hi + 1]):
        hi += 1
    before = f.a.word_before(refs[lo].start)
    if before is not None and scan[before[0] : before[1]] in lex.route_words:
        return []
    kind = chosen.place.kind
    names = {chosen.place.name}
    out: list[PlaceRef] = []
    for r in refs[lo : hi + 1]:
        if r.place is None or r.place.kind != kind or r.place.name in names:
            continue
        names.add(r.place.name)
        out.append(r)
    if f.trigger.sub_event_type in _MANY_PLACES:
        # strikes listed province by province («غارات على مواقع في كرش بمحافظة لحج، وفي أنحاء من
        # محافظة مأرب، ومنطقة معبر بمحافظة ذمار»): each other province is a place of its own;
        # not one reached by a route word («إلى الشرق من صنعاء»)
        regions = {chosen.place.admin1 or chosen.place.name} | {x.place.admin1 or x.place.name for x in out if x.place}
        last = f.hit.end if f.hit is not None and f.hit.end <= chosen.start else chosen.start
        gap = 2 * _LIST_GAP  # from the strike word to the first place: the target comes between
        for r in refs:
            p = r.place
            if r.start < last:
                continue
            if f.a.words_between(last, r.start) > gap:
                break  # the list has ended
            gap = _LIST_GAP
            last = r.end
            if p is None or p.kind not in ("admin1", "city") or p.adjective or (p.admin1 or p.name) in regions:
                continue
            if p.iso != chosen.place.iso or r.noun == "direction":
                continue  # «شمالي بغداد» locates another place
            if _elsewhere(f.a, r, lex):
                continue
            regions.add(p.admin1 or p.name)
            out.append(r)
    return out


def _elsewhere(a: Analysis, r: PlaceRef, lex: Lexicons) -> bool:
    """A place in a list of struck places named for something other than a strike on it: what a
    place belongs or borders on («التابعة لمحافظة حجة», «المحاذية لدمشق»), a bearing («قرب مدينة
    إدلب», «إلى الشرق من صنعاء»: it locates another place), the end of a road («بين محافظتي
    البيضاء وأبين», «باتجاه صنعاء») or an official's office («محافظ شبوة»). «من» and «إلى» alone
    are also «part of» and «into» («أنحاء متفرقة من محافظة مأرب»). Not a test for the incident's
    own place: there «تقدمت القوات إلى داخل الرمادي», «محافظ الطوال يطمئن على المصاب» name it."""
    scan = a.field.scan
    if r.noun is not None and scan.startswith("ل", r.start):  # «لمحافظة حجة» (no place noun starts with ل)
        return True
    if any(
        n.payloads[0].kind == "direction"
        and n.end <= r.start
        and a.words_between(n.end, r.start) <= 1
        and not any(c in scan[n.end : r.start] for c in ",;:")
        for n in a.place_nouns
    ):
        return True
    words = [scan[w[0] : w[1]] for w in (a.word_before(r.start, k) for k in range(2)) if w is not None]
    if not words:
        return False
    if words[0] in lex.office_titles:
        return True
    if len(words) > 1 and words[0] in lex.dual_place_nouns and words[1] == "بين":
        return True  # «بين محافظتي البيضاء وأبين», as «بين البيضاء وأبين» (a route word, below)
    if words[0] not in lex.route_words:
        return False
    if words[0] not in lex.loose_route_words:
        return True
    w = a.word_before(r.start)
    return w is not None and any(
        n.payloads[0].kind == "direction" and n.end <= w[0] and a.words_between(n.end, w[0]) == 0 for n in a.place_nouns
    )


def _copies(ev: Event, f: Frame, chosen: PlaceRef, lex: Lexicons) -> list[Event]:
    """ACLED codes one event per location: the same strike or clash reported at a list of places
    («شنت غارات جوية على مواقع للحوثيين في مأرب وإب») is one event per place. The casualty
    figures stay with the first place; the others carry none (the report does not divide them)."""
    out: list[Event] = []
    for r in _coordinated(f, chosen, lex):
        p = r.place
        if p is None:
            continue
        a0, b0 = f.a.field.span(r.start, r.end)
        evidence = [e for e in ev.evidence if e.role not in ("place", "fatalities", "injured", "abducted")]
        evidence.append(Evidence("place", a0, b0, f.a.field.original[a0:b0], f.field))
        out.append(
            dataclasses.replace(
                ev,
                id=_id(ev.id, p.name),
                **_place_fields(r),
                place_mention=f.a.field.quote(r.start, r.end),
                fatalities=0,
                fatalities_low=0,
                fatalities_high=0,
                injured=0,
                abducted=0,
                evidence=evidence,
                notes="one of several places the report lists for this incident; its figures are on the first",
            )
        )
    return out


def _air_powers(analyses: list[Analysis], ctx: Context) -> list[tuple[Analysis, ActorRef]]:
    """The forces with an air force named in the document, most named first (ties: first named)."""
    counts: dict[str, int] = {}
    first: dict[str, tuple[Analysis, ActorRef]] = {}
    for a in analyses:
        for r in actor_refs(a, 0, len(a.field.scan), 0, ctx.lex, ctx.confirmed, ctx.iso):
            if flies(r.actor):
                counts[r.actor.id] = counts.get(r.actor.id, 0) + 1
                first.setdefault(r.actor.id, (a, r))
    order = sorted(first, key=lambda k: -counts[k])
    return [first[k] for k in order]


def assemble(analyses: list[Analysis], ctx: Context) -> Extraction:
    ctx.analyses = analyses
    frames: list[Frame] = []
    tallies: list[Tally] = []
    for a in analyses:
        for s in a.field.sentences:
            before: Frame | None = None
            parts = _clauses(a, s)
            for c in parts:
                fr = _frame(a, c, ctx, tallies)
                if fr is None:
                    continue
                if len(parts) > 1:
                    fr = dataclasses.replace(fr, split=True)
                if before is not None and not fr.places:
                    # the sentence's day and place, told once («انفجرت عبوة ناسفة أمس في أنقرة،
                    # فيما أبطل الخبراء مفعول عبوة ثانية»)
                    fr = dataclasses.replace(fr, date=fr.date or before.date, places=before.places)
                elif before is not None and fr.date is None and any(p.level > 1 for p in fr.places):
                    # a clause naming only a country is commentary («في وقت تشهد تركيا توترا بعد
                    # حملة القصف») and stays undated
                    fr = dataclasses.replace(fr, date=before.date)
                frames.append(fr)
                before = fr
    events: list[Event] = []
    seen: set[str] = set()
    for g in _group(frames, ctx.published):
        for e in _event(g, ctx):
            if e.id not in seen:
                seen.add(e.id)
                events.append(e)
    return Extraction(ctx.document_id, events, tallies, list(dict.fromkeys(ctx.notes)))
