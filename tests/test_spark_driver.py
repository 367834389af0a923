"""The Spark driver in local[2] mode against the local runner (with its linking), on generated
WARC and JSONL inputs and the example corpus (one SparkSession for the whole module)."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, REPORT, REPORT_2
from marsad.cli import app
from marsad.link.embed import ENCODER_NAME, encoder
from marsad.link.run import link_store
from marsad.runner import run
from marsad.store import Store
from marsad.store.parquet import ParquetStore, copy_to_store

if shutil.which("java") is None:
    pytest.skip("Java is not installed: the Spark tests need a JVM (Java 17)", allow_module_level=True)
pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (pip install -e '.[spark]')")

from marsad.spark.driver import SparkReport, run_spark, session  # noqa: E402

WRITTEN = {"run_id", "created_at", "first_seen", "updated_at"}
# Two reports of one incident, written for these tests (not from any outlet): the tolls differ
# (a contradiction across reports) and the second names two causes (one inside the document).
LINKED = [
    {"id": "l1", "source": "sada", "published": "2021-03-10", "title": "قتلى بانفجار سيارة مفخخة في منبج",
     "text": "قتل سبعة أشخاص أمس الثلاثاء في انفجار سيارة مفخخة استهدف سوقا شعبيا في مدينة منبج بريف حلب، "
             "بحسب ما أفاد به المرصد السوري لحقوق الإنسان."},
    {"id": "l2", "source": "nabaa", "published": "2021-03-10", "title": "انفجار في سوق منبج",
     "text": "قالت مصادر محلية إن أربعة أشخاص قتلوا أمس الثلاثاء بانفجار سيارة مفخخة في سوق شعبي بمدينة منبج "
             "في ريف حلب، بينما ذكرت قوات سوريا الديمقراطية أن القتلى سقطوا بلغم أرضي."},
]  # fmt: skip


def _page(body: str, title: str) -> bytes:
    return (
        f"<html lang='ar'><head><meta charset='utf-8'><title>{title}</title></head><body><article>"
        f"<h1>{title}</h1><p>{body}</p></article><footer>جميع الحقوق محفوظة</footer></body></html>"
    ).encode()


def _warc(pages: list[tuple[str, bytes]], compress: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    for url, payload in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
        writer.write_record(rec)
    return buf.getvalue()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spark-inputs")
    pages = [
        ("https://example.org/1", _page(REPORT, "قصف على دوما")),
        ("https://example.org/2", _page(REPORT_2, "انفجار في ديالى")),
        ("https://example.org/3", _page(REPORT, "قصف على دوما")),  # an exact copy of the first
    ]
    (root / "crawl.warc.gz").write_bytes(_warc(pages, compress=True))
    # a WARC whose last record is cut short: that record fails, the one before (a copy of page 2) does not
    (root / "cut.warc").write_bytes(_warc([*pages[1:2], ("https://example.org/4", _page(REPORT, "x"))], False)[:-200])
    lines = [
        {"id": "a", "text": REPORT_2, "published": "2019-05-02", "source": "وكالة"},
        {"id": "b", "text": "Shelling hit the town of Douma, the civil defence said on Tuesday morning."},
        {"id": "c", "title": "بلا نص"},
    ]
    with gzip.open(root / "reports.jsonl.gz", "wt", encoding="utf-8") as fh:
        for obj in lines:
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
        fh.write("{not json\n")
    (root / "linked.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in LINKED), "utf-8")
    shutil.copytree(EXAMPLES, root / "examples")
    return root


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    s = session("local[2]", app_name="marsad-tests")
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def spark_run(spark: Any, inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[SparkReport, Path]:
    out = tmp_path_factory.mktemp("spark-out") / "tables"
    return run_spark([str(inputs)], out, spark=spark, partitions=3), out


@pytest.fixture(scope="module")
def local_db(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    with Store(db) as store:
        run([str(inputs)], store)
        link_store(store)
    return db


def _rows(store: Store, kind: str) -> list[dict[str, Any]]:
    rows = store.iter_events() if kind == "events" else store.iter_tallies()
    return sorted(({k: v for k, v in r.items() if k not in WRITTEN} for r in rows), key=lambda r: r["id"])


def _ledger(store: Store) -> dict[str, tuple[Any, ...]]:
    keep = ("status", "reason", "duplicate_of", "document_id", "input_path", "locator", "content_hash", "language")
    return {r["record_id"]: tuple(r[k] for k in keep) for r in store.ledger()}


def test_spark_driver_events_equal_the_local_run(spark_run: tuple[SparkReport, Path], local_db: Path) -> None:
    report, out = spark_run
    with ParquetStore(out) as parquet, Store(local_db, read_only=True) as local:
        events = _rows(parquet, "events")
        assert events and events == _rows(local, "events")
        assert _rows(parquet, "tallies") == _rows(local, "tallies")
        assert _ledger(parquet) == _ledger(local)
        assert parquet.extraction_counts() == local.extraction_counts()
    assert report.events == len(events) and report.counts["duplicate"] >= 2


def test_spark_driver_bad_records_land_in_the_ledger(spark_run: tuple[SparkReport, Path]) -> None:
    _, out = spark_run
    with ParquetStore(out) as parquet:
        rows = parquet.ledger()
    cut = [r for r in rows if r["input_path"].endswith("cut.warc")]
    assert [r["status"] for r in cut] == ["duplicate", "failed"]
    assert str(cut[1]["reason"]).startswith("truncated WARC record (declared")
    [bad_line] = [r for r in rows if r["input_path"].endswith("reports.jsonl.gz") and r["locator"] == "line:4"]
    assert bad_line["status"] == "failed" and "JSON" in str(bad_line["reason"])
    copies = [r for r in rows if r["input_path"].endswith("crawl.warc.gz") and r["status"] == "duplicate"]
    assert len(copies) == 1 and str(copies[0]["reason"]).startswith("exact copy of document ")


def test_spark_driver_rerun_does_not_duplicate_rows(
    spark: Any, inputs: Path, spark_run: tuple[SparkReport, Path]
) -> None:
    first, out = spark_run
    with ParquetStore(out) as parquet:
        before = {
            t: parquet.con.execute(f"SELECT count(*), count(DISTINCT id) FROM {t}").fetchall()
            for t in ("events", "tallies", "incidents", "contradictions")
        }
        ledger_before = len(parquet.ledger())
    again = run_spark([str(inputs)], out, spark=spark, partitions=2)
    with ParquetStore(out) as parquet:
        after = {
            t: parquet.con.execute(f"SELECT count(*), count(DISTINCT id) FROM {t}").fetchall()
            for t in ("events", "tallies", "incidents", "contradictions")
        }
        assert len(parquet.ledger()) == ledger_before == first.total
        assert parquet.con.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    assert after == before and before["events"][0][0] == before["events"][0][1] == first.events
    assert before["incidents"][0][0] == before["incidents"][0][1] > 0
    assert again.events == first.events and again.counts == first.counts


def test_spark_driver_reads_hadoop_uris(
    spark: Any, inputs: Path, spark_run: tuple[SparkReport, Path], tmp_path: Path
) -> None:
    uri = (inputs / "crawl.warc.gz").as_uri()
    shutil.copytree(spark_run[1], tmp_path / "out")  # a linked run's tables: a run without linking replaces them
    report = run_spark([uri, "file:///no/such/folder/x.warc"], tmp_path / "out", spark=spark, partitions=2, link=False)
    with ParquetStore(tmp_path / "out") as parquet:
        rows = [(r["input_path"], r["locator"], r["status"], r["reason"]) for r in parquet.ledger()]
        for table in ("incidents", "incident_reports", "contradictions"):
            assert parquet.con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
        assert parquet.con.execute("SELECT count(*), count(claim_status) FROM events").fetchone() == (2, 0)
    assert report.linking is None
    assert [(status, str(reason)[:10]) for path, _, status, reason in rows if path.endswith("crawl.warc.gz")] == [
        ("processed", "None"),
        ("processed", "None"),
        ("duplicate", "exact copy"),
    ], rows
    assert ("file:///no/such/folder/x.warc", "", "failed", "no such file or directory") in rows
    assert report.counts == {"processed": 2, "duplicate": 1, "failed": 1}


def test_spark_cli_export_reads_the_parquet_folder(
    spark_run: tuple[SparkReport, Path], local_db: Path, tmp_path: Path
) -> None:
    _, out = spark_run
    runner = CliRunner()
    for db, name in ((out, "spark.csv"), (local_db, "local.csv")):
        result = runner.invoke(app, ["export", "--db", str(db), "--format", "acled-csv", "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    spark_csv = (tmp_path / "spark.csv").read_text(encoding="utf-8").splitlines()
    local_csv = (tmp_path / "local.csv").read_text(encoding="utf-8").splitlines()
    assert len(spark_csv) == len(local_csv) > 1 and spark_csv[0] == local_csv[0]
    result = runner.invoke(app, ["run", str(EXAMPLES), "--db", str(out)])
    assert result.exit_code != 0 and "can be read, not written" in result.output


def test_spark_output_copies_into_a_duckdb_store(spark_run: tuple[SparkReport, Path], tmp_path: Path) -> None:
    report, out = spark_run
    for _ in range(2):  # copying again replaces rows, it does not add them
        copied = copy_to_store(out, tmp_path / "copy.duckdb")
    assert copied["ledger"] == report.total and copied["events"] == report.events
    with Store(tmp_path / "copy.duckdb", read_only=True) as store:
        assert store.extraction_counts() == {"events": report.events, "tallies": report.tallies}
        assert sum(store.ledger_counts().values()) == report.total


_LINK_QUERIES = {
    "incidents": "SELECT * EXCLUDE (link_run, created_at) FROM incidents ORDER BY id",
    "incident_reports": "SELECT incident_id, event_id, document_id, outlet FROM incident_reports ORDER BY event_id",
    "contradictions": "SELECT * EXCLUDE (link_run, created_at) FROM contradictions ORDER BY id",
    "claim_status": "SELECT id, claim_status FROM events ORDER BY id",
}


def test_spark_driver_links_incidents_as_the_local_run(spark_run: tuple[SparkReport, Path], local_db: Path) -> None:
    report, out = spark_run
    with ParquetStore(out) as parquet, Store(local_db, read_only=True) as local:
        for name, sql in _LINK_QUERIES.items():
            assert parquet.con.execute(sql).fetchall() == local.con.execute(sql).fetchall(), name
        linked = parquet.con.execute(
            "SELECT id, grade FROM incidents WHERE n_documents = 2 AND list_contains(outlets, 'sada')"
        ).fetchall()
        cx = parquet.con.execute("SELECT scope, aspect, a_value, b_value, incident_id FROM contradictions").fetchall()
    [(incident, grade)] = linked
    assert ("incident", "fatalities", "4", "7", incident) in cx
    assert ("document", "cause", "car_bomb", "landmine", incident) in cx
    assert grade == "contested"  # a cause in dispute
    assert report.linking is not None
    assert (report.linking.events, report.linking.contradictions) == (report.events, len(cx))
    assert report.linking.linked_incidents >= 1
    assert report.linking.encoder == (ENCODER_NAME if encoder() is not None else "none")


def test_spark_cli_links_unless_told_not_to(
    inputs: Path, spark_run: tuple[SparkReport, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, _ = spark_run
    calls: list[dict[str, Any]] = []

    def recorded(*args: Any, **kwargs: Any) -> SparkReport:  # the report of the module's run, not run again
        calls.append(kwargs)
        return report

    monkeypatch.setattr("marsad.spark.driver.run_spark", recorded)
    runner = CliRunner()
    args = ["spark", str(inputs), "--output", str(tmp_path / "out"), "--master", "local[2]"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert report.linking is not None and calls[0]["link"] is True
    assert f"Linked {report.events} events into {report.linking.incidents} incidents" in result.output
    result = runner.invoke(app, [*args, "--no-link"])
    assert result.exit_code == 0 and calls[1]["link"] is False
    assert calls[0]["use_encoder"] is True
    result = runner.invoke(app, [*args, "--no-encoder"])
    assert result.exit_code == 0 and calls[2]["link"] is True and calls[2]["use_encoder"] is False
