"""Preparing a field for matching: collapsed spacing, sentences, offsets back to the original."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.extract.text import _END, _ends, prepare


def test_text_offsets_map_back_to_original() -> None:
    original = "قُتل  ثلاثةُ\n\nمدنيين.   وأصيب آخرون"
    f = prepare("text", original)
    i = f.scan.index("مدنيين")
    assert f.quote(i, i + len("مدنيين")) == "مدنيين"
    j = f.scan.index("قتل")
    assert f.quote(j, j + 3) == "قُتل"


def test_text_sentences_split_on_punctuation_and_lines_not_decimals() -> None:
    f = prepare("text", "انفجرت عبوة. قتل 3.5 شخص؟ وأصيب آخرون\nسطر جديد")
    parts = [f.scan[s.start : s.end] for s in f.sentences]
    assert parts[0] == "انفجرت عبوه."
    assert "3.5" in parts[1]
    assert parts[-1] == "سطر جديد"


def test_text_semicolon_joins_clauses_of_one_sentence() -> None:
    f = prepare("text", "وتمكنت قوات الجيش اليوم؛ من فرض السيطرة على المدينة. وقتل جندي")
    assert len(f.sentences) == 2
    assert "؛" in f.quote(f.sentences[0].start, f.sentences[0].end)


def test_text_long_unpunctuated_text_is_windowed() -> None:
    f = prepare("text", " ".join(["كلمة"] * 500))
    assert len(f.sentences) > 5
    assert all(s.end - s.start < 600 for s in f.sentences)


def test_text_empty_field() -> None:
    f = prepare("text", "")
    assert f.sentences == []
    assert f.span(0, 0) == (0, 0)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("كلمة 12.!?;؟؛\n\t ")), max_size=80))
def test_text_sentence_ends_are_found_as_a_full_search_finds_them(original: str) -> None:
    scan = prepare("text", original).scan
    assert _ends(scan) == [m.end() for m in _END.finditer(scan)]


def test_text_sentence_of_seventy_words_is_kept_whole() -> None:
    for words, windows in ((69, 1), (70, 1), (71, 2), (141, 3)):
        f = prepare("text", "\n" + "  ".join(["كلمة"] * words) + " ")
        assert len(f.sentences) == windows
