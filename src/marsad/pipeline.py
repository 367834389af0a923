"""The per-document pipeline: a raw record in, an :class:`~marsad.model.Outcome` out, never an exception.

Stages, in order: decode → main text (HTML) → residual boilerplate → title, byline, signature,
publisher, date → language → duplicates → extraction (events and tallies, for documents that are
not duplicates). A stage that stops a record says why; an unexpected error in a stage fails that
record alone, naming the stage. The same :class:`Pipeline` serves every driver (the CLI's local
runner, the API, Spark).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from marsad.arabic.normalize import normalize_plain
from marsad.arabic.offsets import Segment, SegmentMap
from marsad.clean import boilerplate, html, language, metadata, publishers
from marsad.clean.dedup import DedupIndex, Fingerprint, fingerprint
from marsad.ingest.encoding import DecodeError, decode, looks_binary
from marsad.model import Document, InputKind, Media, Outcome, RawRecord, Status
from marsad.settings import Settings
from marsad.store.records import check_storable

if TYPE_CHECKING:
    from marsad.extract.model import Extraction

__all__ = ["Extractor", "Pipeline", "RecordContext", "StopRecord", "check_extraction"]

log = logging.getLogger(__name__)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "fa": "Persian", "ur": "Urdu", "tr": "Turkish", "ku": "Kurdish",
    "he": "Hebrew", "de": "German", "es": "Spanish", "ru": "Russian", "ps": "Pashto", "und": "undetermined",
}  # fmt: skip


class StopRecord(Exception):
    """A stage decided this record goes no further."""

    def __init__(self, status: Status, reason: str, duplicate_of: str | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.duplicate_of = duplicate_of


@dataclass(slots=True)
class RecordContext:
    """What the stages know about the record being processed."""

    record: RawRecord
    settings: Settings
    cli_published: dt.date | None = None
    cli_source: str | None = None
    decoded: str = ""
    encoding: str | None = None
    body: str = ""  # the text the body comes from: the decoded input, or text extracted from HTML
    body_is_raw: bool = True
    extracted: html.Extracted | None = None
    document: Document | None = None
    fingerprint: Fingerprint | None = None
    date_snippets: list[str] = field(default_factory=list)
    extraction: Extraction | None = None


Stage = Callable[[RecordContext], None]
Extractor = Callable[[Document], "Extraction"]


def decode_stage(ctx: RecordContext) -> None:
    payload = ctx.record.payload
    if payload is None or (isinstance(payload, (bytes, str)) and not payload.strip()):
        raise StopRecord(Status.SKIPPED, "empty input")
    if isinstance(payload, str):
        ctx.decoded, ctx.encoding = payload, None
        return
    what = looks_binary(payload)
    if what:
        raise StopRecord(Status.SKIPPED, f"not text: the content is {what}")
    declared = ctx.record.declared_charset
    if ctx.record.media is Media.HTML and not declared:
        m = _META_CHARSET.search(payload[:4096])
        declared = m.group(1).decode("ascii", "replace") if m else None
    try:
        result = decode(payload, declared)
    except DecodeError as exc:
        raise StopRecord(Status.FAILED, f"cannot decode: {exc}") from None
    ctx.decoded, ctx.encoding = result.text, result.encoding


def main_text_stage(ctx: RecordContext) -> None:
    rec = ctx.record
    if rec.media is not Media.HTML:
        ctx.body, ctx.body_is_raw = ctx.decoded, True
        return
    ctx.body_is_raw = False
    if html.is_full_page(ctx.decoded):
        extracted = html.extract_page(ctx.decoded, rec.meta.url, ctx.settings.html_extractor)
        if extracted is None:
            raise StopRecord(Status.SKIPPED, "no main text found in the HTML page")
        ctx.extracted = extracted
        ctx.body = extracted.text
        ctx.date_snippets = extracted.date_snippets
    else:
        ctx.body = html.fragment_to_text(ctx.decoded)


def _slices_text(source: str, slices: list[tuple[int, int]]) -> tuple[str, SegmentMap]:
    return "\n".join(source[a:b] for a, b in slices), SegmentMap.from_slices(slices, [1] * len(slices))


def _truncate(segments: SegmentMap, length: int) -> SegmentMap:
    kept: list[Segment] = []
    for seg in segments.segments:
        if seg.derived_start >= length:
            break
        kept.append(Segment(seg.derived_start, seg.original_start, min(seg.length, length - seg.derived_start)))
    return SegmentMap(kept)


def clean_stage(ctx: RecordContext) -> None:
    rec = ctx.record
    stripped = boilerplate.strip_boilerplate(ctx.body)
    removed = [
        {"start": r.start, "end": r.end, "rule": r.rule, "text": ctx.body[r.start : r.end]} for r in stripped.removed
    ]
    lines = stripped.kept
    title = (rec.meta.title or "").strip()
    title_segments: list[list[int]] | None = None
    if ctx.extracted and not title:
        title = (ctx.extracted.title or "").strip()
    if not title and rec.kind is InputKind.TEXT and lines:
        first = ctx.body[lines[0].start : lines[0].end]
        if metadata.find_title_line(first, rest_exists=len(lines) > 1):
            title = first
            title_segments = [[0, lines[0].start, lines[0].end - lines[0].start]]
            lines = lines[1:]
    if title and lines and normalize_plain(ctx.body[lines[0].start : lines[0].end]).strip() == normalize_plain(title):
        removed.append({"start": lines[0].start, "end": lines[0].end, "rule": "title-repeated", "text": title})
        lines = lines[1:]
    text, segments = _slices_text(ctx.body, [(ln.start, ln.end) for ln in lines])
    sig = metadata.find_signature(text)
    if sig is not None:
        orig = segments.span(sig.start, sig.end)
        removed.append({"start": orig[0] if orig else None, "end": orig[1] if orig else None,
                        "rule": "signature", "text": sig.text})  # fmt: skip
        text = text[: sig.start].rstrip()
        segments = _truncate(segments, len(text))
    byline = metadata.find_byline(text)
    doc = Document(
        id=rec.record_id,
        record_id=rec.record_id,
        input_path=rec.input_path,
        locator=rec.locator,
        input_kind=rec.kind,
        raw=ctx.decoded,
        text=text,
        title=title,
        url=rec.meta.url or (ctx.extracted.url if ctx.extracted else None),
        external_id=rec.meta.external_id,
        encoding=ctx.encoding,
        byline=byline.text if byline else None,
        signature=sig.text if sig else None,
        raw_segments=segments.to_json() if ctx.body_is_raw else None,
        title_segments=title_segments if ctx.body_is_raw else None,
        removed=removed if ctx.body_is_raw else [dict(r, start=None, end=None) for r in removed],
        metadata=dict(rec.meta.extra),
    )
    pub = (
        (sig.publisher if sig else None)
        or (byline.publisher if byline else None)
        or publishers.by_domain(doc.url)
        or (publishers.by_id(rec.meta.source) if rec.meta.source else None)
        or (publishers.match_name(ctx.extracted.sitename) if ctx.extracted and ctx.extracted.sitename else None)
    )
    doc.publisher = pub.id if pub else None
    if pub:
        doc.metadata["publisher_name"] = pub.name_en
    if ctx.extracted and ctx.extracted.sitename:
        doc.metadata["sitename"] = ctx.extracted.sitename
    doc.source = (
        rec.meta.source or ctx.cli_source or doc.publisher or (ctx.extracted.sitename if ctx.extracted else None)
    )
    if byline and byline.exclusive:
        doc.metadata["exclusive"] = True
    ctx.document = doc


def date_stage(ctx: RecordContext) -> None:
    doc = ctx.document
    assert doc is not None
    header = metadata.header_dates(doc.text.split("\n", 5)[:5], doc.byline, ctx.date_snippets)
    crawl = ctx.record.meta.extra.get("crawl_date")
    candidates: dict[str, dt.date | None] = {
        "input": ctx.record.meta.published,
        "html-meta": ctx.extracted.date_meta if ctx.extracted else None,
        "text-header": header[0] if header else None,
        "cli": ctx.cli_published,
        "html-heuristic": ctx.extracted.date_heuristic if ctx.extracted else None,
        "crawl": dt.date.fromisoformat(crawl[:10]) if isinstance(crawl, str) and len(crawl) >= 10 else None,
    }
    chosen, source, conflicts = metadata.choose_published(candidates)
    doc.published, doc.published_source = chosen, source
    if conflicts:
        doc.metadata["date_conflicts"] = conflicts


def content_stage(ctx: RecordContext) -> None:
    doc = ctx.document
    assert doc is not None
    if len((doc.title + doc.text).strip()) < ctx.settings.min_text_chars:
        what = "only boilerplate" if doc.removed else "too little text"
        raise StopRecord(Status.SKIPPED, f"no content after cleaning ({what})")


def language_stage(ctx: RecordContext) -> None:
    doc = ctx.document
    assert doc is not None
    found = language.identify(f"{doc.title}\n{doc.text}", ctx.settings.language_sample_chars)
    doc.language, doc.language_score = found.language, found.score
    if found.language not in ctx.settings.languages:
        name = _LANGUAGE_NAMES.get(found.language, found.language)
        raise StopRecord(Status.SKIPPED, f"language is {name} ({found.language}), not Arabic")


def fingerprint_stage(ctx: RecordContext) -> None:
    doc = ctx.document
    assert doc is not None
    s = ctx.settings
    fp = fingerprint(doc.text or doc.title, num_perm=s.minhash_perm, shingle=s.shingle_words,
                     min_words=s.min_words_for_near_dup)  # fmt: skip
    doc.text_hash, doc.minhash = fp.text_hash, fp.minhash
    ctx.fingerprint = fp


def default_extractor(doc: Document) -> Extraction:
    """The extraction engine (imported on first use: ingestion alone does not load it)."""
    from marsad.extract import extract

    return extract(doc)


def check_extraction(doc: Document, extraction: object) -> Extraction:
    """Refuse an extractor's result that the store could not keep for ``doc`` (wrong document,
    repeated ids, missing values, values out of their column's type): raised here, it fails this
    record alone instead of the batch's transaction."""
    from marsad.extract.model import Extraction

    if not isinstance(extraction, Extraction):
        raise TypeError(f"the extractor returned {type(extraction).__name__}, not an Extraction")
    owners = {extraction.document_id}
    owners |= {e.document_id for e in extraction.events} | {t.document_id for t in extraction.tallies}
    if owners != {doc.id}:
        raise ValueError(f"records of document(s) {sorted(owners - {doc.id})} in the extraction of {doc.id}")
    for kind, ids in (("event", [e.id for e in extraction.events]), ("tally", [t.id for t in extraction.tallies])):
        if len(set(ids)) != len(ids):
            raise ValueError(f"repeated {kind} id in the extraction of {doc.id}")
    check_storable(extraction)
    return extraction


STAGES: tuple[tuple[str, Stage], ...] = (
    ("decode", decode_stage),
    ("main text", main_text_stage),
    ("cleaning", clean_stage),
    ("dates", date_stage),
    ("content check", content_stage),
    ("language", language_stage),
    ("fingerprint", fingerprint_stage),
)


class Pipeline:
    """Runs the stages over one record at a time; holds the duplicate index of the run."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        published: dt.date | None = None,
        source: str | None = None,
        dedup: DedupIndex | None = None,
        extractor: Extractor | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.published = published
        self.source = source
        self.extractor = extractor if extractor is not None else default_extractor
        # «is None», not «or»: an index passed in empty is falsy (it has a length) and must be kept
        self.dedup = (
            dedup
            if dedup is not None
            else DedupIndex(num_perm=self.settings.minhash_perm, threshold=self.settings.near_duplicate_threshold)
        )

    def process(self, record: RawRecord) -> Outcome:
        started = time.perf_counter()
        ctx = RecordContext(record, self.settings, self.published, self.source)
        outcome = self._run(ctx)
        outcome.elapsed_ms = (time.perf_counter() - started) * 1000
        outcome.encoding = ctx.encoding
        if ctx.document is not None:
            outcome.language = ctx.document.language
        return outcome

    def _run(self, ctx: RecordContext) -> Outcome:
        record = ctx.record
        if record.error:
            return Outcome(record, Status.FAILED, record.error)
        if record.skip:
            return Outcome(record, Status.SKIPPED, record.skip)
        stage_name = ""
        try:
            for name, stage in STAGES:
                stage_name = name
                stage(ctx)
            stage_name = "duplicate check"
            self._check_duplicate(ctx)
            stage_name = "extraction"
            return self._extract(ctx)
        except StopRecord as stop:
            return Outcome(record, stop.status, stop.reason, ctx.document, stop.duplicate_of)
        except Exception as exc:  # one bad record must not stop the batch
            log.debug("stage %s failed on %s %s", stage_name, record.input_path, record.locator, exc_info=True)
            return Outcome(record, Status.FAILED, f"internal error in {stage_name}: {type(exc).__name__}: {exc}")

    def _check_duplicate(self, ctx: RecordContext) -> None:
        doc, fp = ctx.document, ctx.fingerprint
        assert doc is not None and fp is not None
        match = self.dedup.find(fp, exclude=doc.id)
        if match is not None:
            reason = (
                f"exact copy of document {match.document_id}"
                if match.exact
                else f"near-duplicate of document {match.document_id} (similarity {match.similarity:.2f})"
            )
            raise StopRecord(Status.DUPLICATE, reason, match.document_id)

    def _extract(self, ctx: RecordContext) -> Outcome:
        """Extract events from a document that is not a duplicate; only then does it join the
        duplicate index (a document whose extraction failed is not stored, so nothing can be a
        copy of it)."""
        doc, fp = ctx.document, ctx.fingerprint
        assert doc is not None and fp is not None
        ctx.extraction = check_extraction(doc, self.extractor(doc))
        self.dedup.add(doc.id, fp)
        return Outcome(ctx.record, Status.PROCESSED, None, doc, extraction=ctx.extraction)
