from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPORT, REPORT_2
from fakes import FakeExtractor, make_event
from marsad import pipeline as pipeline_module
from marsad.extract.model import Extraction
from marsad.model import Document, InputKind, RawRecord, Status
from marsad.pipeline import Pipeline
from marsad.runner import run
from marsad.store import Store


def _record(text: str, locator: str) -> RawRecord:
    return RawRecord("/in/batch.jsonl", locator, InputKind.JSONL, payload=text)


def test_pipeline_processed_outcome_carries_the_extraction() -> None:
    extractor = FakeExtractor()
    outcome = Pipeline(extractor=extractor).process(_record(REPORT, "line:1"))
    assert outcome.status is Status.PROCESSED and outcome.document is not None
    assert outcome.extraction is extractor.returned[0]
    assert outcome.extraction.events[0].document_id == outcome.document.id


def test_pipeline_failing_extractor_fails_that_record_only(tmp_path: Path, store: Store) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(REPORT)
    (inputs / "b.txt").write_text(REPORT_2)
    extractor = FakeExtractor(fail=lambda doc: "ديالى" in doc.text)
    report = run([str(inputs)], store, extractor=extractor)
    assert report.counts == {"processed": 1, "failed": 1} and report.events == 1
    failed = store.ledger(status="failed")
    assert [r["reason"] for r in failed] == [
        "internal error in extraction: RuntimeError: the engine broke on this document"
    ]
    assert failed[0]["input_path"].endswith("b.txt") and failed[0]["document_id"] is None
    assert len(store.documents()) == 1
    assert {e["document_id"] for e in store.events()} == {store.ledger(status="processed")[0]["document_id"]}
    # a failed record is retried on the next run
    again = run([str(inputs)], store, extractor=FakeExtractor())
    assert again.counts == {"unchanged": 1, "processed": 1} and len(store.events()) == 2


def test_pipeline_failed_extraction_leaves_no_duplicate_source() -> None:
    extractor = FakeExtractor(fail=lambda doc: doc.locator == "line:1")
    pipe = Pipeline(extractor=extractor)
    first = pipe.process(_record(REPORT, "line:1"))
    copy = pipe.process(_record(REPORT, "line:2"))
    assert first.status is Status.FAILED and "extraction" in (first.reason or "")
    assert copy.status is Status.PROCESSED  # the first copy was not stored: this one is the original
    third = pipe.process(_record(REPORT, "line:3"))
    assert third.status is Status.DUPLICATE and third.extraction is None
    assert extractor.seen == [first.record.record_id, copy.record.record_id]


@pytest.mark.parametrize(
    ("result", "message"),
    [
        (lambda doc: Extraction("another-document"), "records of document(s) ['another-document']"),
        (lambda doc: Extraction(doc.id, [make_event(doc, document_id="x")]), "records of document(s) ['x']"),
        (lambda doc: Extraction(doc.id, [make_event(doc), make_event(doc)]), "repeated event id"),
        (lambda doc: {"events": []}, "returned dict, not an Extraction"),
        (lambda doc: Extraction(doc.id, [make_event(doc, event_type=None)]), "has no event_type"),
        (lambda doc: Extraction(doc.id, [make_event(doc, fatalities=10**12)]), "cannot be stored"),
        (lambda doc: Extraction(doc.id, [make_event(doc, latitude="north")]), "cannot be stored"),
    ],
)
def test_pipeline_rejects_an_extraction_the_store_cannot_keep(result: object, message: str) -> None:
    outcome = Pipeline(extractor=result).process(_record(REPORT, "line:1"))  # type: ignore[arg-type]
    assert outcome.status is Status.FAILED
    assert outcome.reason is not None and outcome.reason.startswith("internal error in extraction: ")
    assert message in outcome.reason


def test_pipeline_uses_the_extraction_engine_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Document] = []

    def engine(doc: Document) -> Extraction:
        calls.append(doc)
        return Extraction(doc.id)

    monkeypatch.setattr(pipeline_module, "default_extractor", engine)
    outcome = Pipeline().process(_record(REPORT, "line:1"))
    assert outcome.status is Status.PROCESSED and outcome.extraction == Extraction(calls[0].id)


def test_pipeline_default_extractor_is_marsad_extract(monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.extract

    monkeypatch.setattr(marsad.extract, "extract", lambda doc: Extraction(f"seen {doc.id}"), raising=False)
    doc = Document("d1", "d1", "/in/a.txt", "", InputKind.TEXT, raw=REPORT, text=REPORT)
    assert pipeline_module.default_extractor(doc) == Extraction("seen d1")


def test_pipeline_keeps_an_empty_dedup_index_it_is_given() -> None:
    from marsad.clean.dedup import DedupIndex
    from marsad.pipeline import Pipeline

    index = DedupIndex()
    assert len(index) == 0
    assert Pipeline(dedup=index).dedup is index
