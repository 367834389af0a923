from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import EXAMPLES, REPORT, REPORT_2, SEED
from marsad.ingest import iter_records
from marsad.model import InputKind, Media, RawRecord, RecordMeta, Status
from marsad.pipeline import Pipeline
from marsad.runner import run
from marsad.store import Store

_counter = iter(range(10**6))


def _record(
    payload: bytes | str, kind: InputKind = InputKind.TEXT, media: Media = Media.TEXT, **meta: object
) -> RawRecord:
    return RawRecord(
        input_path=f"/t/{next(_counter)}", locator="", kind=kind, media=media, payload=payload,
        meta=RecordMeta(**meta),  # type: ignore[arg-type]
    )  # fmt: skip


def test_pipeline_cleans_scraped_text_and_keeps_offsets_to_raw() -> None:
    raw = (
        f"fbpx\n\nقصف مدفعي على دوما\n\n{REPORT} شبكة الرصد الإخبارية\n\n"
        "اظهر المزيد\n\nمقالات ذات صلة\n\nزر الذهاب إلى الأعلى\n"
    )
    outcome = Pipeline().process(_record(raw.encode()))
    doc = outcome.document
    assert outcome.status is Status.PROCESSED and doc is not None
    assert doc.title == "قصف مدفعي على دوما"
    assert doc.text == REPORT
    assert doc.signature == "شبكة الرصد الإخبارية"
    assert doc.byline == "دمشق – خاص:" and doc.metadata.get("exclusive") is True
    assert {r["rule"] for r in doc.removed} >= {"exact", "related-links", "signature"}
    from marsad.arabic.offsets import SegmentMap

    assert doc.raw_segments is not None
    seg = SegmentMap.from_json(doc.raw_segments)
    start = doc.text.index("دوما")
    span = seg.span(start, start + 4)
    assert span is not None and raw[span[0] : span[1]] == "دوما"


def test_pipeline_html_page_uses_meta_date_and_strips_repeated_title() -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>غارة على إدلب</title>"
        "<meta property='article:published_time' content='2021-02-20T08:00:00Z'>"
        "<meta property='og:site_name' content='عنب بلدي'></head><body><article><h1>غارة على إدلب</h1>"
        f"<p>{REPORT}</p><p>{REPORT_2}</p></article><footer>جميع الحقوق محفوظة © 2021</footer></body></html>"
    )
    out = Pipeline(published=dt.date(2000, 1, 1)).process(_record(html.encode(), InputKind.HTML, Media.HTML))
    doc = out.document
    assert out.status is Status.PROCESSED and doc is not None
    assert doc.published == dt.date(2021, 2, 20) and doc.published_source == "html-meta"
    assert doc.title == "غارة على إدلب" and not doc.text.startswith("غارة على إدلب")
    assert doc.publisher == "enab-baladi"
    assert "جميع الحقوق" not in doc.text


def test_pipeline_html_date_from_arabic_byline_beats_htmldate_heuristics() -> None:
    html = (EXAMPLES / "html" / "tripoli_clashes.html").read_bytes()
    doc = Pipeline(published=dt.date(2000, 1, 1)).process(_record(html, InputKind.HTML, Media.HTML)).document
    assert doc is not None
    assert doc.published == dt.date(2022, 5, 5) and doc.published_source == "text-header"
    assert doc.metadata["date_conflicts"] == {"html-heuristic": "2022-01-01"}


def test_pipeline_cli_published_only_fills_gaps() -> None:
    p = Pipeline(published=dt.date(2019, 4, 28), source="monitor")
    with_date = p.process(_record(REPORT, InputKind.JSONL, published=dt.date(2019, 4, 1), source="wire")).document
    without = p.process(_record(REPORT_2, InputKind.JSONL)).document
    assert with_date is not None and without is not None
    assert (with_date.published, with_date.published_source, with_date.source) == (dt.date(2019, 4, 1), "input", "wire")
    assert (without.published, without.published_source, without.source) == (dt.date(2019, 4, 28), "cli", "monitor")


def test_pipeline_marks_exact_and_near_duplicates() -> None:
    p = Pipeline()
    first = p.process(_record(REPORT + " " + REPORT_2))
    copy = p.process(_record(REPORT + "  " + REPORT_2))
    syndicated = p.process(
        _record("نقلاً عن وكالات: " + REPORT + " " + REPORT_2 + " وتشهد المنطقة توتراً أمنياً متصاعداً.")
    )
    other = p.process(_record(REPORT_2))
    assert first.status is Status.PROCESSED and first.document is not None
    assert copy.status is Status.DUPLICATE and copy.reason == f"exact copy of document {first.document.id}"
    assert copy.duplicate_of == first.document.id
    assert syndicated.status is Status.DUPLICATE and "near-duplicate" in str(syndicated.reason)
    assert other.status is Status.PROCESSED


def test_pipeline_bundled_examples_outcomes(tmp_path: Path) -> None:
    store = Store(tmp_path / "d.duckdb")
    report = run([str(EXAMPLES)], store)
    rows = {Path(r["input_path"]).name + r["locator"]: r for r in store.ledger()}
    assert report.counts["processed"] == 14 and report.counts["duplicate"] == 1 and report.counts["skipped"] == 1
    assert rows["reports.jsonlline:4"]["status"] == "duplicate"
    assert rows["en_report.txt"]["reason"] == "language is English (en), not Arabic"
    assert rows["baghdad_cp1256.txt"]["encoding"] == "cp1256"
    assert rows["taiz_shelling_cp1256.html"]["encoding"] == "cp1256"
    store.close()


def test_pipeline_processes_every_record_kind_of_examples() -> None:
    p = Pipeline()
    statuses = {(r.kind, p.process(r).status) for r in iter_records([str(EXAMPLES)])}
    for kind in (InputKind.TEXT, InputKind.HTML, InputKind.JSONL, InputKind.FEED):
        assert (kind, Status.PROCESSED) in statuses


def test_pipeline_seed_article_is_cleaned_and_attributed(shared: Path) -> None:
    outcome = Pipeline(published=dt.date(2019, 4, 28)).process(next(iter_records([str(SEED)])))
    doc = outcome.document
    assert outcome.status is Status.PROCESSED and doc is not None
    for leftover in ("fbpx", "اظهر المزيد", "مقالات ذات صلة", "زر الذهاب إلى الأعلى"):
        assert leftover not in doc.text and leftover not in doc.title
    assert doc.title.startswith("مصادر لمينا تؤكد تواجد داعش في الرقة")
    assert doc.publisher == "mena-monitor"
    assert doc.signature == "مرصد الشرق الأوسط وشمال أفريقيا الإعلامي “مينا”"
    assert doc.text.rstrip().endswith("في قرية الباغوز شرقي سوريا.")
    assert doc.published == dt.date(2019, 4, 28) and doc.published_source == "cli"
    assert doc.language == "ar"


def test_pipeline_dedup_index_forgets_a_reprocessed_document() -> None:
    from marsad.clean.dedup import DedupIndex, fingerprint

    index = DedupIndex()
    fp = fingerprint(REPORT + " " + REPORT_2)
    index.add("a", fp)
    assert index.find(fp) is not None
    index.remove("a")
    assert index.find(fp) is None and len(index) == 0
    index.add("b", fp)
    assert index.find(fp, exclude="b") is None and index.find(fp).document_id == "b"  # type: ignore[union-attr]
