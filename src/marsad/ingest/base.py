"""Helpers shared by the readers: opening (maybe compressed) files and bounded reads."""

from __future__ import annotations

import datetime as dt
import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
CORRUPT_GZIP = (EOFError, zlib.error, gzip.BadGzipFile)


def open_binary(path: Path) -> BinaryIO:
    """Open ``path`` for reading bytes, transparently decompressing gzip."""
    fh = path.open("rb")
    if fh.read(2) == GZIP_MAGIC:
        fh.seek(0)
        return gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[return-value]
    fh.seek(0)
    return fh


def read_limited(fh: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes; the flag says whether more was left (content was cut)."""
    data = fh.read(limit + 1)
    if len(data) > limit:
        return data[:limit], True
    return data, False


def iter_lines(fh: BinaryIO, limit: int, chunk: int = 1 << 20) -> Iterator[tuple[int, bytes | None, int]]:
    """Yield ``(line_number, line_or_None, length)`` with memory bounded by ``limit``.

    A line longer than ``limit`` is consumed in chunks without being kept and comes back as None
    with its length, so one enormous line cannot exhaust memory.
    """
    number = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) <= limit or line.endswith(b"\n"):
            yield number, line, len(line)
            continue
        length = len(line)
        while True:
            part = fh.readline(chunk)
            length += len(part)
            if not part or part.endswith(b"\n"):
                break
        yield number, None, length


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def parse_date(value: object) -> dt.date | None:
    """A date from an ISO date/datetime string (or a date), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None
