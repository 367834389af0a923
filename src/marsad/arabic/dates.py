"""Absolute Arabic dates in text: «5 نيسان 2019», «الثالث من شهر نيسان/ إبريل», «٩ فبراير ٢٠١٨».

Month names come from ``lexicon/data/months.yaml`` (MSA, Levantine/Iraqi and Maghrebi names,
paired forms such as «نيسان/ إبريل» or «أبريل (نيسان)»). Matching runs on normalised text
(:mod:`marsad.arabic.normalize`), so the digits of every script and hamza variants are covered, and
offsets map back to the original. A date without a year keeps ``year=None``: inventing a year is
left to a caller that knows the publication date. Hijri months are recognised and reported with
``calendar="hijri"``; converting them is the caller's business.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick

from marsad import lexicon
from marsad.arabic.normalize import NormalizedText, normalize, normalize_phrase, phrase_alternation

__all__ = ["AnchoredPattern", "DateMention", "find_dates"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date found in text. ``start``/``end`` index the original text."""

    start: int
    end: int
    day: int | None
    month: int
    year: int | None
    calendar: str  # gregorian | hijri
    weekday: int | None = None

    @property
    def date(self) -> dt.date | None:
        """The Gregorian date when day, month and year are known and valid, else None."""
        if self.calendar != "gregorian" or self.year is None or self.day is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None

    @property
    def valid(self) -> bool:
        """False for impossible dates such as «31 شباط»."""
        if self.day is None:
            return True
        if self.calendar == "hijri":
            return 1 <= self.day <= 30
        year = self.year if self.year is not None else 2000  # a leap year: 29 Feb is possible
        return 1 <= self.day <= _calendar.monthrange(year, self.month)[1]


_DIGIT_RUN = re.compile(r"[0-9]+")


class AnchoredPattern:
    """A pattern tried only where one of its matches can begin: the same matches as
    ``pattern.finditer``, without trying the pattern at every position of the text.

    The date patterns open with a look-behind (no word character before the match) and long
    alternations, which ``re`` tries at every character. Each of their matches begins, at a word
    start, with one of a few literal words (``starts``: the first words of the forms that can come
    first, with the clitics the pattern allows before them) or, with ``digits``, with a digit. One
    Aho-Corasick pass finds those words, and the pattern is tried only there, in text order, from
    the end of the last match on, as ``finditer`` does. The pattern must begin with that
    look-behind and never match the empty string; whoever changes it changes its starts (the tests
    compare both searches).
    """

    __slots__ = ("_automaton", "digits", "pattern")

    def __init__(self, pattern: re.Pattern[str], starts: Iterable[str], *, digits: bool = False) -> None:
        self.pattern = pattern
        self.digits = digits
        words = set(starts)
        self._automaton: Any = None  # None: a match may begin anywhere (an empty start)
        if "" not in words:
            self._automaton = ahocorasick.Automaton()
            for word in words:
                self._automaton.add_word(word, len(word))
            if words:
                self._automaton.make_automaton()

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``, for a pattern that never matches the empty string."""
        if self._automaton is None:
            yield from self.pattern.finditer(text)
            return
        at = {last + 1 - size for last, size in self._automaton.iter(text)} if len(self._automaton) else set()
        if self.digits:
            at.update(m.start() for m in _DIGIT_RUN.finditer(text))
        resume = 0
        for pos in sorted(at):
            if pos < resume or (pos and (text[pos - 1].isalnum() or text[pos - 1] == "_")):
                continue  # inside the last match, or inside a word (the look-behind)
            m = self.pattern.match(text, pos)
            if m is not None:
                yield m
                resume = max(m.end(), pos + 1)


def _first_words(forms: Iterable[str], clitics: str = "") -> set[str]:
    """The first word of each normalised form, bare and after each of ``clitics`` (letters)."""
    words = {normalize_phrase(f).split(" ")[0] for f in forms}
    return words | {c + w for c in clitics for w in words}


@dataclass(frozen=True, slots=True)
class _Compiled:
    pattern: AnchoredPattern
    months: dict[str, tuple[str, int]]
    ordinals: dict[str, int]
    weekdays: dict[str, int]
    hijri_suffixes: frozenset[str]
    month_only: AnchoredPattern


@cache
def _compiled() -> _Compiled:
    data = lexicon.load("months")
    months: dict[str, tuple[str, int]] = {}
    for cal in ("gregorian", "hijri"):
        for num, names in data[cal].items():
            for name in names:
                months[normalize_phrase(name)] = (cal, int(num))
    ordinals = {normalize_phrase(w): int(n) for n, ws in data["ordinal_days"].items() for w in ws}
    weekdays = {normalize_phrase(w): int(n) for n, ws in data["weekdays"].items() for w in ws}
    conn = data["connectors"]
    month = phrase_alternation(list(months))
    # a clitic may stick to the month or the weekday: «بنيسان», «والخميس»
    month_tok = rf"(?:[وب]?)(?P<{{name}}>{month})"
    day = rf"(?P<dnum>[0-9]{{1,2}})|(?P<dord>{phrase_alternation(list(ordinals))})"
    # a month, or a month paired with its other name («نيسان/ إبريل»)
    pair = month_tok.format(name="m1") + rf"(?:\s*[/(\-–]\s*{month_tok.format(name='m2')}\s*\)?)?"
    year = rf"\s*[,،]?\s*(?:(?:{phrase_alternation(conn['before_year'])})\s+)?(?P<year>[0-9]{{4}})"
    pattern = (
        rf"(?<![\w])(?:(?:يوم\s+)?(?:[وف]?)(?P<wd>{phrase_alternation(list(weekdays))})\s*[,،]?\s*)?"
        rf"(?:{day})\s*(?:(?:{phrase_alternation(conn['before_month'])})\s+)?"
        + pair
        + rf"(?:{year}"
        + rf"(?:\s*(?P<suffix>{phrase_alternation(conn['hijri_suffix'] + conn['gregorian_suffix'])})(?![\w]))?)?"
        + r"(?![\w])"
    )
    hijri = frozenset(normalize_phrase(x) for x in conn["hijri_suffix"])
    rel = rf"(?:\s+(?P<rel>{phrase_alternation(conn['month_current'])}))"
    month_only = (
        rf"(?<![\w])(?:(?P<word>(?:[وفبل]?)(?:{phrase_alternation(conn['month_word'])}))\s+)?{pair}"
        rf"(?:(?:{year})|{rel})?(?![\w])"
    )
    # what a match can begin with: «يوم», a weekday (after و/ف), a day (digits or an ordinal);
    # «شهر» (after و/ف/ب/ل) or a month (after و/ب)
    day_starts = {"يوم"} | _first_words(weekdays, "وف") | _first_words(ordinals)
    month_starts = _first_words(conn["month_word"], "وفبل") | _first_words(months, "وب")
    return _Compiled(
        AnchoredPattern(re.compile(pattern), day_starts, digits=True),
        months,
        ordinals,
        weekdays,
        hijri,
        AnchoredPattern(re.compile(month_only), month_starts),
    )


def _month(c: _Compiled, m: re.Match[str]) -> tuple[str, int] | None:
    """(calendar, month) named by groups m1/m2, or None when a pair names two different months
    («نيسان/ مايو» is not a paired form: refuse to choose)."""
    cal, month = c.months[normalize_phrase(m.group("m1"))]
    if m.group("m2"):
        cal2, month2 = c.months[normalize_phrase(m.group("m2"))]
        if cal2 == "gregorian" and cal == "gregorian" and month2 != month:
            return None
    return cal, month


def find_dates(text: str | NormalizedText) -> list[DateMention]:
    """Every day-month(-year) date in ``text``, and months marked as such («شهر نيسان»), in order."""
    norm = text if isinstance(text, NormalizedText) else normalize(text)
    c = _compiled()
    out: list[DateMention] = []
    for m in c.pattern.finditer(norm.text):
        named = _month(c, m)
        if named is None:
            continue
        cal, month = named
        day = int(m.group("dnum")) if m.group("dnum") else c.ordinals[normalize_phrase(m.group("dord"))]
        year = int(m.group("year")) if m.group("year") else None
        if m.group("suffix") and m.group("suffix") in c.hijri_suffixes:
            cal = "hijri"
        weekday = c.weekdays.get(m.group("wd")) if m.group("wd") else None
        start, end = norm.original_span(m.start(), m.end())
        out.append(DateMention(start, end, day, month, year, cal, weekday))
    taken = [(d.start, d.end) for d in out]
    for m in c.month_only.finditer(norm.text):
        if not (m.group("word") or m.group("year") or m.group("rel")):
            continue  # a bare month name: too often a word or a name
        start, end = norm.original_span(m.start(), m.end())
        if any(a < end and start < b for a, b in taken):
            continue
        named = _month(c, m)
        if named is None:
            continue
        year = int(m.group("year")) if m.group("year") else None
        out.append(DateMention(start, end, None, named[1], year, named[0], None))
    out.sort(key=lambda d: d.start)
    return out
