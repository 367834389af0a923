"""The ``marsad`` command line."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from marsad import __version__
from marsad.errors import MarsadError
from marsad.model import Status
from marsad.settings import MiB, Settings

if TYPE_CHECKING:
    from marsad.export import ExportReport
    from marsad.store import Store

app = typer.Typer(
    name="marsad",
    help="Marsad (مرصد): Arabic conflict news to a verified, geocoded, source-attributed event dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_probe = Console()
console = _probe if _probe.is_terminal else Console(width=150)  # files and pipes get wide tables
err = Console(stderr=True)

EXIT_STORE = 3


def _gazetteer_app() -> typer.Typer:
    from marsad.geo.cli import app as gazetteer

    return gazetteer


app.add_typer(_gazetteer_app(), name="gazetteer")
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB database file.")]


def _fail(message: str, code: int = EXIT_STORE) -> typer.Exit:
    # one line per message, whatever the terminal width: paths must stay copyable and greppable
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def _parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _open_store(db: Path, *, read_only: bool = False) -> Any:
    from marsad.store import Store

    try:
        if db.is_dir():  # a folder of Parquet tables written by `marsad spark`
            from marsad.store.parquet import ParquetStore

            if not read_only:
                raise _fail(f"{db} is a folder of Parquet tables (from `marsad spark`): it can be read, not written")
            return ParquetStore(db)
        return Store(db, read_only=read_only)
    except MarsadError as exc:
        raise _fail(exc.message) from None


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details to stderr.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if version:
        console.print(f"marsad {__version__}")
        raise typer.Exit(0)


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, glob patterns, or - for JSONL on stdin.")],
    db: DbOption = Path("marsad.duckdb"),
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs that carry none.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Source/outlet name for inputs that carry none.")] = None,
    force: Annotated[bool, typer.Option(help="Process again records already in the ledger.")] = False,
    max_bytes: Annotated[int, typer.Option(help="Largest document, record or line, in MB.", min=1)] = 16,
    html_extractor: Annotated[
        str, typer.Option(help="trafilatura | trafilatura-fallback | resiliparse")
    ] = "trafilatura",
    no_raw: Annotated[bool, typer.Option("--no-raw", help="Do not keep the raw input of each document.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print the summary only.")] = False,
    no_link: Annotated[
        bool, typer.Option("--no-link", help="Do not link incidents and find contradictions after processing.")
    ] = False,
) -> None:
    """Run the pipeline on INPUTS and store the results (every input gets a ledger row)."""
    from marsad.runner import run as run_pipeline

    day = _parse_day(published)
    if html_extractor not in {"trafilatura", "trafilatura-fallback", "resiliparse"}:
        raise typer.BadParameter(f"unknown extractor {html_extractor!r}", param_hint="--html-extractor")
    settings = Settings(max_record_bytes=max_bytes * MiB, html_extractor=html_extractor, store_raw=not no_raw)
    store = _open_store(db)
    show_progress = not quiet and err.is_terminal
    with Progress(
        SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"), TimeElapsedColumn(),
        console=err, transient=True, disable=not show_progress,
    ) as progress:  # fmt: skip
        task = progress.add_task("processing", total=None, status="")
        tally: dict[str, int] = {}

        def tick(status: str) -> None:
            tally[status] = tally.get(status, 0) + 1
            progress.update(task, advance=1, status=" ".join(f"{k} {v}" for k, v in sorted(tally.items())))

        try:
            report = run_pipeline(inputs, store, settings=settings, published=day, source=source, force=force,
                                  on_record=tick)  # fmt: skip
        except MarsadError as exc:
            store.close()
            raise _fail(exc.message) from None
    totals = store.ledger_counts()
    stored = store.extraction_counts()
    linked = None if no_link or report.interrupted else _link(store)
    store.close()
    _print_summary(report, totals, db, stored)
    if linked is not None:
        console.print(_link_line(linked) + f"  (see: marsad incidents --db {db})")


def _link(store: Store) -> Any:
    from marsad.link.run import link_store

    try:
        return link_store(store)
    except MarsadError as exc:
        err.print(f"[yellow]incident linking skipped:[/] {exc.message}")
        return None


def _link_line(s: Any) -> str:
    grades = ", ".join(f"{k} {v}" for k, v in sorted(s.grades.items()))
    return (
        f"Linked {s.events} events into {s.incidents} incidents ({s.linked_incidents} reported more than once; "
        f"{grades}); {s.contradictions} contradictions; {s.seconds:.1f} s"
    )


@app.command("link")
def link_cmd(
    db: DbOption = Path("marsad.duckdb"),
    no_encoder: Annotated[
        bool, typer.Option("--no-encoder", help="Compare words instead of sentence vectors (faster, coarser).")
    ] = False,
) -> None:
    """Link the stored events of all documents into incidents, find contradictions, grade incidents."""
    from marsad.link.run import link_store

    store = _open_store(db)
    try:
        summary = link_store(store, use_encoder=not no_encoder)
    except MarsadError as exc:
        store.close()
        raise _fail(exc.message) from None
    store.close()
    table = Table(title="Incident linking", title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("events", str(summary.events))
    table.add_row("blocks compared", str(summary.blocks))
    table.add_row("incidents", str(summary.incidents))
    table.add_row("  reported more than once", str(summary.linked_incidents))
    for grade, n in sorted(summary.grades.items()):
        table.add_row(f"  {grade}", str(n))
    table.add_row("contradictions", str(summary.contradictions))
    for aspect, n in sorted(summary.aspects.items()):
        table.add_row(f"  {aspect}", str(n))
    console.print(table)
    console.print(f"text similarity: {summary.encoder}; {summary.seconds:.1f} s → {db}")


@app.command("incidents")
def incidents_cmd(
    db: DbOption = Path("marsad.duckdb"),
    limit: Annotated[int, typer.Option(help="Rows to show.", min=1)] = 50,
    min_reports: Annotated[int, typer.Option(help="Only incidents with at least this many reports.", min=1)] = 1,
) -> None:
    """Show linked incidents: date, type, place, toll, reports, grade and why they were linked."""
    from marsad.link.show import incidents_table

    store = _open_store(db, read_only=True)
    try:
        console.print(incidents_table(store, terminal=console.is_terminal, limit=limit, min_reports=min_reports))
    finally:
        store.close()


@app.command("contradictions")
def contradictions_cmd(
    db: DbOption = Path("marsad.duckdb"),
    limit: Annotated[int, typer.Option(help="Rows to show.", min=1)] = 50,
) -> None:
    """Show where accounts disagree: both sides, who holds each, and their words."""
    from marsad.link.show import contradictions_table

    store = _open_store(db, read_only=True)
    try:
        console.print(contradictions_table(store, terminal=console.is_terminal, limit=limit))
    finally:
        store.close()


@app.command("eval-links")
def eval_links_cmd(
    pairs: Annotated[Path, typer.Argument(help="Annotated pairs (eval/incidents/pairs.jsonl).")],
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="Corpus JSONL of the pairs' documents [default: ../shared/corpus/saudinewsnet-incidents.jsonl]."
        ),
    ] = None,
    no_encoder: Annotated[
        bool, typer.Option("--no-encoder", help="Compare words instead of sentence vectors.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Pairwise precision and recall of incident linking on annotated same/different pairs."""
    from marsad.link.evaluate import evaluate_pairs

    try:
        result = evaluate_pairs(pairs, corpus, use_encoder=not no_encoder)
    except MarsadError as exc:
        raise _fail(exc.message, 2) from None
    if as_json:
        console.print_json(json.dumps(result.to_dict()))
        return
    console.print(result.summary())


def _print_summary(report: Any, totals: dict[str, int], db: Path, stored: dict[str, int] | None = None) -> None:
    table = Table(title=f"Marsad run {report.run_id}", title_justify="left")
    table.add_column("status")
    table.add_column("this run", justify="right")
    table.add_column("in database", justify="right")
    for status in [*(str(s) for s in Status), "unchanged"]:
        table.add_row(status, str(report.counts.get(status, 0)), str(totals.get(status, "")))
    table.add_row("[bold]total", f"[bold]{report.total}", f"[bold]{sum(totals.values())}")
    console.print(table)
    if report.reasons:
        reasons = Table(title="Why records were not processed", title_justify="left")
        reasons.add_column("count", justify="right")
        reasons.add_column("reason")
        for reason, n in report.reasons.most_common(12):
            reasons.add_row(str(n), Text(reason))
        console.print(reasons)
    in_db = f" (in database: {stored['events']} events, {stored['tallies']} tallies)" if stored else ""
    console.print(f"{report.events} events and {report.tallies} tallies written{in_db}")
    console.print(
        f"{report.total} records in {report.seconds:.2f} s ({report.per_second:.1f} records/s) → {db}"
        + ("  [yellow](interrupted: run again to finish)[/]" if report.interrupted else "")
    )
    console.print(f"List them with: marsad ledger --db {db}")


@app.command()
def ledger(
    db: DbOption = Path("marsad.duckdb"),
    status: Annotated[str | None, typer.Option(help="processed | duplicate | skipped | failed")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | jsonl")] = "table",
    limit: Annotated[int | None, typer.Option(help="At most this many rows.", min=1)] = None,
) -> None:
    """List the outcome of every input record."""
    if status is not None and status not in {s.value for s in Status}:
        raise typer.BadParameter(
            f"{status!r} is not one of processed, duplicate, skipped, failed", param_hint="--status"
        )
    if fmt not in {"table", "jsonl"}:
        raise typer.BadParameter("use table or jsonl", param_hint="--format")
    store = _open_store(db, read_only=True)
    rows = store.ledger(status=status, limit=limit)
    store.close()
    if fmt == "jsonl":
        out = sys.stdout
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    table = Table(title=f"Ledger of {db} ({len(rows)} rows)", title_justify="left")
    table.add_column("record")
    table.add_column("input", overflow="fold", ratio=3)
    table.add_column("status")
    table.add_column("reason", overflow="fold", ratio=3)
    table.add_column("encoding")
    table.add_column("lang")
    for row in rows:
        colour = {"processed": "green", "duplicate": "cyan", "skipped": "yellow", "failed": "red"}[row["status"]]
        where = _short_path(row["input_path"]) + (f" #{row['locator']}" if row["locator"] else "")
        table.add_row(
            row["record_id"][:10],
            Text(where),
            f"[{colour}]{row['status']}[/]",
            Text(row["reason"] or ""),
            row["encoding"] or "",
            row["language"] or "",
        )
    console.print(table)


def _short_path(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


@app.command()
def documents(
    db: DbOption = Path("marsad.duckdb"),
    limit: Annotated[int | None, typer.Option(help="At most this many rows.", min=1)] = None,
) -> None:
    """List stored documents."""
    store = _open_store(db, read_only=True)
    rows = store.documents(limit=limit)
    store.close()
    table = Table(title=f"Documents in {db} ({len(rows)})", title_justify="left")
    for col in ("id", "published", "source", "publisher", "chars", "title"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            r["document_id"][:10], str(r["published"] or ""), Text(r["source"] or ""), Text(r["publisher"] or ""),
            str(r["chars"]), Text(r["title"] or ""),
        )  # fmt: skip
    console.print(table)


@app.command()
def show(
    document_id: Annotated[str, typer.Argument(help="Document id (or its external id).")],
    db: DbOption = Path("marsad.duckdb"),
    raw: Annotated[bool, typer.Option(help="Print the raw input too.")] = False,
) -> None:
    """Show one stored document as JSON."""
    store = _open_store(db, read_only=True)
    doc = store.document(document_id)
    if doc is None:
        matches = [d for d in store.documents() if d["document_id"].startswith(document_id)]
        doc = store.document(matches[0]["document_id"]) if len(matches) == 1 else None
    store.close()
    if doc is None:
        raise _fail(f"no document {document_id!r} in {db}", code=1)
    doc.pop("minhash", None)
    if not raw:
        doc.pop("raw", None)
    for key in ("raw_segments", "title_segments", "removed", "metadata"):
        if isinstance(doc.get(key), str):
            doc[key] = json.loads(doc[key])
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command("export")
def export_events(
    db: DbOption = Path("marsad.duckdb"),
    fmt: Annotated[str, typer.Option("--format", help="acled-csv | jsonl")] = "acled-csv",
    output: Annotated[str, typer.Option("--output", "-o", help="File to write, or - for standard output.")] = "-",
) -> None:
    """Export the stored events: ACLED-compatible CSV, or JSON Lines of every event and tally."""
    from marsad.export import FORMATS, export

    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    path = None if output == "-" else Path(output)
    if path is not None and (path.is_dir() or not path.parent.is_dir()):
        what = "is a folder" if path.is_dir() else f"is in a folder that does not exist ({path.parent})"
        raise typer.BadParameter(f"{output} {what}", param_hint="--output")
    store = _open_store(db, read_only=True)
    try:
        report = export(store, fmt, sys.stdout) if path is None else _export_to_file(store, fmt, path)
    except BrokenPipeError:  # the reader stopped early (`| head`): stop quietly
        _silence_stdout()
        raise typer.Exit(1) from None
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc}", code=1) from None
    finally:
        store.close()
    where = "standard output" if path is None else str(path)
    tallies = f" and {report.tallies} tallies" if fmt == "jsonl" else ""
    _note(f"exported {report.events} events{tallies} as {fmt} to {where}")
    if report.excluded:
        _note(f"left out {sum(report.excluded.values())} events ACLED would not code (the jsonl export keeps them):")
        for reason, n in report.excluded.most_common():
            _note(f"  {n:>6}  {reason}")


def _export_to_file(store: Store, fmt: str, path: Path) -> ExportReport:
    """Export into ``path`` whole or not at all: a failed export leaves no truncated file behind."""
    from marsad.export import export

    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            report = export(store, fmt, out)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return report


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush does not fail on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _note(message: str) -> None:
    err.print(message, markup=False, highlight=False, soft_wrap=True)


# --- serve: the analyst workspace, a REST API and a web map (marsad.api) ---
@app.command("serve")
def serve(
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file, or a folder of Parquet tables.")] = Path(
        "marsad.duckdb"
    ),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Serve without writes (no ingestion, no reviews).")
    ] = False,
    token_file: Annotated[
        Path | None, typer.Option(help="Token file for writes [default: DB.token; MARSAD_API_TOKEN wins].")
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Worker processes (more than 1 needs a read-only source: --read-only).", min=1)
    ] = 1,
) -> None:
    """Serve the workspace: REST API (/api, /openapi.json) and the dashboard (/) on DB."""
    from marsad.api.server import serve as run_server

    try:
        run_server(db, host=host, port=port, read_only=read_only, token_file=token_file, note=_note, workers=workers)
    except MarsadError as exc:
        raise _fail(exc.message) from None
    except (OSError, ValueError) as exc:
        raise _fail(str(exc), code=1) from None


# --- spark: the same pipeline on Apache Spark, into a folder of Parquet tables (marsad.spark) ---
@app.command("spark")
def spark_run(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs, or Hadoop URIs (s3a://, hdfs://…).")],
    output: Annotated[str, typer.Option("--output", "-o", help="Folder (or URI) for the Parquet tables.")],
    master: Annotated[
        str | None, typer.Option(help="Spark master: local[N], spark://host:port, yarn [default: local[*]].")
    ] = None,
    partitions: Annotated[
        int | None, typer.Option(help="Partitions to process in [default: 2 x the cores].", min=1)
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) for inputs that carry none.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Source/outlet name for inputs that carry none.")] = None,
    max_bytes: Annotated[int, typer.Option(help="Largest document, record or line, in MB.", min=1)] = 16,
    no_link: Annotated[
        bool, typer.Option("--no-link", help="Do not link incidents and find contradictions after processing.")
    ] = False,
    no_encoder: Annotated[
        bool, typer.Option("--no-encoder", help="Link by comparing words instead of sentence vectors (faster).")
    ] = False,
) -> None:
    """Run the pipeline on Apache Spark (needs the extra: pip install 'marsad[spark]'); read the
    output with --db OUTPUT."""
    from marsad.spark.driver import require_pyspark, run_spark

    day = _parse_day(published)
    out = Path(output)
    if "://" not in output and out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{output} is a file, not a folder", param_hint="--output")
    try:
        require_pyspark()
        report = run_spark(inputs, output, master=master, partitions=partitions, published=day, source=source,
                           settings=Settings(max_record_bytes=max_bytes * MiB), link=not no_link,
                           use_encoder=not no_encoder)  # fmt: skip
    except MarsadError as exc:
        raise _fail(exc.message, code=1) from None
    counts = " ".join(f"{s} {report.counts.get(s, 0)}" for s in ("processed", "duplicate", "skipped", "failed"))
    console.print(f"Spark run {report.run_id}: {report.total} records ({counts})")
    console.print(f"{report.events} events and {report.tallies} tallies written")
    if report.linking is not None:
        console.print(_link_line(report.linking))
    console.print(
        f"{report.total} records in {report.seconds:.1f} s ({report.per_second:.1f} records/s, "
        f"{report.partitions} partitions) → {report.output}"
    )
    console.print(f"Read them with: marsad export --db {report.output}")


# --- eval: extraction accuracy against the gold set (marsad.evaluate) ---
@app.command("eval")
def eval_gold(
    gold_dir: Annotated[Path, typer.Argument(help="The gold folder (eval/gold).")],
    split: Annotated[str, typer.Option(help="dev | heldout | all (all reports dev, heldout and both).")] = "all",
    corpus: Annotated[
        Path | None, typer.Option(help="Folder of the corpus JSONL files [default: <repo>/../shared/corpus].")
    ] = None,
    floors: Annotated[
        Path | None,
        typer.Option(help="Floors file to gate on [default: floors.json beside GOLD_DIR, when it exists]."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    update_floors: Annotated[
        bool, typer.Option("--update-floors", help="Pin the current metrics and corpus hash in the floors file.")
    ] = False,
) -> None:
    """Measure extraction against the gold set; with floors, exit 1 when a metric falls below its floor."""
    from marsad.evaluate.command import run_eval

    if split not in {"dev", "heldout", "all"}:
        raise typer.BadParameter(f"{split!r} is not one of dev, heldout, all", param_hint="--split")
    code = run_eval(gold_dir, out=console, err=err, split=split, corpus=corpus, floors=floors, as_json=as_json,
                    update_floors=update_floors)  # fmt: skip
    if code:
        raise typer.Exit(code)


def main() -> None:
    try:
        app()
    except MarsadError as exc:
        err.print(f"[bold red]error:[/] {exc.message}")
        sys.exit(EXIT_STORE)


if __name__ == "__main__":
    main()
