"""The phrase matcher: clitics, the article, word boundaries, offsets."""

from __future__ import annotations

from marsad.arabic.normalize import normalize
from marsad.extract.matcher import PhraseMatcher
from marsad.extract.text import prepare


def _keys(m: PhraseMatcher, text: str) -> list[str]:
    return [x.key for x in m.find(normalize(text).text)]


def test_matcher_clitics_and_article() -> None:
    m = PhraseMatcher([("الرقة", "raqqa"), ("قوات", "forces"), ("التنظيم", "is")])
    assert _keys(m, "والرقة بالرقة للتنظيم وقوات الرقة") == ["الرقه", "الرقه", "التنظيم", "قوات", "الرقه"]


def test_matcher_article_optional_for_long_words() -> None:
    m = PhraseMatcher([("الحوثيين", "houthi"), ("الدولة", "state")])
    assert _keys(m, "مقاتلين حوثيين") == ["حوثيين"]
    # short stems are not looked up without their article
    assert _keys(m, "دولة عربية") == []


def test_matcher_rejects_hits_inside_words() -> None:
    m = PhraseMatcher([("حسب", "cue"), ("زارة", "place"), ("بنان", "place")])
    assert _keys(m, "فحسب") == ["حسب"]  # without a list of whole words, ف + حسب is a valid split
    strict = PhraseMatcher(
        [("حسب", "cue"), ("زارة", "place"), ("بنان", "place")], unsplittable=["فحسب", "وزارة", "لبنان"]
    )
    assert _keys(strict, "وزارة الداخلية في لبنان، فحسب") == []
    assert _keys(strict, "وبحسب المرصد") == ["حسب"]
    assert _keys(m, "حسبما") == []


def test_matcher_multiword_forms_any_spacing() -> None:
    m = PhraseMatcher([("عبوة ناسفة", "ied")])
    f = prepare("text", "انفجرت  عبوةٌ\u00a0ناسفة بالقرب")
    hits = m.find(f.scan)
    assert len(hits) == 1
    assert f.quote(hits[0].start, hits[0].end) == "عبوةٌ\u00a0ناسفة"


def test_matcher_longest_wins_and_suffixes() -> None:
    m = PhraseMatcher([("الجيش", "army"), ("الجيش السوري الحر", "fsa")], suffixes=["ه"])
    hits = m.find(normalize("قال الجيش السوري الحر إن").text)
    assert [h.payloads for h in hits] == [("fsa",)]
    assert _keys(m, "جيشه") == []
    assert _keys(m, "الجيشه") == ["الجيش"]


def test_matcher_empty_lexicon() -> None:
    assert PhraseMatcher([]).find("نص") == []
