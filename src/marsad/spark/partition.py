"""What runs on the executors: the per-document pipeline over one partition of records.

The pipeline (and with it the lexicons, language model and gazetteer, which load on first use
and stay in the Python worker) is built once per worker process and reused by every partition
that worker runs. Its duplicate index is switched off: copies are decided afterwards, across
all partitions, by :mod:`marsad.spark.dedup`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from marsad.clean.dedup import DedupIndex, Fingerprint, Match
from marsad.model import Outcome, RawRecord, Status
from marsad.pipeline import Pipeline
from marsad.settings import Settings
from marsad.spark.inputs import OrderKey
from marsad.spark.rows import result_rows

__all__ = ["NoDedup", "PartitionConfig", "process_partition", "record_key"]


class NoDedup(DedupIndex):
    """A duplicate index that never finds a copy (the Spark run decides copies globally)."""

    def find(self, fp: Fingerprint, *, exclude: str | None = None) -> Match | None:
        return None

    def add(self, document_id: str, fp: Fingerprint) -> None:
        return None

    def __bool__(self) -> bool:  # an empty index is falsy (it has a length): this one must not be replaced
        return True


PartitionConfig = tuple[Settings, dt.date | None, str | None, str, dt.datetime]  # settings, published, source, run, now
_PIPELINES: dict[tuple[Settings, dt.date | None, str | None], Pipeline] = {}


def _pipeline(settings: Settings, published: dt.date | None, source: str | None) -> Pipeline:
    key = (settings, published, source)
    if key not in _PIPELINES:
        pipeline = Pipeline(settings, published=published, source=source, dedup=NoDedup())
        pipeline.dedup = NoDedup()  # never a real index: it would carry copies across tasks and runs
        _PIPELINES[key] = pipeline
    return _PIPELINES[key]


def record_key(record_id: str, partitions: int) -> int:
    """The partition of a record: from its id, so a retried task gets the same records."""
    return int(record_id[:8], 16) % partitions


def process_partition(
    items: Iterable[tuple[str, tuple[OrderKey, RawRecord]]], config: PartitionConfig
) -> Iterator[dict[str, Any]]:
    """The result rows (:func:`marsad.spark.rows.result_rows`) of every record of a partition."""
    settings, published, source, run_id, now = config
    pipeline = _pipeline(settings, published, source)
    for _, (order, record) in items:
        try:
            outcome = pipeline.process(record)
        except Exception as exc:  # the pipeline returns outcomes; this only guards the batch
            outcome = Outcome(record, Status.FAILED, f"internal error: {type(exc).__name__}: {exc}")
        yield result_rows(outcome, order, run_id, now)
