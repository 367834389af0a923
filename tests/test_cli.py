from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import EXAMPLES, REPORT
from marsad.cli import app

runner = CliRunner()


def test_cli_run_prints_summary_and_ledger_lists_every_record(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    result = runner.invoke(app, ["run", str(EXAMPLES), str(tmp_path / "missing.txt"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "processed" in result.stdout and "records/s" in result.stdout
    assert "failed: no such file or directory" in result.stdout
    table = runner.invoke(app, ["ledger", "--db", str(db)])
    assert table.exit_code == 0 and "duplicate" in table.stdout
    rows = [
        json.loads(x) for x in runner.invoke(app, ["ledger", "--db", str(db), "--format", "jsonl"]).stdout.splitlines()
    ]
    assert len(rows) == 17 and {r["status"] for r in rows} == {"processed", "duplicate", "skipped", "failed"}
    failed = runner.invoke(app, ["ledger", "--db", str(db), "--status", "failed", "--format", "jsonl"])
    assert [json.loads(x)["reason"] for x in failed.stdout.splitlines()] == ["no such file or directory"]


def test_cli_rejects_bad_arguments_with_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT)
    bad_date = runner.invoke(
        app, ["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "x.duckdb"), "--published", "28/04/2019"]
    )
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    bad_status = runner.invoke(app, ["ledger", "--db", str(tmp_path / "x.duckdb"), "--status", "done"])
    assert bad_status.exit_code == 2


def test_cli_unusable_database_exits_non_zero_with_message(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT)
    (tmp_path / "junk.duckdb").write_text("not a database at all")
    result = runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "junk.duckdb")])
    assert result.exit_code == 3 and "cannot open" in result.output
    missing = runner.invoke(app, ["ledger", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 3 and "no database" in missing.output


def test_cli_run_with_only_failed_inputs_still_exits_zero(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "nothing-here.txt"), "--db", str(tmp_path / "m.duckdb")])
    assert result.exit_code == 0


def test_cli_documents_and_show(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    (tmp_path / "a.txt").write_text(REPORT)
    runner.invoke(app, ["run", str(tmp_path / "a.txt"), "--db", str(db), "--source", "test-outlet"])
    listing = runner.invoke(app, ["documents", "--db", str(db)])
    assert listing.exit_code == 0 and "test-outlet" in listing.stdout
    [row] = [
        json.loads(x) for x in runner.invoke(app, ["ledger", "--db", str(db), "--format", "jsonl"]).stdout.splitlines()
    ]
    shown = runner.invoke(app, ["show", row["document_id"][:8], "--db", str(db)])
    assert json.loads(shown.stdout)["source"] == "test-outlet"
    assert runner.invoke(app, ["show", "nope", "--db", str(db)]).exit_code == 1


def test_cli_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("marsad ")
