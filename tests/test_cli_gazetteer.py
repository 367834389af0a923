"""`marsad gazetteer import | stats | lookup`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from marsad.cli import app

FIX = Path(__file__).parent / "fixtures" / "geo"
runner = CliRunner()


def test_cli_gazetteer_stats_on_empty_store_says_how_to_fill_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gazetteer", "stats", "--db", str(tmp_path / "m.duckdb")])
    assert result.exit_code == 0
    assert "empty" in result.output and "marsad gazetteer import" in result.output


def test_cli_gazetteer_import_reports_bad_rows_and_imports_the_rest(tmp_path: Path) -> None:
    db = str(tmp_path / "m.duckdb")
    result = runner.invoke(app, ["gazetteer", "import", str(FIX / "villages.tsv"), str(FIX / "SY.txt"), "--db", db])
    assert result.exit_code == 0, result.output
    assert "3 places imported" in result.output and "1 places imported" in result.output
    assert "villages.tsv line 5" in result.output and "out of range" in result.output
    assert "Traceback" not in result.output
    stats = runner.invoke(app, ["gazetteer", "stats", "--db", db])
    assert stats.exit_code == 0 and "villages.tsv" in stats.output and "SY.txt" in stats.output
    look = runner.invoke(app, ["gazetteer", "lookup", "بقرية تل السمن", "--db", db])
    assert look.exit_code == 0 and "Tell Samen" in look.output and "Ar-Raqqa" in look.output


def test_cli_gazetteer_lookup_unknown_and_bad_arguments(tmp_path: Path) -> None:
    db = str(tmp_path / "m.duckdb")
    miss = runner.invoke(app, ["gazetteer", "lookup", "مكانلايوجد", "--db", db])
    assert miss.exit_code == 1 and "no place named" in miss.output
    bad = runner.invoke(app, ["gazetteer", "import", str(FIX / "villages.tsv"), "--db", db, "--format", "xml"])
    assert bad.exit_code == 2
    gone = runner.invoke(app, ["gazetteer", "import", str(tmp_path / "nope.tsv"), "--db", db])
    assert gone.exit_code == 2 and "no such file" in gone.output
