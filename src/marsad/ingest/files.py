"""Readers for single-document files: plain text (``.txt``) and HTML pages (``.html``, ``.htm``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from marsad.ingest.base import CORRUPT_GZIP, human_size, open_binary, read_limited
from marsad.model import InputKind, Media, RawRecord
from marsad.settings import Settings


def read_document_file(path: Path, key: str, kind: InputKind, settings: Settings) -> Iterator[RawRecord]:
    """One record holding the whole file (decompressed if gzip), or why it could not be read."""
    media = Media.HTML if kind is InputKind.HTML else Media.TEXT
    record = RawRecord(input_path=key, locator="", kind=kind, media=media)
    try:
        size = path.stat().st_size
        record.size = size
        if size > settings.max_record_bytes and not path.name.endswith(".gz"):
            record.skip = (
                f"file is {human_size(size)}, over the {human_size(settings.max_record_bytes)} "
                "limit per document (raise it with --max-bytes)"
            )
            yield record
            return
        with open_binary(path) as fh:
            data, cut = read_limited(fh, settings.max_record_bytes)
    except PermissionError:
        record.error = "permission denied"
    except IsADirectoryError:
        record.error = "is a directory"
    except CORRUPT_GZIP as exc:
        record.error = f"gzip stream is truncated or corrupt: {exc}"
    except OSError as exc:
        record.error = f"cannot read file: {exc.strerror or exc}"
    else:
        if cut:
            record.skip = (
                f"decompressed content is over the {human_size(settings.max_record_bytes)} "
                "limit per document (raise it with --max-bytes)"
            )
        else:
            record.payload = data
            record.size = len(data)
    yield record
