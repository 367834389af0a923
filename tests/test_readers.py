from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPORT, REPORT_2
from marsad.ingest import iter_records
from marsad.model import InputKind, Media
from marsad.settings import Settings

FEED_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>شبكة اختبار</title><link>https://example.org</link><description>x</description>
<item><title>قصف على دوما</title><link>https://example.org/1</link><guid>g1</guid>
<pubDate>Tue, 23 Apr 2019 08:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>
<item><title>بلا محتوى</title><link>https://example.org/2</link></item>
</channel></rss>"""
FEED_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>أخبار</title><id>urn:x</id><updated>2019-04-23T00:00:00Z</updated>
<entry><title>انفجار في ديالى</title><id>urn:1</id><updated>2019-04-24T10:00:00Z</updated>
<link href="https://example.org/a"/><summary>{body}</summary></entry></feed>"""


def _warc(records: list[tuple[str, str, bytes]], compress: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    for url, ctype, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
        writer.write_record(rec)
    return buf.getvalue()


def _page(body: str, title: str = "عنوان") -> str:
    return (
        f"<html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<nav><a href='/'>الرئيسية</a></nav><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>"
    )


def test_readers_plain_text_file_is_one_record(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    [rec] = list(iter_records([str(tmp_path / "a.txt")]))
    assert rec.kind is InputKind.TEXT and rec.payload == REPORT.encode() and rec.locator == ""
    assert rec.input_path == str(tmp_path / "a.txt")


def test_readers_folder_is_walked_in_order_without_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(REPORT)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text(_page(REPORT))
    (tmp_path / ".hidden.txt").write_text(REPORT)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(REPORT)
    names = [Path(r.input_path).name for r in iter_records([str(tmp_path)])]
    assert names == ["b.txt", "a.html"]


def test_readers_glob_expands_and_reports_no_match(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT)
    (tmp_path / "b.txt").write_text(REPORT_2)
    recs = list(iter_records([str(tmp_path / "*.txt"), str(tmp_path / "*.nothing")]))
    assert [Path(r.input_path).name for r in recs[:2]] == ["a.txt", "b.txt"]
    assert recs[2].error == "no file matches this pattern"


def test_readers_html_page_is_html_media(tmp_path: Path) -> None:
    (tmp_path / "p.htm").write_text(_page(REPORT))
    [rec] = list(iter_records([str(tmp_path / "p.htm")]))
    assert rec.kind is InputKind.HTML and rec.media is Media.HTML


def test_readers_jsonl_fields_and_gzip(tmp_path: Path) -> None:
    lines = [
        {"id": "x1", "text": REPORT, "url": "https://example.org/1", "published": "2019-04-23",
         "source": "test", "title": "قصف", "lang": "ar"},
        {"id": "x2", "html": f"<p>{REPORT_2}</p>", "published": "2019-04-25T10:00:00Z"},
    ]  # fmt: skip
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    (tmp_path / "a.jsonl").write_bytes(data)
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(data))
    for name in ("a.jsonl", "b.jsonl.gz"):
        r1, r2 = iter_records([str(tmp_path / name)])
        assert (r1.locator, r1.meta.external_id, r1.meta.source, str(r1.meta.published)) == (
            "line:1", "x1", "test", "2019-04-23")  # fmt: skip
        assert r1.meta.extra == {"lang": "ar"} and r1.media is Media.TEXT
        assert r2.media is Media.HTML and str(r2.meta.published) == "2019-04-25"


def test_readers_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = json.dumps({"id": "s1", "text": REPORT}, ensure_ascii=False).encode() + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    [rec] = list(iter_records(["-"]))
    assert rec.input_path == "stdin" and rec.payload == REPORT


@pytest.mark.parametrize("compress", [False, True])
def test_readers_warc_response_records(tmp_path: Path, compress: bool) -> None:
    data = _warc(
        [
            ("https://example.org/a", "text/html; charset=utf-8", _page(REPORT).encode()),
            ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n"),
            ("https://example.org/b", "text/html; charset=windows-1256", _page(REPORT_2).encode("cp1256", "ignore")),
        ],
        compress,
    )
    path = tmp_path / ("a.warc.gz" if compress else "a.warc")
    path.write_bytes(data)
    a, png, b = iter_records([str(path)])
    assert a.meta.url == "https://example.org/a" and a.locator.startswith("offset:") and a.media is Media.HTML
    assert png.skip == "content type image/png is not a text or HTML page"
    assert b.declared_charset == "windows-1256"


def test_readers_rss_and_atom_items(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_text(FEED_RSS.replace("{body}", REPORT))
    (tmp_path / "f.atom").write_text(FEED_ATOM.replace("{body}", REPORT_2))
    item1, item2, atom = iter_records([str(tmp_path / "f.rss"), str(tmp_path / "f.atom")])
    assert (
        item1.locator == "item:1" and item1.meta.title == "قصف على دوما" and str(item1.meta.published) == "2019-04-23"
    )
    assert item1.meta.source == "شبكة اختبار" and REPORT in str(item1.payload)
    assert item2.skip == "feed item has no content or summary"
    assert atom.meta.url == "https://example.org/a" and str(atom.meta.published) == "2019-04-24"


def test_readers_sniff_kind_of_files_without_known_suffix(tmp_path: Path) -> None:
    (tmp_path / "page").write_text(_page(REPORT))
    (tmp_path / "lines.dat").write_text(json.dumps({"text": REPORT}, ensure_ascii=False) + "\n")
    (tmp_path / "feed.xml").write_text(FEED_RSS.replace("{body}", REPORT))
    kinds = {Path(r.input_path).name: r.kind for r in iter_records([str(tmp_path)])}
    assert kinds == {"page": InputKind.HTML, "lines.dat": InputKind.JSONL, "feed.xml": InputKind.FEED}


def test_readers_read_the_bundled_examples() -> None:
    records = list(iter_records([str(EXAMPLES)]))
    kinds = {r.kind for r in records}
    assert kinds == {InputKind.TEXT, InputKind.HTML, InputKind.JSONL, InputKind.FEED}
    assert not [r for r in records if r.error or r.skip]


def test_readers_respect_size_limit_for_files(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(REPORT.encode() * 200)
    [rec] = list(iter_records([str(tmp_path / "big.txt")], Settings(max_record_bytes=1000)))
    assert rec.payload is None and rec.skip and "over the" in rec.skip and "--max-bytes" in rec.skip
