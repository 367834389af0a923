"""Metrics over the evaluated articles of a split.

Every metric is a ratio with the number of items it is taken over (``n``); a ratio over nothing
has no value (``None``) rather than a made-up 0 or 1. Definitions (also in README.md):

- ``event_precision`` TP / (TP + FP), n = predicted events;
- ``event_recall`` TP / (TP + FN), n = gold events;
- ``event_f1`` 2TP / (2TP + FP + FN), n = TP + FP + FN;
- on matched pairs (n = TP): ``event_type``, ``sub_event_type``, ``date`` (within the gold
  tolerance: 1.0 by construction), ``date_exact``, ``fatalities`` (equal counts), ``actor1`` and
  ``actor2`` (equal ACLED names, both empty counting as equal), ``place`` (see
  :func:`~marsad.evaluate.match.place_agrees`);
- ``place_25km`` within 25 km, n = matched pairs where both events have coordinates;
- ``admin1`` equal, n = matched pairs where both events have an admin1;
- ``tally_recall`` gold tallies with a predicted tally of the same fatalities figure in the same
  article (one-to-one), n = gold tallies;
- ``false_events_per_none_article`` predicted events in articles annotated as unrelated
  (relevance ``none``), per such article (lower is better), n = those articles.

Predicted events of types the gold set does not annotate (protests, riots) are left out of all of
these and counted as ``predicted_out_of_scope``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from marsad.evaluate.gold import GoldArticle, GoldEvent
from marsad.evaluate.match import Matching, place_agrees, place_within_radius
from marsad.extract.model import Event, Tally
from marsad.model import Document

__all__ = [
    "LOWER_IS_BETTER",
    "METRICS",
    "ArticleResult",
    "Metric",
    "SplitScores",
    "matched_tallies",
    "score_split",
]

METRICS: tuple[str, ...] = (
    "event_precision",
    "event_recall",
    "event_f1",
    "event_type",
    "sub_event_type",
    "date",
    "date_exact",
    "fatalities",
    "actor1",
    "actor2",
    "place",
    "place_25km",
    "admin1",
    "tally_recall",
    "false_events_per_none_article",
)
LOWER_IS_BETTER = frozenset({"false_events_per_none_article"})


@dataclass(frozen=True, slots=True)
class Metric:
    """``numerator`` / ``denominator`` over ``n`` items; ``value`` is ``None`` over nothing."""

    numerator: int
    denominator: int
    n: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @classmethod
    def ratio(cls, hits: int, n: int) -> Metric:
        """``hits`` out of ``n`` items."""
        return cls(hits, n, n)


@dataclass(slots=True)
class ArticleResult:
    """One gold article after cleaning and extraction.

    ``status`` is the pipeline's outcome for the article's record; an article that was not
    processed, or whose extraction raised (``error``), has no predictions.
    """

    gold: GoldArticle
    status: str
    matching: Matching
    events: list[Event] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    document: Document | None = None
    reason: str | None = None
    error: str | None = None
    out_of_scope: int = 0  # predicted events of types the gold set does not annotate (not scored)

    @classmethod
    def unmeasured(
        cls,
        gold: GoldArticle,
        status: str,
        *,
        reason: str | None = None,
        error: str | None = None,
        document: Document | None = None,
    ) -> ArticleResult:
        """An article with no predictions (not processed, or extraction raised): every gold event missed."""
        missed = Matching((), (), tuple(range(len(gold.events))))
        return cls(gold, status, missed, document=document, reason=reason, error=error)


def matched_tallies(gold: Sequence[int], predicted: Sequence[int]) -> int:
    """How many gold tally figures have a predicted tally of the same figure (each used once)."""
    have = Counter(predicted)
    return sum(min(n, have[figure]) for figure, n in Counter(gold).items())


def _empty(value: str | None) -> str | None:
    return value or None


_PAIR_CHECKS: dict[str, Callable[[Event, GoldEvent], bool | None]] = {
    "event_type": lambda p, g: p.event_type == g.event_type,
    "sub_event_type": lambda p, g: p.sub_event_type == g.sub_event_type,
    "date": lambda p, g: p.event_date is not None,  # every pair is within the tolerance
    "date_exact": lambda p, g: p.event_date == g.event_date,
    "fatalities": lambda p, g: p.fatalities == g.fatalities,
    "actor1": lambda p, g: _empty(p.actor1) == _empty(g.actor1),
    "actor2": lambda p, g: _empty(p.actor2) == _empty(g.actor2),
    "place": place_agrees,
    "place_25km": place_within_radius,
    "admin1": lambda p, g: p.admin1 == g.admin1 if p.admin1 and g.admin1 else None,
}


@dataclass(slots=True)
class SplitScores:
    """The metrics of one split (``dev``, ``heldout`` or ``all``) and the counts behind them."""

    split: str
    metrics: dict[str, Metric]
    counts: dict[str, int]

    def value(self, name: str) -> float | None:
        return self.metrics[name].value


def score_split(split: str, results: Sequence[ArticleResult]) -> SplitScores:
    """The metrics over ``results`` (the articles of one split)."""
    tp = fp = fn = 0
    pair_hits: Counter[str] = Counter()
    pair_n: Counter[str] = Counter()
    gold_tallies = found_tallies = none_articles = none_events = 0
    for r in results:
        tp += len(r.matching.pairs)
        fp += len(r.matching.unmatched_pred)
        fn += len(r.matching.unmatched_gold)
        for pair in r.matching.pairs:
            pred, gold = r.events[pair.pred], r.gold.events[pair.gold]
            for name, check in _PAIR_CHECKS.items():
                ok = check(pred, gold)
                if ok is not None:
                    pair_n[name] += 1
                    pair_hits[name] += int(ok)
        gold_tallies += len(r.gold.tallies)
        found_tallies += matched_tallies([t.fatalities for t in r.gold.tallies], [t.fatalities for t in r.tallies])
        if r.gold.relevance == "none":
            none_articles += 1
            none_events += len(r.events)
    metrics = {
        "event_precision": Metric.ratio(tp, tp + fp),
        "event_recall": Metric.ratio(tp, tp + fn),
        "event_f1": Metric(2 * tp, 2 * tp + fp + fn, tp + fp + fn),
        **{name: Metric.ratio(pair_hits[name], pair_n[name]) for name in _PAIR_CHECKS},
        "tally_recall": Metric.ratio(found_tallies, gold_tallies),
        "false_events_per_none_article": Metric.ratio(none_events, none_articles),
    }
    counts = {
        "articles": len(results),
        "articles_event": sum(r.gold.relevance == "event" for r in results),
        "articles_related": sum(r.gold.relevance == "related" for r in results),
        "articles_none": none_articles,
        "gold_events": tp + fn,
        "predicted_events": tp + fp,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "gold_tallies": gold_tallies,
        "predicted_tallies": sum(len(r.tallies) for r in results),
        "predicted_out_of_scope": sum(r.out_of_scope for r in results),
        "not_processed": sum(r.status != "processed" for r in results),
        "extraction_errors": sum(r.error is not None for r in results),
    }
    return SplitScores(split, {name: metrics[name] for name in METRICS}, counts)
