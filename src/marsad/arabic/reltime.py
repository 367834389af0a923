"""Resolve dates against a publication date: relative expressions, missing years, Hijri dates.

«أمس» → the day before publication; «يوم الخميس» → the last Thursday on or before it; «الأسبوع
الماضي» → a week before, precision 2; «الشهر الماضي» → the previous month, precision 3;
«الثالث من نيسان» (no year) → the most recent 3 April not after publication; «8 رجب 1442 هـ» → 2021-02-20.
Expressions come from ``lexicon/data/relative_dates.yaml`` and ``months.yaml``. Without a
publication date nothing relative is resolved and no year is ever invented: the result says why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from marsad import lexicon
from marsad.arabic.dates import AnchoredPattern, DateMention, find_dates
from marsad.arabic.normalize import NormalizedText, normalize, normalize_phrase, phrase_alternation

__all__ = ["ResolvedDate", "find_relative", "find_years", "resolve", "resolve_all"]

# how far after the publication date a yearless date may fall and still be this year's
# (reports of "tomorrow's" events are rare; a few days absorb time zones and crawl dates)
_FUTURE_TOLERANCE = dt.timedelta(days=3)


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A date in text resolved to a calendar day with ACLED's time precision.

    ``date`` is None when it cannot be resolved (``reason`` says why); ``start``/``end`` index
    the original text; ``kind`` is absolute | relative | weekday | hijri | year.
    """

    start: int
    end: int
    date: dt.date | None
    precision: int | None
    kind: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class _Relative:
    start: int
    end: int
    kind: str  # days | weeks | months | weekday
    amount: int
    precision: int


@dataclass(frozen=True, slots=True)
class _Compiled:
    pattern: AnchoredPattern
    table: dict[str, tuple[str, int, int]]


@cache
def _compiled() -> _Compiled:
    data = lexicon.load("relative_dates")
    table: dict[str, tuple[str, int, int]] = {}
    for section, key in (("days", "days_ago"), ("weeks", "weeks_ago"), ("months", "months_ago")):
        for item in data[section]:
            for form in item["forms"]:
                table[normalize_phrase(form)] = (section, int(item[key]), int(item["precision"]))
    weekdays = lexicon.load("months")["weekdays"]
    for num, forms in weekdays.items():
        for form in forms:
            table[normalize_phrase(form)] = ("weekday", int(num), 1)
    pattern = re.compile(
        rf"(?<![\w])(?:[وفب]?)(?:يوم\s+)?(?P<expr>{phrase_alternation(list(table))})(?:\s+(?P<past>{phrase_alternation(data['weekday_past'])}))?(?![\w])"
    )
    # a match begins with «يوم» or an expression, bare or after و/ف/ب
    starts = {c + w for c in ("", "و", "ف", "ب") for w in {"يوم"} | {f.split(" ")[0] for f in table}}
    return _Compiled(AnchoredPattern(pattern, starts), table)


def find_relative(text: str | NormalizedText) -> list[_Relative]:
    norm = text if isinstance(text, NormalizedText) else normalize(text)
    c = _compiled()
    out: list[_Relative] = []
    for m in c.pattern.finditer(norm.text):
        kind, amount, precision = c.table[normalize_phrase(m.group("expr"))]
        a, b = norm.original_span(m.start("expr"), m.end())
        prev = out[-1] if out else None
        if (
            kind == "weekday"
            and prev is not None
            and prev.kind == "days"
            and not norm.original[prev.end : a].strip(" ،,")
        ):
            # «أمس السبت», «اليوم الأحد»: the weekday restates the day just named
            out[-1] = _Relative(prev.start, b, prev.kind, prev.amount, prev.precision)
            continue
        out.append(_Relative(a, b, kind, amount, precision))
    return out


def _months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _resolve_relative(rel: _Relative, published: dt.date | None) -> ResolvedDate:
    kind = "weekday" if rel.kind == "weekday" else "relative"
    if published is None:
        return ResolvedDate(rel.start, rel.end, None, None, kind, "relative date and no publication date")
    if rel.kind == "days":
        day = published - dt.timedelta(days=rel.amount)
    elif rel.kind == "weeks":
        day = published - dt.timedelta(days=7 * rel.amount)
    elif rel.kind == "months":
        day = _months_back(published, rel.amount)
    else:  # the last such weekday on or before publication
        day = published - dt.timedelta(days=(published.weekday() - rel.amount) % 7)
    return ResolvedDate(rel.start, rel.end, day, rel.precision, kind)


def _hijri_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    from hijridate import Hijri

    try:
        return dt.date(*Hijri(year, month, day).to_gregorian().datetuple())
    except (OverflowError, ValueError):  # outside the Umm al-Qura tables (1343–1500 AH), or no such day
        return None


def resolve(m: DateMention, published: dt.date | None) -> ResolvedDate:
    """Resolve one absolute (possibly yearless or Hijri) date."""
    if not m.valid:
        return ResolvedDate(m.start, m.end, None, None, "absolute", f"no such day: {m.day}/{m.month}")
    if m.calendar == "hijri":
        year = m.year
        if year is None and published is not None:
            from hijridate import Gregorian

            year = Gregorian(published.year, published.month, published.day).to_hijri().year
        if year is None or m.day is None:
            return ResolvedDate(m.start, m.end, None, None, "hijri", "Hijri date without a year")
        day = _hijri_to_gregorian(year, m.month, m.day)
        if day is None:
            return ResolvedDate(m.start, m.end, None, None, "hijri", "Hijri date outside the convertible range")
        return ResolvedDate(m.start, m.end, day, 1, "hijri")
    if m.day is None:  # a month: ACLED time_precision 3, dated to its first day
        if m.year is not None:
            return ResolvedDate(m.start, m.end, dt.date(m.year, m.month, 1), 3, "absolute")
        if published is None:
            return ResolvedDate(m.start, m.end, None, None, "absolute", "month without a year and no publication date")
        for year in (published.year, published.year - 1):
            first = dt.date(year, m.month, 1)
            if first <= published + _FUTURE_TOLERANCE:
                return ResolvedDate(m.start, m.end, first, 3, "absolute")
    if m.year is not None:
        assert m.date is not None
        return ResolvedDate(m.start, m.end, m.date, 1, "absolute")
    if published is None:
        return ResolvedDate(m.start, m.end, None, None, "absolute", "date without a year and no publication date")
    assert m.day is not None
    for year in (published.year, published.year - 1):
        try:
            day = dt.date(year, m.month, m.day)
        except ValueError:  # 29 February in a common year
            continue
        if day <= published + _FUTURE_TOLERANCE:
            return ResolvedDate(m.start, m.end, day, 1, "absolute")
    return ResolvedDate(
        m.start,
        m.end,
        None,
        None,
        "absolute",
        "no year given, and the date is not in the publication year or the one before",
    )


@cache
def _year_pattern() -> re.Pattern[str]:
    conn = lexicon.load("months")["connectors"]
    before, suffix = phrase_alternation(conn["before_year"]), phrase_alternation(conn["gregorian_suffix"])
    return re.compile(
        rf"(?<![\w])(?:[وفبل]?(?:{before})\s+(?P<y1>[0-9]{{4}})(?:\s*(?:{suffix}))?"
        rf"|(?P<y2>[0-9]{{4}})\s*(?:{suffix}))(?![\w])"
    )


def find_years(text: str | NormalizedText) -> list[tuple[int, int, int]]:
    """Years named alone, marked as years: «عام 1994», «في العام 2013», «حرب 1994م» →
    (start, end, year) in the original text. A bare four-digit number is not taken: it is as
    often a count."""
    norm = text if isinstance(text, NormalizedText) else normalize(text)
    out: list[tuple[int, int, int]] = []
    for m in _year_pattern().finditer(norm.text):
        start, end = norm.original_span(m.start(), m.end())
        out.append((start, end, int(m.group("y1") or m.group("y2"))))
    return out


def _resolve_year(start: int, end: int, year: int, published: dt.date | None) -> ResolvedDate | None:
    """A year before the publication year dates what it speaks of to the past: its first day, at
    month precision (ACLED has no coarser one), enough to tell background from news. The
    publication year itself, a later one, or any year without a publication date says nothing a
    report's day does not say better: no date."""
    if published is None or not 1900 <= year < published.year:
        return None
    return ResolvedDate(start, end, dt.date(year, 1, 1), 3, "year")


def resolve_all(text: str | NormalizedText, published: dt.date | None) -> list[ResolvedDate]:
    """Every date expression in ``text``, resolved, in order of position.

    Absolute dates win over relative words and years they contain («يوم الخميس 6 أغسطس» is one
    date, «17 مايو عام 1994» too).
    """
    norm = text if isinstance(text, NormalizedText) else normalize(text)
    absolute = [resolve(m, published) for m in find_dates(norm)]
    taken = [(r.start, r.end) for r in absolute]
    relative = [
        _resolve_relative(r, published)
        for r in find_relative(norm)
        if not any(a <= r.start < b or a < r.end <= b for a, b in taken)
    ]
    years = [
        y
        for start, end, year in find_years(norm)
        if not any(a < end and start < b for a, b in taken)
        and (y := _resolve_year(start, end, year, published)) is not None
    ]
    return sorted(absolute + relative + years, key=lambda r: r.start)
