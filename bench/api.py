"""Workspace API latency: /api/events with filters on a database of synthetic events.

Builds (once, cached under bench/out/, which git ignores) a Marsad database of N synthetic events
(default 100,000) over N/4 documents, each ten random sentences of the real articles of
../shared/corpus read at run time (a synthetic word list when it is absent), then starts `marsad serve`
on 127.0.0.1 in its own process and sends requests from C concurrent connections (default 50)
for a few seconds per query, then for all the queries in turn ("all queries, cycled"). The load
comes from `wrk` (C, `apt-get install wrk`; `wrk -t2 -cC -dS --latency` with a Lua script that
cycles the URLs and prints exact percentiles) when it is on the PATH, else from asyncio + httpx
clients (Python, which takes much of the CPU the server needs). Prints p50/p95/p99 latency and
requests/s per query; --record appends the table to docs/benchmarks.md with the machine, date,
load generator and load average.

With wrk, a last row sends "varied filters": --varied distinct URLs (default 20,000, seeded),
each a random combination of date range, country, admin1, bounding box, event type, actor,
minimum fatalities, text search and page, cycled once or so in the run, so that neither the
response cache nor repetition helps, and "text search, each term new": up to 3,000 distinct
searches, each a scan of every document's text the first time. --no-index serves every page through SQL (the server's
in-memory event index off) to compare.

Usage: python bench/api.py [--events 100000] [--clients 50] [--seconds 10] [--no-cache] [--no-index]
                           [--varied 20000] [--workers 1] [--load-generator auto|wrk|httpx] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT / "bench"))

from spark import SHARED, sentences  # noqa: E402  (the same corpus sentences as the Spark benchmark)

from marsad.store import Store  # noqa: E402

QUERIES = {
    "no filter, page of 100": "limit=100",
    "date range + country": "date_from=2021-03-01&date_to=2021-06-30&country=SY&limit=100",
    "bbox + event type": "bbox=35,32,42,37&event_type=Battles&limit=100",
    "actor + admin1": "actor=houthi&admin1=Marib&limit=100",
    "date + type + min fatalities, offset 500": "date_from=2020-01-01&event_type=Explosions/Remote%20violence"
    "&min_fatalities=3&limit=100&offset=500",
    "Arabic text search q": "q=%D9%85%D8%A3%D8%B1%D8%A8&limit=100",
}
# (admin1, iso, country, lat, lon) of the synthetic places
PLACES = [
    ("Marib", "YE", "Yemen", 15.46, 45.33), ("Taizz", "YE", "Yemen", 13.58, 44.02),
    ("Idleb", "SY", "Syria", 35.93, 36.63), ("Aleppo", "SY", "Syria", 36.2, 37.15),
    ("Deir-ez-Zor", "SY", "Syria", 35.34, 40.14), ("Baghdad", "IQ", "Iraq", 33.34, 44.4),
    ("Nineveh", "IQ", "Iraq", 36.34, 43.13), ("Tripoli", "LY", "Libya", 32.89, 13.19),
    ("North Sinai", "EG", "Egypt", 31.13, 33.8), ("Khartoum", "SD", "Sudan", 15.5, 32.56),
]  # fmt: skip
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments"]
ACTORS = ["Houthi Movement", "Military Forces of Syria", "Islamic State (Iraq)", "Syrian Democratic Forces",
          "Rapid Support Forces", "Unidentified Armed Group (Libya)", "Civilians (Yemen)"]  # fmt: skip
WORDS = [
    "قصف",
    "غارة",
    "اشتباكات",
    "مقتل",
    "إصابة",
    "مدنيين",
    "قوات",
    "مسلحة",
    "مدينة",
    "ريف",
    "محافظة",
    "مأرب",
    "حلب",
    "بغداد",
    "طرابلس",
    "الخرطوم",
]


def varied(count: int, seed: int = 2026) -> list[str]:
    """``count`` distinct query strings, each a random mix of the filters a dashboard sends."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    words = ["مأرب", "حلب", "بغداد", "غارة", "قصف", "طرابلس", "الخرطوم"]
    while len(found) < count:
        parts = []
        if rng.random() < 0.6:
            start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1700))
            parts.append(f"date_from={start}")
            if rng.random() < 0.7:
                parts.append(f"date_to={start + dt.timedelta(days=rng.randrange(7, 400))}")
        if rng.random() < 0.3:
            parts.append(f"country={rng.choice(['SY', 'YE', 'IQ', 'LY', 'EG', 'SD', 'syria', 'yemen'])}")
        if rng.random() < 0.2:
            parts.append(f"admin1={quote(rng.choice([p[0] for p in PLACES]))}")
        if rng.random() < 0.3:
            lon, lat = rng.uniform(10, 44), rng.uniform(12, 34)
            parts.append(f"bbox={lon:.2f},{lat:.2f},{lon + rng.uniform(1, 8):.2f},{lat + rng.uniform(1, 6):.2f}")
        if rng.random() < 0.4:
            parts.append(f"event_type={quote(rng.choice(TYPES))}")
        if rng.random() < 0.25:
            parts.append(f"actor={rng.choice(['houthi', 'syria', 'islamic', 'rapid', 'civilians', 'libya'])}")
        if rng.random() < 0.2:
            parts.append(f"min_fatalities={rng.choice([1, 3, 5, 10])}")
        if rng.random() < 0.1:
            parts.append(f"q={quote(rng.choice(words))}")
        parts.append(f"limit={rng.choice([25, 50, 100, 100, 200])}")
        if rng.random() < 0.3:
            parts.append(f"offset={rng.choice([100, 200, 500, 1000])}")
        found["&".join(parts)] = None
    return list(found)


def searches(count: int, seed: int = 2026) -> list[str]:
    """``count`` distinct text searches, each new to the server (what a search costs the first
    time): words of three letters or more and pairs of adjacent words from the documents' texts
    (the shared corpus's sentences; the synthetic word list without it)."""
    rng = random.Random(seed)
    pool, _ = sentences()
    texts = pool or [" ".join(WORDS)]
    found: dict[str, None] = {}
    while len(found) < count:
        words = [w for w in re.findall(r"\w+", rng.choice(texts)) if len(w) >= 3 and not w.isdigit()]
        if len(words) < 2:
            continue
        at = rng.randrange(len(words) - 1)
        term = words[at] if rng.random() < 0.6 else f"{words[at]} {words[at + 1]}"
        found[f"q={quote(term)}&limit=100"] = None
    return list(found)


def build(path: Path, events: int) -> None:
    """A store (all migrations): documents (~10 random sentences of the shared corpus's real
    articles each, or synthetic words without it), then events spread over them, by SQL."""
    docs = max(1, events // 4)
    pool, titles = sentences()
    rng = random.Random(7)
    if pool:
        texts = [" ".join(rng.choice(pool) for _ in range(10)) for _ in range(docs)]
        heads = [rng.choice(titles) for _ in range(docs)]
    else:
        texts = [" ".join(rng.choice(WORDS) for _ in range(120)) for _ in range(docs)]
        heads = [f"عنوان {i}" for i in range(docs)]
    bodies = pa.table({"i": list(range(docs)), "title": heads, "text": texts})  # noqa: F841 - read by DuckDB
    with Store(path) as store:
        con = store.con
        con.execute("CREATE TEMP TABLE places AS SELECT * FROM (VALUES " + ", ".join(
            f"({i}, '{a}', '{iso}', '{c}', {lat}, {lon})" for i, (a, iso, c, lat, lon) in enumerate(PLACES)
        ) + ") p(pi, admin1, iso, country, lat, lon)")  # fmt: skip
        con.execute(
            "INSERT INTO documents (document_id, record_id, input_path, locator, input_kind, source, title, "
            "published, text, text_hash, language, metadata, run_id, created_at) "
            "SELECT 'd' || i, 'd' || i, 'bench', '', 'text', 'outlet-' || (i % 40), title, "
            "DATE '2019-01-01' + CAST(i % 1800 AS INTEGER), text, md5(i::VARCHAR), 'ar', '{}', 'bench', now() "
            "FROM bodies"
        )
        con.execute(
            "INSERT INTO events (id, document_id, event_type, sub_event_type, disorder_type, trigger, event_date, "
            "actor1, actor2, civilian_targeting, country, iso, admin1, location, latitude, longitude, fatalities, "
            "fatalities_low, fatalities_high, injured, abducted, stance, source_attribution, confidence, "
            '"start", "end", field, evidence, notes, run_id, created_at) '
            "SELECT 'e' || i, 'd' || (i % ?), (?::VARCHAR[])[1 + i % 4], 'Armed clash', 'Political violence', 't', "
            "DATE '2019-01-01' + CAST((i * 37) % 1800 AS INTEGER), (?::VARCHAR[])[1 + i % 7], "
            "(?::VARCHAR[])[1 + (i // 7) % 7], false, p.country, p.iso, p.admin1, p.admin1, "
            "p.lat + ((i % 100) - 50) / 100.0, p.lon + ((i % 77) - 38) / 100.0, (i * 13) % 20, (i * 13) % 20, "
            "(i * 13) % 20, 0, 0, 'asserts', '', 0.9, 0, 10, 'text', "
            '\'[{"role": "trigger", "start": 0, "end": 3, "text": "قصف", "field": "text"}]\', \'\', '
            "'bench', now() FROM range(?) t(i) JOIN places p ON p.pi = (i * 3) % ?",
            [docs, TYPES, ACTORS, ACTORS, events, len(PLACES)],
        )
        con.execute("CHECKPOINT")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def load(url: str, clients: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.HTTPError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - started)
                errors += response.status_code != 200

        await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("MARSAD-RESULT %%d %%d %%d %%.1f %%.1f %%.1f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
"""


def run_wrk(port: int, queries: list[str], clients: int, seconds: float) -> tuple[int, int, float, float, float, float]:
    """``(requests, errors, p50 ms, p95 ms, p99 ms, requests/s)`` of wrk cycling ``queries``."""
    paths = ", ".join(f'"/api/events?{q}"' for q in queries)
    script = OUT / "api-wrk.lua"
    script.write_text(WRK_SCRIPT % paths, encoding="utf-8")
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds:g}s", "--latency", "--timeout", "30s", "-s", str(script)]
    done = subprocess.run([*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    found = re.search(r"MARSAD-RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", done.stdout)
    if found is None:
        raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    n, duration_us, errors = (int(found.group(k)) for k in (1, 2, 3))
    p50, p95, p99 = (float(found.group(k)) / 1000 for k in (4, 5, 6))
    return n, errors, p50, p95, p99, n / (duration_us / 1e6)


def run_httpx(port: int, query: str, clients: int, seconds: float) -> tuple[int, int, float, float, float, float]:
    latencies, errors = asyncio.run(load(f"http://127.0.0.1:{port}/api/events?{query}", clients, seconds))
    p50, p95, p99 = (percentile(latencies, q) * 1000 for q in (50, 95, 99))
    return len(latencies), errors, p50, p95, p99, len(latencies) / seconds


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--no-cache", action="store_true", help="serve without the response cache")
    parser.add_argument("--no-index", action="store_true", help="serve every page through SQL (no event index)")
    parser.add_argument("--varied", type=int, default=20_000, help="distinct URLs of the varied-filters row")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (marsad serve --workers)")
    parser.add_argument("--load-generator", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--record", action="store_true", help="append the results to docs/benchmarks.md")
    args = parser.parse_args()
    if args.load_generator == "auto":
        args.load_generator = "wrk" if shutil.which("wrk") else "httpx"
    elif args.load_generator == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not on the PATH (apt-get install wrk), or use --load-generator httpx")
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"api-{args.events}-{'corpus' if SHARED.is_dir() else 'words'}.duckdb"
    if not db.exists():
        started = time.perf_counter()
        build(db, args.events)
        print(f"built {db} ({args.events:,} events) in {time.perf_counter() - started:.1f} s")
    port = free_port()
    env = {**os.environ, "MARSAD_API_TOKEN": "bench-token-0123456789"}
    script = (
        "import sys; from pathlib import Path; from marsad.api.app import ApiSettings; "
        "from marsad.api.server import serve; "
        "serve(Path(sys.argv[1]), port=int(sys.argv[2]), read_only=True, "
        "settings=ApiSettings(cache_entries=int(sys.argv[3]), index_max_events=int(sys.argv[4])), "
        "workers=int(sys.argv[5]))"
    )
    cache, index = "0" if args.no_cache else "1024", "0" if args.no_index else str(max(args.events, 1_000_000))
    server = subprocess.Popen(
        [sys.executable, "-c", script, str(db), str(port), cache, index, str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if not os.environ.get("BENCH_SERVER_LOG") else None,
    )
    base = f"http://127.0.0.1:{port}/api/events?"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        if not args.no_index:  # the event index is built in the background: wait until pages come from it
            time.sleep(args.events / 50_000 + 1)
        rows = []
        load_before = os.getloadavg()[0]
        runs = [(name, [query]) for name, query in QUERIES.items()]
        if args.load_generator == "wrk":
            runs.append(("all queries, cycled", list(QUERIES.values())))
            runs.append((f"varied filters ({args.varied:,} distinct URLs)", varied(args.varied)))
            runs.append(("text search, each term new (q only)", searches(min(args.varied, 3000))))
        for name, queries in runs:
            sample = queries[:: max(1, len(queries) // 50)]
            total = sum(httpx.get(base + q, timeout=30).json()["total"] for q in sample) // len(sample)
            if args.load_generator == "wrk":
                n, errors, p50, p95, p99, rps = run_wrk(port, queries, args.clients, args.seconds)
            else:
                n, errors, p50, p95, p99, rps = run_httpx(port, queries[0], args.clients, args.seconds)
            rows.append((name, total, n, errors, p50, p95, p99, rps))
            print(f"{name:45} matches {total:>7,}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  "
                  f"{rps:6.1f} req/s  errors {errors}")  # fmt: skip
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:  # still working through the load's backlog
            server.kill()
            server.wait(10)
    args.loadavg = (load_before, os.getloadavg()[0])
    print(f"load average (1 min) before/after: {args.loadavg[0]:.1f} / {args.loadavg[1]:.1f}")
    if args.record:
        record(rows, args)


def record(rows: list[tuple[str, int, int, int, float, float, float, float]], args: argparse.Namespace) -> None:
    machine = f"{platform.machine()}, CPython {platform.python_version()}, {os.cpu_count()} cores (shared)"
    lines = [
        "",
        f"## Workspace API (bench/api.py) — {dt.date.today()}, {machine}",
        "",
        f"`/api/events` on {args.events:,} synthetic events ({args.events // 4:,} documents), `marsad serve "
        f"--read-only --workers {args.workers}` (response cache {'off' if args.no_cache else 'on'}, "
        f"event index {'off: every page by SQL' if args.no_index else 'on'}) and "
        + (
            f"`wrk -t2 -c{args.clients} -d{args.seconds:g}s --latency` (Lua script cycling the URLs, exact percentiles)"
            if args.load_generator == "wrk"
            else f"{args.clients} concurrent httpx clients"
        )
        + f" on the same machine over loopback, {args.seconds:g} s per row. Load average (1 min) before/after: "
        f"{args.loadavg[0]:.1f} / {args.loadavg[1]:.1f} (other jobs share the cores). Target: p95 ≤ 100 ms. "
        "Matches of the cycled and varied rows: mean over the queries (varied: over a sample of 50).",
        "",
        "| query | matches | requests | errors | p50 ms | p95 ms | p99 ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, total, n, errors, p50, p95, p99, rps in rows:
        lines.append(f"| {name} | {total:,} | {n:,} | {errors} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {rps:.1f} |")
    with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("appended to docs/benchmarks.md")


if __name__ == "__main__":
    main()
