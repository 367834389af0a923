"""A document field prepared for matching: normal form, collapsed spacing, sentences, offsets.

Matching runs on ``scan``: the field normalised (:func:`marsad.arabic.normalize.normalize`) with
each run of whitespace folded to one space (or one newline when the run holds a line break, so
that no phrase spans two paragraphs). :meth:`Field.span` maps any ``scan`` span back to the
characters of the original field, which is what evidence quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from marsad.arabic.normalize import NormalizedText, normalize

__all__ = ["Field", "Sentence", "prepare"]

# whitespace that folding changes: leading space, runs of two or more, and any one character
# other than a plain space (a single space between words is kept as it is, without a breakpoint)
_SPACE = re.compile(r"^\s+|\s{2,}|[^\S ]")
# Sentence ends: . ! ? (normalised from ؟) — not a dot between digits — and line breaks. Not «؛»:
# Arabic news joins clauses of one sentence with it («وتمكنت قوات الجيش اليوم؛ من فرض السيطرة
# على ...»), and the clause after it keeps the subject before it.
_END = re.compile(r"(?<!\d)[.!?]+|[.!?]+(?!\d)|\n")
# The characters a sentence end begins with: _END is tried only there (re tries a pattern that
# opens with a look-behind at every character; a character class it skips to at once).
_END_START = re.compile(r"[.!?\n]")
# Past this many words a sentence without punctuation is cut into windows (news scraped without
# punctuation, lists): rules look at clauses, not at whole pages.
_MAX_WORDS = 70
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Sentence:
    """``[start, end)`` of ``Field.scan``; ``index`` is its position in the field."""

    index: int
    start: int
    end: int


@dataclass(slots=True)
class Field:
    name: str  # text | title
    original: str
    norm: NormalizedText
    scan: str
    # breakpoints: scan offset -> normalised offset, both ascending
    _scan_at: list[int] = field(default_factory=list)
    _norm_at: list[int] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    def to_norm(self, i: int) -> int:
        k = bisect_right(self._scan_at, i) - 1
        if k < 0:
            return i
        return self._norm_at[k] + (i - self._scan_at[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of ``scan[start:end]``."""
        if start >= end:
            a = self.norm.original_span(self.to_norm(start), self.to_norm(start))[0]
            return a, a
        a = self.to_norm(start)
        b = self.to_norm(end - 1) + 1
        return self.norm.original_span(a, b)

    def quote(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]

    def sentence_at(self, i: int) -> Sentence | None:
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if i < s.start:
                hi = mid
            elif i >= s.end:
                lo = mid + 1
            else:
                return s
        return None


def prepare(name: str, original: str) -> Field:
    norm = normalize(original)
    text = norm.text
    parts: list[str] = []
    scan_at = [0]
    norm_at = [0]
    prev = 0
    out = 0
    for m in _SPACE.finditer(text):
        parts.append(text[prev : m.start()])
        out += m.start() - prev
        sep = "\n" if "\n" in m.group() else " "
        if out == 0:
            sep = ""  # leading whitespace is dropped
        parts.append(sep)
        out += len(sep)
        prev = m.end()
        scan_at.append(out)
        norm_at.append(prev)
    parts.append(text[prev:])
    scan = "".join(parts)
    f = Field(name, original, norm, scan, scan_at, norm_at)
    f.sentences = _sentences(scan)
    return f


def _ends(scan: str) -> list[int]:
    """Where each sentence end (_END) ends, as ``_END.finditer`` finds them."""
    out: list[int] = []
    resume = 0
    for c in _END_START.finditer(scan):
        if c.start() < resume:
            continue
        m = _END.match(scan, c.start())
        if m is not None:
            out.append(m.end())
            resume = m.end()
    return out


def _sentences(scan: str) -> list[Sentence]:
    spans: list[tuple[int, int]] = []
    start = 0
    for end in _ends(scan):
        if end > start:
            spans.append((start, end))
        start = end
    if start < len(scan):
        spans.append((start, len(scan)))
    out: list[Sentence] = []
    for a, b in spans:
        while a < b and scan[a] in " \n":
            a += 1
        if a >= b:
            continue
        # scan's only whitespace is single spaces and line breaks: fewer breaks, fewer words
        if scan.count(" ", a, b) + scan.count("\n", a, b) < _MAX_WORDS:
            out.append(Sentence(len(out), a, b))
            continue
        words = list(_WORD.finditer(scan, a, b))
        if len(words) <= _MAX_WORDS:
            out.append(Sentence(len(out), a, b))
            continue
        for i in range(0, len(words), _MAX_WORDS):
            chunk = words[i : i + _MAX_WORDS]
            out.append(Sentence(len(out), chunk[0].start(), chunk[-1].end()))
    return out
