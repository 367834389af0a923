"""Inputs of a Spark run: which files to read, and the records of one file, in input order.

Local paths are expanded on the driver exactly as ``marsad run`` expands them
(:func:`marsad.ingest.sources.expand`) and read on the executors by the same readers, so a
record gets the same id, and the same place in the input order, in both drivers. Any other URI
(``s3a://``, ``hdfs://``, ``gs://``, ``file://``…) is listed and read by Spark's Hadoop file
system (``SparkContext.binaryFiles``), then parsed by the same readers from memory.

Every record carries an *order key*: ``(input number, file number, file name, record number)``.
The duplicate stage uses it to decide which copy came first, as the local runner does by reading
order.
"""

from __future__ import annotations

import gzip
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from marsad.ingest.base import CORRUPT_GZIP, GZIP_MAGIC, human_size
from marsad.ingest.feed import read_feed
from marsad.ingest.jsonl import read_jsonl
from marsad.ingest.sources import STDIN, _kind_from_name, expand, read_file, sniff_kind
from marsad.ingest.warc import _records as warc_records
from marsad.model import InputKind, Media, RawRecord
from marsad.settings import Settings

__all__ = ["OrderKey", "Plan", "is_uri", "plan_inputs", "read_local", "read_uri_bytes"]

OrderKey = tuple[int, int, str, int]
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def is_uri(item: str) -> bool:
    """True for ``scheme://…`` inputs (read through Hadoop), false for local paths."""
    return bool(_URI.match(item))


@dataclass(slots=True)
class Plan:
    """What the driver found: local files (numbered in reading order), URIs, and records for
    inputs that name nothing (they go to the ledger as they are)."""

    local: list[tuple[int, int, str]] = field(default_factory=list)  # (input number, file number, path)
    uris: list[tuple[int, str]] = field(default_factory=list)  # (input number, uri)
    problems: list[tuple[OrderKey, RawRecord]] = field(default_factory=list)


def plan_inputs(inputs: Iterable[str]) -> Plan:
    """Expand the inputs on the driver (local folders and globs as ``marsad run`` does)."""
    plan = Plan()
    number = 0
    for index, item in enumerate(inputs):
        if is_uri(item):
            plan.uris.append((index, item))
            continue
        if item == STDIN:
            record = RawRecord(input_path="stdin", locator="", kind=InputKind.JSONL,
                               error="standard input cannot be read by a Spark job: write it to a file")  # fmt: skip
            plan.problems.append(((index, 0, "stdin", 0), record))
            continue
        for found in expand([item]):
            if isinstance(found, RawRecord):
                plan.problems.append(((index, number, found.input_path, 0), found))
            elif isinstance(found, Path):
                plan.local.append((index, number, str(found)))
            number += 1
    return plan


def read_local(entry: tuple[int, int, str], settings: Settings) -> Iterator[tuple[OrderKey, RawRecord]]:
    """Records of one local file, with their order keys (runs on an executor)."""
    index, number, path = entry
    for seq, record in enumerate(read_file(Path(path), settings)):
        yield (index, number, record.input_path, seq), record


def _gunzip(data: bytes) -> bytes:
    return gzip.decompress(data) if data.startswith(GZIP_MAGIC) else data


def read_uri_bytes(index: int, uri: str, data: bytes, settings: Settings) -> Iterator[tuple[OrderKey, RawRecord]]:
    """Records of one file read through Hadoop (its whole content in ``data``)."""
    kind = _kind_from_name(Path(urlparse(uri).path))
    records: Iterator[RawRecord]
    try:
        plain = _gunzip(data) if kind is not InputKind.WARC else data
    except CORRUPT_GZIP as exc:
        plain = b""
        records = iter([RawRecord(input_path=uri, locator="", kind=kind or InputKind.TEXT,
                                  error=f"gzip stream is truncated or corrupt: {exc}")])  # fmt: skip
    else:
        if kind is None or kind is InputKind.FEED:
            sniffed = sniff_kind(plain[:4096])
            kind = sniffed if sniffed is not None else InputKind.TEXT
        records = _records_of(uri, kind, data, plain, settings)
    for seq, record in enumerate(records):
        yield (index, 0, uri, seq), record


def _feed_records(uri: str, plain: bytes, settings: Settings) -> Iterator[RawRecord]:
    """The feed reader reads a file: give it one in the executor's scratch folder."""
    with tempfile.NamedTemporaryFile(suffix=".xml") as tmp:
        tmp.write(plain)
        tmp.flush()
        yield from read_feed(Path(tmp.name), uri, settings)


def _records_of(uri: str, kind: InputKind, data: bytes, plain: bytes, settings: Settings) -> Iterator[RawRecord]:
    if kind is InputKind.JSONL:
        return read_jsonl(io.BytesIO(plain), uri, settings)
    if kind is InputKind.WARC:
        return warc_records(io.BytesIO(data), uri, settings)
    if kind is InputKind.FEED:
        return _feed_records(uri, plain, settings)
    media = Media.HTML if kind is InputKind.HTML else Media.TEXT
    record = RawRecord(input_path=uri, locator="", kind=kind, media=media, size=len(plain))
    if len(plain) > settings.max_record_bytes:
        record.skip = (
            f"file is {human_size(len(plain))}, over the {human_size(settings.max_record_bytes)} "
            "limit per document (raise it with --max-bytes)"
        )
    else:
        record.payload = plain
    return iter([record])
