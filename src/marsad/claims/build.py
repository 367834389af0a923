"""Claims of one document: every event, tally and group statement tied to who asserts it.

The rules read the :class:`~marsad.extract.analysis.Analysis` of each field (sentences, triggers,
actors, numbers, dates) and scan it once more for holders, reporting cues and statement words
(:mod:`marsad.claims.lexicon`). A content word (a trigger, a number, «القضاء على») belongs to the
nearest reporting cue before it in its sentence; the cue's holder is the name right after it
(«أكد المرصد أن…», «بحسب مصادر…») or, failing that, the subject before it («قسد تنفي…»). A
denying cue further out («نفت مصادر أن يكون إعلان التحالف القضاء على داعش…») adds the denial as
a claim of its own holder. Where no cue speaks, the outlet does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from marsad.claims.lexicon import ClaimLexicon, Holder, Status, claim_lexicon, holder_for_actor, holder_for_source
from marsad.claims.model import HOLDER_OUTLET, Claim
from marsad.extract.analysis import Analysis
from marsad.extract.lexicons import Actor, Cue
from marsad.extract.matcher import Match
from marsad.extract.model import Event, Extraction, Tally
from marsad.extract.text import Sentence

__all__ = ["OUTLET", "claims_for"]

OUTLET = Holder(HOLDER_OUTLET, "the outlet", "outlet", None)
_AFTER_WORDS = 6  # a holder this many words after its cue at most («أكد مصدر أمني لوكالة…»)
_BEFORE_WORDS = 10  # a subject holder this many words before its cue at most
_CO_HOLDER_GAP = 5  # «التحالف الدولي بقيادة الولايات المتحدة وحليفه (قسد)»
_SUBJECT_WORDS = 4  # an armed group this close to a statement word is its subject
_NOUN_WORDS = 0  # «500 مقاتل», «الـ 500 عنصر»
_GROUP_KINDS = frozenset({"armed_group", "militia"})
_CLAUSE_MARKS = ("،", ",", ":")
_COUNT_ROLES = frozenset({"fatalities", "injured", "abducted"})
_STANCE = {"claims_responsibility": "asserts", "accuses": "alleges"}


@dataclass(slots=True)
class _Mention:
    start: int  # scan offsets (clitics included)
    end: int
    holder: Holder
    rank: int  # 0 holders.yaml / publishers, 1 generic source, 2 actor


@dataclass(slots=True)
class _Attribution:
    holders: list[_Mention]
    cue: Match | None
    stance: str
    hedged: bool
    denial: tuple[Match, list[_Mention]] | None = None  # an outer denying cue and its holder

    @property
    def spoken(self) -> bool:
        return bool(self.holders)


@dataclass(slots=True)
class _Field:
    a: Analysis
    mentions: list[_Mention]
    cues: list[Match]
    statements: list[Match]
    nouns: list[Match]
    negators: frozenset[str]


def claims_for(analyses: list[Analysis], extraction: Extraction, published: dt.date | None) -> list[Claim]:
    """Every claim of one document, in field and text order, ids stable across runs."""
    clex = claim_lexicon()
    fields = {a.field.name: _prepare(a, clex) for a in analyses}
    out: dict[str, Claim] = {}
    for e in extraction.events:
        f = fields.get(e.field)
        if f is not None:
            for c in _event_claims(f, e, clex):
                out.setdefault(c.id, c)
    for t in extraction.tallies:
        f = fields.get(t.field)
        if f is not None:
            for c in _tally_claims(f, t):
                out.setdefault(c.id, c)
    records: list[Event | Tally] = [*extraction.events, *extraction.tallies]
    counted = [(ev.field, ev.start, ev.end) for r in records for ev in r.evidence if ev.role in _COUNT_ROLES]
    for name, f in fields.items():
        spans = [(a, b) for fld, a, b in counted if fld == name]
        for c in _statement_claims(f, extraction.document_id, published, spans):
            out.setdefault(c.id, c)
    return sorted(out.values(), key=lambda c: (c.field != "title", c.start, c.end, c.kind, c.holder_id, c.id))


# -- preparation --------------------------------------------------------------------------------


def _prepare(a: Analysis, clex: ClaimLexicon) -> _Field:
    scan = a.field.scan
    found: list[_Mention] = []
    pubs: list[Match] = []
    for m in clex.holders.find(scan):
        h: Holder = m.payloads[0]
        found.append(_Mention(m.word_start, m.end, h, 0))
        if h.id.startswith("pub:"):
            pubs.append(m)
    for m in a.sources:
        found.append(_Mention(m.word_start, m.end, holder_for_source(m.payloads[0].kind), 1))
    for am in a.actors:
        actor: Actor = am.payloads[0]
        ah = holder_for_actor(actor.id, actor.name, actor.kind)
        if ah is not None:
            found.append(_Mention(am.word_start, am.end, ah, 2))
    mentions = _longest(found)
    # «مصادر لمينا», «مصادر لمرصد مينا»: a source speaking to an outlet is that outlet's source
    merged: list[_Mention] = []
    for mm in mentions:
        if merged and merged[-1].rank == 1 and mm.holder.id.startswith("pub:"):
            prev = merged[-1]
            pub = next((p for p in pubs if p.word_start == mm.start), None)
            if (
                pub is not None
                and a.words_between(prev.end, mm.start) == 0
                and scan[pub.word_start : pub.start].endswith("ل")
            ):
                merged[-1] = _Mention(
                    prev.start,
                    mm.end,
                    Holder(
                        f"{prev.holder.id}@{mm.holder.id[4:]}",
                        f"{prev.holder.name} of {mm.holder.name}",
                        "sources",
                        None,
                    ),
                    1,
                )
                continue
        merged.append(mm)
    # verbs take no article: «التابع» («affiliated to») is not the cue «تابع» («he went on»)
    cues = [c for c in clex.cues.find(scan) if "ال" not in scan[c.word_start : c.start]]
    statements, nouns = clex.statements.find(scan), clex.strength_nouns.find(scan)
    return _Field(a, merged, cues, statements, nouns, clex.negators)


def _longest(found: list[_Mention]) -> list[_Mention]:
    found.sort(key=lambda m: (-(m.end - m.start), m.rank, m.start))
    kept: list[_Mention] = []
    for m in found:
        if any(m.start < k.end and k.start < m.end for k in kept):
            continue
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept


# -- attribution --------------------------------------------------------------------------------


def _in(items: list[Any], s: Sentence) -> list[Any]:
    return [x for x in items if s.start <= x.start < s.end]


def _holders_near(f: _Field, s: Sentence, cue: Match, limit: int, floor: int) -> list[_Mention]:
    """The holder named after ``cue`` (before ``limit``), else the subject before it (after ``floor``)."""
    a = f.a
    ms = _in(f.mentions, s)
    content = [h.start for h in [*_in(f.statements, s), *a.in_sentence(a.triggers, s)] if h.start >= cue.end]
    limit = min([limit, *content])  # the holder is named before what it says
    after = [
        m for m in ms if m.start >= cue.end and m.end <= limit and a.words_between(cue.end, m.start) <= _AFTER_WORDS
    ]
    if after:
        return _with_co_holders(a, [m for m in ms if m.start >= after[0].start], limit)
    before = [
        m for m in ms if m.end <= cue.start and m.start >= floor and a.words_between(m.end, cue.start) <= _BEFORE_WORDS
    ]
    if before:
        return _with_co_holders(a, [m for m in ms if m.start >= before[0].start], cue.start)
    return []


def _with_co_holders(a: Analysis, ms: list[_Mention], limit: int) -> list[_Mention]:
    out = [ms[0]]
    for m in ms[1:]:
        if m.end > limit or a.words_between(out[-1].end, m.start) > _CO_HOLDER_GAP:
            break
        if m.rank < 2 and m.holder.id not in {o.holder.id for o in out}:  # actors between are skipped
            out.append(m)
    return out


def _attribute(f: _Field, s: Sentence, pos: int) -> _Attribution:
    """Who speaks for the content word at ``pos`` of sentence ``s``."""
    cues = _in(f.cues, s)
    hedged = any(c.payloads[0].detail == "in_sentence" for c in cues)
    before = [c for c in cues if c.end <= pos and c.payloads[0].detail != "in_sentence" and _reaches(f, c, c.end, pos)]
    chain: list[tuple[Match, list[_Mention]]] = []
    for i in range(len(before) - 1, -1, -1):  # innermost cue first
        c = before[i]
        floor = before[i - 1].end if i > 0 else s.start
        limit = before[i + 1].start if i + 1 < len(before) else pos
        chain.append((c, _holders_near(f, s, c, limit, floor)))
    if not chain:
        trailing = [
            c
            for c in cues
            if c.start >= pos and c.payloads[0].detail == "before_content" and _reaches(f, c, pos, c.start)
        ]
        if trailing:
            c = trailing[0]
            chain.append((c, _holders_near(f, s, c, s.end, pos)))
    if not chain:
        return _Attribution([], None, "reports_uncertain" if hedged else "asserts", hedged)
    cue, holders = chain[0]
    for c, hs in chain:  # a cue without a named holder takes the next one out («أشارت … إلى أن»)
        if hs:
            cue, holders = c, hs
            break
    stance = _stance(cue)
    if hedged and stance == "asserts":
        stance = "reports_uncertain"
    attr = _Attribution(holders, cue, stance, hedged)
    ids = {m.holder.id for m in holders}
    for c, hs in chain:
        if (
            c is not cue
            and c.start < cue.start
            and _stance(c) == "denies"
            and hs
            and not ids & {m.holder.id for m in hs}
        ):
            attr.denial = (c, hs)
            break
    return attr


def _reaches(f: _Field, cue: Match, a: int, b: int) -> bool:
    """A reporting verb speaks for content at most one clause (comma, colon) further on, «بحسب» for two."""
    scan = f.a.field.scan
    clauses = 3 if cue.payloads[0].detail == "before_content" else 2
    return sum(scan.count(mark, a, b) for mark in _CLAUSE_MARKS) < clauses


def _stance(cue: Match) -> str:
    kind = str(cue.payloads[0].kind)
    return _STANCE.get(kind, kind)


# -- records ------------------------------------------------------------------------------------


def _claim_id(*parts: object) -> str:
    return "cl_" + hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def _ev(f: _Field, role: str, start: int, end: int) -> dict[str, Any]:
    a, b = f.a.field.span(start, end)
    return {"role": role, "start": a, "end": b, "text": f.a.field.original[a:b], "field": f.a.field.name}


def _make(
    f: _Field,
    document_id: str,
    kind: str,
    s: Sentence,
    holder: _Mention | None,
    attr: _Attribution | None,
    *,
    stance: str,
    cue: Match | None,
    subject: str | None,
    topic: str,
    value: str | None,
    values: dict[str, Any],
    evidence: list[dict[str, Any]],
    event_id: str | None = None,
    tally_id: str | None = None,
    claim_date: dt.date | None = None,
    date_text: str | None = None,
) -> Claim:
    h = holder.holder if holder else OUTLET
    ev = list(evidence)
    if holder is not None:
        ev.append(_ev(f, "holder", holder.start, holder.end))
    if cue is not None:
        ev.append(_ev(f, "cue", cue.start, cue.end))
    a, b = f.a.field.span(s.start, s.end)
    field_name = f.a.field.name
    return Claim(
        id=_claim_id(document_id, field_name, a, b, kind, h.id, topic, value, subject, stance, event_id, tally_id),
        document_id=document_id,
        kind=kind,
        holder=h.name,
        holder_id=h.id,
        holder_type=h.type,
        holder_party=h.party,
        holder_text=f.a.field.quote(holder.start, holder.end) if holder else None,
        cue=f.a.field.quote(cue.start, cue.end) if cue else None,
        cue_id=f"{cue.payloads[0].kind}:{cue.key}" if cue else None,
        stance=stance,
        subject=subject,
        topic=topic,
        value=value,
        values=values,
        event_id=event_id,
        tally_id=tally_id,
        claim_date=claim_date,
        date_text=date_text,
        sentence=f.a.field.original[a:b],
        start=a,
        end=b,
        field=field_name,
        evidence=sorted(ev, key=lambda x: (x["start"], x["role"])),
        confidence=0.8 if holder is not None and cue is not None else 0.6,
    )


def _scan_pos(f: _Field, orig: int) -> int:
    """The scan offset of the word holding original offset ``orig`` (word starts map to the
    original text in order, so a bisection maps only the few it looks at)."""
    starts = f.a.word_starts
    if not starts:
        return 0
    i = max(bisect_right(starts, orig, key=lambda s: f.a.field.span(s, s + 1)[0]) - 1, 0)
    return starts[i]


def _sentences_over(f: _Field, start: int, end: int) -> list[Sentence]:
    out = []
    for s in f.a.field.sentences:
        a, b = f.a.field.span(s.start, s.end)
        if a < end and start < b:
            out.append(s)
    return out


def _source_mention(f: _Field, e: Event) -> _Mention | None:
    for ev in e.evidence:
        if ev.role == "source" and ev.field == f.a.field.name:
            pos = _scan_pos(f, ev.start)
            for m in f.mentions:
                if m.start <= pos < m.end or (pos <= m.start < pos + (ev.end - ev.start)):
                    return m
    return None


def _event_claims(f: _Field, e: Event, clex: ClaimLexicon) -> list[Claim]:
    a = f.a
    trig = next((ev for ev in e.evidence if ev.role == "trigger" and ev.field == a.field.name), None)
    trig_pos = _scan_pos(f, trig.start) if trig else None
    sentences = _sentences_over(f, e.start, e.end)
    if not sentences:
        return []
    primary_s = next((s for s in sentences if trig_pos is not None and s.start <= trig_pos < s.end), sentences[0])
    attr = _attribute(f, primary_s, trig_pos if trig_pos is not None else primary_s.start)
    holder: _Mention | None = attr.holders[0] if attr.holders else None
    cue = attr.cue if attr.spoken else None
    if holder is None:
        holder = _source_mention(f, e)
    stance = e.stance if e.stance in ("denies", "alleges", "reports_uncertain") else attr.stance
    values: dict[str, Any] = {"cause": [e.trigger], "event_type": e.event_type, "sub_event_type": e.sub_event_type}
    if e.actor1_id:
        values["perpetrator"] = e.actor1_id
    if e.actor2_id:
        values["target"] = e.actor2_id
    if e.fatalities_high > 0:
        values["fatalities"] = [e.fatalities_low, e.fatalities_high]
    for key in ("iso", "admin1", "location"):
        if getattr(e, key):
            values[key] = getattr(e, key)
    evidence = [{"role": ev.role, "start": ev.start, "end": ev.end, "text": ev.text, "field": ev.field}
                for ev in e.evidence if ev.role != "source"]  # fmt: skip
    primary = _make(
        f, e.document_id, "event", primary_s, holder, attr, stance=stance, cue=cue, subject=e.actor1_id,
        topic="event", value=e.trigger, values=values, evidence=evidence, event_id=e.id,
        claim_date=e.event_date, date_text=next((ev.text for ev in e.evidence if ev.role == "date"), None),
    )  # fmt: skip
    out = [primary]
    for h in attr.holders[1:]:
        out.append(_rebind(f, primary, h))
    # competing accounts of the same incident inside its passage («إعلام قسد … سيارة عبرت على لغم»)
    groups: dict[str, tuple[_Mention, _Attribution, Sentence, list[Match]]] = {}
    for s in sentences:
        for t in a.in_sentence(a.triggers, s):
            if trig_pos is not None and t.start <= trig_pos < t.end:
                continue
            method = t.payloads[0].id
            if clex.method_family.get(method, "generic") == "generic":
                continue
            other = _attribute(f, s, t.start)
            if not other.holders or other.holders[0].holder.id == primary.holder_id:
                continue
            key = other.holders[0].holder.id
            groups.setdefault(key, (other.holders[0], other, s, []))[3].append(t)
    for m, other, s, hits in groups.values():
        methods = sorted({t.payloads[0].id for t in hits})
        ev = [_ev(f, "trigger", t.start, t.end) for t in hits]
        out.append(
            _make(
                f, e.document_id, "event", s, m, other, stance=other.stance, cue=other.cue, subject=None,
                topic="event", value=methods[0], values={"cause": methods, "event_type": e.event_type},
                evidence=ev, event_id=e.id, claim_date=e.event_date,
            )
        )  # fmt: skip
    # a party's own claim of responsibility in the passage («تبنى تنظيم داعش الهجوم»)
    for s in sentences:
        for c in _in(f.cues, s):
            if c.payloads[0].kind != "claims_responsibility":
                continue
            hs = _holders_near(f, s, c, s.end, s.start)
            if hs and hs[0].holder.party:
                out.append(
                    _make(
                        f, e.document_id, "event", s, hs[0], None, stance="asserts", cue=c,
                        subject=hs[0].holder.party, topic="responsibility", value=hs[0].holder.party,
                        values={"perpetrator": hs[0].holder.party, "responsibility": True},
                        evidence=[], event_id=e.id, claim_date=e.event_date,
                    )
                )  # fmt: skip
    return out


def _rebind(f: _Field, c: Claim, m: _Mention) -> Claim:
    """The same claim held by a co-holder («التحالف الدولي وقسد أعلنا…»)."""
    h = m.holder
    a, b = f.a.field.span(m.start, m.end)
    ev = [x for x in c.evidence if x["role"] != "holder"]
    ev.append({"role": "holder", "start": a, "end": b, "text": f.a.field.original[a:b], "field": c.field})
    return Claim(
        id=_claim_id(c.id, h.id), document_id=c.document_id, kind=c.kind, holder=h.name, holder_id=h.id,
        holder_type=h.type, holder_party=h.party, holder_text=f.a.field.original[a:b], cue=c.cue, cue_id=c.cue_id,
        stance=c.stance, subject=c.subject, topic=c.topic, value=c.value, values=dict(c.values),
        event_id=c.event_id, tally_id=c.tally_id, claim_date=c.claim_date, date_text=c.date_text,
        sentence=c.sentence, start=c.start, end=c.end, field=c.field,
        evidence=sorted(ev, key=lambda x: (x["start"], x["role"])), confidence=c.confidence,
    )  # fmt: skip


def _tally_claims(f: _Field, t: Tally) -> list[Claim]:
    fig = next((ev for ev in t.evidence if ev.role == "fatalities"), None)
    pos = _scan_pos(f, fig.start if fig else t.start)
    s = f.a.field.sentence_at(pos) or (f.a.field.sentences[0] if f.a.field.sentences else None)
    if s is None:
        return []
    attr = _attribute(f, s, pos)
    values: dict[str, Any] = {"fatalities": [t.fatalities_low, t.fatalities_high], "qualifier": t.fatalities_qualifier,
                              "victims": t.victims, "perpetrators": list(t.actors), "methods": list(t.methods),
                              "period": [t.period_start.isoformat() if t.period_start else None,
                                         t.period_end.isoformat() if t.period_end else None],
                              "area": t.area, "iso": t.iso}  # fmt: skip
    evidence = [
        {"role": ev.role, "start": ev.start, "end": ev.end, "text": ev.text, "field": ev.field} for ev in t.evidence
    ]
    value = f"{t.fatalities}{'+' if t.fatalities_qualifier in ('more_than', 'at_least') else ''} killed"
    holders: list[_Mention | None] = list(attr.holders) or [None]
    return [
        _make(
            f, t.document_id, "tally", s, h, attr, stance=attr.stance if h else "asserts", cue=attr.cue if h else None,
            subject=t.victims, topic="tally", value=value, values=values, evidence=evidence, tally_id=t.id,
            claim_date=t.period_start, date_text=t.period_text,
        )
        for h in holders
    ]  # fmt: skip


def _subject(f: _Field, s: Sentence, start: int, end: int) -> Match | None:
    """The armed group a statement word is about: the nearest one named close by (after first)."""
    a = f.a
    best: tuple[int, int, Match] | None = None
    for m in a.in_sentence(a.actors, s):
        actor: Actor = m.payloads[0]
        if actor.kind not in _GROUP_KINDS:
            continue
        if m.start >= end:
            gap, side = a.words_between(end, m.start), 0
        elif m.end <= start:
            gap, side = a.words_between(m.end, start), 1
        else:
            continue
        if gap <= _SUBJECT_WORDS and (best is None or (gap, side) < (best[0], best[1])):
            best = (gap, side, m)
    return best[2] if best else None


def _statement_claims(
    f: _Field, document_id: str, published: dt.date | None, counted: list[tuple[int, int]]
) -> list[Claim]:
    a = f.a
    out: list[Claim] = []
    for s in a.field.sentences:
        items: list[tuple[Match, str, str, dict[str, Any], Match]] = []  # content, topic, value, values, subject
        for h in _in(f.statements, s):
            st: Status = h.payloads[0]
            prev = a.word_before(h.word_start)
            if prev is not None and a.field.scan[prev[0] : prev[1]] in f.negators:
                continue  # «عدم وجود»: not a claim either way
            subj = _subject(f, s, h.start, h.end)
            if subj is not None:
                items.append((h, st.topic, st.value, {}, subj))
        for q in a.in_sentence(a.quantities, s):
            qa, qb = a.field.span(q.start, q.end)
            if any(qa < b and x < qb for x, b in counted):
                continue  # a casualty figure, not the group's strength
            noun = next(
                (n for n in _in(f.nouns, s) if n.start >= q.end and a.words_between(q.end, n.start) <= _NOUN_WORDS),
                None,
            )
            if noun is None:
                continue
            subj = next((m for m in a.in_sentence(a.actors, s) if m.payloads[0].kind in _GROUP_KINDS), None)
            if subj is None:
                continue
            more = q.qualifier in ("more_than", "at_least")
            value = f"{q.value}{'+' if more else ''} fighters"
            items.append((_as_match(q.start, noun.end), "group_strength", value,
                          {"strength": [q.low or q.value, None if more else (q.high or q.value)]}, subj))  # fmt: skip
        date = _date_in(a, s)
        for content, topic, value, extra, subj in items:
            attr = _attribute(f, s, content.start)
            subject = subj.payloads[0].id
            evidence = [_ev(f, "content", content.start, content.end), _ev(f, "subject", subj.start, subj.end)]
            if date is not None:
                evidence.append(_ev(f, "date", date[1], date[2]))
            values = {"subject_name": subj.payloads[0].name, **extra}
            claim_date = date[0] if date else published
            date_text = a.field.quote(date[1], date[2]) if date else None
            holders: list[_Mention | None] = [
                m for m in attr.holders if not (m.start < subj.end and subj.start < m.end)
            ] or [None]
            for h in holders:
                out.append(
                    _make(
                        f, document_id, "statement", s, h, attr, stance=attr.stance if h else "asserts",
                        cue=attr.cue if h else None, subject=subject, topic=topic, value=value, values=values,
                        evidence=evidence, claim_date=claim_date, date_text=date_text,
                    )
                )  # fmt: skip
            if attr.denial is not None:
                c, hs = attr.denial
                out.append(
                    _make(
                        f, document_id, "statement", s, hs[0], attr, stance="denies", cue=c, subject=subject,
                        topic=topic, value=value, values=values, evidence=evidence, claim_date=claim_date,
                        date_text=date_text,
                    )
                )  # fmt: skip
    return out


def _as_match(start: int, end: int) -> Match:
    return Match(start, end, start, "", (Cue("quantity"),))


def _date_in(a: Analysis, s: Sentence) -> tuple[dt.date, int, int] | None:
    for d in a.in_sentence(a.dates, s):
        if d.date is not None and d.kind != "year":  # a year alone dates no statement
            return d.date, d.start, d.end
    return None
