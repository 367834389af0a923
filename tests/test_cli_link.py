"""`marsad run` links incidents; `marsad link`, `incidents`, `contradictions`, `export` show them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from marsad.cli import app
from marsad.store import Store

# Two reports of one incident written for this test (not from any outlet): the tolls disagree.
DOCS = [
    {"id": "t1", "source": "okaz", "published": "2015-08-07", "title": "مقتل 10 في تفجير انتحاري بمسجد في أبها",
     "text": "قتل عشرة أشخاص اليوم الخميس في تفجير انتحاري استهدف مسجدا لقوات الطوارئ في مدينة أبها بمنطقة عسير."},
    {"id": "t2", "source": "alriyadh", "published": "2015-08-07",
     "title": "ارتفاع ضحايا تفجير مسجد الطوارئ في أبها إلى 15",
     "text": "أعلنت وزارة الداخلية مقتل 15 شخصا اليوم الخميس في تفجير انتحاري استهدف مسجد قوات الطوارئ في أبها."},
]  # fmt: skip


def _run(tmp_path: Path) -> Path:
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS) + "\n", encoding="utf-8")
    db = tmp_path / "m.duckdb"
    result = CliRunner().invoke(app, ["run", str(src), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Linked 2 events into 1 incidents" in result.output
    return db


def test_cli_link_run_links_and_grades(tmp_path: Path) -> None:
    db = _run(tmp_path)
    with Store(db, read_only=True) as s:
        (inc,) = s.con.execute("SELECT id, grade, n_reports, fatalities FROM incidents").fetchall()
        assert inc[1:] == ("corroborated", 2, 10)
        statuses = {r[0] for r in s.con.execute("SELECT claim_status FROM events").fetchall()}
        assert statuses == {"corroborated"}
        (cx,) = s.con.execute("SELECT aspect, a_value, b_value, incident_id FROM contradictions").fetchall()
        assert cx == ("fatalities", "10", "15", inc[0])


def test_cli_link_commands(tmp_path: Path) -> None:
    db = _run(tmp_path)
    runner = CliRunner()
    out = runner.invoke(app, ["link", "--db", str(db), "--no-encoder"])
    assert out.exit_code == 0, out.output
    assert "incidents" in out.output and "contradictions" in out.output
    out = runner.invoke(app, ["incidents", "--db", str(db)])
    assert out.exit_code == 0 and "corroborated" in out.output and "Abha" in out.output
    out = runner.invoke(app, ["contradictions", "--db", str(db)])
    assert out.exit_code == 0 and "fatalities" in out.output and "side A" in out.output
    out = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl"])
    assert out.exit_code == 0
    kinds = [json.loads(line).get("record_type") for line in out.stdout.splitlines() if line.startswith("{")]
    assert {"claim", "incident", "contradiction"} <= set(kinds)
    out = runner.invoke(app, ["export", "--db", str(db), "--format", "acled-csv"])
    assert "corroborated" in out.stdout and ",in_" in out.stdout


def test_cli_link_missing_database(tmp_path: Path) -> None:
    out = CliRunner().invoke(app, ["incidents", "--db", str(tmp_path / "none.duckdb")])
    assert out.exit_code != 0 and "Traceback" not in out.output
