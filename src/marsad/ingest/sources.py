"""Expand inputs (files, folders, globs, ``-``) and hand each file to its reader.

Which reader reads a file is decided by its name and, when the name says nothing, by its first
bytes. Inside a folder, hidden files and folders (names starting with a dot) are not inputs; any
other file becomes at least one ledger row, even one no reader handles.
"""

from __future__ import annotations

import glob
import gzip
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from marsad.ingest.base import CORRUPT_GZIP, GZIP_MAGIC, open_binary
from marsad.ingest.encoding import looks_binary
from marsad.ingest.feed import read_feed
from marsad.ingest.files import read_document_file
from marsad.ingest.jsonl import read_jsonl
from marsad.ingest.warc import read_warc
from marsad.model import InputKind, RawRecord
from marsad.settings import Settings

STDIN = "-"
_SUFFIXES: dict[str, InputKind] = {
    ".txt": InputKind.TEXT,
    ".text": InputKind.TEXT,
    ".html": InputKind.HTML,
    ".htm": InputKind.HTML,
    ".xhtml": InputKind.HTML,
    ".jsonl": InputKind.JSONL,
    ".ndjson": InputKind.JSONL,
    ".json": InputKind.JSONL,
    ".warc": InputKind.WARC,
    ".arc": InputKind.WARC,
    ".rss": InputKind.FEED,
    ".atom": InputKind.FEED,
    ".xml": InputKind.FEED,
}


def _kind_from_name(path: Path) -> InputKind | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return _SUFFIXES.get(suffixes[-1]) if suffixes else None


def sniff_kind(head: bytes) -> InputKind | None:
    """Guess the input kind from the first bytes of a (decompressed) file."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if looks_binary(text):
        return None  # binary that happens to start with «{» or «<»: the decoder gives the reason
    lower = text[:2048].lower()
    if text.startswith(b"WARC/"):
        return InputKind.WARC
    if text.startswith((b"{", b"[")):
        return InputKind.JSONL
    if b"<rss" in lower or b"<feed" in lower or b"<rdf:rdf" in lower:
        return InputKind.FEED
    if text.startswith(b"<"):
        return InputKind.HTML
    return None


def _peek(path: Path) -> bytes:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(GZIP_MAGIC):
        try:
            with gzip.open(path, "rb") as gz:
                return gz.read(4096)
        except CORRUPT_GZIP:
            return b""
    return head


def read_file(path: Path, settings: Settings) -> Iterator[RawRecord]:
    """All records of one file."""
    key = os.path.abspath(path)
    try:
        kind = _kind_from_name(path)
        if kind is None or kind is InputKind.FEED:
            sniffed = sniff_kind(_peek(path))
            if kind is InputKind.FEED and sniffed is not InputKind.FEED:
                kind = sniffed or InputKind.TEXT  # an .xml file that is no feed: read it as a page
            elif kind is None:
                kind = sniffed or InputKind.TEXT  # unknown name: the decoder will tell text from binary
    except PermissionError:
        yield RawRecord(input_path=key, locator="", kind=InputKind.TEXT, error="permission denied")
        return
    except OSError as exc:
        yield RawRecord(input_path=key, locator="", kind=InputKind.TEXT, error=f"cannot read: {exc.strerror}")
        return
    if kind is InputKind.JSONL:
        try:
            fh: BinaryIO = open_binary(path)
        except OSError as exc:
            yield RawRecord(input_path=key, locator="", kind=kind, error=f"cannot read: {exc.strerror}")
            return
        with fh:
            yield from read_jsonl(fh, key, settings)
    elif kind is InputKind.WARC:
        yield from read_warc(path, key, settings)
    elif kind is InputKind.FEED:
        yield from read_feed(path, key, settings)
    else:
        yield from read_document_file(path, key, kind, settings)


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def expand(inputs: Iterable[str]) -> Iterator[Path | RawRecord | str]:
    """Paths to read, ``-`` for stdin, or a failed record for an input that names nothing."""
    for item in inputs:
        if item == STDIN:
            yield STDIN
            continue
        path = Path(item)
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield file
            if not found:
                yield RawRecord(
                    input_path=os.path.abspath(item), locator="", kind=InputKind.TEXT,
                    skip="folder holds no input files (hidden files are not read)",
                )  # fmt: skip
        elif path.exists():
            yield path
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            files = [Path(m) for m in matches if not Path(m).is_dir()]
            for m in matches:
                if Path(m).is_dir():
                    files.extend(_walk(Path(m)))
            if not files:
                yield RawRecord(input_path=item, locator="", kind=InputKind.TEXT, error="no file matches this pattern")
            yield from files
        else:
            reason = "no such file or directory"
            if path.is_symlink():
                reason = "broken symbolic link"
            yield RawRecord(input_path=os.path.abspath(item), locator="", kind=InputKind.TEXT, error=reason)


def iter_records(inputs: Iterable[str], settings: Settings | None = None) -> Iterator[RawRecord]:
    """Every record of every input, in order."""
    settings = settings or Settings()
    for item in expand(inputs):
        if isinstance(item, RawRecord):
            yield item
        elif item == STDIN:
            yield from read_jsonl(sys.stdin.buffer, "stdin", settings)
        elif isinstance(item, Path):
            yield from read_file(item, settings)
