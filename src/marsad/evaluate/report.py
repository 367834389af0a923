"""Evaluation results for people (rich tables) and for programs (JSON)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from marsad.evaluate.evaluation import Evaluation
from marsad.evaluate.floors import Floors, GateResult
from marsad.evaluate.score import LOWER_IS_BETTER, METRICS, Metric

__all__ = ["COUNT_LABELS", "floors_json", "print_floors", "print_gate", "print_report", "to_json"]

COUNT_LABELS = {
    "articles": "articles",
    "articles_event": "  with events",
    "articles_related": "  related, no event",
    "articles_none": "  unrelated",
    "gold_events": "gold events",
    "predicted_events": "predicted events",
    "tp": "matched (TP)",
    "fp": "false positives (FP)",
    "fn": "missed (FN)",
    "gold_tallies": "gold tallies",
    "predicted_tallies": "predicted tallies",
    "predicted_out_of_scope": "predicted protests/riots (not scored)",
    "not_processed": "articles not processed",
    "extraction_errors": "extraction errors",
}


def _cell(metric: Metric) -> str:
    value = metric.value
    return f"{'–' if value is None else f'{value:.3f}'}  [dim]n={metric.n}[/]"


def print_report(evaluation: Evaluation, console: Console) -> None:
    """The metrics table, the counts table and the articles that could not be measured."""
    splits = list(evaluation.scores)
    table = Table(title="Extraction against the gold set", title_justify="left")
    table.add_column("metric")
    for split in splits:
        table.add_column(split, justify="right")
    for name in METRICS:
        label = f"{name} (lower is better)" if name in LOWER_IS_BETTER else name
        table.add_row(label, *(_cell(evaluation.scores[s].metrics[name]) for s in splits))
    console.print(table)
    counts = Table(title="Counts", title_justify="left")
    counts.add_column("")
    for split in splits:
        counts.add_column(split, justify="right")
    for key, label in COUNT_LABELS.items():
        counts.add_row(label, *(str(evaluation.scores[s].counts[key]) for s in splits))
    console.print(counts)
    _print_problems(evaluation, console)
    console.print(f"gold {evaluation.gold_dir}, corpus {evaluation.corpus_dir}, hash {evaluation.corpus_hash[:12]}…")


def _print_problems(evaluation: Evaluation, console: Console) -> None:
    """Articles that could not be measured, grouped by what went wrong (a few ids each)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for r in evaluation.results:
        if r.error is not None:
            groups.setdefault(("red", f"extraction failed: {r.error}"), []).append(r.gold.id)
        elif r.status != "processed":
            groups.setdefault(("yellow", f"not processed ({r.status}): {r.reason}"), []).append(r.gold.id)
    for (style, what), ids in groups.items():
        shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        console.print(Text(f"{what} — {len(ids)} article(s): {shown}", style=style))


def print_gate(gate: GateResult, floors_path: str, console: Console) -> None:
    """The gate's verdict, every failing metric on its own line."""
    for note in gate.notes:
        console.print(Text(f"note: {note}", style="dim"))
    if gate.passed:
        console.print(f"[bold green]gate passed[/]: every pinned metric is within {floors_path}")
        return
    console.print(f"[bold red]gate failed[/] ({floors_path}):")
    for failure in gate.failures:
        console.print(Text(f"  - {failure}"))


def print_floors(floors: Floors, path: str, console: Console) -> None:
    """The limits just pinned."""
    table = Table(title=f"Pinned in {path} (tolerance {floors.tolerance})", title_justify="left")
    table.add_column("split")
    table.add_column("metric")
    table.add_column("limit", justify="right")
    for split in floors.splits():
        for name, limit in floors.floors.get(split, {}).items():
            table.add_row(split, name, f"≥ {limit:.2f}")
        for name, limit in floors.ceilings.get(split, {}).items():
            table.add_row(split, name, f"≤ {limit:.2f}")
    console.print(table)


def floors_json(floors: Floors) -> dict[str, Any]:
    return {"corpus_hash": floors.corpus_hash, "tolerance": floors.tolerance, "floors": floors.floors,
            "ceilings": floors.ceilings}  # fmt: skip


def to_json(evaluation: Evaluation, gate: GateResult | None = None, floors_path: str | None = None) -> dict[str, Any]:
    """Everything the table shows, plus a line per article."""
    return {
        "gold_dir": str(evaluation.gold_dir),
        "corpus_dir": str(evaluation.corpus_dir),
        "corpus_hash": evaluation.corpus_hash,
        "splits": {
            split: {
                "metrics": {
                    name: {"value": m.value, "numerator": m.numerator, "denominator": m.denominator, "n": m.n}
                    for name, m in scores.metrics.items()
                },
                "counts": scores.counts,
            }
            for split, scores in evaluation.scores.items()
        },
        "articles": [
            {
                "id": r.gold.id,
                "split": r.gold.split,
                "relevance": r.gold.relevance,
                "status": r.status,
                "reason": r.reason,
                "error": r.error,
                "gold_events": len(r.gold.events),
                "predicted_events": len(r.events),
                "tp": len(r.matching.pairs),
                "fp": len(r.matching.unmatched_pred),
                "fn": len(r.matching.unmatched_gold),
            }
            for r in evaluation.results
        ],
        "gate": None
        if gate is None
        else {"floors": floors_path, "passed": gate.passed, "failures": gate.failures, "notes": gate.notes},
    }
