"""Incidents and contradictions as terminal tables: English labels, Arabic shown right to left.

Terminals lay text out left to right, one code point after another: an Arabic phrase printed as
is comes out with its letters reversed and unjoined. For a terminal, Arabic runs are shaped
(``arabic-reshaper``: the presentation forms of joined letters) and put in visual order
(``python-bidi``, the Unicode bidirectional algorithm); files and pipes get the text in logical
order, as stored. Article text reaches the table as :class:`rich.text.Text`, never as markup.
"""

from __future__ import annotations

import json
from typing import Any

from rich.table import Table
from rich.text import Text

from marsad.store.duck import Store

__all__ = ["contradictions_table", "incidents_table", "visual"]


def visual(text: str | None, *, terminal: bool, width: int = 60) -> Text:
    """``text`` cut to ``width`` characters, in display order for a terminal."""
    s = " ".join((text or "").split())
    if len(s) > width:
        s = s[: width - 1] + "…"
    if terminal and any("\u0600" <= ch <= "\u06ff" for ch in s):
        import arabic_reshaper  # type: ignore[import-untyped]
        from bidi import get_display  # type: ignore[import-untyped]

        s = get_display(arabic_reshaper.reshape(s))
    return Text(s)


def incidents_table(store: Store, *, terminal: bool, limit: int = 50, min_reports: int = 1) -> Table:
    rows = store.con.execute(
        "SELECT i.id, i.event_date, i.event_type, i.location, i.iso, i.fatalities_low, i.fatalities_high, "
        "i.n_reports, i.n_outlets, i.outlets, i.grade, i.grade_reason, i.n_contradictions, "
        "(SELECT list(r.features ORDER BY r.score) FROM incident_reports r WHERE r.incident_id = i.id "
        " AND r.linked_to IS NOT NULL) AS features "
        "FROM incidents i WHERE i.n_reports >= ? ORDER BY i.n_reports DESC, i.event_date, i.id LIMIT ?",
        [min_reports, limit],
    ).fetchall()
    table = Table(title="Incidents", title_justify="left", show_lines=False)
    for col in ("incident", "date", "type", "place", "killed", "reports", "outlets", "grade", "why", "link features"):
        table.add_column(col, overflow="fold")
    for r in rows:
        killed = "" if not r[6] else (str(r[5]) if r[5] == r[6] else f"{r[5]}–{r[6]}")
        feats = [json.loads(f) for f in (r[13] or [])]
        matched = sorted({m for f in feats for m in f.get("matched", [])})
        sims = [f.get("similarity") for f in feats if f.get("similarity") is not None]
        link = ", ".join(matched) + (f"; sim {min(sims):.2f}" if sims else "")
        table.add_row(
            Text(r[0]), Text(str(r[1] or "")), Text(str(r[2])), Text(f"{r[3] or ''} ({r[4] or '?'})"), Text(killed),
            Text(str(r[7])), Text(", ".join(r[9] or [])[:40]), Text(str(r[10])), Text(str(r[11])), Text(link),
        )  # fmt: skip
    return table


def _quote(evidence: Any) -> str:
    ev = json.loads(evidence) if isinstance(evidence, str) else (evidence or [])
    parts = [e["text"] for e in ev if e.get("role") in ("content", "trigger", "fatalities", "place")]
    return " … ".join(dict.fromkeys(parts))


def contradictions_table(store: Store, *, terminal: bool, limit: int = 50) -> Table:
    rows = store.con.execute(
        "SELECT id, scope, aspect, subject, incident_id, a_value, a_holder, a_source, a_evidence, "
        "b_value, b_holder, b_source, b_evidence FROM contradictions ORDER BY scope, aspect, id LIMIT ?",
        [limit],
    ).fetchall()
    table = Table(title="Contradictions", title_justify="left", show_lines=True)
    for col in (
        "scope",
        "aspect",
        "subject",
        "side A: value",
        "held by",
        "words",
        "side B: value",
        "held by ",
        "words ",
    ):
        table.add_column(col, overflow="fold")
    for r in rows:
        a_by = r[6] + (f" [{r[7]}]" if r[7] else "")
        b_by = r[10] + (f" [{r[11]}]" if r[11] else "")
        table.add_row(
            Text(r[1]), Text(r[2]), Text(str(r[3] or "")), Text(str(r[5])), Text(a_by),
            visual(_quote(r[8]), terminal=terminal, width=50), Text(str(r[9])), Text(b_by),
            visual(_quote(r[12]), terminal=terminal, width=50),
        )  # fmt: skip
    return table
