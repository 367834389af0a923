"""JSON Lines reader (``.jsonl``, ``.jsonl.gz``, ``.ndjson``, stdin).

Each line is one object with ``text`` or ``html`` and optional ``id``, ``url``, ``published``,
``source``, ``title``; other fields are kept as metadata. Every line becomes one record — a bad
line fails on its own with the line number and the parser's message, and the rest go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from marsad.ingest.base import CORRUPT_GZIP, human_size, iter_lines, parse_date
from marsad.ingest.encoding import DecodeError, decode
from marsad.model import InputKind, Media, RawRecord, RecordMeta
from marsad.settings import Settings

KNOWN_FIELDS = {"id", "text", "html", "url", "published", "source", "title"}


def _loads(line: bytes) -> Any:
    try:
        return json.loads(line)
    except UnicodeDecodeError:
        return json.loads(decode(line).text)


def record_from_object(obj: Any, key: str, locator: str, kind: InputKind, size: int) -> RawRecord:
    """A record from one parsed JSON value (shared with the feed and stdin paths)."""
    record = RawRecord(input_path=key, locator=locator, kind=kind, size=size)
    if not isinstance(obj, dict):
        record.error = f"expected a JSON object, got {type(obj).__name__}"
        return record
    text, html = obj.get("text"), obj.get("html")
    if text is None and html is None:
        record.error = "no 'text' or 'html' field"
        return record
    value = text if isinstance(text, str) and text.strip() else html
    if not isinstance(value, str):
        record.error = "'text'/'html' must be a string"
        return record
    record.payload = value
    record.media = Media.TEXT if value is text else Media.HTML
    meta = RecordMeta(
        external_id=str(obj["id"]) if obj.get("id") is not None else None,
        url=obj.get("url") if isinstance(obj.get("url"), str) else None,
        published=parse_date(obj.get("published")),
        source=obj.get("source") if isinstance(obj.get("source"), str) else None,
        title=obj.get("title") if isinstance(obj.get("title"), str) else None,
        extra={k: v for k, v in obj.items() if k not in KNOWN_FIELDS},
    )
    if obj.get("published") not in (None, "") and meta.published is None:
        meta.extra["published_unparsed"] = obj.get("published")
    record.meta = meta
    return record


def read_jsonl(fh: BinaryIO, key: str, settings: Settings) -> Iterator[RawRecord]:
    last = 0
    try:
        for number, line, length in iter_lines(fh, settings.max_record_bytes):
            last = number
            locator = f"line:{number}"
            if line is None:
                rec = RawRecord(input_path=key, locator=locator, kind=InputKind.JSONL, size=length)
                rec.skip = (
                    f"line is {human_size(length)}, over the {human_size(settings.max_record_bytes)} "
                    "limit per record (raise it with --max-bytes)"
                )
                yield rec
                continue
            if not line.strip():
                continue  # blank lines separate nothing and carry nothing
            try:
                obj = _loads(line)
            except (json.JSONDecodeError, DecodeError) as exc:
                rec = RawRecord(input_path=key, locator=locator, kind=InputKind.JSONL, size=length)
                rec.payload = line
                rec.error = f"invalid JSON: {exc}"
                yield rec
                continue
            yield record_from_object(obj, key, locator, InputKind.JSONL, length)
    except CORRUPT_GZIP as exc:
        rec = RawRecord(input_path=key, locator=f"line:{last + 1}", kind=InputKind.JSONL)
        rec.error = f"gzip stream is truncated or corrupt after line {last}: {exc}"
        yield rec
    except OSError as exc:
        rec = RawRecord(input_path=key, locator=f"line:{last + 1}", kind=InputKind.JSONL)
        rec.error = f"read error after line {last}: {exc.strerror or exc}"
        yield rec
