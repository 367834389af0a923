"""Find lexicon phrases in Arabic text whatever clitics are attached: Aho-Corasick over normal forms.

Every form of every lexicon is folded with :func:`marsad.arabic.normalize.normalize_phrase` and
put in one automaton (pyahocorasick), so a document is scanned once for all of them. A hit counts
only on word boundaries:

* on the left, the form starts a word or follows a proclitic run written attached to it: the
  conjunctions و ف, the prepositions ب ل ك, the article ال and their combinations («والرقة»,
  «بالرقة», «وبقصف»). «لل» is ل + ال with the alef dropped («للتنظيم» = ل + التنظيم), so a form
  that begins with ال is also looked up without its alef after ل;
* a form written with the article also matches without it («الحوثيين» finds «حوثيين»), except
  for short stems where the bare word is too often something else;
* on the right the form ends the word (the lexicons list word shapes, no stemming of names), or
  is followed by one of the suffixes the matcher was built to allow;
* several words in a form match any run of spaces in the text.

Matches report offsets into the text that was scanned, which the caller maps back to the
original with the offset maps of :mod:`marsad.arabic.normalize`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

from marsad.arabic.normalize import normalize_phrase

__all__ = ["Match", "PhraseMatcher", "is_word_char"]

# Proclitic runs written attached to the next word (normalised spelling).
PROCLITICS: frozenset[str] = frozenset(
    {
        "و",
        "ف",
        "ب",
        "ل",
        "ك",
        "وب",
        "فب",
        "ول",
        "فل",
        "وك",
        "فك",
        "ال",
        "وال",
        "فال",
        "بال",
        "كال",
        "وبال",
        "فبال",
        "وكال",
    }
)
# Runs that precede a form whose article lost its alef after ل («للتنظيم», «وللقوات»).
_LAM_RUNS: frozenset[str] = frozenset({"ل", "ول", "فل"})
# Below this many letters, a form is not also looked up without its article («الدولة» → «دولة»).
_MIN_BARE = 5


def is_word_char(ch: str) -> bool:
    """Letters and digits of any script (Arabic letters included), for word boundaries."""
    return ch.isalnum()


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon form found at ``[start, end)`` of the scanned text (clitics excluded).

    ``word_start`` is where the word that carries the form begins (clitics included);
    ``payloads`` are the values the form was registered with.
    """

    start: int
    end: int
    word_start: int
    key: str
    payloads: tuple[Any, ...]

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str  # the normal form as registered
    payloads: tuple[Any, ...]
    lam_variant: bool  # this key is the form without its alef, only valid after ل


class PhraseMatcher:
    """A set of phrases with payloads, matched in normalised text on word boundaries."""

    def __init__(
        self,
        phrases: Iterable[tuple[str, Any]],
        *,
        suffixes: Iterable[str] = (),
        bare_article: bool = True,
        unsplittable: Iterable[str] = (),
    ) -> None:
        by_key: dict[str, list[Any]] = {}
        for phrase, payload in phrases:
            key = normalize_phrase(phrase)
            if not key:
                continue
            by_key.setdefault(key, []).append(payload)
        self.unsplittable = frozenset(normalize_phrase(w) for w in unsplittable)
        self.suffixes = tuple(sorted({normalize_phrase(s) for s in suffixes if s}, key=len, reverse=True))
        automaton = ahocorasick.Automaton()
        entries: dict[str, _Entry] = {}

        def add(key: str, payloads: tuple[Any, ...], lam: bool) -> None:
            old = entries.get(key)
            if old is not None and not old.lam_variant:
                return  # a real form beats a derived variant with the same spelling
            entries[key] = _Entry(key, payloads, lam)

        for key, payloads in by_key.items():
            frozen = tuple(dict.fromkeys(payloads))
            add(key, frozen, False)
        for key, payloads in by_key.items():
            if key.startswith("ال") and len(key) > 2:
                frozen = tuple(dict.fromkeys(payloads))
                add("ل" + key[2:], frozen, True)
                if bare_article and len(key.split(" ", 1)[0]) - 2 >= _MIN_BARE:
                    bare = key[2:]
                    if bare not in entries:
                        add(bare, frozen, False)
        for key, entry in entries.items():
            automaton.add_word(key, entry)
        self._empty = not entries
        if not self._empty:
            automaton.make_automaton()
        self._automaton = automaton
        self.size = len(entries)

    def _left_ok(self, text: str, start: int, entry: _Entry) -> int | None:
        """Start of the word carrying a hit at ``start``, or None when the hit is inside a word."""
        ws = start
        while ws > 0 and text[ws - 1].isalnum():  # is_word_char, inlined: the hottest loop of extraction
            ws -= 1
        run = text[ws:start]
        if entry.lam_variant:
            return ws if run in _LAM_RUNS else None
        if not run:
            return ws
        if run not in PROCLITICS:
            return None
        if self.unsplittable:
            we = start
            while we < len(text) and is_word_char(text[we]):
                we += 1
            if text[ws:we] in self.unsplittable:
                return None
        return ws

    def _right_ok(self, text: str, end: int) -> int | None:
        """End of the word after a hit ending at ``end`` (suffix included), or None."""
        if end >= len(text) or not is_word_char(text[end]):
            return end
        for suffix in self.suffixes:
            stop = end + len(suffix)
            if text.startswith(suffix, end) and (stop >= len(text) or not is_word_char(text[stop])):
                return stop
        return None

    def find(self, text: str) -> list[Match]:
        """Every hit in ``text`` (normalised, spaces collapsed), longest first where hits overlap."""
        if self._empty:
            return []
        found: list[Match] = []
        size = len(text)
        for last, entry in self._automaton.iter(text):
            end = last + 1
            # a hit followed by a letter is inside a word unless a known suffix ends it
            if end < size and text[end].isalnum() and self._right_ok(text, end) is None:
                continue
            start = end - len(entry.key)
            ws = self._left_ok(text, start, entry)
            if ws is None:
                continue
            key = entry.key if not entry.lam_variant else "ا" + entry.key  # report the form as written
            found.append(Match(start, end, ws, key, entry.payloads))
        return _longest(found)


def _longest(found: list[Match]) -> list[Match]:
    """Keep the longest hit where hits overlap (ties: the earlier one), in text order."""
    if len(found) < 2:
        return found
    found.sort(key=lambda m: (-m.length, m.start))
    size = max(m.end for m in found)
    taken = bytearray(size)
    kept: list[Match] = []
    for m in found:
        if any(taken[m.start : m.end]):
            continue
        taken[m.start : m.end] = b"\x01" * m.length
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept
