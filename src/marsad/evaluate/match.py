"""Pairing predicted events with gold events of one article.

A predicted event may pair with a gold event only when its date is within the gold event's
tolerance (GUIDE.md: ±1 day at time precision 1, ±7 days at 2, ±31 days at 3); a prediction
without a date pairs with nothing. Among the allowed pairs, a greedy best-first assignment keeps
the pairs that agree most (same event type, same sub-event type, same place, overlapping trigger
evidence), each event used at most once; the rest are false positives and false negatives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.arabic.normalize import normalize_plain
from marsad.evaluate.gold import GoldEvent
from marsad.extract.model import Event
from marsad.geo.distance import km
from marsad.model import Document

__all__ = [
    "DATE_TOLERANCE_DAYS",
    "PLACE_RADIUS_KM",
    "Matching",
    "Pair",
    "date_compatible",
    "haversine_km",
    "match_events",
    "pair_score",
    "place_agrees",
    "place_tokens",
    "place_within_radius",
    "trigger_overlaps",
    "word_forms",
]

DATE_TOLERANCE_DAYS = {1: 1, 2: 7, 3: 31}
PLACE_RADIUS_KM = 25.0
# Words that name a kind of place, not a place: sharing one of them says nothing (normal forms).
GENERIC_PLACE_WORDS = frozenset(
    normalize_plain(w)
    for w in (
        "مدينة", "محافظة", "منطقة", "بلدة", "قرية", "ريف", "حي", "شمال", "جنوب", "شرق", "غرب",
        "شمالي", "جنوبي", "شرقي", "غربي", "وسط", "مديرية", "ولاية", "قضاء", "ناحية", "إقليم", "مخيم",
        "مركز", "أطراف", "محيط", "قرب", "عاصمة", "مملكة", "دولة", "جمهورية", "بلاد", "جزيرة", "ساحلية",
        "حدودية", "حدود", "مطار", "ميناء", "معبر", "قاعدة", "طريق", "مدن", "مناطق", "قرى", "محافظات", "أحياء",
    )
)  # fmt: skip
# Proclitics stripped to compare words: conjunction/preposition letters, then the article.
_PROCLITICS = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_WORD = re.compile(r"\w+")
_MIN_TOKEN = 3


def date_compatible(pred: Event, gold: GoldEvent) -> bool:
    """The predicted date is within the gold event's tolerance (never without a predicted date)."""
    if pred.event_date is None:
        return False
    tolerance = DATE_TOLERANCE_DAYS.get(gold.time_precision, 0)
    return abs((pred.event_date - gold.event_date).days) <= tolerance


haversine_km = km  # the one great-circle formula (marsad.geo.distance)


def place_within_radius(pred: Event, gold: GoldEvent) -> bool | None:
    """Whether both points are within 25 km; ``None`` when either side has no coordinates."""
    if pred.latitude is None or pred.longitude is None or gold.latitude is None or gold.longitude is None:
        return None
    return haversine_km(pred.latitude, pred.longitude, gold.latitude, gold.longitude) <= PLACE_RADIUS_KM


def _variants(word: str) -> set[str]:
    forms = {word}
    for clitic in _PROCLITICS:
        if word.startswith(clitic):
            forms.add(word[len(clitic) :])
    return forms


def word_forms(text: str | None, ignore: frozenset[str] = frozenset()) -> set[str]:
    """The comparable forms of the words of ``text``: normalised, with and without proclitics
    («بالمكلا» → بالمكلا, المكلا, مكلا), forms shorter than three letters dropped, and words with a
    form in ``ignore`` dropped altogether."""
    tokens: set[str] = set()
    for word in _WORD.findall(normalize_plain(text or "")):
        forms = _variants(word)
        if not forms & ignore:
            tokens.update(f for f in forms if len(f) >= _MIN_TOKEN)
    return tokens


def place_tokens(text: str | None) -> set[str]:
    """:func:`word_forms` of a place name without generic place nouns («محافظة», «بمدينة», «شمال»)."""
    return word_forms(text, GENERIC_PLACE_WORDS)


def _place_words_overlap(pred: Event, gold: GoldEvent) -> bool:
    predicted = place_tokens(pred.place_mention) | place_tokens(pred.location)
    annotated = place_tokens(gold.evidence.get("place")) | place_tokens(gold.location)
    return bool(predicted & annotated)


def place_agrees(pred: Event, gold: GoldEvent) -> bool:
    """Within 25 km when both events have coordinates; otherwise a shared place word between the
    prediction's place mention or location and the gold place evidence or location."""
    near = place_within_radius(pred, gold)
    return near if near is not None else _place_words_overlap(pred, gold)


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    start = haystack.find(needle)
    while needle and start >= 0:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def trigger_overlaps(pred: Event, gold: GoldEvent, document: Document | None = None) -> bool:
    """The prediction's trigger evidence overlaps the gold trigger quote: as character spans of the
    document when the quote is found in the same field, otherwise by a shared normalised word."""
    quote = gold.evidence.get("trigger")
    triggers = [e for e in pred.evidence if e.role == "trigger"]
    if not quote or not triggers:
        return False
    for ev in triggers:
        text = None if document is None else document.title if ev.field == "title" else document.text
        starts = _occurrences(text, quote) if text is not None else []
        if starts:
            if any(s < ev.end and ev.start < s + len(quote) for s in starts):
                return True
        elif word_forms(ev.text) & word_forms(quote):
            return True
    return False


def pair_score(pred: Event, gold: GoldEvent, document: Document | None = None) -> int:
    """How many of event type, sub-event type, place and trigger the two events agree on (0-4)."""
    return (
        int(pred.event_type == gold.event_type)
        + int(pred.sub_event_type == gold.sub_event_type)
        + int(place_agrees(pred, gold))
        + int(trigger_overlaps(pred, gold, document))
    )


@dataclass(frozen=True, slots=True)
class Pair:
    """A predicted event paired with a gold event (indices into the article's lists)."""

    pred: int
    gold: int
    score: int


@dataclass(frozen=True, slots=True)
class Matching:
    """The one-to-one pairing of an article's events and what was left unpaired."""

    pairs: tuple[Pair, ...]
    unmatched_pred: tuple[int, ...]
    unmatched_gold: tuple[int, ...]


def match_events(predicted: Sequence[Event], gold: Sequence[GoldEvent], document: Document | None = None) -> Matching:
    """Greedy best-first one-to-one assignment over the date-compatible pairs: highest agreement
    first, then the closest dates, then the earlier events (so the result is deterministic)."""
    candidates: list[tuple[int, int, int, int]] = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            if date_compatible(p, g):
                assert p.event_date is not None
                gap = abs((p.event_date - g.event_date).days)
                candidates.append((-pair_score(p, g, document), gap, i, j))
    candidates.sort()
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    pairs: list[Pair] = []
    for neg_score, _gap, i, j in candidates:
        if i in used_pred or j in used_gold:
            continue
        used_pred.add(i)
        used_gold.add(j)
        pairs.append(Pair(i, j, -neg_score))
    return Matching(
        pairs=tuple(sorted(pairs, key=lambda pr: pr.gold)),
        unmatched_pred=tuple(i for i in range(len(predicted)) if i not in used_pred),
        unmatched_gold=tuple(j for j in range(len(gold)) if j not in used_gold),
    )
