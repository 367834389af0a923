"""The records Marsad passes between stages: the one vocabulary of the code.

Data flows one way: a reader yields :class:`RawRecord` objects, the pipeline turns each into a
:class:`Document` (or an outcome saying why not), and every input record ends as exactly one
ledger row (see :mod:`marsad.store`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from marsad.extract.model import Extraction


class Status(StrEnum):
    """Outcome of one input record."""

    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    FAILED = "failed"


class InputKind(StrEnum):
    TEXT = "text"
    HTML = "html"
    JSONL = "jsonl"
    WARC = "warc"
    FEED = "feed"


class Media(StrEnum):
    """What a record's payload is."""

    TEXT = "text"
    HTML = "html"


@dataclass(slots=True)
class RecordMeta:
    """Metadata an input carries about a record (any of it may be missing)."""

    external_id: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str | None = None
    title: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RawRecord:
    """One input record as a reader found it.

    ``payload`` is bytes (a file, a WARC record: the encoding is still to detect) or str (a JSONL
    field, a feed item: already decoded). A reader that could not produce a payload sets ``error``
    (the record fails) or ``skip`` (the record is skipped), with a reason a person can act on.
    """

    input_path: str
    locator: str
    kind: InputKind
    media: Media = Media.TEXT
    payload: bytes | str | None = None
    declared_charset: str | None = None
    meta: RecordMeta = field(default_factory=RecordMeta)
    error: str | None = None
    skip: str | None = None
    size: int | None = None

    @property
    def record_id(self) -> str:
        """Stable id of this input record: the same input and position give the same id."""
        return record_id(self.input_path, self.locator)

    def content_hash(self) -> str:
        """SHA-256 of the payload as read (bytes, or UTF-8 of a decoded payload)."""
        h = hashlib.sha256()
        if isinstance(self.payload, bytes):
            h.update(self.payload)
        elif isinstance(self.payload, str):
            h.update(self.payload.encode("utf-8", "surrogatepass"))
        else:
            h.update(f"{self.error or ''}|{self.skip or ''}".encode())
        return h.hexdigest()


def record_id(input_path: str, locator: str) -> str:
    return hashlib.sha1(f"{input_path}\x00{locator}".encode("utf-8", "surrogatepass")).hexdigest()[:20]


@dataclass(slots=True)
class Span:
    """Characters ``[start, end)`` of a document field (``text`` or ``title``)."""

    start: int
    end: int
    field: str = "text"


@dataclass(slots=True)
class Document:
    """A cleaned document. Offsets of every later annotation point into ``text`` (or ``title``)."""

    id: str
    record_id: str
    input_path: str
    locator: str
    input_kind: InputKind
    raw: str
    text: str = ""
    title: str = ""
    url: str | None = None
    source: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    published_source: str | None = None
    external_id: str | None = None
    encoding: str | None = None
    language: str | None = None
    language_score: float | None = None
    byline: str | None = None
    signature: str | None = None
    text_hash: str | None = None
    # slices of ``raw`` that ``text`` and ``title`` were copied from ([derived, original, length]);
    # None when the text was extracted from HTML and has no character-level tie to the raw input
    raw_segments: list[list[int]] | None = None
    title_segments: list[list[int]] | None = None
    removed: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    minhash: bytes | None = None


@dataclass(slots=True)
class Outcome:
    """What became of one input record."""

    record: RawRecord
    status: Status
    reason: str | None = None
    document: Document | None = None
    duplicate_of: str | None = None
    encoding: str | None = None
    language: str | None = None
    elapsed_ms: float = 0.0
    # what extraction found in ``document``; set on processed outcomes only
    extraction: Extraction | None = None
