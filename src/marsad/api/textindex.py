"""Which documents contain a search: an inverted index of the words of ``document_search.norm``.

The SQL answer to ``q`` is ``contains(norm, q)`` over every document's normalised title and text:
a scan of all the text each time (~15 ms on 25,000 short articles, far more on a real archive).
:class:`TokenIndex` keeps, for the documents that have events, every distinct word (split on
whitespace) and the documents it is in. A search with no whitespace can only occur inside one
word, so the documents that contain it are exactly those of the words that contain it (clitics
included: «مارب» is found in «بمارب»); a search of several words narrows the documents to those
having a word that contains each piece, and DuckDB's ``contains`` then checks only those. Answers
are those of the SQL scan, not approximations.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

__all__ = ["TokenIndex"]

Codes = npt.NDArray[np.int32]
_SEPARATOR = "\n"  # not inside any word (words are split on whitespace)


class TokenIndex:
    """Words of documents (given as integer codes) and, for each word, the documents it is in.

    ``max_words`` bounds the per-search work: a piece found in more distinct words than that
    (one or two very common letters) is answered by the caller's scan instead (None).
    """

    def __init__(self, documents: Iterable[tuple[int, str]], max_words: int = 20_000) -> None:
        words: dict[str, list[int]] = {}
        for code, text in documents:
            for word in set(text.split()):
                words.setdefault(word, []).append(code)
        vocabulary = list(words)
        self.max_words = max_words
        self._text = _SEPARATOR + _SEPARATOR.join(vocabulary) + _SEPARATOR
        lengths = np.fromiter((len(w) + 1 for w in vocabulary), dtype=np.int64, count=len(vocabulary))
        self._starts = np.concatenate(([1], 1 + np.cumsum(lengths)[:-1])) if vocabulary else np.zeros(0, np.int64)
        sizes = np.fromiter((len(words[w]) for w in vocabulary), dtype=np.int64, count=len(vocabulary))
        self._offsets = np.concatenate(([0], np.cumsum(sizes)))
        self._postings: Codes = np.fromiter(
            (c for w in vocabulary for c in words[w]), dtype=np.int32, count=int(self._offsets[-1])
        )

    @property
    def words(self) -> int:
        return len(self._starts)

    @property
    def postings(self) -> int:
        return len(self._postings)

    def _containing(self, piece: str) -> npt.NDArray[np.int64] | None:
        """Indexes of the words that contain ``piece`` (None: more than ``max_words``)."""
        positions = []
        find, at = self._text.find, 0
        while (at := find(piece, at)) >= 0:
            positions.append(at)
            if len(positions) > self.max_words * 4:  # occurrences, several per word at most rarely
                return None
            at += 1
        if not positions:
            return np.zeros(0, np.int64)
        found = np.unique(np.searchsorted(self._starts, np.array(positions), side="right") - 1)
        return None if len(found) > self.max_words else found

    def _documents(self, words: npt.NDArray[np.int64]) -> Codes:
        if not len(words):
            return np.zeros(0, np.int32)
        parts = [self._postings[self._offsets[w] : self._offsets[w + 1]] for w in words]
        return np.unique(np.concatenate(parts))

    def search(self, norm: str) -> tuple[Codes, bool] | None:
        """``(document codes, exact)`` for a normalised search: with ``exact`` they are the
        documents that contain ``norm``; without it a superset to check with ``contains``. None
        when a piece is too common to look up (scan instead)."""
        pieces = norm.split()
        if not pieces:
            return None
        found: Codes | None = None
        for piece in dict.fromkeys(pieces):
            words = self._containing(piece)
            if words is None:
                return None
            documents = self._documents(words)
            found = documents if found is None else np.intersect1d(found, documents, assume_unique=True)
            if not len(found):
                break
        assert found is not None
        exact = len(pieces) == 1 and pieces[0] == norm  # one word, no whitespace around it
        return found, exact
