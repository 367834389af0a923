"""Spark scale-out: documents per second in local[1] vs local[2], beside the single-process run.

Workload (built in a temporary folder, never copied into the repository): N documents, half as
JSONL text records and half as generated HTML pages wrapped in gzipped WARC files (the templates
of bench/ingest.py). Every document is made of ~10 sentences drawn at random from the real
articles of ../shared/corpus (SaudiNewsNet), so they read like news, reach extraction, and are
not near-duplicates of each other (a cycled corpus would be mostly copies, which both drivers
skip before extraction).

Three runs on the same inputs, each in a process of its own (a fresh JVM for each Spark run)
pinned to as many CPU cores as it may use (``sched_setaffinity``, inherited by the JVM and the
Python workers), so that "local[1]" means one core for everything Spark does — the JVM's reading,
shuffling and Parquet writing included — and "local[2]" two:
* single process: ``marsad.runner.run`` into a DuckDB file, then ``link_store`` (what
  ``marsad run`` does), one core;
* Spark local[1] and local[2]: ``marsad.spark.driver.run_spark`` into Parquet, its linking stages
  included (session start is reported apart and not counted).
--no-pin leaves every run free to use all the machine's cores (the JVM then works beside a
local[1] task on another core, which flatters local[1]).

--no-link measures the per-document stages alone (no incident linking in either driver).

Usage: python bench/spark.py [--docs 20000] [--files 8] [--skip-single] [--cores 1,2] [--no-pin] [--no-link]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import TEMPLATES  # noqa: E402

from marsad.runner import run  # noqa: E402
from marsad.store import Store  # noqa: E402

_SENTENCE = re.compile(r"[^.!؟?\n]+[.!؟?]")


def sentences() -> tuple[list[str], list[str]]:
    """Sentences and titles of the real articles of ../shared/corpus (none from a file that is absent)."""
    pool: list[str] = []
    titles: list[str] = []
    for name in ("saudinewsnet-incidents.jsonl", "saudinewsnet-sample.jsonl"):
        path = SHARED / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                obj = json.loads(line)
                titles.append(obj["title"])
                pool.extend(s.strip() for s in _SENTENCE.findall(obj["text"]) if len(s.strip()) > 40)
    return pool, titles


def make_inputs(folder: Path, docs: int, files: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pool, titles = sentences()
    rng = random.Random(20151)
    per_file = docs // files
    for f in range(files):
        if f % 2 == 0:
            with (folder / f"part{f:02d}.jsonl").open("w", encoding="utf-8") as fh:
                for i in range(per_file):
                    text = " ".join(rng.sample(pool, 10))
                    day = f"2015-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    rec = {"id": f"b{f}-{i}", "title": rng.choice(titles), "text": text, "published": day,
                           "source": "bench"}  # fmt: skip
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            continue
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True)
        for i in range(per_file):
            paras = "".join(f"<p>{' '.join(rng.sample(pool, 3))}</p>" for _ in range(3))
            nav = "".join(f"<li><a href='/s{k}'>قسم {k}</a></li>" for k in range(rng.randint(4, 12)))
            related = "".join(f"<li><a href='/r{k}'>{rng.choice(titles)}</a></li>" for k in range(5))
            day = f"2015-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            html = TEMPLATES[i % len(TEMPLATES)].format(title=rng.choice(titles), date=day, paras=paras, nav=nav,
                                                        related=related)  # fmt: skip
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = writer.create_warc_record(f"https://bench.example/{f}/{i}", "response",
                                            payload=io.BytesIO(html.encode()), http_headers=headers)  # fmt: skip
            writer.write_record(rec)
        (folder / f"part{f:02d}.warc.gz").write_bytes(buf.getvalue())


def single(inputs: Path, work: Path, linking: bool = True) -> tuple[int, float, dict[str, int]]:
    """``marsad run`` with its linking step (incidents, contradictions), like the Spark runs."""
    from marsad.link import run as link

    start = time.perf_counter()
    with Store(work / "single.duckdb") as store:
        report = run([str(inputs)], store)
        if linking:
            link.link_store(store)
    return report.total, time.perf_counter() - start, dict(report.counts)


def spark(inputs: Path, work: Path, cores: int, linking: bool = True) -> tuple[int, float, float, dict[str, int]]:
    from marsad.spark.driver import run_spark, session

    begin = time.perf_counter()
    s = session(f"local[{cores}]", app_name=f"marsad-bench-{cores}")
    s.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter() - begin
    try:
        begin = time.perf_counter()
        report = run_spark([str(inputs)], work / f"out{cores}", spark=s, partitions=4 * cores, link=linking)
        return report.total, time.perf_counter() - begin, started, dict(report.counts)
    finally:
        s.stop()


def failed(work: Path) -> None:
    """Why records failed (the same in every run: they are the pipeline's, not the driver's)."""
    from marsad.store.parquet import ParquetStore

    for out in sorted(work.glob("out*")):
        with ParquetStore(out) as store:
            reasons = {str(r["reason"])[:120] for r in store.ledger(status="failed")}
        print(f"failed in {out.name}: {sorted(reasons)}")
        break


def one_run(kind: str, inputs: Path, work: Path, pin: bool, linking: bool) -> None:
    """One measured run in this process (``kind``: ``single`` or ``local:N``); prints a JSON line."""
    cores = 1 if kind == "single" else int(kind.split(":")[1])
    if pin:
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:cores]))
    if kind == "single":
        (n, seconds, counts), started = single(inputs, work, linking), 0.0
    else:
        n, seconds, started, counts = spark(inputs, work, cores, linking)
    result = {"kind": kind, "records": n, "seconds": seconds, "started": started, "counts": counts,
              "cpus": sorted(os.sched_getaffinity(0))}  # fmt: skip
    print("RESULT " + json.dumps(result), flush=True)


def measured(kind: str, inputs: Path, work: Path, pin: bool, linking: bool) -> dict[str, object]:
    command = [sys.executable, __file__, "--run", kind, "--inputs", str(inputs), "--work", str(work)]
    flags = [*([] if pin else ["--no-pin"]), *([] if linking else ["--no-link"])]
    done = subprocess.run([*command, *flags], capture_output=True, text=True, check=False)
    found = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not found:
        sys.exit(f"the {kind} run failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    result: dict[str, object] = json.loads(found[-1][len("RESULT ") :])
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--skip-single", action="store_true")
    ap.add_argument("--cores", default="1,2", help="Spark local[N] runs to make, e.g. 2,1")
    ap.add_argument("--no-pin", action="store_true", help="do not pin each run to its number of cores")
    ap.add_argument("--no-link", action="store_true", help="per-document stages only (no incident linking)")
    ap.add_argument("--run", help=argparse.SUPPRESS)  # internal: one run in this process
    ap.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        one_run(args.run, args.inputs, args.work, not args.no_pin, not args.no_link)
        return
    if not SHARED.is_dir():
        sys.exit("../shared/corpus is absent: the benchmark needs its texts")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    print(f"# {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = work / "inputs"
        inputs.mkdir()
        t = time.perf_counter()
        make_inputs(inputs, args.docs, args.files)
        size = sum(p.stat().st_size for p in inputs.iterdir())
        print(f"inputs: {args.docs} documents in {args.files} files, {size / 1e6:.1f} MB, built in "
              f"{time.perf_counter() - t:.1f} s")  # fmt: skip
        rates: dict[str, float] = {}
        pin = not args.no_pin
        for cores in (int(c) for c in args.cores.split(",")):
            r = measured(f"local:{cores}", inputs, work, pin, not args.no_link)
            n, seconds = int(str(r["records"])), float(str(r["seconds"]))
            rates[f"local[{cores}]"] = n / seconds
            print(f"spark local[{cores}] on CPUs {r['cpus']}: {n} records in {seconds:.1f} s = {n / seconds:.1f} "
                  f"docs/s (session start {float(str(r['started'])):.1f} s, not counted) {r['counts']} "
                  f"load {os.getloadavg()}")  # fmt: skip
        if not args.skip_single:
            r = measured("single", inputs, work, pin, not args.no_link)
            n, seconds = int(str(r["records"])), float(str(r["seconds"]))
            rates["single"] = n / seconds
            print(f"single process (marsad run) on CPUs {r['cpus']}: {n} records in {seconds:.1f} s = "
                  f"{n / seconds:.1f} docs/s {r['counts']} load {os.getloadavg()}")  # fmt: skip
        if "local[1]" in rates and "local[2]" in rates:
            speedup = rates["local[2]"] / rates["local[1]"]
            print(f"speed-up local[2] / local[1]: {speedup:.2f}x; documents per core-hour (local[1]): "
                  f"{rates['local[1]'] * 3600:,.0f}")  # fmt: skip
        failed(work)


if __name__ == "__main__":
    main()
