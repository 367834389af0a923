"""One pass over a document field: every lexicon hit, number and date, indexed by sentence.

The rules (figures, roles, places, assembly) only read an :class:`Analysis`; none of them scans
text again. Positions are offsets into ``Field.scan``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any

from marsad.arabic.normalize import already_normal
from marsad.arabic.numbers import Quantity, find_quantities
from marsad.arabic.reltime import ResolvedDate, resolve_all
from marsad.extract.lexicons import Lexicons
from marsad.extract.matcher import Match, MatcherSet, PhraseMatcher
from marsad.extract.text import Field, Sentence

__all__ = ["Analysis", "analyse"]

_WORD = re.compile(r"[^\s.,;:!?()\[\]{}«»\"'“”]+")


@dataclass(slots=True)
class Analysis:
    field: Field
    published: dt.date | None
    triggers: list[Match]
    actors: list[Match]
    outcomes: list[Match]
    victims: list[Match]
    causal: list[Match]
    combined: list[Match]
    negation: list[Match]
    hypothetical: list[Match]
    non_political: list[Match]
    cues: list[Match]
    background: list[Match]
    sources: list[Match]
    places: list[Match]
    periods: list[Match]
    place_nouns: list[Match]
    quantities: list[Quantity]
    dates: list[ResolvedDate]
    word_starts: list[int] = dataclasses.field(default_factory=list)
    word_ends: list[int] = dataclasses.field(default_factory=list)

    def word_index(self, pos: int) -> int:
        """Index of the word at or before ``pos``."""
        return max(bisect_right(self.word_starts, pos) - 1, 0)

    def words_between(self, a: int, b: int) -> int:
        """Number of whole words strictly between positions ``a`` (an end) and ``b`` (a start)."""
        if b <= a:
            return 0
        return max(bisect_left(self.word_starts, b) - bisect_left(self.word_starts, a), 0)

    def word_after(self, pos: int, k: int = 0) -> tuple[int, int] | None:
        """The ``k``-th word starting at or after ``pos``."""
        i = bisect_left(self.word_starts, pos) + k
        if i >= len(self.word_starts):
            return None
        return self.word_starts[i], self.word_ends[i]

    def word_before(self, pos: int, k: int = 0) -> tuple[int, int] | None:
        """The ``k``-th word ending at or before ``pos``."""
        i = bisect_right(self.word_ends, pos) - 1 - k
        if i < 0:
            return None
        return self.word_starts[i], self.word_ends[i]

    def in_sentence(self, items: list[Any], s: Sentence) -> list[Any]:
        """The items (sorted by ``start``, as every list here is) that start inside ``s``."""
        lo = bisect_left(items, s.start, key=_start)
        hi = bisect_left(items, s.end, lo=lo, key=_start)
        return items[lo:hi]


_start = attrgetter("start")  # the items' int ``start`` (a C getter: bisect calls it often)


# The lexicons every field is scanned for (in one pass): each gives the Analysis field of its name.
_LEXICONS = (
    "triggers",
    "actors",
    "outcomes",
    "victims",
    "causal",
    "combined",
    "negation",
    "hypothetical",
    "non_political",
    "cues",
    "background",
    "sources",
    "places",
    "periods",
    "place_nouns",
)


def _outside_longer(inner: list[Match], outer: list[Match]) -> list[Match]:
    """``inner`` without the matches that lie inside a longer match of ``outer``: the longest name
    wins across lexicons («قاعدة العند» is the air base, not «القاعدة» the organisation)."""
    if not outer:
        return inner
    return [
        m
        for m in inner
        if not any(o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start for o in outer)
    ]


@lru_cache(maxsize=8)
def _matcher_set(matchers: tuple[PhraseMatcher, ...]) -> MatcherSet:
    """One automaton for the lexicons (cached per set of matchers: one per compiled Lexicons)."""
    return MatcherSet(matchers)


def analyse(f: Field, lex: Lexicons, published: dt.date | None) -> Analysis:
    scan = f.scan
    normal = already_normal(scan)  # numbers and dates read it as it is: no second normalisation
    words = list(_WORD.finditer(scan))
    hits = _matcher_set(tuple(getattr(lex, name) for name in _LEXICONS)).find(scan)
    found = dict(zip(_LEXICONS, hits, strict=True))
    found["actors"] = _outside_longer(found["actors"], found["places"])
    a = Analysis(
        field=f,
        published=published,
        **found,
        quantities=find_quantities(normal),
        dates=resolve_all(normal, published),
        word_starts=[m.start() for m in words],
        word_ends=[m.end() for m in words],
    )
    return a
