"""One evaluation: the gold set read, every article cleaned and extracted, the splits scored."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from marsad.errors import MarsadError
from marsad.evaluate.corpus import build_document, corpus_hash, read_records
from marsad.evaluate.gold import OUT_OF_SCOPE_EVENT_TYPES, GoldArticle, annotation_files, load_gold
from marsad.evaluate.match import match_events
from marsad.evaluate.score import ArticleResult, SplitScores, score_split
from marsad.extract.model import Extraction
from marsad.model import Document, RawRecord, Status
from marsad.pipeline import check_extraction
from marsad.settings import Settings

__all__ = ["SPLIT_CHOICES", "Evaluation", "Extractor", "evaluate", "evaluate_article", "load_extractor", "splits_of"]

Extractor = Callable[[Document], Extraction]
SPLIT_CHOICES = ("dev", "heldout", "all")
_ENGINE_MODULE, _ENGINE_FUNCTION = "marsad.extract", "extract"


def load_extractor() -> Extractor:
    """``marsad.extract.extract``, imported only when an evaluation needs it."""
    try:
        module = importlib.import_module(_ENGINE_MODULE)
        function = getattr(module, _ENGINE_FUNCTION)
    except Exception as exc:  # a missing or broken engine is reported, not a traceback
        raise MarsadError(
            "E620",
            f"the extraction engine is not available ({_ENGINE_MODULE}.{_ENGINE_FUNCTION}): "
            f"{type(exc).__name__}: {exc}",
        ) from None
    return cast(Extractor, function)


@dataclass(slots=True)
class Evaluation:
    """The results of one evaluation run: per article, and scored per split."""

    gold_dir: Path
    corpus_dir: Path
    corpus_hash: str
    results: list[ArticleResult]
    scores: dict[str, SplitScores]


def splits_of(choice: str) -> tuple[str, ...]:
    """The splits reported for a ``--split`` choice (``all`` reports dev, heldout and both)."""
    return SPLIT_CHOICES if choice == "all" else (choice,)


def evaluate_article(
    article: GoldArticle, record: RawRecord, extractor: Extractor, settings: Settings
) -> ArticleResult:
    """Clean ``record`` with the pipeline, extract from the document and pair with the gold events
    (predicted events of types the gold set does not annotate are counted, not paired)."""
    outcome = build_document(record, settings)
    doc = outcome.document
    if outcome.status is not Status.PROCESSED or doc is None:
        return ArticleResult.unmeasured(article, str(outcome.status), reason=outcome.reason, document=doc)
    try:
        extraction = check_extraction(doc, extractor(doc))
    except Exception as exc:  # one failing article is reported, the others are still measured
        return ArticleResult.unmeasured(
            article, str(outcome.status), error=f"{type(exc).__name__}: {exc}", document=doc
        )
    events = [e for e in extraction.events if e.event_type not in OUT_OF_SCOPE_EVENT_TYPES]
    return ArticleResult(
        article,
        str(outcome.status),
        match_events(events, article.events, doc),
        events=events,
        tallies=list(extraction.tallies),
        document=doc,
        out_of_scope=len(extraction.events) - len(events),
    )


def evaluate(
    gold_dir: Path,
    corpus_dir: Path,
    extractor: Extractor,
    split: str = "all",
    settings: Settings | None = None,
) -> Evaluation:
    """Measure ``extractor`` on the gold articles of ``split`` (the corpus hash covers every split)."""
    if split not in SPLIT_CHOICES:
        raise ValueError(f"split must be one of {', '.join(SPLIT_CHOICES)}, not {split!r}")
    settings = settings or Settings()
    articles = load_gold(gold_dir)
    records = read_records(corpus_dir, articles, settings)
    digest = corpus_hash(annotation_files(gold_dir), records)
    chosen = [a for a in articles if split == "all" or a.split == split]
    results = [evaluate_article(a, records[a.id], extractor, settings) for a in chosen]
    scores = {
        name: score_split(name, [r for r in results if name == "all" or r.gold.split == name])
        for name in splits_of(split)
    }
    return Evaluation(gold_dir, corpus_dir, digest, results, scores)
