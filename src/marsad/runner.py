"""The local driver: inputs → pipeline → store, in batches, with outcome accounting.

Re-running the same inputs is idempotent: a record whose ledger row has the same content hash
and a final status is not processed again (it counts as *unchanged*); a record that failed, or
whose content changed, is processed again and its row updated — same id, no second row — and
its document's events and tallies replaced.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from marsad.clean.dedup import DedupIndex, Fingerprint
from marsad.geo.extractor import extractor_for
from marsad.ingest import iter_records
from marsad.model import Outcome, RawRecord, Status
from marsad.pipeline import Extractor, Pipeline
from marsad.settings import Settings
from marsad.store import Store

__all__ = ["RunReport", "run"]


@dataclass(slots=True)
class RunReport:
    run_id: str
    counts: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    interrupted: bool = False
    events: int = 0  # events and tallies written by this run
    tallies: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def per_second(self) -> float:
        return self.total / self.seconds if self.seconds > 0 else 0.0


def _reason_key(outcome: Outcome) -> str:
    reason = outcome.reason or ""
    if outcome.status is Status.DUPLICATE:
        return "exact copy" if reason.startswith("exact") else "near-duplicate"
    return reason.split(":")[0][:70] if outcome.status is Status.FAILED else reason[:70]


def load_dedup(store: Store, settings: Settings) -> DedupIndex:
    index = DedupIndex(num_perm=settings.minhash_perm, threshold=settings.near_duplicate_threshold)
    for doc_id, text_hash, minhash in store.iter_fingerprints():
        index.add(doc_id, Fingerprint(text_hash, minhash))
    return index


def run(
    inputs: Iterable[str],
    store: Store,
    *,
    settings: Settings | None = None,
    published: dt.date | None = None,
    source: str | None = None,
    force: bool = False,
    on_record: Callable[[str], None] | None = None,
    extractor: Extractor | None = None,
) -> RunReport:
    """Process every record of ``inputs`` into ``store``; never raises for a bad input.

    ``extractor`` replaces the extraction engine (tests, experiments); by default the pipeline's.
    """
    settings = settings or Settings()
    inputs = list(inputs)
    options = {"published": published, "source": source, "force": force,
               "html_extractor": settings.html_extractor, "max_record_bytes": settings.max_record_bytes}  # fmt: skip
    report = RunReport(store.start_run(inputs, options))
    if extractor is None:  # the store's imported gazetteer, when it has one (marsad gazetteer import)
        extractor = extractor_for(store.con)
    pipeline = Pipeline(
        settings, published=published, source=source, dedup=load_dedup(store, settings), extractor=extractor
    )
    started = time.perf_counter()
    pending: list[RawRecord] = []

    def flush() -> None:
        known = store.known(r.record_id for r in pending)
        outcomes: list[Outcome] = []
        for record in pending:
            prior = known.get(record.record_id)
            if (
                prior is not None
                and not force
                and prior.status is not Status.FAILED
                and prior.content_hash == record.content_hash()
            ):
                report.counts["unchanged"] += 1
                if on_record:
                    on_record("unchanged")
                continue
            if prior is not None and prior.document_id:
                pipeline.dedup.remove(prior.document_id)
            outcome = pipeline.process(record)
            outcomes.append(outcome)
            report.counts[str(outcome.status)] += 1
            if outcome.status is not Status.PROCESSED:
                report.reasons[f"{outcome.status}: {_reason_key(outcome)}"] += 1
            if on_record:
                on_record(str(outcome.status))
        store.write(outcomes, report.run_id, store_raw=settings.store_raw)
        for outcome in outcomes:
            if outcome.extraction is not None:
                report.events += len(outcome.extraction.events)
                report.tallies += len(outcome.extraction.tallies)
        pending.clear()

    try:
        for record in iter_records(inputs, settings):
            pending.append(record)
            if len(pending) >= settings.batch_size:
                flush()
        flush()
    except KeyboardInterrupt:
        report.interrupted = True
    report.seconds = time.perf_counter() - started
    store.finish_run(report.run_id, dict(report.counts), "interrupted" if report.interrupted else "completed")
    return report
