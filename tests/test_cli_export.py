from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPORT, REPORT_2
from fakes import FakeExtractor, make_event
from marsad import pipeline
from marsad.cli import app
from marsad.export.acled import HEADER
from marsad.extract.model import Event
from marsad.model import Document

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database made by `marsad run` on two articles; the second one's place is not resolved."""

    def events(doc: Document) -> list[Event]:
        if "ديالى" in doc.text:
            return [make_event(doc, latitude=None, longitude=None, iso="IQ", country="Iraq")]
        return [make_event(doc)]

    monkeypatch.setattr(pipeline, "default_extractor", FakeExtractor(events=events))
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(REPORT, encoding="utf-8")
    (inputs / "b.txt").write_text(REPORT_2, encoding="utf-8")
    path = tmp_path / "m.duckdb"
    result = runner.invoke(app, ["run", str(inputs), "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 events and 2 tallies written (in database: 2 events, 2 tallies)" in result.stdout
    return path


def test_cli_export_acled_csv_to_stdout_reports_left_out_events(db: Path) -> None:
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "acled-csv"])
    assert result.exit_code == 0, result.output
    header, *rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert header == list(HEADER) and len(rows) == 1 and rows[0][0].startswith("SY-")
    assert "exported 1 events as acled-csv to standard output" in result.stderr
    assert "left out 1 events" in result.stderr and "place not resolved below country level" in result.stderr


def test_cli_export_jsonl_to_a_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "exported 2 events and 2 tallies as jsonl" in result.stderr
    kinds = [json.loads(line)["kind"] for line in out.read_text(encoding="utf-8").splitlines()]
    # events and tallies first, then what linking made of them (claims, incidents, contradictions)
    assert kinds[:4] == ["event", "event", "tally", "tally"]
    assert set(kinds[4:]) <= {"claim", "incident", "contradiction"}
    assert not list(tmp_path.glob("*.partial"))


def test_cli_export_unknown_format_is_a_usage_error(db: Path) -> None:
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "xlsx"])
    assert result.exit_code == 2
    assert "'xlsx' is not one of acled-csv, jsonl" in result.output and "--format" in result.output


def test_cli_export_output_in_a_missing_folder_is_a_usage_error(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--db", str(db), "--output", str(tmp_path / "no" / "x.csv")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_cli_export_unusable_database_exits_3(tmp_path: Path) -> None:
    (tmp_path / "junk.duckdb").write_text("not a database at all")
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "junk.duckdb")])
    assert result.exit_code == 3 and "cannot open" in result.output
    missing = runner.invoke(app, ["export", "--db", str(tmp_path / "none.duckdb"), "--format", "jsonl"])
    assert missing.exit_code == 3 and "no database" in missing.output
