"""Recognise what a text says about itself: title, byline/dateline, publisher signature, date.

* Title: in plain-text input, a first short line that does not end a sentence.
* Byline/dateline: the head of the first paragraph up to a dash or colon («مرصد مينا – خاص»,
  «دمشق - سانا:»), at most a few words.
* Signature: a short trailing fragment after the last sentence of the text that names a known
  publisher or looks like an organisation's name («مرصد الشرق الأوسط وشمال أفريقيا الإعلامي “مينا”»).
* Publication date: by priority from the input's metadata, the HTML's meta tags, a date in the
  byline or a date line at the top of the text, the user's ``--published``, the HTML's
  heuristics, then the crawl date — each candidate is kept, and disagreements are reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.arabic.dates import find_dates
from marsad.clean.publishers import Publisher, match_name, normalized_key, signature_keywords

__all__ = ["Byline", "Signature", "choose_published", "find_byline", "find_signature", "find_title_line"]

_SENTENCE_END = re.compile(r"[.!?؟…]+[\"'”»)]*\s*")
_BYLINE = re.compile(r"^\s*(?P<head>[^\n.!?؟:،,\-–—]{2,60}?)\s*(?:[-–—ـ]+|:)\s*")
_BYLINE_SECOND = re.compile(r"^(?P<second>\(?[^\s\-–—:]{2,25}\)?(?: [^\s\-–—:]{2,25}){0,2})\s*(?:[-–—ـ]+|:)\s*")
_EXCLUSIVE = re.compile(r"خاص\b[:\s]*")
MAX_TITLE_WORDS = 30
MAX_BYLINE_WORDS = 6
MAX_SIGNATURE_WORDS = 12

DATE_PRIORITY = ("input", "html-meta", "text-header", "cli", "html-heuristic", "crawl")


@dataclass(frozen=True, slots=True)
class Byline:
    start: int
    end: int  # end of the byline including its separator
    text: str
    publisher: Publisher | None
    exclusive: bool


@dataclass(frozen=True, slots=True)
class Signature:
    start: int
    end: int
    text: str
    publisher: Publisher | None


def find_title_line(first_line: str, rest_exists: bool) -> bool:
    """Whether the first content line of a plain text is its headline."""
    words = len(first_line.split())
    if not rest_exists or words == 0 or words > MAX_TITLE_WORDS:
        return False
    return not first_line.rstrip().endswith((".", "。"))


def find_byline(text: str) -> Byline | None:
    m = _BYLINE.match(text)
    if not m:
        return None
    head = m.group("head").strip()
    if not head or len(head.split()) > MAX_BYLINE_WORDS:
        return None
    end = m.end()
    parts = [head]
    second = _BYLINE_SECOND.match(text[end:])
    if second and len(second.group("second").split()) <= 3:
        parts.append(second.group("second").strip("() "))
        end += second.end()
    elif (excl := _EXCLUSIVE.match(text[end:])) is not None:
        parts.append("خاص")
        end += excl.end()
    exclusive = any(normalized_key(p) == "خاص" for p in parts) or "خاص" in normalized_key(head).split()
    publisher = None
    for part in parts:
        publisher = match_name(part) or match_name(part.replace("خاص", ""), whole=False)
        if publisher:
            break
    # a dash right after the first few words is a byline only if what follows starts a sentence
    if len(text) <= end or not text[end:].strip():
        return None
    return Byline(m.start("head"), end, text[m.start("head") : end].rstrip(), publisher, exclusive)


def find_signature(text: str) -> Signature | None:
    """A publisher signature at the very end of ``text``."""
    body = text.rstrip()
    if not body:
        return None
    last_para_start = body.rfind("\n") + 1
    para = body[last_para_start:]
    ends = list(_SENTENCE_END.finditer(para))
    if ends and ends[-1].end() >= len(para):
        # the paragraph ends with a full stop: only a whole short line can be a signature
        if last_para_start == 0 or len(para.split()) > MAX_SIGNATURE_WORDS:
            return None
        tail_start = 0
    else:
        tail_start = ends[-1].end() if ends else 0
        if tail_start == 0 and last_para_start == 0:
            return None  # a single unpunctuated paragraph: nothing marks a signature
    tail = para[tail_start:].strip()
    if not tail or len(tail.split()) > MAX_SIGNATURE_WORDS:
        return None
    publisher = match_name(tail) or match_name(tail, whole=False)
    if publisher is None:
        words = set(normalized_key(tail).split())
        if not words & signature_keywords():
            return None
    start = last_para_start + para.index(tail, tail_start)
    return Signature(start, start + len(tail), tail, publisher)


def header_dates(lines: Sequence[str], byline: str | None, snippets: Sequence[str] = ()) -> list[dt.date]:
    """Full dates in the byline, in a short line of their own at the top of the text, or in a
    page's date/byline elements (``snippets``)."""
    found: list[dt.date] = []
    candidates = ([byline] if byline else []) + [ln for ln in lines[:5] if len(ln.split()) <= 10] + list(snippets)
    for cand in candidates:
        for mention in find_dates(cand):
            if mention.date is not None:
                found.append(mention.date)
    return found


def choose_published(
    candidates: dict[str, dt.date | None],
) -> tuple[dt.date | None, str | None, dict[str, str]]:
    """The publication date by priority, its source, and the disagreements worth reporting."""
    present = {k: v for k, v in candidates.items() if v is not None}
    chosen_source = next((k for k in DATE_PRIORITY if k in present), None)
    chosen = present.get(chosen_source) if chosen_source else None
    conflicts: dict[str, str] = {}
    if chosen is not None:
        for source, value in present.items():
            if source != chosen_source and source not in {"crawl", "cli"} and abs((value - chosen).days) > 2:
                conflicts[source] = value.isoformat()
    return chosen, chosen_source, conflicts
