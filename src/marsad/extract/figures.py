"""Casualty figures in a sentence: how many were killed, injured, abducted, and who they were.

A number counts as a casualty figure only when a casualty word is beside it: «مقتل 7»,
«7 قتلى», «أوقع الهجوم 7 عناصر» (a causal verb, the number, a victim noun), «20 بين قتيل وجريح».
Unnumbered words count as eval/gold/GUIDE.md says: a dual 2, a plural 3, one named victim 1,
«قتلى وجرحى» alone 3 and 3. Numbers that count years, kilometres, rockets or money never count.
Several figures for the same outcome in one sentence add up («مقتل 5 جنود و3 مدنيين»), vague ones
beside a number excepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from marsad.arabic.normalize import normalize_phrase
from marsad.arabic.numbers import Quantity
from marsad.extract.analysis import Analysis
from marsad.extract.lexicons import Cue, Lexicons
from marsad.extract.matcher import Match
from marsad.extract.text import Sentence
from marsad.lexicon import load

__all__ = ["Figure", "figures"]

_COUNTED = ("killed", "injured", "abducted")
# the value of «عدة», «عدد من» (numbers.yaml, ACLED): a vague count this small, shared by killed and
# wounded, counts as many killed as the plural «قتلى وجرحى» does
_FEW = 3


@dataclass(frozen=True, slots=True)
class Figure:
    outcome: str  # killed | injured | abducted | arrested | missing | neutralised
    low: int
    best: int
    high: int
    qualifier: str
    start: int  # evidence span in Field.scan: the casualty word and its number
    end: int
    victims: str | None = None  # civilians | fighters | attackers (casualties.yaml victim_nouns)
    victim_end: int | None = None  # end of the victim noun, where «من + group» may follow
    victim_key: str | None = None  # the victim noun's normal form («جنود»)


@cache
def _units() -> frozenset[str]:
    return frozenset(normalize_phrase(str(w)) for w in load("extraction")["non_people_units"])


@cache
def _killing() -> frozenset[str]:
    return frozenset(str(t) for t in load("extraction")["killing_triggers"])


_KILLED = Cue("killed")


@cache
def _singular() -> frozenset[str]:
    return frozenset(normalize_phrase(str(w)) for w in load("extraction")["singular_victims"])


def _first_at(matches: list[Match], start: int, stop: int) -> Match | None:
    for m in matches:
        if start <= m.word_start < stop:
            return m
    return None


def _is_unit(a: Analysis, q: Quantity) -> bool:
    nxt = a.word_after(q.end)
    if nxt is None:
        return False
    word = a.field.scan[nxt[0] : nxt[1]]
    units = _units()
    if word in units or (len(word) > 2 and word[:2] == "ال" and word[2:] in units):
        return True
    return len(word) > 1 and word[0] in "وبل" and word[1:] in units


def _in_date(a: Analysis, q: Quantity) -> bool:
    return any(d.start <= q.start < d.end or d.start < q.end <= d.end for d in a.dates)


def _victim_after(a: Analysis, pos: int, within: int = 1) -> Match | None:
    nxt = a.word_after(pos, within)
    limit = nxt[1] if nxt else len(a.field.scan)
    return _first_at(a.victims, pos, limit)


def _continues(a: Analysis, prev: Figure, q: Quantity) -> bool:
    """``q`` is coordinated with the figure before it («... و3 مدنيين», «بالإضافة إلى 11 مدنيا»),
    not a subset of it («مقتل 13 شخصا بينهم 10 طلاب»)."""
    before = a.word_before(q.start)
    if before is not None and a.field.scan[before[0] : before[1]] in _CONJUNCTIONS:
        return True
    joined = a.field.scan[q.start : q.start + 1] == "و" or a.field.scan[q.start - 1 : q.start] == "و"
    return joined and a.words_between(prev.end, q.start) <= 3


_CONJUNCTIONS = frozenset({"و", "الي", "عن"})  # «و», «بالإضافة إلى», «فضلا عن»


def _adjacent(a: Analysis, end: int, start: int) -> bool:
    """At most one word between, or only an actor's name («أعدم تنظيم داعش ثلاثة مدنيين»)."""
    if a.words_between(end, start) <= 1:
        return True
    for x in a.actors:
        if x.word_start >= end and a.words_between(end, x.word_start) == 0:
            return x.end <= start and a.words_between(x.end, start) == 0
        if x.word_start > start:
            break
    return False


def _new_clause(between: str) -> bool:
    """Punctuation and then «و» between an outcome word and a number: the number opens a clause
    of its own («... 32 قتيلا، وأن 29 شخصا لا يزالون في المستشفيات»); a comma alone does not
    («أعدمت ... رميا بالرصاص، 41 طفلا»)."""
    for mark in ",;:":
        at = between.find(mark)
        if at >= 0 and between[at + 1 :].lstrip().startswith("و"):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Range:
    lower: Quantity
    start: int  # where the range phrase starts («ما بين», «من» included)
    rising: bool  # «من 31 إلى 32»: a toll that rose, the upper number holds


def _ranges(a: Analysis, quantities: list[Quantity], lex: Lexicons) -> dict[int, _Range]:
    """Two numbers that make one range (casualties.yaml ``ranges``: «10 إلى 15», «ما بين 10 و15»,
    «20-30», «من 31 إلى 32»): the start of the upper one -> its range; the lower one counts nobody
    of its own."""
    words = lex.range_words
    out: dict[int, _Range] = {}
    for x, y in pairwise(quantities):
        if x.qualifier != "exact" or y.qualifier != "exact" or x.value >= y.value:
            continue
        joined = a.field.scan[x.end : y.start].strip()
        w = a.word_before(x.start)
        word = a.field.scan[w[0] : w[1]] if w is not None else ""
        if not (joined in words["joiners"] or (joined == "و" and word in words["between"])):
            continue
        start = x.start
        if w is not None and (word in words["between"] or word in words["rising"]):
            start = w[0]
            lead = a.word_before(w[0]) if word in words["between"] else None
            if lead is not None and a.field.scan[lead[0] : lead[1]] in words["between_lead"]:
                start = lead[0]
        out[y.start] = _Range(x, start, word in words["rising"])
    return out


def _count_word(lex: Lexicons, key: str) -> int:
    if key in lex.dual:
        return 2
    if key in _singular():
        return 1
    return 3


def figures(a: Analysis, s: Sentence, lex: Lexicons) -> list[Figure]:
    """Every casualty figure of sentence ``s`` (empty when the sentence says nobody was hurt)."""
    if any(m.payloads[0].kind == "casualties" for m in a.in_sentence(a.negation, s)):
        return []
    outcomes: list[Match] = a.in_sentence(a.outcomes, s)
    killing = _killing()
    outcomes += [
        Match(t.start, t.end, t.word_start, t.key, (_KILLED,))
        for t in a.in_sentence(a.triggers, s)
        if t.payloads[0].id in killing and not any(o.start < t.end and t.start < o.end for o in outcomes)
    ]
    outcomes.sort(key=lambda m: m.start)
    combined: list[Match] = a.in_sentence(a.combined, s)
    causal: list[Match] = a.in_sentence(a.causal, s)
    out: list[Figure] = []
    used: set[int] = set()  # starts of outcome/combined hits that got a number
    quantities: list[Quantity] = a.in_sentence(a.quantities, s)
    lower = _ranges(a, quantities, lex)
    lowers = {r.lower.start for r in lower.values()}
    for q in quantities:
        if q.end > s.end or _is_unit(a, q) or _in_date(a, q) or q.start in lowers:
            continue
        q_at = lower[q.start].start if q.start in lower else q.start  # where its phrase starts
        w = a.word_before(q_at)
        if w is not None and out and a.field.scan[w[0] : w[1]] in lex.subset_words:
            continue  # «95 قتيلا، بينهم 29 طفلا»: some of the 95
        if q.qualifier == "exact" and 1900 <= q.value <= 2100 and _victim_after(a, q.end, 0) is None:
            continue  # a year («عام 2004 التي قضى فيها»), not a count
        # a vague count («عدة», «عشرات») must stand right before its noun: «بعدة طرق (قنص، خطف»
        after = a.word_after(q.end, 0 if q.qualifier == "vague" else 2)
        after_limit = after[1] if after else s.end
        comb = _first_at(combined, q.end, after_limit)
        if comb is not None:
            used.add(comb.start)
            out.append(Figure("killed", 0, 0, q.value, "combined", q.start, comb.end))
            out.append(Figure("injured", 0, 0, q.value, "combined", q.start, comb.end))
            continue
        lead = next((c for c in combined if c.end <= q.start and a.words_between(c.end, q.start) <= 1), None)
        if lead is not None:
            # «مقتل وإصابة عدد من الجنود» (3 and 3, as «قتلى وجرحى» alone), «مقتل وإصابة 60» and
            # «مقتل وجرح العشرات» (0 to 60, 0 to 10 killed: GUIDE.md)
            used.add(lead.start)
            low = q.value if q.qualifier == "vague" and q.value <= _FEW else 0
            for outcome in ("killed", "injured"):
                out.append(Figure(outcome, low, low, q.value, q.qualifier, lead.start, q.end))
            continue
        victim = _victim_after(a, q.end, 0)
        nxt = _first_at(outcomes, q.end, after_limit)
        prev: Match | None = None
        for m in outcomes:
            if (
                m.end <= q_at
                and q.qualifier != "vague"
                and _adjacent(a, m.end, q_at)
                and not _new_clause(a.field.scan[m.end : q_at])  # «32 قتيلا، وأن 29 شخصا ...»
            ):
                prev = m
        chosen: Match | None = None
        if nxt is not None and (
            prev is None or a.words_between(q.end, nxt.start) <= a.words_between(prev.end, q.start)
        ):
            chosen = nxt
        elif prev is not None:
            chosen = prev
        if chosen is not None:
            used.add(chosen.start)
            outcome = chosen.payloads[0].kind
            start, end = min(q.start, chosen.start), max(q.end, chosen.end)
        elif victim is not None and any(c.end <= q.start and a.words_between(c.end, q.start) <= 2 for c in causal):
            outcome = "killed"  # «أوقع الهجوم 7 عناصر»
            c = max((c for c in causal if c.end <= q.start), key=lambda c: c.end)
            start, end = c.start, victim.end
        elif victim is not None and any(f.victims is not None for f in out) and _continues(a, out[-1], q):
            # «مقتل 5 جنود و3 مدنيين», «... بالإضافة إلى 11 مدنيا»: a count of other victims
            # continues the outcome of the last figure that counted victims
            outcome = next(f for f in reversed(out) if f.victims is not None).outcome
            start, end = q.start, victim.end
        else:
            continue
        low = q.low if q.low is not None else q.value
        high = q.high if q.high is not None else q.value
        best = q.value
        if q.start in lower:
            # «ما بين 10 إلى 15 قتيلا» counts 10 to 15 (ACLED codes the lower); a toll that rose
            # «من 31 إلى 32 قتيلا» is 32
            r = lower[q.start]
            low = r.lower.value
            if not r.rising:
                best = low
            start = min(start, r.start)
        v_end = victim.end if victim is not None else None
        group = victim.payloads[0].kind if victim is not None else None
        out.append(
            Figure(
                outcome,
                low,
                best,
                max(high, q.value),
                q.qualifier,
                start,
                max(end, v_end or end),
                group,
                v_end,
                victim.key if victim is not None else None,
            )
        )
    numbered = {f.outcome for f in out}
    for comb in combined:
        if comb.start in used or "killed" in numbered:
            continue
        # «قتلى وجرحى» alone counts 3 and 3 (GUIDE.md); a verbal noun («مقتل وجرح») awaits its count
        if any(w in comb.key.split() for w in ("قتلي", "قتيل", "شهدا", "شهداء", "شهيد", "ضحايا")):
            out.append(Figure("killed", 3, 3, 3, "implied", comb.start, comb.end))
            out.append(Figure("injured", 3, 3, 3, "implied", comb.start, comb.end))
            numbered.update(("killed", "injured"))
    for m in outcomes:
        outcome = m.payloads[0].kind
        if m.start in used or outcome in numbered or outcome not in _COUNTED:
            continue
        if any(c.start <= m.start < c.end for c in combined):
            continue
        victim = _victim_after(a, m.end, 1)
        if victim is not None and victim.key.startswith("ال") and _count_word(lex, victim.key) == 3:
            continue  # «قتل الأطفال»: a class of people, not a count
        if m.key in lex.dual or m.key in lex.plural:
            n = 2 if m.key in lex.dual else 3
            end = m.end
        elif victim is not None:
            n = _count_word(lex, victim.key)
            end = victim.end
            word = a.word_after(victim.end)
            if n == 1 and word is not None and a.field.scan[word[0] : word[1]] in lex.ordinal:
                n = lex.ordinal[a.field.scan[word[0] : word[1]]]  # «توفي جندي خامس»: the fifth death
                end = word[1]
        else:
            continue
        group = victim.payloads[0].kind if victim is not None else None
        out.append(
            Figure(
                outcome,
                n,
                n,
                n,
                "implied",
                m.start,
                end,
                group,
                victim.end if victim else None,
                victim.key if victim else None,
            )
        )
        numbered.add(outcome)
    _add_coordinated(a, s, out, quantities, lex)
    return out


def _add_coordinated(a: Analysis, s: Sentence, out: list[Figure], quantities: list[Quantity], lex: Lexicons) -> None:
    """Victims joined by «و» to a counted group share its outcome and add to it: «قتل ضابط و3
    جنود» is 1 + 3, «مقتل 3 جنود وضابط» 3 + 1, «مقتل ضابط وجنديين» 1 + 2. A bare plural
    («5 مدنيين وجنود») is no count and is left out; a number counted already is not counted again."""

    def counted(pos: int) -> bool:  # inside the words of a figure already read
        return any(f.start <= pos < f.end for f in out)

    i = 0
    while i < len(out):
        f = out[i]
        i += 1
        if f.victim_end is None:
            continue
        word = a.word_after(f.victim_end)
        if word is None or word[0] >= s.end or not a.field.scan[word[0] : word[1]].startswith("و"):
            continue
        # «و3 جنود» / «و 3 جنود»: a number right after «و»
        nxt = a.word_after(word[0], 1) if a.field.scan[word[0] : word[1]] == "و" else None
        lo, hi = word[0], (nxt[1] if nxt else word[1])
        q = next((q for q in quantities if lo < q.start < hi and q.qualifier != "vague"), None)
        if q is not None:
            victim = _victim_after(a, q.end, 0)
            if victim is None or counted(q.start) or _is_unit(a, q) or _in_date(a, q):
                continue
            n_low = q.low if q.low is not None else q.value
            n_high = q.high if q.high is not None else q.value
            fig = Figure(f.outcome, n_low, q.value, n_high, q.qualifier, q.start, victim.end,
                         victim.payloads[0].kind, victim.end, victim.key)  # fmt: skip
        else:
            victim = _first_at(a.victims, lo, hi)  # «وضابط», «و ضابط»
            if victim is None:
                continue
            n = _count_word(lex, victim.key)
            if n == 3 or counted(victim.start):
                continue  # a plural without a number: no count
            if n == 1 and f.qualifier != "implied" and a.field.scan[victim.start : victim.end].endswith("ا"):
                continue  # «17 جنديا وضابطا»: a second specifier of the same number, not one more
            fig = Figure(f.outcome, n, n, n, "implied", victim.start, victim.end,
                         victim.payloads[0].kind, victim.end, victim.key)  # fmt: skip
        out.append(fig)


def totals(found: list[Figure], outcome: str) -> tuple[int, int, int] | None:
    """(low, best, high) of ``outcome`` in one sentence: numbered figures add up; a vague one
    («عديد من الجثث», «العشرات») beside a numbered one restates it, it does not add to it
    («مقتل 17 حوثيا ... حيث لا تزال عديد من الجثث تحت الأنقاض» is 17)."""
    sel = [f for f in found if f.outcome == outcome]
    if not sel:
        return None
    if any(f.qualifier != "vague" for f in sel):
        sel = [f for f in sel if f.qualifier != "vague"]
    return sum(f.low for f in sel), sum(f.best for f in sel), sum(f.high for f in sel)
