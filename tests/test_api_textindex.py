"""The word index behind text search: exact for one word (clitics included), a superset checked
by SQL for several words, and a refusal when a piece is in too many words."""

from __future__ import annotations

from marsad.api.textindex import TokenIndex

DOCS = [
    (0, "قصف بمارب امس"),
    (1, "غاره علي مارب"),
    (2, "اشتباكات في حلب\nومارب"),
    (3, "قصف حلب"),
    (4, ""),
]


def test_textindex_one_word_is_exact_and_finds_clitic_forms() -> None:
    index = TokenIndex(DOCS)
    found = index.search("مارب")
    assert found is not None
    codes, exact = found
    assert exact and sorted(codes.tolist()) == [0, 1, 2]  # «بمارب» and «ومارب» hold it
    assert sorted(index.search("ارب")[0].tolist()) == [0, 1, 2]  # type: ignore[index]
    assert index.search("دمشق")[0].tolist() == []  # type: ignore[index]


def test_textindex_several_words_give_candidates_to_check() -> None:
    index = TokenIndex(DOCS)
    found = index.search("قصف حلب")
    assert found is not None
    codes, exact = found
    assert not exact and sorted(codes.tolist()) == [3]
    codes, exact = index.search("ف بم")  # type: ignore[misc]
    assert not exact and sorted(codes.tolist()) == [0]  # the SQL check decides «قصف بمارب»


def test_textindex_refuses_a_piece_in_too_many_words() -> None:
    index = TokenIndex([(i, f"كلمة{i}") for i in range(50)], max_words=10)
    assert index.search("كلمة") is None
    assert index.search("كلمة7")[0].tolist() == [7]  # type: ignore[index]
    assert index.words == 50 and index.postings == 50


def test_textindex_empty_index_and_empty_search() -> None:
    index = TokenIndex([])
    found = index.search("قصف")
    assert found is not None and found[1] and found[0].tolist() == []
    assert index.search("   ") is None
