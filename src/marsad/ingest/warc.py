"""WARC reader (``.warc``, ``.warc.gz``) on FastWARC.

Documents are the ``response``, ``resource`` and ``conversion`` records; request, metadata and
warcinfo records describe the crawl, not documents, and are not inputs. Each document record
becomes one input record located by its byte offset; a truncated record fails on its own.
"""

from __future__ import annotations

import email.parser
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from marsad.ingest.base import human_size, parse_date
from marsad.model import InputKind, Media, RawRecord, RecordMeta
from marsad.settings import Settings

_DOC_TYPES = WarcRecordType.response | WarcRecordType.resource | WarcRecordType.conversion
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def _split_http(block: bytes) -> tuple[int | None, dict[str, str], bytes]:
    """HTTP status, headers (lower-case names) and body of a response block."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    if not sep:
        return None, {}, block
    lines = head.decode("iso-8859-1").splitlines()
    status: int | None = None
    if lines and lines[0].startswith("HTTP/"):
        parts = lines[0].split()
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        lines = lines[1:]
    msg = email.parser.HeaderParser().parsestr("\n".join(lines))
    return status, {k.lower(): v for k, v in msg.items()}, body


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def read_warc(path: Path, key: str, settings: Settings) -> Iterator[RawRecord]:
    try:
        stream = path.open("rb")  # FastWARC detects gzip members itself
    except OSError as exc:
        yield RawRecord(input_path=key, locator="", kind=InputKind.WARC, error=f"cannot open: {exc.strerror}")
        return
    with stream:
        yield from _records(stream, key, settings)


def _records(stream: BinaryIO, key: str, settings: Settings) -> Iterator[RawRecord]:
    seen = 0
    try:
        for rec in ArchiveIterator(stream, parse_http=False, record_types=_DOC_TYPES):
            seen += 1
            record = RawRecord(input_path=key, locator=f"offset:{rec.stream_pos}", kind=InputKind.WARC)
            headers = rec.headers
            record.meta = RecordMeta(
                external_id=headers.get("WARC-Record-ID"),
                url=headers.get("WARC-Target-URI"),
                extra={"crawl_date": headers.get("WARC-Date")},
            )
            declared = rec.content_length
            record.size = declared
            if declared > settings.max_record_bytes:
                record.skip = (
                    f"record is {human_size(declared)}, over the {human_size(settings.max_record_bytes)} "
                    "limit per record (raise it with --max-bytes)"
                )
                yield record
                continue
            block = rec.reader.read()
            if declared == 0 or len(block) < declared:
                record.error = f"truncated WARC record (declared {declared} bytes, read {len(block)})"
                yield record
                continue
            if rec.record_type == WarcRecordType.response:
                status, http, body = _split_http(block)
                content_type = http.get("content-type", "")
                if status is not None and not 200 <= status < 300:
                    record.skip = f"HTTP status {status}"
                    yield record
                    continue
            else:
                body = block
                content_type = headers.get("Content-Type") or ""
            mime = content_type.split(";")[0].strip().lower()
            if mime and mime not in _TEXT_TYPES:
                record.skip = f"content type {mime} is not a text or HTML page"
                yield record
                continue
            record.media = Media.TEXT if mime == "text/plain" else Media.HTML
            record.declared_charset = _charset(content_type)
            record.payload = body
            crawl = parse_date(headers.get("WARC-Date"))
            if crawl:
                record.meta.extra["crawl_date"] = crawl.isoformat()
            yield record
    except Exception as exc:  # FastWARC raises its own types on corrupt streams
        what = "not a WARC file" if seen == 0 else f"corrupt WARC stream after {seen} records"
        yield RawRecord(
            input_path=key,
            locator=f"after-record:{seen}",
            kind=InputKind.WARC,
            error=f"{what}: {exc}",
        )
        return
    if seen == 0:
        yield RawRecord(
            input_path=key,
            locator="",
            kind=InputKind.WARC,
            skip="no response or resource records (not a WARC file, or an empty one)",
        )
