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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import ahocorasick

from marsad.arabic.normalize import normalize_phrase

__all__ = ["Match", "MatcherSet", "PhraseMatcher", "is_word_char"]

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
    shown: str  # the key as reported in a Match (a lam variant gets its alef back)


# The letters proclitic runs are made of: a hit preceded, inside its word, by any other letter is
# inside a word, whatever its run would be.
_RUN_LETTERS: frozenset[str] = frozenset("".join(PROCLITICS | _LAM_RUNS))


class PhraseMatcher:
    """A set of phrases with payloads, matched in normalised text on word boundaries."""

    def __init__(
        self,
        phrases: Iterable[tuple[str, Any]],
        *,
        suffixes: Iterable[str] = (),
        bare_article: bool = True,
        unsplittable: Iterable[str] = (),
        priority: Callable[[Any], int] | None = None,
    ) -> None:
        """``priority`` ranks payloads where hits overlap: a hit whose payloads rank higher wins
        over a longer one («ضربت طائرات» — a strike — over the longer «طائرات التحالف» — aircraft
        named); without it the longest hit wins."""
        self.priority = priority
        by_key: dict[str, list[Any]] = {}
        for phrase, payload in phrases:
            key = normalize_phrase(phrase)
            if not key:
                continue
            by_key.setdefault(key, []).append(payload)
        self.unsplittable = frozenset(normalize_phrase(w) for w in unsplittable)
        self.suffixes = tuple(sorted({normalize_phrase(s) for s in suffixes if s}, key=len, reverse=True))
        entries: dict[str, _Entry] = {}

        def add(key: str, payloads: tuple[Any, ...], lam: bool) -> None:
            old = entries.get(key)
            if old is not None and not old.lam_variant:
                return  # a real form beats a derived variant with the same spelling
            entries[key] = _Entry(key, payloads, lam, "ا" + key if lam else key)

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
        self._entries = entries
        self.size = len(entries)
        self._set = MatcherSet([self])

    def _splits_whole_word(self, text: str, ws: int, start: int) -> bool:
        """Whether the word at ``ws``, read as a proclitic run and a hit at ``start``, is one of the
        whole words listed as not to be split («وزارة» is no و + «زارة»)."""
        if not self.unsplittable:
            return False
        we = start
        while we < len(text) and is_word_char(text[we]):
            we += 1
        return text[ws:we] in self.unsplittable

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
        return self._set.find(text)[0]


class MatcherSet:
    """Several :class:`PhraseMatcher` run over a text in one pass: ``find(text)[i]`` is
    ``matchers[i].find(text)``.

    The forms of all the matchers share one automaton, so the text is scanned once, and each hit
    is checked for word boundaries once for every matcher that holds its form. That check starts
    with what every matcher agrees on: a hit that a letter follows is inside a word unless some
    matcher allows a suffix, and a hit that letters other than those of the proclitics precede
    is inside a word.
    """

    def __init__(self, matchers: Sequence[PhraseMatcher]) -> None:
        self.matchers = tuple(matchers)
        targets: dict[str, list[tuple[int, PhraseMatcher, _Entry]]] = {}
        for i, m in enumerate(self.matchers):
            for key, entry in m._entries.items():
                targets.setdefault(key, []).append((i, m, entry))
        self._suffixes = any(m.suffixes for m in self.matchers)
        self._automaton = ahocorasick.Automaton()
        for key, hits in targets.items():
            self._automaton.add_word(key, (len(key), tuple(hits)))
        self._empty = not targets
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[list[Match]]:
        """The hits of each matcher in ``text`` (normalised, spaces collapsed), as its ``find``."""
        found: list[list[Match]] = [[] for _ in self.matchers]
        if self._empty:
            return found
        suffixes = self._suffixes
        size = len(text)
        for last, (length, targets) in self._automaton.iter(text):
            end = last + 1
            # a hit followed by a letter is inside a word unless a known suffix ends it
            open_end = end < size and text[end].isalnum()
            if open_end and not suffixes:
                continue
            # the start of the word: back over letters that proclitic runs are made of, and no
            # other letter (is_word_char, inlined: the hottest loop of extraction)
            start = end - length
            ws = start
            while ws > 0 and text[ws - 1] in _RUN_LETTERS:
                ws -= 1
            if ws > 0 and text[ws - 1].isalnum():
                continue  # another letter before the hit in its word
            run = text[ws:start]  # the proclitics written on the hit («وبال»), or ""
            for i, m, entry in targets:
                if open_end and m._right_ok(text, end) is None:
                    continue
                if entry.lam_variant:  # «للتنظيم»: a form without its alef, only after ل
                    if run not in _LAM_RUNS:
                        continue
                elif run and (run not in PROCLITICS or m._splits_whole_word(text, ws, start)):
                    continue
                found[i].append(Match(start, end, ws, entry.shown, entry.payloads))
        return [_longest(hits, m.priority) for hits, m in zip(found, self.matchers, strict=True)]


_start = attrgetter("start")


def _longest(found: list[Match], priority: Callable[[Any], int] | None = None) -> list[Match]:
    """Keep the longest hit where hits overlap (ties: the earlier one), in text order; with
    ``priority``, the hit of highest priority first, then the longest.

    Hits are chosen longest first, each kept unless it overlaps one kept before. Only hits that
    overlap compete, so the choice is made within each run of overlapping hits: most hits
    overlap no other and are kept as they are.
    """
    if len(found) < 2:
        return found
    found.sort(key=_start)
    kept: list[Match] = []
    run = [found[0]]
    reach = found[0].end
    for m in found[1:]:
        if m.start < reach:
            run.append(m)
            reach = max(reach, m.end)
            continue
        kept.extend(_choose(run, priority) if len(run) > 1 else run)
        run = [m]
        reach = m.end
    kept.extend(_choose(run, priority) if len(run) > 1 else run)
    return kept


def _choose(run: list[Match], priority: Callable[[Any], int] | None = None) -> list[Match]:
    """Among overlapping hits: highest priority, then longest first (ties: the earlier), each
    unless it overlaps one already chosen; in text order."""
    chosen: list[Match] = []
    if priority is None:
        order = sorted(run, key=lambda m: (-m.length, m.start))
    else:
        order = sorted(run, key=lambda m: (-max(priority(p) for p in m.payloads), -m.length, m.start))
    for m in order:
        if all(m.end <= c.start or c.end <= m.start for c in chosen):
            chosen.append(m)
    chosen.sort(key=_start)
    return chosen
