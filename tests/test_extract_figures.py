"""Casualty figures: numbers tied to casualty words, implied counts, what never counts."""

from __future__ import annotations

import datetime as dt

import pytest

from marsad.extract.analysis import analyse
from marsad.extract.figures import Figure, figures, totals
from marsad.extract.lexicons import lexicons
from marsad.extract.text import prepare


def _figs(text: str) -> list[Figure]:
    lex = lexicons()
    f = prepare("text", text)
    a = analyse(f, lex, dt.date(2019, 4, 28))
    out: list[Figure] = []
    for s in f.sentences:
        out.extend(figures(a, s, lex))
    return out


def _killed(text: str) -> tuple[int, int, int] | None:
    return totals(_figs(text), "killed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أسفر الانفجار عن مقتل 7 أشخاص", (7, 7, 7)),
        ("سقط سبعة قتلى في الهجوم", (7, 7, 7)),
        ("قتل ما يزيد عن 50 مقاتلا", (50, 50, 50)),
        ("حيث أوقع الهجوم 7 عناصر من قوات الأسايش", (7, 7, 7)),
        ("قتل أحد عشر مدنيا", (11, 11, 11)),
        ("مقتل جندي سعودي", (1, 1, 1)),
        ("مقتل جنديين", (2, 2, 2)),
        ("أوقع قتلى وجرحى في صفوف القوات", (3, 3, 3)),
        ("مقتل 5 جنود و3 مدنيين", (8, 8, 8)),
        # a range counts once: its lower number (ACLED), or the upper one of a toll that rose
        ("أسفر الهجوم عن سقوط 10 إلى 15 قتيلا", (10, 10, 15)),
        ("قتل ما بين 20 و30 شخصا", (20, 20, 30)),
        ("قتل 20-30 شخصا", (20, 20, 30)),
        ("ارتفعت حصيلة الهجوم من 31 إلى 32 قتيلا", (31, 32, 32)),
        # a count after «بينهم» is some of those just counted; a new clause counts others
        ("سقط 95 قتيلا، بينهم 29 طفلا", (95, 95, 95)),
        ("ارتفعت الحصيلة إلى 32 قتيلا، وأن 29 شخصا لا يزالون في المستشفيات", (32, 32, 32)),
        ("سقوط 20 بين قتيل وجريح", (0, 0, 20)),
        ("مقتل ٢٤ عراقيا وإصابة ٣٧", (24, 24, 24)),
        ("أسفر عن مقتل وإصابة عدد من الجنود", (3, 3, 3)),
        ("أسفر عن استشهاد وجرح عدد من أفراد قوات الطوارئ", (3, 3, 3)),
        ("أسفر عن مقتل وجرح العشرات", (0, 0, 10)),  # a count shared by killed and wounded (GUIDE.md)
        ("توفي جندي خامس متأثرا بإصابته", (5, 5, 5)),  # the fifth death: the toll so far
        ("قتل جندي ثان في الهجوم", (2, 2, 2)),
        # victims joined by «و» add up; a second specifier of one number does not
        ("قتل ضابط و3 جنود بالجيش", (4, 4, 4)),
        ("قتل ضابط وثلاثة جنود", (4, 4, 4)),
        ("مقتل 10 مدنيين وجندي", (11, 11, 11)),
        ("مقتل ضابط وجنديين", (3, 3, 3)),
        ("قتل فيها 17 جنديا وضابطا مصريا", (17, 17, 17)),
        ("قتل 5 مدنيين وجنود", (5, 5, 5)),
        ("مقتل جندي وإصابة 3 آخرين", (1, 1, 1)),
    ],
)
def test_figures_killed(text: str, expected: tuple[int, int, int]) -> None:
    assert _killed(text) == expected


def test_figures_injured_separately() -> None:
    figs = _figs("أسفر عن مقتل 5 أشخاص وإصابة 10 آخرين")
    assert totals(figs, "killed") == (5, 5, 5)
    assert totals(figs, "injured") == (10, 10, 10)


@pytest.mark.parametrize(
    "text",
    [
        "أطلق الحوثيون 5 صواريخ على المدينة",
        "انفجرت العبوة على بعد 3 كيلومترات من البلدة",
        "اعتقل شاب يبلغ 25 عاما",
        "في 3 نيسان 2019 انفجرت عبوة",
        "انفجرت عبوة ناسفة دون وقوع إصابات",
        "بعدة طرق (قنص، خطف وإعدام، اغتيال)",
    ],
)
def test_figures_not_people(text: str) -> None:
    assert totals(_figs(text), "killed") is None
    assert totals(_figs(text), "abducted") is None


def test_figures_evidence_is_exact() -> None:
    f = prepare("text", "أسفر الانفجار عن مقتل 7 أشخاص")
    a = analyse(f, lexicons(), None)
    (fig,) = figures(a, f.sentences[0], lexicons())
    assert f.quote(fig.start, fig.end) == "مقتل 7 أشخاص"
