from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.arabic import dates, reltime
from marsad.arabic.dates import find_dates
from marsad.arabic.normalize import normalize
from marsad.clean.metadata import choose_published


@pytest.mark.parametrize(
    ("text", "quote", "day", "month", "year", "calendar"),
    [
        ("استهداف المبنى في الثالث من شهر نيسان/ إبريل الحالي", "الثالث من شهر نيسان/ إبريل", 3, 4, None, "gregorian"),
        ("طرابلس – 5 ماي 2022 (وكالات)", "5 ماي 2022", 5, 5, 2022, "gregorian"),
        ("يوم ٩ فبراير ٢٠١٨ هاجم مسلحون", "٩ فبراير ٢٠١٨", 9, 2, 2018, "gregorian"),
        ("الخميس 14 تشرين الأول 2021 انفجرت", "الخميس 14 تشرين الأول 2021", 14, 10, 2021, "gregorian"),
        ("السبت 8 رجب 1442 هـ", "السبت 8 رجب 1442 هـ", 8, 7, 1442, "hijri"),
        ("يوم الخميس 6 أغسطس (آب) 2015 وقع", "يوم الخميس 6 أغسطس (آب) 2015", 6, 8, 2015, "gregorian"),
        ("في 12 من أيار عام 2016", "12 من أيار عام 2016", 12, 5, 2016, "gregorian"),
        ("في 3 جوان 2019 بالجزائر", "3 جوان 2019", 3, 6, 2019, "gregorian"),
        ("في الحادي عشر من شهر آذار/ مارس", "الحادي عشر من شهر آذار/ مارس", 11, 3, None, "gregorian"),
    ],
)
def test_dates_finds_absolute_dates(
    text: str, quote: str, day: int, month: int, year: int | None, calendar: str
) -> None:
    [m] = find_dates(text)
    assert text[m.start : m.end] == quote
    assert (m.day, m.month, m.year, m.calendar) == (day, month, year, calendar)


def test_dates_impossible_date_is_flagged_not_invented() -> None:
    [m] = find_dates("قتل 3 في 31 شباط الماضي")
    assert not m.valid and m.date is None and m.year is None


def test_dates_refuses_inconsistent_paired_months() -> None:
    assert find_dates("في 5 نيسان/ مايو 2019") == []


def test_dates_no_year_gives_no_date() -> None:
    [m] = find_dates("في 5 نيسان")
    assert m.date is None


def test_dates_choose_published_by_priority_and_reports_conflicts() -> None:
    chosen, source, conflicts = choose_published(
        {
            "input": None,
            "html-meta": None,
            "text-header": dt.date(2022, 5, 5),
            "cli": dt.date(2020, 1, 1),
            "html-heuristic": dt.date(2022, 1, 1),
            "crawl": None,
        }
    )
    assert (chosen, source) == (dt.date(2022, 5, 5), "text-header")
    assert conflicts == {"html-heuristic": "2022-01-01"}


# words of dates and relative dates, with what surrounds them in news text
_DATE_TEXT = (
    "يوم الخميس والخميس الثالث الحادي عشر من شهر الشهر بنيسان نيسان/ إبريل أيار آب باب وآب كانون الأول"
    " عام العام 2019 1442 هـ م 5 12 ٩ 3.5 أمس اليوم مساء الأسبوع الماضي الحالي قبل بأسبوع منذ أول الأول"
    " ذي الحجة رمضان صفر 4 قتلى في سوريا"
)
_DATE_WORDS = _DATE_TEXT.split()


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_DATE_WORDS), st.sampled_from([" ", " ", "  ", "\n", "، ", "/", "(", ")", "", "_"])),
        max_size=14,
    )
)
def test_dates_anchored_search_finds_what_finditer_finds(words: list[tuple[str, str]]) -> None:
    text = "".join(w + sep for w, sep in words)
    for normal in (text, normalize(text).text):
        for anchored in (dates._compiled().pattern, dates._compiled().month_only, reltime._compiled().pattern):
            found = [(m.span(), m.groupdict()) for m in anchored.finditer(normal)]
            assert found == [(m.span(), m.groupdict()) for m in anchored.pattern.finditer(normal)]


def test_dates_anchored_pattern_with_an_empty_start_tries_everywhere() -> None:
    pattern = re.compile(r"(?<![\w])(?:و)?(?:ب|)")  # may match nothing: no word to anchor on
    found = [m.span() for m in dates.AnchoredPattern(pattern, {"و", "ب", ""}).finditer("و  ب")]
    assert found == [m.span() for m in pattern.finditer("و  ب")]
    assert (2, 2) in found
