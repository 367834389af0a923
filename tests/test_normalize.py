from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.arabic.normalize import _fold, _tables, already_normal, normalize, normalize_plain
from marsad.arabic.offsets import OffsetMap, SegmentMap


def test_normalize_folds_alef_ya_ta_marbuta_and_hamza_carriers() -> None:
    assert normalize_plain("أإآٱ") == "اااا"
    assert normalize_plain("مستشفى") == "مستشفي"
    assert normalize_plain("الرقة") == "الرقه"
    assert normalize_plain("مؤسسة شاطئ") == "موسسه شاطي"


def test_normalize_folds_digits_of_every_script() -> None:
    assert normalize_plain("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ 0123") == "0123456789 0123456789 0123"


def test_normalize_drops_diacritics_tatweel_and_bidi_controls() -> None:
    assert normalize_plain("قُتِلَ") == "قتل"
    assert normalize_plain("الرقـــــة") == "الرقه"
    assert normalize_plain("\u200fدمشق\u202b") == "دمشق"


def test_normalize_expands_presentation_forms() -> None:
    n = normalize("\ufefb\ufeed")  # lam-alef ligature, presentation-form waw
    assert n.text == "لاو"
    assert n.quote(0, 2) == "\ufefb"


def test_normalize_quotes_original_with_diacritics() -> None:
    original = "قُتِلَ ٧ أشخاص في إِدلب"
    n = normalize(original)
    start = n.text.index("ادلب")
    assert n.quote(start, start + 4) == "إِدلب"
    assert n.quote(0, 3) == "قُتِلَ"
    assert n.original_span(0, len(n.text)) == (0, len(original))


def test_normalize_identity_map_when_nothing_changes_length() -> None:
    n = normalize("قتل خمسة في إدلب")
    assert n.offsets.is_identity
    assert n.text == "قتل خمسه في ادلب"


_alphabet = st.sampled_from([*list("قتلخمسةفيإدلبأآىئؤ ٠١٢٣٤٥٦٧٨٩۰۱abcXYZ.،\n\t"), "َ", "ّ", "ـ", "\u200f", "ﻻ", "ﻭ"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_alphabet, max_size=60), st.data())
def test_normalize_offset_map_round_trips(original: str, data: st.DataObject) -> None:
    n = normalize(original)
    assert n.text == normalize_plain(original)
    # boundaries that do not split the expansion of one original character
    size = len(n.text)
    boundaries = [
        i for i in range(size + 1) if i in (0, size) or n.offsets.span(i, i + 1)[0] >= n.offsets.span(i - 1, i)[1]
    ]
    s = data.draw(st.sampled_from(boundaries))
    e = data.draw(st.sampled_from([b for b in boundaries if b >= s]))
    a, b = n.original_span(s, e)
    assert 0 <= a <= b <= len(original)
    assert normalize_plain(original[a:b]) == n.text[s:e]


def test_offsets_segment_map_maps_kept_slices() -> None:
    raw = "fbpx\n\nعنوان\n\nنص الخبر هنا\nاظهر المزيد"
    slices = [(6, 11), (13, 25)]
    derived = "\n".join(raw[a:b] for a, b in slices)
    seg = SegmentMap.from_slices(slices, [1, 1])
    for s, e in [(0, 5), (6, 9), (6, len(derived))]:
        span = seg.span(s, e)
        assert span is not None
        assert raw[span[0] : span[1]] == derived[s:e]
    assert SegmentMap.from_json(seg.to_json()) == seg
    assert seg.span(5, 6) is None or raw[slice(*seg.span(5, 6))] != "\n"  # the separator is ours


def test_offsets_identity_map_bounds_are_checked() -> None:
    m = OffsetMap.identity(3)
    assert m.span(1, 3) == (1, 3)
    try:
        m.span(2, 5)
    except IndexError:
        pass
    else:
        raise AssertionError("out-of-range span accepted")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_alphabet, max_size=60))
def test_normalize_normal_text_is_its_own_normal_form(original: str) -> None:
    normal = normalize(original).text
    again = normalize(normal)
    assert again.text == normal and again.offsets.is_identity
    mine = already_normal(normal)
    assert (mine.original, mine.text, mine.offsets.is_identity) == (normal, normal, True)


def test_normalize_folds_as_one_translation_table() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    tables = _tables()
    assert _fold(every, tables) == every.translate(tables.one_to_one)


def test_offsets_builder_maps_texts_longer_than_its_cached_count() -> None:
    original = "ـ" + "ب" * 10_000 + "ـ" + "ج" * 5000  # tatweel is dropped
    n = normalize(original)
    assert n.text == "ب" * 10_000 + "ج" * 5000
    assert n.original_span(9_999, 10_001) == (10_000, 10_003)
    assert n.original_span(len(n.text) - 1, len(n.text)) == (len(original) - 1, len(original))
