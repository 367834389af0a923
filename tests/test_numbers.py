from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.arabic.normalize import normalize
from marsad.arabic.numbers import _candidates, _digits, _lex, _number_readings, find_quantities


@pytest.mark.parametrize(
    ("text", "value", "quote"),
    [
        ("قتل سبعة عناصر", 7, "سبعة"),
        ("قتل أحد عشر مدنيا", 11, "أحد عشر"),
        ("قتلت إحدى عشرة امرأة", 11, "إحدى عشرة"),
        ("اثنا عشر جنديا", 12, "اثنا عشر"),
        ("مقتل ثلاثة وعشرين شخصا", 23, "ثلاثة وعشرين"),
        ("خمسة وخمسين مقاتلا", 55, "خمسة وخمسين"),
        ("مئتي عنصر", 200, "مئتي"),
        ("ثلاث مئة عائلة", 300, "ثلاث مئة"),
        ("ثلاثمائة وخمسين", 350, "ثلاثمائة وخمسين"),
        ("ألف ومئتين وخمسين نازحا", 1250, "ألف ومئتين وخمسين"),
        ("3 آلاف نازح", 3000, "3 آلاف"),
        ("ثلاثة آلاف نازح", 3000, "ثلاثة آلاف"),
        ("1.5 مليون لاجئ", 1_500_000, "1.5 مليون"),
        ("قتل 1,200 شخص", 1200, "1,200"),
        ("٧ عناصر", 7, "٧"),
        ("۱۲ قتيلا", 12, "۱۲"),
        ("بخمسة قتلى", 5, "خمسة"),
        ("الـ 500 مقاتل", 500, "500"),
    ],
)
def test_numbers_reads_digits_and_number_words(text: str, value: int, quote: str) -> None:
    [q] = find_quantities(text)
    assert (q.value, q.text, q.qualifier) == (value, quote, "exact")
    assert text[q.start : q.end] == quote


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "qualifier", "quote"),
    [
        ("أكثر من 50 مقاتلا", 50, 50, None, "more_than", "أكثر من 50"),
        ("ما يزيد عن 50 مقاتل", 50, 50, None, "more_than", "ما يزيد عن 50"),
        ("ما لا يقل عن عشرين", 20, 20, None, "at_least", "ما لا يقل عن عشرين"),
        ("قتل 7 على الأقل", 7, 7, None, "at_least", "7 على الأقل"),
        ("نحو مئتي عنصر", 200, 200, 200, "about", "نحو مئتي"),
        ("قرابة 30 مدنيا", 30, 30, 30, "about", "قرابة 30"),
        ("ما يصل إلى 40 قتيلا", 40, None, 40, "up_to", "ما يصل إلى 40"),
        ("عشرات القتلى", 10, 10, None, "vague", "عشرات"),
        ("وعشرات الجرحى", 10, 10, None, "vague", "عشرات"),
        ("مئات العائلات", 100, 100, None, "vague", "مئات"),
        ("عدد من الجرحى", 3, 3, None, "vague", "عدد من"),
        ("بعدة طرق", 3, 3, None, "vague", "عدة"),
    ],
)
def test_numbers_qualifiers_and_vague_quantities(
    text: str, value: int, low: int | None, high: int | None, qualifier: str, quote: str
) -> None:
    [q] = find_quantities(text)
    assert (q.value, q.low, q.high, q.qualifier, q.text) == (value, low, high, qualifier, quote)


def test_numbers_keeps_separate_numbers_apart() -> None:
    found = find_quantities("قتل خمسة وأصيب عشرة آخرون")
    assert [(q.value, q.text) for q in found] == [(5, "خمسة"), (10, "عشرة")]


def test_numbers_seed_sentence() -> None:
    text = "استطاعت قتل ما يزيد عن 50 مقاتل من قسد، بالإضافة إلى 11 مدنياً، وأوقع الهجوم 7 عناصر"
    assert [(q.value, q.qualifier) for q in find_quantities(text)] == [(50, "more_than"), (11, "exact"), (7, "exact")]


def test_numbers_text_without_numbers() -> None:
    assert find_quantities("لا أرقام في هذه الجملة") == []
    assert find_quantities("") == []


_NUMBER_TEXT = (
    "ثلاثة وثلاثة بخمسة لخمسة ألف الف آلاف عشر عشرات عدة بعدة مئة مئتي ستة ستين"
    " الفلسطينيين والفني مستشفى قتل شخصا a ² 12 1,200 3.5 ٧ و3 3آلاف"
)
_NUMBER_PIECES = _NUMBER_TEXT.split()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NUMBER_PIECES), st.sampled_from([" ", "  ", "\n", "،", "-", "", "_"]))))
def test_numbers_candidates_are_the_tokens_that_may_start_a_number(pieces: list[tuple[str, str]]) -> None:
    text = normalize("".join(w + sep for w, sep in pieces)).text
    lx = _lex()
    tokens = list(lx.token.finditer(text))
    candidates = _candidates(text, lx)
    assert set(candidates) <= {t.start() for t in tokens}  # token starts only
    assert candidates == sorted(candidates)
    for t in tokens:
        readings = _number_readings(t.group(), lx.starters)
        if any(r in lx.starters or _digits(r) is not None for r in readings):  # what a reading needs
            assert t.start() in candidates, t.group()


def test_numbers_read_at_word_starts_only() -> None:
    found = find_quantities("الفلسطينيين وثلاثة آلاف والفني و3 قتلى 1,200 و12")
    assert [(q.value, q.text) for q in found] == [(3000, "ثلاثة آلاف"), (3, "3"), (1200, "1,200"), (12, "12")]
