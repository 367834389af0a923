"""Offset maps: from positions in a derived text back to positions in the text it came from.

Two derivations need them:

* normalisation for matching (:mod:`marsad.arabic.normalize`) drops, folds or expands single
  characters, so each derived character knows the span of original characters it came from;
* cleaning (boilerplate removal) keeps some slices of a text and drops others, which is a list of
  copied segments.

Both answer the same question — "which original characters does ``derived[s:e]`` stand for?" —
through :meth:`OffsetMap.span`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


class OffsetMap:
    """Per-character map from a derived string to its original string.

    ``starts[i]`` and ``ends[i]`` bound the original characters that derived character ``i``
    came from. Characters deleted by the derivation are attached to the derived character before
    them (the first derived character takes any deleted characters that precede it), so a span of
    the derived text maps to every original character between its ends, diacritics included.
    An identity map stores nothing.
    """

    __slots__ = ("_ends", "_starts", "derived_length", "original_length")

    def __init__(
        self,
        original_length: int,
        derived_length: int,
        starts: array[int] | None = None,
        ends: array[int] | None = None,
    ) -> None:
        if (starts is None) != (ends is None):
            raise ValueError("starts and ends go together")
        if starts is not None and ends is not None and not (len(starts) == len(ends) == derived_length):
            raise ValueError("one start and one end per derived character")
        self.original_length = original_length
        self.derived_length = derived_length
        self._starts = starts
        self._ends = ends

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls(length, length)

    @property
    def is_identity(self) -> bool:
        return self._starts is None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` covering derived ``[start, end)``."""
        if not 0 <= start <= end <= self.derived_length:
            raise IndexError(f"span {start}:{end} outside 0:{self.derived_length}")
        if self._starts is None or self._ends is None:
            return start, end
        if start == end:
            pos = self._starts[start] if start < self.derived_length else self.original_length
            return pos, pos
        return self._starts[start], self._ends[end - 1]

    def position(self, index: int) -> int:
        """Original position of derived position ``index`` (a boundary, 0..derived_length)."""
        return self.span(index, index)[0]


class _Counting:
    """``array("l", range(start, stop))`` as a slice of one cached count (a memory copy, where
    filling an array from a range goes number by number)."""

    def __init__(self) -> None:
        self._numbers: array[int] = array("l")

    def __call__(self, start: int, stop: int) -> array[int]:
        if stop > len(self._numbers):
            self._numbers = array("l", range(max(stop, 2 * len(self._numbers), 4096)))
        return self._numbers[start:stop]


_counting = _Counting()


class OffsetMapBuilder:
    """Builds an :class:`OffsetMap` while a derived string is written piece by piece."""

    __slots__ = ("_ends", "_pending", "_starts")

    def __init__(self) -> None:
        self._starts: array[int] = array("l")
        self._ends: array[int] = array("l")
        self._pending: int | None = None  # start of deleted characters before any output

    def copy(self, orig_start: int, length: int) -> None:
        """``length`` derived characters copied one to one from ``orig_start``."""
        if length <= 0:
            return
        first = orig_start
        if self._pending is not None:
            first, self._pending = self._pending, None
        self._starts.append(first)
        self._starts.extend(_counting(orig_start + 1, orig_start + length))
        self._ends.extend(_counting(orig_start + 1, orig_start + length + 1))

    def expand(self, orig_start: int, orig_end: int, count: int) -> None:
        """``count`` derived characters standing together for original ``[orig_start, orig_end)``."""
        if count <= 0:
            self.delete(orig_start, orig_end)
            return
        first = orig_start
        if self._pending is not None:
            first, self._pending = self._pending, None
        self._starts.append(first)
        self._starts.extend([orig_start] * (count - 1))
        self._ends.extend([orig_end] * count)

    def delete(self, orig_start: int, orig_end: int) -> None:
        """Original ``[orig_start, orig_end)`` produced nothing."""
        if orig_end <= orig_start:
            return
        if self._ends:
            self._ends[-1] = max(self._ends[-1], orig_end)
        elif self._pending is None:
            self._pending = orig_start

    def build(self, original_length: int) -> OffsetMap:
        return OffsetMap(original_length, len(self._starts), self._starts, self._ends)


@dataclass(frozen=True, slots=True)
class Segment:
    """``length`` characters copied from ``original_start`` to ``derived_start``."""

    derived_start: int
    original_start: int
    length: int


@dataclass(slots=True)
class SegmentMap:
    """A derived text made of slices of an original text (what cleaning does).

    Compact (one entry per kept slice) and serialisable, so it is stored with a document to tie
    its cleaned text to the raw input.
    """

    segments: list[Segment] = field(default_factory=list)

    @classmethod
    def from_slices(cls, slices: Iterable[tuple[int, int]], separator_lengths: Sequence[int] = ()) -> SegmentMap:
        """Segments for ``sep.join(orig[a:b] for a, b in slices)`` with the given separator lengths."""
        segs: list[Segment] = []
        pos = 0
        for i, (a, b) in enumerate(slices):
            if i and separator_lengths:
                pos += separator_lengths[i - 1]
            segs.append(Segment(pos, a, b - a))
            pos += b - a
        return cls(segs)

    def position(self, derived: int, *, as_end: bool = False) -> int | None:
        """Original position of a derived boundary, or None inside inserted separators.

        At the joint of two segments a start maps into the later segment and an end
        (``as_end=True``) into the earlier one.
        """
        keys = [s.derived_start for s in self.segments]
        i = (bisect_left(keys, derived) if as_end else bisect_right(keys, derived)) - 1
        if as_end and i < 0 and self.segments and derived == 0:
            i = 0
        if i < 0:
            return None
        seg = self.segments[i]
        if seg.derived_start <= derived <= seg.derived_start + seg.length:
            return seg.original_start + (derived - seg.derived_start)
        return None

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Original span of derived ``[start, end)``, None when an end falls in a separator."""
        a = self.position(start)
        b = self.position(end, as_end=True) if end > start else a
        if a is None or b is None:
            return None
        return a, b

    def to_json(self) -> list[list[int]]:
        return [[s.derived_start, s.original_start, s.length] for s in self.segments]

    @classmethod
    def from_json(cls, data: Iterable[Sequence[int]]) -> SegmentMap:
        return cls([Segment(int(d), int(o), int(n)) for d, o, n in data])
