"""The issue's acceptance check: the seed article through `marsad run` into the database."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import SEED
from marsad.cli import app


def test_seed_run_stores_clean_article_with_publisher(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "seed.duckdb"
    result = CliRunner().invoke(app, ["run", str(SEED), "--db", str(db), "--published", "2019-04-28"])
    assert result.exit_code == 0, result.output
    out = CliRunner().invoke(app, ["ledger", "--db", str(db), "--format", "jsonl"])
    [row] = [json.loads(line) for line in out.stdout.splitlines()]
    assert row["status"] == "processed" and row["encoding"] == "utf-8"
    shown = CliRunner().invoke(app, ["show", row["document_id"], "--db", str(db), "--raw"])
    doc = json.loads(shown.stdout)
    assert doc["publisher"] == "mena-monitor" and doc["published"] == "2019-04-28"
    assert "fbpx" not in doc["text"] and "زر الذهاب" not in doc["text"] and "اظهر المزيد" not in doc["text"]
    assert doc["raw"] == SEED.read_text(encoding="utf-8")
    removed = {r["text"] for r in doc["removed"]}
    assert {"fbpx", "اظهر المزيد", "مقالات ذات صلة", "زر الذهاب إلى الأعلى"} <= removed
