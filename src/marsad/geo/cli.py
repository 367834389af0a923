"""``marsad gazetteer``: import place files into a store, count them, look a name up."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from marsad.errors import MarsadError

if TYPE_CHECKING:
    from marsad.store import Store

app = typer.Typer(
    help="The gazetteer: import GeoNames or TSV/CSV place files, count them, look names up.", no_args_is_help=True
)
_probe = Console()
console = _probe if _probe.is_terminal else Console(width=150)
err = Console(stderr=True)
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB database file.")]
_SHOWN_PROBLEMS = 20


def _store(db: Path, read_only: bool = False) -> Store:
    from marsad.store import Store

    try:
        return Store(db, read_only=read_only)
    except MarsadError as exc:
        err.print(f"[bold red]error:[/] {exc.message}")
        raise typer.Exit(3) from None


@app.command("import")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="GeoNames dumps (SY.txt, allCountries.txt, alternateNamesV2.txt, zipped or not) or TSV/CSV files."
        ),
    ],
    db: DbOption = Path("marsad.duckdb"),
    fmt: Annotated[
        str | None, typer.Option("--format", help="geonames | alternatenames | tsv | csv [default: from the file name]")
    ] = None,
    country: Annotated[str | None, typer.Option("--country", help="Keep / assign this ISO country code (SY).")] = None,
) -> None:
    """Import place files into the store's gazetteer (a file imported again replaces its rows)."""
    from marsad.geo.gazetteer import import_files
    from marsad.geo.importers import FORMATS

    if fmt is not None and fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise typer.BadParameter(f"{country!r} is not a two-letter ISO country code", param_hint="--country")
    missing = [f for f in files if not f.is_file()]
    for f in missing:
        err.print(f"[bold red]error:[/] {f}: no such file")
    present = [f for f in files if f.is_file()]
    if not present:
        raise typer.Exit(2)
    store = _store(db)
    failed = len(missing)
    try:
        for path in present:
            try:
                (res,) = import_files(store.con, [path], fmt, country)
            except (OSError, ValueError, UnicodeError) as exc:
                err.print(f"[bold red]error:[/] {path}: {exc}")
                failed += 1
                continue
            what = f"{len(res.rows)} places" if res.format != "alternatenames" else f"{len(res.names)} Arabic names"
            console.print(
                Text(
                    f"{path}: {what} imported ({res.format}); {res.skipped} skipped (other country, "
                    f"feature class or language); {res.bad_rows} bad rows"
                )
            )
            for line, message in res.problems[:_SHOWN_PROBLEMS]:
                err.print(Text(f"  {path.name} line {line}: {message}"))
            if res.bad_rows > _SHOWN_PROBLEMS:
                err.print(Text(f"  … and {res.bad_rows - _SHOWN_PROBLEMS} more bad rows"))
    finally:
        store.close()
    if failed == len(files):
        raise typer.Exit(2)


@app.command()
def stats(db: DbOption = Path("marsad.duckdb")) -> None:
    """Places by source and by country: the embedded gazetteer and the store's imported one."""
    from collections import Counter

    from marsad.geo import sql
    from marsad.geo.embedded import embedded_rows
    from marsad.geo.gazetteer import EMPTY_MESSAGE

    rows = embedded_rows()
    table = Table("source", "places", title="Embedded gazetteer")
    for source, n in sorted(Counter(r.source for r in rows).items()):
        table.add_row(source, str(n))
    console.print(table)
    store = _store(db, read_only=db.exists())
    try:
        counts = sql.stats(store.con) if sql.has_tables(store.con) else None
    finally:
        store.close()
    if not counts or (not counts["by_source"] and not counts["alternate_names"]):
        console.print(Text(EMPTY_MESSAGE))
        return
    t1 = Table("source", "places", title=f"Imported into {db}")
    for source, n in counts["by_source"].items():
        t1.add_row(Text(source), str(n))
    t1.add_row("alternate names (GeoNames ids)", str(counts["alternate_names"]))
    console.print(t1)
    t2 = Table("country", "places")
    for iso, n in counts["by_country"].items():
        t2.add_row(iso, str(n))
    console.print(t2)


@app.command()
def lookup(
    name: Annotated[str, typer.Argument(help="An Arabic place name as printed («بالرقة», «ريف حلب»).")],
    db: DbOption = Path("marsad.duckdb"),
    country: Annotated[str | None, typer.Option("--country", help="The country the text is about (ISO code).")] = None,
    limit: Annotated[int, typer.Option(help="Candidates to show.")] = 10,
) -> None:
    """Candidates for a place name, best first, with their scores."""
    from marsad.geo.gazetteer import geocoder_for

    con = None
    store = _store(db, read_only=True) if db.exists() else None
    try:
        con = store.con if store is not None else None
        geo = geocoder_for(con)
    finally:
        if store is not None:
            store.close()
    cands = geo.candidates(name, iso=country.upper() if country else None, limit=limit)
    if not cands:
        console.print(
            Text(
                f"no place named «{name}» in the gazetteer ({geo.size} places); "
                "import more with `marsad gazetteer import FILE --db DB`"
            )
        )
        raise typer.Exit(1)
    table = Table("score", "name", "kind", "country", "admin1", "admin2", "lat", "lon", "geonameid", "source")
    for c in cands:
        r = c.row
        table.add_row(
            f"{c.score:.3f}",
            Text(r.name),
            r.kind,
            r.iso or "",
            Text(r.admin1 or ""),
            Text(r.admin2 or ""),
            f"{r.latitude:.4f}",
            f"{r.longitude:.4f}",
            str(r.geonameid or ""),
            Text(r.source),
        )
    console.print(table)
