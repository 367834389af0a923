"""The parts of the Spark driver that run without Spark: duplicate decisions, input planning,
table rows, and the Parquet store over a folder."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import REPORT, REPORT_2
from marsad.clean.dedup import DedupIndex, fingerprint
from marsad.errors import StoreError
from marsad.settings import Settings
from marsad.spark.dedup import band_layout, bands, bucket_pairs, resolve
from marsad.spark.inputs import plan_inputs, read_uri_bytes
from marsad.spark.rows import DOCUMENT_SCHEMA, LEDGER_SCHEMA, month_of
from marsad.store import Store
from marsad.store.parquet import ParquetStore, connect


def _local_decisions(texts: list[str]) -> dict[str, str]:
    index = DedupIndex(num_perm=128, threshold=0.7)
    out = {}
    for i, text in enumerate(texts):
        fp = fingerprint(text)
        match = index.find(fp)
        if match is None:
            index.add(f"d{i}", fp)
        else:
            out[f"d{i}"] = match.document_id
    return out


def test_spark_dedup_resolve_decides_as_the_local_index() -> None:
    long_1 = REPORT + " " + REPORT_2
    texts = [long_1, REPORT_2, long_1, long_1 + " وأضاف المصدر.", REPORT + " " + REPORT, REPORT_2]
    fps = [fingerprint(t) for t in texts]
    layout = band_layout(0.7, 128)
    buckets: dict[tuple[int, bytes], list[tuple[str, bytes]]] = {}
    for i, fp in enumerate(fps):
        if fp.minhash is not None:
            for key in bands(fp.minhash, layout):
                buckets.setdefault(key, []).append((f"d{i}", fp.minhash))
    near: dict[str, set[tuple[str, float]]] = {}
    for members in buckets.values():
        for doc, pair in bucket_pairs(members, 0.7):
            near.setdefault(doc, set()).add(pair)
    entries = [((0, 0, "f", i), f"d{i}", fp.text_hash, sorted(near.get(f"d{i}", set()))) for i, fp in enumerate(fps)]
    found = resolve(entries, 0.7)
    assert {doc: original for doc, (original, _) in found.items()} == _local_decisions(texts)
    assert found["d2"] == ("d0", "exact copy of document d0")
    assert found["d3"][1].startswith("near-duplicate of document d0 (similarity ")


def test_spark_dedup_band_layout_is_datasketchs() -> None:
    layout = band_layout(0.7, 128)
    assert len(layout) > 1 and layout[0][0] == 0 and all(b - a == layout[0][1] for a, b in layout)
    sig = fingerprint(REPORT + " " + REPORT_2).minhash
    assert sig is not None
    assert next(key for _, key in bands(sig, layout)) == sig[: layout[0][1] * 4]


def test_spark_inputs_plan_keeps_reading_order_and_problems(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
    plan = plan_inputs([str(tmp_path), str(tmp_path / "missing.warc"), "s3a://bucket/crawl/*.warc.gz", "-"])
    assert [Path(p).name for _, _, p in plan.local] == ["a.jsonl", "b.txt"]
    assert [n for _, n, _ in plan.local] == [0, 1]
    assert plan.uris == [(2, "s3a://bucket/crawl/*.warc.gz")]
    reasons = sorted(str(rec.error) for _, rec in plan.problems)
    assert reasons[0] == "no such file or directory" and reasons[1].startswith("standard input cannot be read")


def test_spark_inputs_uri_bytes_use_the_readers() -> None:
    data = b'{"id": "1", "text": "a"}\nnot json\n'
    records = list(read_uri_bytes(3, "hdfs://nn/x/part.jsonl", data, Settings()))
    assert [(key[0], key[3], rec.locator) for key, rec in records] == [(3, 0, "line:1"), (3, 1, "line:2")]
    assert records[1][1].error and records[0][1].input_path == "hdfs://nn/x/part.jsonl"
    [(_, broken)] = list(read_uri_bytes(0, "s3a://b/page.txt.gz", b"\x1f\x8b\x08\x00broken", Settings()))
    assert str(broken.error).startswith("gzip stream is truncated or corrupt")


def test_spark_rows_schemas_match_the_store_tables(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        for table, schema in (("ledger", LEDGER_SCHEMA), ("documents", DOCUMENT_SCHEMA)):
            cols = [r[0] for r in store.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()]  # fmt: skip
            assert cols == schema.names
    assert month_of(dt.date(2015, 8, 1)) == "2015-08" and month_of(None) == "undated"


def test_store_parquet_connect_gives_typed_views_and_empty_tables(tmp_path: Path) -> None:
    (tmp_path / "events" / "month=2015-08").mkdir(parents=True)
    table = pa.table({"id": ["e1"], "document_id": ["d1"], "event_date": pa.array([dt.date(2015, 8, 1)]),
                      "evidence": ['[{"role": "trigger"}]'], "fatalities": pa.array([3], pa.int32())})  # fmt: skip
    pq.write_table(table, tmp_path / "events" / "month=2015-08" / "part-0.parquet")
    con = connect(tmp_path)
    row = con.execute("SELECT id, event_date, fatalities, country FROM events").fetchall()
    assert row == [("e1", dt.date(2015, 8, 1), 3, None)]
    kinds = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'events'").fetchall())  # fmt: skip
    assert kinds["evidence"] == "JSON" and "month" not in kinds
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    with ParquetStore(tmp_path) as store:
        assert [e["evidence"] for e in store.iter_events()] == [[{"role": "trigger"}]]
        with pytest.raises(StoreError, match="read-only"):
            store.write([], "r")
    with pytest.raises(StoreError):
        connect(tmp_path / "nothing-here")
    assert isinstance(con, duckdb.DuckDBPyConnection)


def test_spark_cli_says_how_to_install_pyspark_when_it_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from marsad.cli import app

    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    result = CliRunner().invoke(app, ["spark", str(tmp_path), "--output", str(tmp_path / "out")])
    assert result.exit_code == 1 and "pip install 'marsad[spark]'" in " ".join(result.output.split())
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_spark_partition_pipeline_never_remembers_documents() -> None:
    from marsad.model import InputKind, RawRecord
    from marsad.spark.partition import process_partition

    records = [RawRecord(input_path=f"/x/{i}.txt", locator="", kind=InputKind.TEXT, payload=REPORT.encode())
               for i in range(2)]  # fmt: skip
    config = (Settings(), None, None, "run", dt.datetime(2026, 1, 1))
    for _ in range(2):  # the same worker, two tasks: no copy is found inside the worker
        results = list(
            process_partition([(r.record_id, ((0, i, r.input_path, 0), r)) for i, r in enumerate(records)], config)
        )
        assert [r["ledger"]["status"] for r in results] == ["processed", "processed"]


def _event(eid: str, doc: str, day: dt.date | None, **kw: object) -> dict[str, object]:
    row = {"id": eid, "document_id": doc, "event_date": day, "event_type": "Explosions/Remote violence",
           "sub_event_type": "Suicide bomb", "iso": "SA", "admin1": "Asir", "location": "Abha", "latitude": 18.22,
           "longitude": 42.5, "geo_precision": 1, "actor1_id": "isis", "fatalities_low": 15, "fatalities_high": 15,
           "sentence": "فجر انتحاري نفسه في مسجد قوات الطوارئ في أبها", "outlet": doc}  # fmt: skip
    row.update(kw)
    return row


def test_spark_link_merge_joins_incidents_of_two_blocks() -> None:
    from marsad.link import block_keys
    from marsad.link.run import link_events
    from marsad.spark.link import block_items, bridging_edges, components, link_one_block, merge_group

    monday = dt.date(2015, 8, 3)
    start = monday + dt.timedelta(days=-monday.toordinal() % 7)  # the first day of a block's week
    a = _event("a", "d1", start)  # in this week's block and the week before's
    b = _event("b", "d2", start + dt.timedelta(days=3))  # this week's only
    c = _event("c", "d3", start - dt.timedelta(days=2), fatalities_low=10, fatalities_high=10,
               location="Khamis Mushait", latitude=18.3, longitude=42.73)  # fmt: skip
    undated = _event("u", "d4", None)
    assert len(block_keys(a)) == 2 and block_keys(b) == block_keys(a)[:1]
    blocks: dict[tuple[int, str], list[Any]] = {}
    for event in (a, b, c, undated):
        for key, item in block_items((event, [], [])):
            blocks.setdefault(key, []).append(item)
    assert len(blocks) == 3  # two weeks, and the undated event alone
    local = [found for key, items in blocks.items() for found in link_one_block(key, items)]
    # this week's block links a with b (c is too far from b), the week before links a with c
    assert sorted(sorted(inc.event_ids) for _, (_, inc, _) in local) == [["a", "b"], ["a", "c"], ["c"], ["u"]]
    nodes: dict[str, set[str]] = {}
    for node, (_, inc, _) in local:
        for eid in inc.event_ids:
            nodes.setdefault(eid, set()).add(node)
    mapping = components(edge for eid in sorted(nodes) for edge in bridging_edges(nodes[eid]))
    assert len(set(mapping.values())) == 1 and len(mapping) == 3  # the undated event's node is not bridged
    groups: dict[str, list[Any]] = {}
    for node, found in local:
        groups.setdefault(mapping.get(node, node), []).append(found)
    merged = sorted((merge_group(group)[0] for group in groups.values()), key=lambda inc: inc.id)
    assert [sorted(inc.event_ids) for inc in merged if len(inc.reports) > 1] == [["a", "b", "c"]]
    _, items = merge_group(groups[next(iter(mapping.values()))])
    assert sorted(items) == ["a", "b", "c"]  # each event's row, claims and contradictions come along
    expected, _ = link_events([a, b, c, undated])
    assert merged == expected


def test_spark_link_components_follow_chains() -> None:
    from marsad.spark.link import bridging_edges, components

    assert bridging_edges(["n2", "n1", "n2"]) == [("n1", "n2")] and bridging_edges(["n1"]) == []
    mapping = components([("n3", "n2"), ("n2", "n1"), ("n5", "n4")])
    assert mapping == {"n1": "n1", "n2": "n1", "n3": "n1", "n4": "n4", "n5": "n4"}
