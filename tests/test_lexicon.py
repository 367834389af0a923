from __future__ import annotations

import re
from pathlib import Path

import pytest

from marsad import lexicon
from marsad.clean import boilerplate, publishers
from marsad.errors import MarsadError


def test_lexicon_every_shipped_file_loads() -> None:
    names = lexicon.available()
    assert {"boilerplate", "months", "normalization", "publishers"} <= set(names)
    for name in names:
        assert lexicon.load(name)


def test_lexicon_unknown_file_is_a_coded_error() -> None:
    with pytest.raises(MarsadError, match="E101"):
        lexicon.load("no-such-file")


def test_lexicon_user_override_merges_key_by_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "months.yaml").write_text("weekdays:\n  0: [اثنين]\n", encoding="utf-8")
    monkeypatch.setenv("MARSAD_LEXICON_DIR", str(tmp_path))
    lexicon.load.cache_clear()
    try:
        data = lexicon.load("months")
        assert data["weekdays"][0] == ["اثنين"]
        assert len(data["gregorian"]) == 12  # untouched keys stay
    finally:
        monkeypatch.delenv("MARSAD_LEXICON_DIR")
        lexicon.load.cache_clear()


def test_lexicon_months_cover_every_month_in_each_calendar() -> None:
    data = lexicon.load("months")
    assert sorted(data["gregorian"]) == list(range(1, 13))
    assert sorted(data["hijri"]) == list(range(1, 13))
    assert sorted(data["ordinal_days"]) == list(range(1, 32))
    assert "نيسان" in data["gregorian"][4] and "أفريل" in data["gregorian"][4]


def test_lexicon_boilerplate_patterns_compile_and_match_their_examples() -> None:
    data = lexicon.load("boilerplate")
    for pattern in data["patterns"]:
        re.compile(pattern["regex"])
        assert pattern["examples"], pattern["name"]
        for example in pattern["examples"]:
            assert boilerplate.classify_line(example) == pattern["name"], example


@pytest.mark.parametrize(
    "line", ["fbpx", "اظهر المزيد", "أظهر المزيد", "مقالات ذات صلة", "زر الذهاب إلى الأعلى", "تابعونا على تويتر", "|"]
)
def test_boilerplate_removes_known_leftovers(line: str) -> None:
    assert boilerplate.classify_line(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "قتل سبعة عناصر من قوات الأسايش بتفجير سيارة مفخخة في الرقة",
        "شارك مئات المقاتلين في الهجوم على مواقع التنظيم في ريف دير الزور الشرقي خلال الأسبوع الماضي",
        "وأكد المرصد السوري لحقوق الإنسان مقتل 12 مدنياً",
    ],
)
def test_boilerplate_keeps_news_sentences(line: str) -> None:
    assert boilerplate.classify_line(line) is None


def test_boilerplate_related_links_tail_is_removed_but_not_article_paragraphs() -> None:
    para = "قتل خمسة مدنيين في قصف مدفعي على مدينة دوما بريف دمشق صباح اليوم بحسب الدفاع المدني " * 3
    text = f"{para}\nاقرأ أيضاً\nعنوان خبر آخر عن سوريا\nعنوان ثالث\n"
    kept = boilerplate.strip_boilerplate(text).kept
    assert [text[k.start : k.end] for k in kept] == [para.strip()]
    middle = f"{para}\nاقرأ أيضاً\n{para}\n"
    assert len(boilerplate.strip_boilerplate(middle).kept) == 2


def test_boilerplate_a_tag_list_at_the_end_is_cut_off() -> None:
    text = "فقرة أولى عن الخبر.\nحسب الأنظمة والتعليمات. سمات إمارة جازان الأعيرة النارية الأفراح "
    stripped = boilerplate.strip_boilerplate(text)
    assert [text[k.start : k.end] for k in stripped.kept] == ["فقرة أولى عن الخبر.", "حسب الأنظمة والتعليمات."]
    (removed,) = stripped.removed
    assert (text[removed.start : removed.end], removed.rule) == ("سمات إمارة جازان الأعيرة النارية الأفراح", "tags")
    own_line = "فقرة أولى عن الخبر.\n\xa0 سمات الطوارئ تفجير عسير"
    assert [own_line[k.start : k.end] for k in boilerplate.strip_boilerplate(own_line).kept] == ["فقرة أولى عن الخبر."]
    # a sentence that starts with the word, or a tag word inside a paragraph, is content
    for kept in ("فقرة أولى.\nسمات المرحلة المقبلة واضحة.", "قال إن سمات المرحلة واضحة وإن الحرب مستمرة"):
        assert len(boilerplate.strip_boilerplate(kept).removed) == 0


def test_publishers_ids_unique_and_names_resolve() -> None:
    data = lexicon.load("publishers")["publishers"]
    ids = [p["id"] for p in data]
    assert len(ids) == len(set(ids))
    assert publishers.match_name("مرصد مينا") is not None
    assert publishers.match_name("سانا").id == "sana"  # type: ignore[union-attr]
    assert publishers.by_domain("https://www.enabbaladi.net/archives/1").id == "enab-baladi"  # type: ignore[union-attr]
    assert publishers.by_id("aawsat").id == "asharq-alawsat"  # type: ignore[union-attr]
    # a strict name (also a common word) never matches inside a longer segment
    assert publishers.match_name("قصف على الرياض اليوم", whole=False) is None
