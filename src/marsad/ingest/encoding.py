"""Detect and decode the character encoding of a payload.

Order of evidence: a byte-order mark; UTF-16 without a mark (its zero bytes); strict UTF-8 (by far
the most common, and it almost never decodes text in another encoding by accident); the charset
the container declared (HTTP header, ``<meta charset>``) if it decodes cleanly; then
charset-normalizer. Because many Arabic sites still serve Windows-1256 and some ISO-8859-6, and
single-byte guesses on short texts can land on a Latin code page, a guess that yields no Arabic
letters is compared with those two Arabic code pages and the one giving Arabic text wins.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass

import charset_normalizer

__all__ = ["DecodeError", "Decoded", "decode", "looks_binary"]

_ARABIC = re.compile(r"[\u0621-\u064A]")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# magic numbers of common binary formats, for a clearer skip reason
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
    (b"\x00\x00\x00", "binary data"),
    (b"SQLite format 3", "an SQLite database"),
    (b"DUCK", "a DuckDB database"),
)


class DecodeError(ValueError):
    """The payload is not text in any encoding we could establish."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    method: str  # bom | utf-16-heuristic | utf-8 | declared | detected


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zero = sample[0::2].count(0)
    odd_zero = sample[1::2].count(0)
    half = len(sample) // 2
    # Arabic in UTF-16 has 0x06 as the high byte; ASCII has 0x00
    even_06 = sample[0::2].count(6)
    odd_06 = sample[1::2].count(6)
    if odd_zero + odd_06 > 0.6 * half and even_zero < 0.05 * half:
        return "utf-16-le"
    if even_zero + even_06 > 0.6 * half and odd_zero < 0.05 * half:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> str | None:
    """A description of the binary format if ``data`` is not text, else None."""
    head = data[:8192]
    if not head:
        return None
    if any(head.startswith(bom) for bom, _ in _BOMS) or _utf16_without_bom(data):
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if b"\x00" in head or control > 0.05 * len(head):
        return "binary data"
    return None


def _clean_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def _arabic_share(text: str) -> float:
    letters = sum(1 for c in text[:20000] if c.isalpha())
    return len(_ARABIC.findall(text[:20000])) / letters if letters else 0.0


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` to text; raise :class:`DecodeError` with a reason when it cannot be done."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), "utf-8" if enc == "utf-8-sig" else enc, "bom")
            except UnicodeDecodeError as exc:
                raise DecodeError(f"byte-order mark says {enc} but the bytes are not: {exc.reason}") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return Decoded(data.decode(utf16), utf16, "utf-16-heuristic")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    codec = _clean_codec(declared)
    if codec and codec not in {"utf-8", "ascii"}:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = None
        if text is not None and "\ufffd" not in text:
            return Decoded(text, codec, "declared")
    best = charset_normalizer.from_bytes(data[:262144]).best()
    candidates: list[tuple[str, str]] = []
    if best is not None:
        with contextlib.suppress(UnicodeDecodeError, LookupError):
            candidates.append((best.encoding, data.decode(best.encoding)))
    if not candidates or _arabic_share(candidates[0][1]) < 0.3:
        for enc in ("cp1256", "iso8859_6"):
            try:
                candidates.append((enc, data.decode(enc)))
            except UnicodeDecodeError:
                continue
    if not candidates:
        raise DecodeError("not valid text in UTF-8, UTF-16, Windows-1256, ISO-8859-6 or any detected encoding")
    scored = sorted(candidates, key=lambda c: _arabic_share(c[1]), reverse=True)
    top_enc, top_text = scored[0] if _arabic_share(scored[0][1]) >= 0.3 else candidates[0]
    return Decoded(top_text, codecs.lookup(top_enc).name, "detected")
