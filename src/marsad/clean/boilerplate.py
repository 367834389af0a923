"""Remove residual web-page leftovers from scraped text, line by line.

Rules come from ``lexicon/data/boilerplate.yaml``: exact lines, patterns for short lines, and
"related articles" markers that open a tail of headlines. A line is removed whole or kept whole,
except a tag list glued to the end of the last paragraph, which is cut off it; so the kept text is
a list of slices of the input (:class:`~marsad.arabic.offsets.SegmentMap`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from marsad import lexicon
from marsad.arabic.normalize import normalize_plain

__all__ = ["Line", "Removal", "lines_of", "strip_boilerplate"]

_NON_LETTERS = re.compile(r"[\W\d_]+")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int  # exclusive, without the line break


@dataclass(frozen=True, slots=True)
class Removal:
    start: int
    end: int
    rule: str


@dataclass(frozen=True, slots=True)
class _Rules:
    exact: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    markers: frozenset[str]
    marker_max_spaces: int  # a line with more spaces cannot be a section marker
    max_words: int
    block_max_words: int
    tags: re.Pattern[str]  # a tag list glued to the end of the last paragraph


def _key(line: str) -> str:
    """Letters only, normalised: how lines are compared with the exact list."""
    return _NON_LETTERS.sub(" ", normalize_plain(line)).strip()


_ARABIC_RUN = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+")


def _normalized_regex(regex: str) -> str:
    """The regex with its Arabic letters normalised like the lines it is matched against
    (Arabic runs hold no regex syntax, so they can be rewritten safely)."""
    return _ARABIC_RUN.sub(lambda m: normalize_plain(m.group()), regex)


@cache
def rules() -> _Rules:
    data = lexicon.load("boilerplate")
    patterns = tuple((p["name"], re.compile(_normalized_regex(p["regex"]), re.IGNORECASE)) for p in data["patterns"])
    return _Rules(
        exact=frozenset(_key(x) for x in data["exact_lines"]),
        patterns=patterns,
        markers=frozenset(_key(x) for x in data["section_markers"]),
        marker_max_spaces=max(len(x.split()) for x in data["section_markers"]) + 2,
        max_words=int(data["max_words"]),
        block_max_words=int(data["block_max_words"]),
        tags=re.compile(
            r"(?:^|(?<=[.!?؟]))\s*(?:"
            + "|".join(re.escape(x) for x in sorted(data["tag_labels"], key=len, reverse=True))
            + r")(?:\s+[^\s.!?؟،,:]+){1,"
            + str(int(data["tags_max_words"]))
            + r"}\s*$"
        ),
    )


def lines_of(text: str) -> list[Line]:
    """Non-blank lines of ``text`` with surrounding spaces trimmed."""
    out: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        stripped_left = len(body) - len(body.lstrip())
        content = body.strip()
        if content:
            start = pos + stripped_left
            out.append(Line(start, start + len(content)))
        pos += len(raw)
    return out


def _words(s: str) -> int:
    return len(s.split())


def classify_line(line: str) -> str | None:
    """The rule that removes this line, or None when it is content."""
    r = rules()
    if not _HAS_LETTER.search(line):
        return "no-letters"
    if line.count(" ") >= r.max_words:  # a paragraph: no rule removes lines this long
        return None
    key = _key(line)
    if key in r.exact:
        return "exact"
    if _words(line) <= r.max_words:
        norm = normalize_plain(line)
        for name, pattern in r.patterns:
            if pattern.search(norm):
                return name
    return None


@dataclass(slots=True)
class Stripped:
    kept: list[Line] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)


def strip_boilerplate(text: str) -> Stripped:
    """Split ``text`` into content lines and removed leftovers."""
    r = rules()
    lines = lines_of(text)
    result = Stripped()
    i = 0
    while i < len(lines):
        ln = lines[i]
        s = text[ln.start : ln.end]
        if s.count(" ") <= r.marker_max_spaces and _key(s) in r.markers:
            tail = lines[i + 1 :]
            if all(_words(text[t.start : t.end]) <= r.block_max_words for t in tail):
                result.removed.extend(Removal(t.start, t.end, "related-links") for t in [ln, *tail])
                break
            result.removed.append(Removal(ln.start, ln.end, "section-marker"))
            i += 1
            continue
        rule = classify_line(s)
        if rule:
            result.removed.append(Removal(ln.start, ln.end, rule))
        else:
            result.kept.append(ln)
        i += 1
    if result.kept:
        last = result.kept[-1]
        m = r.tags.search(text[last.start : last.end])
        if m is not None:
            cut = last.start + m.start() + len(m.group()) - len(m.group().lstrip())
            if m.start() == 0:
                result.kept.pop()  # the line is the tag list
            else:
                result.kept[-1] = Line(last.start, last.start + m.start())
            result.removed.append(Removal(cut, last.end, "tags"))
    return result
