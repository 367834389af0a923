"""Normalisation of Arabic text for matching, with a map back to the original.

The rules live in ``lexicon/data/normalization.yaml``. Each original character maps to zero, one
or several characters independently of its neighbours, so the normal form of any slice of the
original is the matching slice of the normal form — the property that lets every later stage
match on normalised text and quote the original exactly (see :class:`NormalizedText`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from marsad import lexicon
from marsad.arabic.offsets import OffsetMap, OffsetMapBuilder

__all__ = ["NormalizedText", "already_normal", "normalize", "normalize_phrase", "normalize_plain", "phrase_alternation"]


@dataclass(frozen=True, slots=True)
class _Tables:
    one_to_one: dict[int, str]  # for str.translate: characters that keep a length of one
    special: dict[str, str]  # characters that become zero or several characters
    special_re: re.Pattern[str]
    fold: dict[str, str]  # one_to_one by character
    fold_re: re.Pattern[str]  # any character of ``fold``


@cache
def _tables() -> _Tables:
    data = lexicon.load("normalization")
    one: dict[int, str] = {}
    special: dict[str, str] = {}
    for lo, hi in data["delete_ranges"]:
        for cp in range(ord(lo), ord(hi) + 1):
            special[chr(cp)] = ""
    fold: dict[str, str] = data["fold"]
    for block in data["digits"]:
        for value, ch in enumerate(block):
            fold[ch] = str(value)
    for cp in range(ord("A"), ord("Z") + 1):
        fold[chr(cp)] = chr(cp + 32)
    for lo, hi in data["compatibility_ranges"]:
        for cp in range(ord(lo), ord(hi) + 1):
            ch = chr(cp)
            decomposed = unicodedata.normalize("NFKC", ch)
            if decomposed == ch:
                continue
            # fold the pieces of the decomposition too (e.g. a presentation-form alef with hamza)
            pieces = "".join(fold.get(p, p) for p in decomposed if p not in special)
            if len(pieces) == 1:
                one[cp] = pieces
            else:
                special[ch] = pieces
    for src, dst in fold.items():
        if len(src) != 1 or len(dst) != 1:
            raise ValueError(f"normalization.yaml: fold rule {src!r} -> {dst!r} must map one character to one")
        one[ord(src)] = dst
    special_re = re.compile("[" + "".join(re.escape(c) for c in sorted(special)) + "]")
    for out in [*one.values(), *"".join(special.values()), " ", "\n"]:
        if out in special or one.get(ord(out), out) != out:
            # normal text is normalised again as it is (already_normal), and _fold relies on it
            raise ValueError(f"normalization.yaml: {out!r} is produced by a rule and changed by another")
    fold = {chr(cp): ch for cp, ch in one.items()}
    fold_re = re.compile("[" + "".join(re.escape(c) for c in sorted(fold)) + "]")
    return _Tables(one, special, special_re, fold, fold_re)


def _fold(text: str, t: _Tables) -> str:
    """``text.translate(t.one_to_one)``, in a fraction of its time: each character to fold that
    the text holds (a handful) is replaced in one pass. The order does not matter, as no rule
    produces a character that another rule changes."""
    for ch in set(t.fold_re.findall(text)):
        text = text.replace(ch, t.fold[ch])
    return text


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normal form of ``original`` and the map from its offsets back to ``original``."""

    original: str
    text: str
    offsets: OffsetMap

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of normalised ``[start, end)``."""
        return self.offsets.span(start, end)

    def quote(self, start: int, end: int) -> str:
        """The original characters behind normalised ``[start, end)``."""
        a, b = self.offsets.span(start, end)
        return self.original[a:b]


def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for matching and keep the offset map back to it."""
    t = _tables()
    matches = list(t.special_re.finditer(text))
    if not matches:
        return NormalizedText(text, _fold(text, t), OffsetMap.identity(len(text)))
    parts: list[str] = []
    builder = OffsetMapBuilder()
    prev = 0
    for m in matches:
        i = m.start()
        if i > prev:
            parts.append(_fold(text[prev:i], t))
            builder.copy(prev, i - prev)
        replacement = t.special[text[i]]
        if replacement:
            parts.append(replacement)
            builder.expand(i, i + 1, len(replacement))
        else:
            builder.delete(i, i + 1)
        prev = i + 1
    if prev < len(text):
        parts.append(_fold(text[prev:], t))
        builder.copy(prev, len(text) - prev)
    return NormalizedText(text, "".join(parts), builder.build(len(text)))


def already_normal(text: str) -> NormalizedText:
    """``text``, already a normal form, as what :func:`normalize` makes of it, without the pass.

    The normal form is a fixed point (every character the rules produce is left as it is, spaces
    and line breaks included), so the normal form of a normal form — or of one whose whitespace
    runs were folded to one space or line break — is itself, with an identity map. Only for text
    known to be normalised: anything else would be matched unfolded.
    """
    return NormalizedText(text, text, OffsetMap.identity(len(text)))


def normalize_plain(text: str) -> str:
    """The normal form only (for lexicon entries and lookups that need no offsets)."""
    t = _tables()
    return _fold(t.special_re.sub(lambda m: t.special[m.group()], text), t)


def normalize_phrase(text: str) -> str:
    """The normal form of a lexicon phrase with its spacing folded to single spaces: the key under
    which multi-word entries are stored and matched («تشرين  الأول» and «تشرين الأول» alike)."""
    return " ".join(normalize_plain(text).split())


def phrase_alternation(phrases: list[str]) -> str:
    """A regex alternation of the normalised phrases, longest first, any run of spaces between words."""
    forms = sorted({normalize_phrase(p) for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
