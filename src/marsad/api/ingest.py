"""Articles posted to ``POST /api/documents``: into a :class:`~marsad.model.RawRecord`, through
the same :class:`~marsad.pipeline.Pipeline` as ``marsad run``, into the store.

One run (``runs`` row) covers every article posted while the server is up. Posting the same
article again (same ``external_id``, or same content when there is none) changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from typing import Any

from pydantic import BaseModel, Field

from marsad.api import search
from marsad.api.errors import APIError
from marsad.model import InputKind, Media, RawRecord, RecordMeta, Status
from marsad.pipeline import Extractor, Pipeline
from marsad.runner import load_dedup
from marsad.settings import Settings
from marsad.store import Store

__all__ = ["Article", "Ingestor"]

INPUT_PATH = "api:/documents"


class Article(BaseModel):
    """An article to ingest: ``text`` or ``html`` (not both), and what is known about it."""

    text: str | None = Field(None, description="Plain text of the article.")
    html: str | None = Field(None, description="An HTML page or fragment; its main text is extracted.")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    published: dt.date | None = Field(None, description="Publication date, YYYY-MM-DD.")
    source: str | None = Field(None, max_length=200, description="Outlet or source name.")
    external_id: str | None = Field(None, max_length=200, description="Your id for the article.")
    metadata: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class Ingestor:
    """Runs posted articles through the pipeline into ``store``, one at a time."""

    def __init__(self, store: Store, settings: Settings | None = None, extractor: Extractor | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.extractor = extractor
        self._pipeline: Pipeline | None = None
        self._run_id: str | None = None
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def _ready(self) -> tuple[Pipeline, str]:
        if self._pipeline is None:
            self._pipeline = Pipeline(
                self.settings, dedup=load_dedup(self.store, self.settings), extractor=self.extractor
            )
        if self._run_id is None:
            self._run_id = self.store.start_run([INPUT_PATH], {"via": "api"})
        return self._pipeline, self._run_id

    def ingest(self, article: Article) -> dict[str, Any]:
        if (article.text is None) == (article.html is None):
            raise APIError(422, "bad_document", "give exactly one of text or html")
        payload = article.text if article.text is not None else article.html
        assert payload is not None
        if not payload.strip():
            raise APIError(422, "bad_document", "the article is empty")
        data = payload.encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(data).hexdigest()[:20]
        locator = f"id:{article.external_id}" if article.external_id else f"sha256:{digest}"
        record = RawRecord(
            input_path=INPUT_PATH,
            locator=locator,
            kind=InputKind.HTML if article.html is not None else InputKind.TEXT,
            media=Media.HTML if article.html is not None else Media.TEXT,
            payload=payload,
            meta=RecordMeta(
                external_id=article.external_id,
                url=article.url,
                published=article.published,
                source=article.source,
                title=article.title,
                extra=dict(article.metadata),
            ),
            size=len(data),
        )
        with self._lock:
            pipeline, run_id = self._ready()
            prior = self.store.known([record.record_id]).get(record.record_id)
            if prior is not None and prior.status is not Status.FAILED and prior.content_hash == record.content_hash():
                return {
                    "record_id": record.record_id,
                    "status": "unchanged",
                    "document_id": prior.document_id,
                    "reason": "already ingested",
                    "events": [],
                }
            if prior is not None and prior.document_id:
                pipeline.dedup.remove(prior.document_id)
            outcome = pipeline.process(record)
            self.store.write([outcome], run_id, store_raw=self.settings.store_raw)
            self._counts[str(outcome.status)] = self._counts.get(str(outcome.status), 0) + 1
            search.refresh(self.store.con)
        doc = outcome.document if outcome.status is Status.PROCESSED else None
        return {
            "record_id": record.record_id,
            "status": str(outcome.status),
            "reason": outcome.reason,
            "duplicate_of": outcome.duplicate_of,
            "document_id": doc.id if doc else None,
            "events": [e.id for e in outcome.extraction.events] if outcome.extraction else [],
        }

    def close(self) -> None:
        if self._run_id is not None:
            self.store.finish_run(self._run_id, self._counts)
            self._run_id = None
