"""The phrase matcher: clitics, the article, word boundaries, offsets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.arabic.normalize import normalize
from marsad.extract.matcher import Match, MatcherSet, PhraseMatcher, _longest
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


def test_matcher_priority_beats_length_where_hits_overlap() -> None:
    phrases = [("ضربت طائرات", "strike"), ("طائرات التحالف", "aircraft")]
    text = normalize("ضربت طائرات التحالف مواقع في عمران").text
    assert [h.payloads for h in PhraseMatcher(phrases).find(text)] == [("aircraft",)]
    ranked = PhraseMatcher(phrases, priority=lambda p: int(p == "strike"))
    assert [h.payloads for h in ranked.find(text)] == [("strike",)]
    # hits that do not overlap are all kept, whatever their priority
    assert len(ranked.find(normalize("طائرات التحالف ثم ضربت طائرات").text)) == 2


def test_matcher_empty_lexicon() -> None:
    assert PhraseMatcher([]).find("نص") == []


def test_matcher_set_finds_what_each_matcher_finds() -> None:
    # forms shared between matchers, one of them only as a lam variant in the other, suffixes and
    # unsplittable words in one matcher only
    places = PhraseMatcher([("الرقة", "raqqa"), ("لبنان", "lebanon"), ("زارة", "x")], unsplittable=["وزارة"])
    actors = PhraseMatcher([("الجيش", "army"), ("رقة", "stem"), ("التنظيم", "is")], suffixes=["ه"])
    cues = PhraseMatcher([("قال", "said"), ("لتنظيم", "real")], bare_article=False)
    text = normalize("قال الجيش إن التنظيم ولبنان والرقة للتنظيم الجيشه وزارة رقة، قالت فقال").text
    together = MatcherSet([places, actors, cues]).find(text)
    assert together == [places.find(text), actors.find(text), cues.find(text)]
    assert [m.key for m in together[1]] == ["الجيش", "التنظيم", "رقه", "التنظيم", "الجيش", "رقه"]
    assert [m.key for m in together[2]] == ["قال", "لتنظيم", "قال"]  # «للتنظيم»: ل + a real form here
    assert [m.key for m in together[0]] == ["لبنان", "الرقه"]  # «وزارة» is not و + «زارة»
    assert MatcherSet([]).find(text) == []


def _greedy(found: list[Match]) -> list[Match]:
    """Longest first (ties: the earlier), each unless it overlaps one kept: the rule, spelled out."""
    kept: list[Match] = []
    for m in sorted(found, key=lambda m: (-m.length, m.start)):
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=25, unique=True))
def test_matcher_longest_chooses_among_overlapping_hits_only(spans: list[tuple[int, int]]) -> None:
    found = [Match(s, s + n, s, str(i), ()) for i, (s, n) in enumerate(spans)]
    assert _longest(list(found)) == _greedy(found)
