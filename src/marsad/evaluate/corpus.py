"""The texts of the gold articles, read from the corpus and cleaned by Marsad's own pipeline.

Each gold file names its article by ``id`` and ``file`` (a JSONL file in the corpus folder). The
record goes through the same reader (:func:`marsad.ingest.jsonl.read_jsonl`) and the same
:class:`~marsad.pipeline.Pipeline` as a real run, so cleaning is part of what is measured. Every
article gets a fresh duplicate index: gold articles are never compared with one another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from marsad.errors import MarsadError
from marsad.evaluate.gold import GoldArticle
from marsad.extract.model import Extraction
from marsad.ingest.jsonl import read_jsonl
from marsad.model import Document, Outcome, RawRecord
from marsad.pipeline import Pipeline
from marsad.settings import Settings

__all__ = ["CorpusError", "build_document", "corpus_hash", "default_corpus_dir", "read_records"]


class CorpusError(MarsadError):
    """The corpus folder or a gold article's text cannot be found (``E61x``)."""


def default_corpus_dir(gold_dir: Path) -> Path:
    """``<repo>/../shared/corpus`` for a gold folder at ``<repo>/eval/gold``."""
    return gold_dir.resolve().parent.parent.parent / "shared" / "corpus"


def read_records(corpus_dir: Path, articles: Iterable[GoldArticle], settings: Settings) -> dict[str, RawRecord]:
    """The raw record of every article, by gold id, read from its JSONL file in ``corpus_dir``."""
    if not corpus_dir.is_dir():
        raise CorpusError(
            "E610",
            f"corpus folder {corpus_dir} not found: the gold articles' texts are read from it "
            "(point to it with --corpus DIR)",
        )
    wanted: dict[str, set[str]] = {}
    for article in articles:
        wanted.setdefault(article.file, set()).add(article.id)
    found: dict[str, RawRecord] = {}
    for name, ids in sorted(wanted.items()):
        path = corpus_dir / name
        if not path.is_file():
            raise CorpusError("E611", f"{path} not found: gold articles {', '.join(sorted(ids)[:3])}… are in it")
        with path.open("rb") as fh:
            for record in read_jsonl(fh, str(path.resolve()), settings):
                if record.meta.external_id in ids:
                    found[record.meta.external_id] = record
        missing = sorted(ids - found.keys())
        if missing:
            raise CorpusError("E612", f"{len(missing)} gold articles are not in {path}: {', '.join(missing[:5])}")
    return found


def _no_extraction(doc: Document) -> Extraction:
    return Extraction(document_id=doc.id)


def build_document(record: RawRecord, settings: Settings) -> Outcome:
    """The pipeline's outcome for one record: cleaned as in a real run, with a duplicate index of
    its own and without running extraction (the evaluation calls the extractor itself)."""
    return Pipeline(settings, extractor=_no_extraction).process(record)


def _framed(value: str | bytes) -> bytes:
    """``value`` prefixed with its length, so that no two sequences of parts hash alike."""
    data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
    return len(data).to_bytes(8, "big") + data


def corpus_hash(annotation_files: Iterable[Path], records: Mapping[str, RawRecord]) -> str:
    """SHA-256 over the annotation files (sorted by name: name and bytes) and the referenced
    articles (sorted by id: id, published, title and text as the corpus holds them)."""
    h = hashlib.sha256()
    for path in sorted(annotation_files, key=lambda p: p.name):
        h.update(_framed(path.name))
        h.update(_framed(path.read_bytes()))
    for article_id in sorted(records):
        record = records[article_id]
        payload = record.payload if record.payload is not None else ""
        published = record.meta.published.isoformat() if record.meta.published else ""
        for part in (article_id, published, record.meta.title or "", payload):
            h.update(_framed(part))
    return h.hexdigest()
