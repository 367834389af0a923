from __future__ import annotations

import datetime as dt

import pytest

from marsad.arabic.reltime import resolve_all

PUBLISHED = dt.date(2019, 4, 28)  # a Sunday


@pytest.mark.parametrize(
    ("text", "quote", "day", "precision", "kind"),
    [
        ("في الثالث من شهر نيسان/ إبريل الحالي", "الثالث من شهر نيسان/ إبريل", dt.date(2019, 4, 3), 1, "absolute"),
        ("قتل أمس", "أمس", dt.date(2019, 4, 27), 1, "relative"),
        ("مساء أمس السبت", "مساء أمس السبت", dt.date(2019, 4, 27), 1, "relative"),
        ("أول من أمس", "أول من أمس", dt.date(2019, 4, 26), 1, "relative"),
        ("اليوم الأحد", "اليوم الأحد", dt.date(2019, 4, 28), 1, "relative"),
        ("يوم الخميس الماضي", "الخميس الماضي", dt.date(2019, 4, 25), 1, "weekday"),
        ("والخميس", "الخميس", dt.date(2019, 4, 25), 1, "weekday"),
        ("يوم الأحد", "الأحد", dt.date(2019, 4, 28), 1, "weekday"),
        ("الأسبوع الماضي", "الأسبوع الماضي", dt.date(2019, 4, 21), 2, "relative"),
        ("الشهر الماضي", "الشهر الماضي", dt.date(2019, 3, 1), 3, "relative"),
        ("في 30 كانون الأول", "30 كانون الأول", dt.date(2018, 12, 30), 1, "absolute"),
        ("السبت 8 رجب 1442 هـ", "السبت 8 رجب 1442 هـ", dt.date(2021, 2, 20), 1, "hijri"),
        ("الخميس 14 تشرين الأول 2021", "الخميس 14 تشرين الأول 2021", dt.date(2021, 10, 14), 1, "absolute"),
    ],
)
def test_reltime_resolves_against_publication_date(
    text: str, quote: str, day: dt.date, precision: int, kind: str
) -> None:
    [r] = resolve_all(text, PUBLISHED)
    assert (text[r.start : r.end], r.date, r.precision, r.kind) == (quote, day, precision, kind)


def test_reltime_never_invents_a_year_or_a_day() -> None:
    [r] = resolve_all("قتل أمس", None)
    assert r.date is None and r.reason == "relative date and no publication date"
    [r] = resolve_all("في الثالث من نيسان", None)
    assert r.date is None and "no publication date" in str(r.reason)
    [r] = resolve_all("في 31 شباط", PUBLISHED)
    assert r.date is None and r.reason == "no such day: 31/2"
    [r] = resolve_all("5 رجب 1300 هـ", PUBLISHED)
    assert r.date is None and "range" in str(r.reason)


def test_reltime_leap_day_without_year_is_left_unresolved() -> None:
    [r] = resolve_all("في 29 شباط", dt.date(2019, 4, 28))
    assert r.date is None and "no year given" in str(r.reason)
    [r] = resolve_all("في 29 شباط", dt.date(2020, 4, 28))
    assert r.date == dt.date(2020, 2, 29)


def test_reltime_date_with_weekday_is_one_mention() -> None:
    found = resolve_all("يوم الخميس 6 أغسطس 2015 وقع التفجير", dt.date(2015, 8, 8))
    assert [(r.date, r.kind) for r in found] == [(dt.date(2015, 8, 6), "absolute")]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("شهدت المدينة أعنف المعارك خلال حرب 1994م الأهلية", 1994),
        ("اغتيل في كمين عام ١٩٩٩", 1999),
        ("وفي العام 2013، هاجم مسلحون القاعدة", 2013),
        ("منذ سنة 2011", 2011),
    ],
)
def test_reltime_a_year_before_publication_dates_to_the_past(text: str, year: int) -> None:
    (d,) = resolve_all(text, PUBLISHED)
    assert d.kind == "year" and d.date == dt.date(year, 1, 1) and d.precision == 3
    assert text[d.start : d.end].strip().endswith(("م", str(year), "١٩٩٩"))


def test_reltime_a_year_alone_is_not_a_date_unless_marked_and_past() -> None:
    assert resolve_all("قتل 1994 مسلحا", PUBLISHED) == []  # a bare four-digit number: a count
    assert resolve_all("في عام 2019 قتل", PUBLISHED) == []  # the publication year says nothing
    assert resolve_all("في عام 2013 قتل", None) == []  # no publication date: nothing to compare
    (d,) = resolve_all("في 17 مايو عام 1994", PUBLISHED)  # the whole date, not its year
    assert d.kind == "absolute" and d.date == dt.date(1994, 5, 17)
