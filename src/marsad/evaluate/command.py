"""``marsad eval``: measure extraction against the gold set, print it, gate on the pinned floors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

from marsad.errors import MarsadError
from marsad.evaluate.corpus import default_corpus_dir
from marsad.evaluate.evaluation import SPLIT_CHOICES, Evaluation, Extractor, evaluate, load_extractor
from marsad.evaluate.floors import GateResult, check_floors, load_floors, pin_floors, save_floors
from marsad.evaluate.report import print_floors, print_gate, print_report, to_json

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_UNUSABLE", "HELDOUT_REMINDER", "default_floors_path", "run_eval"]

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2
HELDOUT_REMINDER = (
    "Reminder: the held-out split is for final reporting, not for tuning. Tune on dev; look at "
    "held-out figures only to report them."
)


def default_floors_path(gold_dir: Path) -> Path:
    """``eval/floors.json`` for the gold folder ``eval/gold``."""
    return gold_dir.parent / "floors.json"


def _extraction_failures(evaluation: Evaluation) -> list[str]:
    failed = [r for r in evaluation.results if r.error is not None]
    if not failed:
        return []
    first = failed[0]
    return [f"extraction raised on {len(failed)} article(s), e.g. {first.gold.id}: {first.error}"]


def run_eval(
    gold_dir: Path,
    *,
    out: Console,
    err: Console,
    split: str = "all",
    corpus: Path | None = None,
    floors: Path | None = None,
    as_json: bool = False,
    update_floors: bool = False,
    extractor: Extractor | None = None,
) -> int:
    """Run one evaluation and return the exit status: 0 passed (or nothing to gate), 1 a metric
    crossed its floor or the gold set changed since pinning, 2 unusable input."""

    def unusable(message: str) -> int:
        err.print(Text.assemble(("error: ", "bold red"), message), soft_wrap=True)
        return EXIT_UNUSABLE

    if split not in SPLIT_CHOICES:
        return unusable(f"--split must be one of {', '.join(SPLIT_CHOICES)}, not {split!r}")
    if update_floors and split != "all":
        return unusable("--update-floors pins dev and heldout together: run it with --split all")
    corpus_dir = corpus if corpus is not None else default_corpus_dir(gold_dir)
    if not corpus_dir.is_dir():
        return unusable(
            f"corpus folder {corpus_dir} not found: the gold articles' texts are read from it "
            "(point to it with --corpus DIR)"
        )
    floors_path = floors if floors is not None else default_floors_path(gold_dir)
    gate_on = not update_floors and (floors is not None or floors_path.is_file())
    try:
        pinned = load_floors(floors_path) if gate_on else None
        evaluation = evaluate(gold_dir, corpus_dir, extractor or load_extractor(), split)
    except MarsadError as exc:
        return unusable(exc.message)
    if split == "heldout":
        err.print(Text(HELDOUT_REMINDER, style="bold yellow"))
    if update_floors:
        return _pin(evaluation, floors_path, out, err, as_json)
    gate: GateResult | None = None
    if pinned is not None:
        gate = check_floors(pinned, evaluation.scores, evaluation.corpus_hash)
        if gate.hash_ok:
            gate.failures += _extraction_failures(evaluation)
    if as_json:
        sys.stdout.write(json.dumps(to_json(evaluation, gate, str(floors_path)), ensure_ascii=False, indent=2) + "\n")
    else:
        print_report(evaluation, out)
        if gate is not None:
            print_gate(gate, str(floors_path), out)
    if gate is not None and not gate.passed:
        if as_json:
            for failure in gate.failures:
                err.print(Text(f"gate failed: {failure}"))
        return EXIT_FAILED
    return EXIT_OK


def _pin(evaluation: Evaluation, path: Path, out: Console, err: Console, as_json: bool) -> int:
    failures = _extraction_failures(evaluation)
    if failures:
        err.print(Text(f"not pinned: {failures[0]}; fix the extractor first", style="bold red"))
        return EXIT_FAILED
    pinned = pin_floors(evaluation.scores, evaluation.corpus_hash)
    try:
        save_floors(path, pinned)
    except OSError as exc:
        err.print(Text(f"error: cannot write {path}: {exc.strerror or exc}", style="bold red"))
        return EXIT_UNUSABLE
    if as_json:
        sys.stdout.write(json.dumps(to_json(evaluation), ensure_ascii=False, indent=2) + "\n")
    else:
        print_report(evaluation, out)
        print_floors(pinned, str(path), out)
    err.print(f"floors written to {path}")
    return EXIT_OK
