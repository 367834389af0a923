"""Quantities in Arabic text: digits of every script, number words, qualifiers, vague amounts.

«سبعة» 7 · «أحد عشر» 11 · «ثلاثة وعشرين» 23 · «مئتي» 200 · «ألف ومئتين وخمسين» 1250 · «3 آلاف» 3000
· «1,200» 1200 · «أكثر من 50» low 50 · «نحو 30» about 30 · «7 على الأقل» at least 7 · «عشرات» 10 ·
«عدة» 3 (ACLED's figures for vague amounts). Words come from ``lexicon/data/numbers.yaml``.

Why not pyarabic: its ``text2number`` (0.6.15, checked) reads «احد عشر» as 10, «مئتي» as 0, and
adds up every number word in a sentence («قتل خمسة وأصيب عشرة» → 15); this parser reads numbers
one by one, with their offsets, and joins words only where Arabic grammar does (unit + عشر,
unit و tens, hundreds و …).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick

from marsad import lexicon
from marsad.arabic.normalize import NormalizedText, normalize, normalize_phrase

__all__ = ["Quantity", "find_quantities"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in text. ``start``/``end`` index the original text (qualifier included)."""

    start: int
    end: int
    value: int
    low: int | None
    high: int | None
    qualifier: str  # exact | more_than | at_least | about | up_to | less_than | vague
    text: str

    @property
    def best(self) -> int:
        """The figure ACLED would code: the stated number (lower bounds included)."""
        return self.value


@dataclass(frozen=True, slots=True)
class _Lex:
    words: dict[str, tuple[str, int]]  # number word -> (kind, value); kinds: unit ten tens hundreds scale_*
    vague: list[tuple[str, int]]
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]
    token: re.Pattern[str]
    starters: frozenset[str]  # words a number or a vague quantity can begin with
    # an automaton of the starters, bare and after each leading clitic: the only words of letters
    # that can start a number (with digits: see _candidates)
    clitic_starters: Any


def _forms(words: list[str]) -> list[str]:
    return [normalize_phrase(w) for w in words]


@cache
def _lex() -> _Lex:
    d = lexicon.load("numbers")
    words: dict[str, tuple[str, int]] = {}
    for kind in ("units", "tens", "hundreds"):
        for value, forms in d[kind].items():
            words.update({f: ("unit" if kind == "units" else kind, int(value)) for f in _forms(forms)})
    words.update({f: ("ten", 10) for f in _forms(d["ten"])})
    for scale, forms in d["scales"].items():
        for number in ("one", "two", "plural"):
            words.update({f: (f"scale_{number}", int(scale)) for f in _forms(forms[number])})
    vague = sorted(((f, int(v["value"])) for v in d["vague"] for f in _forms(v["forms"])), key=lambda x: -len(x[0]))
    before = sorted(
        ((f, q["kind"]) for q in d["qualifiers"]["before"] for f in _forms(q["forms"])), key=lambda x: -len(x[0])
    )
    after = sorted(
        ((f, q["kind"]) for q in d["qualifiers"]["after"] for f in _forms(q["forms"])), key=lambda x: -len(x[0])
    )
    token = re.compile(_DIGIT_TOKEN.pattern + r"|[^\W\d_]+")
    starters = frozenset(words) | {f.split()[0] for f, _ in vague}
    clitic_starters = ahocorasick.Automaton()
    for word in starters | {c + w for c in _LEADING_CLITICS for w in starters}:
        clitic_starters.add_word(word, len(word))
    if starters:
        clitic_starters.make_automaton()
    return _Lex(words, vague, before, after, token, starters, clitic_starters)


# Tokens are runs of Western digits (normalised text has no other) with their separators, and
# runs of letters (``[^\W\d_]``: isalnum() and not a decimal digit).
_DIGIT_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


def _is_letter(ch: str) -> bool:
    return ch.isalnum() and not ch.isdecimal()


def _candidates(text: str, lx: _Lex) -> list[int]:
    """Where the tokens that may start a number begin, in order: every digit token, and the
    letter tokens that are a starter, bare or after a clitic. Any other word has no reading in
    :func:`_number_readings`, or only one that neither the parser nor a vague form reads (a digit
    of another kind, «²»). Found without tokenising the text: most words cannot start a number."""
    at = [m.start() for m in _DIGIT_TOKEN.finditer(text)]  # as the tokenizer reads them
    if len(lx.clitic_starters):
        size = len(text)
        for last, length in lx.clitic_starters.iter(text):
            end = last + 1
            start = end - length
            if (start == 0 or not _is_letter(text[start - 1])) and (end == size or not _is_letter(text[end])):
                at.append(start)
    at.sort()
    return at


class _Tokens:
    """The tokens of a text from a token start on, read only as far as the parser looks."""

    def __init__(self, matches: Iterator[re.Match[str]]) -> None:
        self._matches = matches
        self._read: list[re.Match[str]] = []

    def word(self, j: int) -> str | None:
        """The ``j``-th token, or None past the end of the text."""
        while len(self._read) <= j:
            m = next(self._matches, None)
            if m is None:
                return None
            self._read.append(m)
        return self._read[j].group()

    def end(self, j: int) -> int:
        """Where the ``j``-th token (already read) ends."""
        return self._read[j].end()


def _digits(tok: str) -> int | None:
    """Western digits with optional thousands separators («1,200», «1.200»); decimals are cut."""
    if re.fullmatch(r"[0-9]{1,3}(?:[,.][0-9]{3})+", tok):
        return int(re.sub(r"[,.]", "", tok))
    if re.fullmatch(r"[0-9]+", tok):
        return int(tok)
    if re.fullmatch(r"[0-9]+[.,][0-9]+", tok):
        return int(float(tok.replace(",", ".")))  # «1.5» (of «1.5 مليون») handled by the caller
    return None


_CLITIC_AND = "و"
_LEADING_CLITICS = ("وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك")


_CLITIC_LETTERS = frozenset(c[0] for c in _LEADING_CLITICS)


def _without_clitic(word: str) -> list[str]:
    """The word, then the word without a leading conjunction/preposition («بعدة» → «عدة»)."""
    return [word] + [word[len(c) :] for c in _LEADING_CLITICS if word.startswith(c) and len(word) > len(c) + 1]


def _number_readings(word: str, starters: frozenset[str]) -> list[str]:
    """The readings of ``word`` (itself, then without a clitic) that may start a number: a digit
    or a number word. Most words have none, and are dismissed without building a list."""
    if word[0] not in _CLITIC_LETTERS:
        return [word] if word[0].isdigit() or word in starters else []
    return [w for w in _without_clitic(word) if w[0].isdigit() or w in starters]


class _Parser:
    """Reads one number at the first of ``tokens``; returns (value, tokens used) or None."""

    def __init__(self, tokens: _Tokens) -> None:
        self.t = tokens
        self.table = _lex().words

    def word_value(self, word: str) -> tuple[str, int] | None:
        return self.table.get(word)

    def parse(self, first: str) -> tuple[int, int] | None:
        """The number at the first token, whose word is read as ``first`` (the token without a clitic)."""
        t = self.t
        digits = _digits(first)
        if digits is not None:
            value = digits
            following = t.word(1)
            if following is not None:
                nxt = self.word_value(following)
                if nxt and nxt[0] in {"scale_one", "scale_plural"}:
                    if re.fullmatch(r"[0-9]+[.,][0-9]+", first):
                        return round(float(first.replace(",", ".")) * nxt[1]), 2
                    return value * nxt[1], 2
            return value, 1
        total, current, j = 0, 0, 0
        last_kind: str | None = None
        last_val = 0
        while True:
            word = first if j == 0 else t.word(j)
            if word is None:
                break
            joined = False
            wv = self.word_value(word)
            if wv is None and j > 0 and word.startswith(_CLITIC_AND) and len(word) > 1:
                wv = self.word_value(word[1:])
                joined = wv is not None
            if wv is None:
                break
            kind, val = wv
            if j > 0 and not self._may_follow(last_kind, kind, joined):
                break
            if kind == "hundreds" and val == 100 and last_kind == "unit" and not joined:
                current += last_val * 100 - last_val  # «ثلاث مئة» 300
            elif kind in {"unit", "tens", "hundreds"}:
                current += val
            elif kind == "ten":
                current += 10
            elif kind == "scale_one":
                total += (current or 1) * val
                current = 0
            elif kind == "scale_two":
                total += 2 * val
                current = 0
            elif kind == "scale_plural":
                if current == 0:
                    break  # «آلاف» alone is a vague quantity, read elsewhere
                total += current * val
                current = 0
            last_kind, last_val = kind, val
            j += 1
        if j == 0:
            return None
        return total + current, j

    @staticmethod
    def _may_follow(prev: str | None, kind: str, joined: bool) -> bool:
        """Whether ``kind`` continues a number after ``prev`` (``joined``: it carried «و»)."""
        if prev is None:
            return True
        if not joined:
            return (prev == "unit" and kind in {"ten", "scale_plural", "scale_one", "hundreds"}) or (
                prev in {"ten", "tens", "hundreds"} and kind in {"scale_one", "scale_plural"}
            )
        if prev == "unit":
            return kind == "tens"
        if prev in {"hundreds"}:
            return kind in {"unit", "ten", "tens"}
        if prev in {"scale_one", "scale_two", "scale_plural"}:
            return kind in {"unit", "ten", "tens", "hundreds"}
        return False


def find_quantities(text: str | NormalizedText) -> list[Quantity]:
    """Every number and vague quantity in ``text``, in order, with its qualifier."""
    norm = text if isinstance(text, NormalizedText) else normalize(text)
    lx = _lex()
    out: list[Quantity] = []
    resume = 0  # where the last number read ends: the tokens before are taken
    for token_start in _candidates(norm.text, lx):
        if token_start < resume:
            continue
        tokens = _Tokens(lx.token.finditer(norm.text, token_start))
        word = tokens.word(0)
        assert word is not None  # a candidate starts a token
        parser = _Parser(tokens)
        first = word
        vague = parsed = None
        for first in _number_readings(word, lx.starters):
            vague = _vague_at(tokens, first, lx)
            parsed = None if vague else parser.parse(first)
            if vague or parsed:
                break
        if vague is None and parsed is None:
            continue
        if vague is not None:
            value, used, qualifier = vague[0], vague[1], "vague"
        else:
            assert parsed is not None
            value, used = parsed
            qualifier = "exact"
        number_start = token_start + len(word) - len(first)  # after a clitic («بخمسة»)
        number_end = tokens.end(used - 1)
        before = _qualifier_before(norm.text, number_start, lx)
        q_start = number_start
        if before and qualifier == "exact":
            qualifier, q_start = before[1], before[0]
        after = _qualifier_after(norm.text, number_end, lx)
        q_end = number_end
        if after and qualifier == "exact":
            qualifier, q_end = after[1], after[0]
        low, high = _bounds(value, qualifier)
        a, b = norm.original_span(q_start, q_end)
        out.append(Quantity(a, b, value, low, high, qualifier, norm.original[a:b]))
        resume = number_end
    return out


def _vague_at(tokens: _Tokens, first: str, lx: _Lex) -> tuple[int, int] | None:
    """A vague quantity at the first of ``tokens`` (read as ``first``): (value, tokens used)."""
    for form, value in lx.vague:
        parts = form.split()
        if parts[0] == first and all(tokens.word(k) == part for k, part in enumerate(parts[1:], 1)):
            return value, len(parts)
    return None


def _qualifier_before(text: str, start: int, lx: _Lex) -> tuple[int, str] | None:
    head = text[max(0, start - 40) : start].rstrip()
    head_words = " ".join(head.split())
    for form, kind in lx.before:
        if head_words.endswith(form) and (len(head_words) == len(form) or not head_words[-len(form) - 1].isalpha()):
            # position of the qualifier in the text: search back from start
            pos = text.rfind(form.split()[0], max(0, start - 40), start)
            if pos == -1:
                pos = start - len(form) - 1
            if pos > 0 and text[pos - 1] == _CLITIC_AND:
                pos -= 1
            return pos, kind
    return None


def _qualifier_after(text: str, end: int, lx: _Lex) -> tuple[int, str] | None:
    tail = " ".join(text[end : end + 60].split())
    for form, kind in lx.after:
        if tail.startswith(form) and (len(tail) == len(form) or not tail[len(form)].isalpha()):
            idx = text.find(form.split()[-1], end)
            return (idx + len(form.split()[-1]) if idx != -1 else end), kind
    return None


def _bounds(value: int, qualifier: str) -> tuple[int | None, int | None]:
    if qualifier in {"more_than", "at_least", "vague"}:
        return value, None
    if qualifier in {"up_to", "less_than"}:
        return None, value
    return value, value
