from __future__ import annotations

import codecs

import pytest

from conftest import REPORT
from marsad.ingest.encoding import DecodeError, decode, looks_binary


@pytest.mark.parametrize("codec", ["cp1256", "iso8859_6"])
def test_encoding_decodes_arabic_single_byte_code_pages(codec: str) -> None:
    text = REPORT.replace("–", "-")
    result = decode(text.encode(codec, errors="ignore"))
    assert result.encoding == codecs.lookup(codec).name
    assert result.text == text.encode(codec, errors="ignore").decode(codec)


def test_encoding_decodes_short_cp1256_without_latin_misguess() -> None:
    result = decode("قتل 5 في إدلب".encode("cp1256"))
    assert result.text == "قتل 5 في إدلب"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_encoding_decodes_utf16_without_bom(codec: str) -> None:
    result = decode(REPORT.encode(codec))
    assert result.text == REPORT
    assert result.method == "utf-16-heuristic"


def test_encoding_honours_byte_order_marks() -> None:
    assert decode(codecs.BOM_UTF8 + "نص".encode()).text == "نص"
    assert decode("نص عربي".encode("utf-16")).text == "نص عربي"


def test_encoding_uses_declared_charset_when_valid() -> None:
    data = "<p>قصف على حي سكني</p>".encode("cp1256")
    assert decode(data, declared="windows-1256").encoding == "cp1256"


def test_encoding_detects_binary_formats() -> None:
    assert looks_binary(b"%PDF-1.7 ...") == "a PDF document"
    assert looks_binary(b"\x89PNG\r\n\x1a\n" + bytes(100)) == "a PNG image"
    assert looks_binary(bytes(range(256)) * 4) == "binary data"
    assert looks_binary(REPORT.encode("utf-16-le")) is None
    assert looks_binary(REPORT.encode()) is None


def test_encoding_refuses_undecodable_bytes() -> None:
    with pytest.raises(DecodeError):
        decode(b"\xef\xbb\xbf\xff\xfe\xfd")  # a UTF-8 BOM then invalid UTF-8
