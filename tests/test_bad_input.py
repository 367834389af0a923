"""Every kind of bad input ends as a ledger row with a clear reason — never a traceback."""

from __future__ import annotations

import gzip
import io
import json
import random
import tracemalloc
from pathlib import Path

import pytest

from conftest import REPORT, REPORT_2
from marsad.runner import run
from marsad.settings import Settings
from marsad.store import Store


def _rows(store: Store) -> dict[tuple[str, str], dict[str, object]]:
    return {(Path(r["input_path"]).name, r["locator"]): r for r in store.ledger()}


def test_bad_input_binary_and_empty_files_are_skipped(tmp_path: Path, store: Store) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(2000))
    (tmp_path / "random.bin").write_bytes(random.Random(7).randbytes(4000))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n \t\n")
    run([str(tmp_path)], store)
    rows = _rows(store)
    assert rows[("image.txt", "")]["reason"] == "not text: the content is a PNG image"
    assert rows[("random.bin", "")]["status"] == "skipped"
    assert str(rows[("random.bin", "")]["reason"]).startswith("not text")
    assert rows[("empty.txt", "")]["reason"] == "empty input"
    assert rows[("blank.txt", "")]["reason"] == "empty input"


@pytest.mark.parametrize("first", [b"{", b"[", b"<", b"WARC/"])
def test_bad_input_binary_that_starts_like_json_is_skipped(tmp_path: Path, store: Store, first: bytes) -> None:
    noise = random.Random(first).randbytes(4000)
    (tmp_path / "noise.dat").write_bytes(first + noise.replace(b"\n", b"\x00"))
    run([str(tmp_path / "noise.dat")], store)
    [row] = store.ledger()
    assert row["locator"] == "" and row["status"] == "skipped"
    assert str(row["reason"]).startswith("not text")


def test_bad_input_truncated_gzip_keeps_good_lines_and_fails_the_rest(tmp_path: Path, store: Store) -> None:
    lines = [json.dumps({"id": f"r{i}", "text": f"{REPORT} رقم {i}"}, ensure_ascii=False) for i in range(40)]
    data = gzip.compress("\n".join(lines).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) * 2 // 3])
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(REPORT.encode())[:30])
    run([str(tmp_path)], store)
    rows = [r for r in store.ledger() if r["input_path"].endswith("cut.jsonl.gz")]
    failed = [r for r in rows if r["status"] == "failed"]
    assert len(failed) == 1 and "gzip stream is truncated or corrupt after line" in failed[0]["reason"]
    assert sum(r["status"] in {"processed", "duplicate"} for r in rows) == len(rows) - 1 >= 1
    [txt] = [r for r in store.ledger() if r["input_path"].endswith("cut.txt.gz")]
    assert txt["status"] == "failed" and "gzip" in txt["reason"]


def test_bad_input_malformed_jsonl_lines_fail_one_by_one(tmp_path: Path, store: Store) -> None:
    good = json.dumps({"id": "ok", "text": REPORT}, ensure_ascii=False)
    good2 = json.dumps({"id": "ok2", "text": REPORT_2}, ensure_ascii=False)
    content = "\n".join([good, '{"id": "broken", "text": "نص', "[1, 2, 3]", '{"id": "x"}', '{"text": 5}', "", good2])
    (tmp_path / "mixed.jsonl").write_text(content)
    run([str(tmp_path / "mixed.jsonl")], store)
    rows = _rows(store)
    assert rows[("mixed.jsonl", "line:1")]["status"] == "processed"
    assert str(rows[("mixed.jsonl", "line:2")]["reason"]).startswith("invalid JSON: ")
    assert rows[("mixed.jsonl", "line:3")]["reason"] == "expected a JSON object, got list"
    assert rows[("mixed.jsonl", "line:4")]["reason"] == "no 'text' or 'html' field"
    assert rows[("mixed.jsonl", "line:5")]["reason"] == "'text'/'html' must be a string"
    assert ("mixed.jsonl", "line:6") not in rows  # a blank line is no record
    assert rows[("mixed.jsonl", "line:7")]["status"] == "processed"


def test_bad_input_html_without_text_is_skipped(tmp_path: Path, store: Store) -> None:
    (tmp_path / "nobody.html").write_text("<html><head><title>x</title></head></html>")
    (tmp_path / "scripts.html").write_text("<html><body><script>var a = 1;</script><style>p{}</style></body></html>")
    run([str(tmp_path)], store)
    rows = _rows(store)
    for name in ("nobody.html", "scripts.html"):
        assert rows[(name, "")]["status"] == "skipped"
        assert rows[(name, "")]["reason"] in {"no main text found in the HTML page", "empty input"}


def test_bad_input_huge_single_line_is_bounded(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "huge.jsonl"
    chunk = ("قتل " * 250_000).encode()  # 2 MB of Arabic, no newline
    with path.open("wb") as fh:
        fh.write(b'{"text": "')
        for _ in range(100):  # 200 MB on one line
            fh.write(chunk)
        fh.write(b'"}\n')
        fh.write(json.dumps({"text": REPORT}, ensure_ascii=False).encode() + b"\n")
    tracemalloc.start()
    run([str(path)], store)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows = _rows(store)
    assert rows[("huge.jsonl", "line:1")]["status"] == "skipped"
    assert "over the 16.0 MB limit" in str(rows[("huge.jsonl", "line:1")]["reason"])
    assert rows[("huge.jsonl", "line:2")]["status"] == "processed"
    assert peak < 64 * 1024 * 1024


def test_bad_input_huge_text_file_is_not_read(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: no disk used
    run([str(path)], store)
    [row] = store.ledger()
    assert row["status"] == "skipped" and str(row["reason"]).startswith("file is 200.0 MB, over the 16.0 MB limit")


def test_bad_input_non_arabic_text_is_skipped_with_language(tmp_path: Path, store: Store) -> None:
    (tmp_path / "en.txt").write_text(
        "Three civilians were killed on Tuesday when shells hit a market in the city, local officials said, "
        "adding that rescue teams were still searching the rubble for survivors."
    )
    (tmp_path / "fa.txt").write_text(
        "سه غیرنظامی روز سه‌شنبه در پی اصابت خمپاره به بازاری در این شهر کشته شدند و گروه‌های امدادی همچنان "
        "در حال جستجوی آوار هستند."
    )
    run([str(tmp_path)], store)
    rows = _rows(store)
    assert rows[("en.txt", "")]["reason"] == "language is English (en), not Arabic"
    assert rows[("fa.txt", "")]["reason"] == "language is Persian (fa), not Arabic"


def test_bad_input_unreadable_and_missing_paths_fail(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(REPORT)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "emptydir").mkdir()
    real_open = Path.open

    def guarded(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", guarded)
    run([str(secret), str(tmp_path / "missing.txt"), str(tmp_path / "dangling.txt"), str(tmp_path / "emptydir")], store)
    rows = _rows(store)
    assert rows[("secret.txt", "")]["reason"] == "permission denied"
    assert rows[("missing.txt", "")]["reason"] == "no such file or directory"
    assert rows[("dangling.txt", "")]["reason"] == "broken symbolic link"
    assert rows[("emptydir", "")]["status"] == "skipped"


def test_bad_input_truncated_warc_record_fails_alone(tmp_path: Path, store: Store) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for i, body in enumerate([REPORT, REPORT_2]):
        html = f"<html><body><article><p>{body}</p><p>{body}</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            f"https://example.org/{i}", "response", payload=io.BytesIO(html), http_headers=headers
        )
        writer.write_record(rec)
    data = buf.getvalue()
    (tmp_path / "cut.warc").write_bytes(data[:-200])
    (tmp_path / "notwarc.warc").write_text("this is not a web archive")
    run([str(tmp_path)], store)
    rows = [r for r in store.ledger() if r["input_path"].endswith("cut.warc")]
    assert [r["status"] for r in rows] == ["processed", "failed"]
    assert str(rows[1]["reason"]).startswith("truncated WARC record (declared")
    [other] = [r for r in store.ledger() if r["input_path"].endswith("notwarc.warc")]
    assert other["status"] == "failed" and str(other["reason"]).startswith("not a WARC file")


def test_bad_input_invalid_feed_fails(tmp_path: Path, store: Store) -> None:
    (tmp_path / "bad.rss").write_text("<rss><channel><item><title>x</ti")
    run([str(tmp_path / "bad.rss")], store)
    [row] = store.ledger()
    assert row["status"] in {"failed", "skipped"} and row["reason"]


def test_bad_input_batch_continues_after_internal_error(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.clean import language

    (tmp_path / "a.txt").write_text(REPORT)
    (tmp_path / "b.txt").write_text(REPORT_2)
    real = language.identify

    def flaky(text: str, sample_chars: int = 4000) -> language.Identified:
        if "دوما" in text:
            raise RuntimeError("model exploded")
        return real(text, sample_chars)

    monkeypatch.setattr(language, "identify", flaky)
    run([str(tmp_path)], store, settings=Settings())
    rows = _rows(store)
    assert rows[("a.txt", "")]["reason"] == "internal error in language: RuntimeError: model exploded"
    assert rows[("b.txt", "")]["status"] == "processed"
