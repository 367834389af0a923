"""Ingestion + cleaning throughput and peak memory, on one core.

Texts come from ../shared/corpus (real Arabic news) when it is there, otherwise from the bundled
examples. Two workloads:

* text JSONL: N records (the shared corpus, cycled with a varying suffix so they are not
  duplicates), through readers and the whole cleaning pipeline, and through `marsad run`
  into DuckDB;
* HTML pages: M generated pages (varied templates: navigation, share buttons, related links,
  comments, footers, meta tags) around the same texts, through trafilatura (default), and
  Resiliparse.

Usage: python bench/ingest.py [--docs 5000] [--pages 2000]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT / "src"))

from marsad.ingest import iter_records  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402
from marsad.runner import run  # noqa: E402
from marsad.settings import Settings  # noqa: E402
from marsad.store import Store  # noqa: E402

TEMPLATES = [
    "<html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>{title}</title>"
    "<meta property='article:published_time' content='{date}'></head><body>"
    "<nav><ul>{nav}</ul></nav><div class='share'>شارك على فيسبوك | تويتر | واتساب</div>"
    "<article><h1>{title}</h1><div class='date'>{date}</div>{paras}</article>"
    "<aside><h3>اقرأ أيضاً</h3><ul>{related}</ul></aside>"
    "<footer>جميع الحقوق محفوظة © 2015</footer></body></html>",
    "<!DOCTYPE html><html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>"
    "<title>{title} | صحيفة</title></head><body><header><div class='logo'>صحيفة</div>{nav}</header>"
    "<main><div id='content'><h2 class='headline'>{title}</h2><span class='byline'>الرياض – {date}</span>"
    "<div class='body'>{paras}</div></div><section class='comments'><h4>التعليقات</h4><p>تعليق أول</p></section>"
    "<div class='related'>{related}</div></main><div class='cookie'>يستخدم هذا الموقع ملفات تعريف الارتباط</div>"
    "<script>var x = 1;</script></body></html>",
]


def texts() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for name in ("saudinewsnet-incidents.jsonl", "saudinewsnet-sample.jsonl"):
        path = SHARED / name
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                out.extend(json.loads(line) for line in fh)
    if not out:
        for rec in iter_records([str(ROOT / "examples" / "corpus" / "jsonl")]):
            out.append({"title": rec.meta.title or "", "text": str(rec.payload), "published": "2021-01-01"})
    return out


def make_jsonl(path: Path, source: list[dict[str, str]], n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            s = source[i % len(source)]
            rec = {"id": f"b{i}", "title": s["title"], "text": f"{s['text']}\nرقم المرجع {i}",
                   "published": s.get("published", "2015-08-01"), "source": "bench"}  # fmt: skip
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def make_pages(folder: Path, source: list[dict[str, str]], n: int) -> None:
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        s = source[i % len(source)]
        paras = "".join(f"<p>{p}</p>" for p in s["text"].split("\n") if p.strip()) + f"<p>رقم المرجع {i}</p>"
        nav = "".join(f"<li><a href='/s{k}'>قسم {k}</a></li>" for k in range(rng.randint(4, 12)))
        related = "".join(f"<li><a href='/r{k}'>{source[(i + k) % len(source)]['title']}</a></li>" for k in range(5))
        html = TEMPLATES[i % len(TEMPLATES)].format(title=s["title"], date=s.get("published", "2015-08-01"),
                                                    paras=paras, nav=nav, related=related)  # fmt: skip
        (folder / f"p{i:05d}.html").write_text(html, encoding="utf-8")


def pipeline_rate(inputs: list[str], settings: Settings) -> tuple[int, float]:
    p = Pipeline(settings)
    start = time.perf_counter()
    n = 0
    for rec in iter_records(inputs, settings):
        p.process(rec)
        n += 1
    return n, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--pages", type=int, default=2000)
    args = ap.parse_args()
    source = texts()
    print(f"# bench/ingest.py — {time.strftime('%Y-%m-%d')} — {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, corpus texts: {len(source)}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        jsonl = tmpdir / "docs.jsonl"
        make_jsonl(jsonl, source, args.docs)
        Pipeline().process(next(iter_records([str(jsonl)])))  # warm up models and lexicons
        n, secs = pipeline_rate([str(jsonl)], Settings())
        print(f"text JSONL, readers + cleaning:        {n} docs in {secs:.2f} s = {n / secs:,.0f} docs/s")
        store = Store(tmpdir / "bench.duckdb")
        report = run([str(jsonl)], store)
        store.close()
        print(f"text JSONL, `marsad run` into DuckDB:  {report.total} docs in {report.seconds:.2f} s "
              f"= {report.per_second:,.0f} docs/s")  # fmt: skip
        pages = tmpdir / "pages"
        make_pages(pages, source, args.pages)
        for extractor in ("trafilatura", "resiliparse"):
            n, secs = pipeline_rate([str(pages)], Settings(html_extractor=extractor))
            print(f"HTML pages, {extractor:<12} + cleaning: {n} pages in {secs:.2f} s = {n / secs:,.0f} pages/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole benchmark: {peak:.0f} MB")


if __name__ == "__main__":
    main()
