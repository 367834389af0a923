"""The accuracy gate: metrics pinned per split in a floors file, and the check against them.

The file (``eval/floors.json``) holds, per split, a floor for every metric where higher is better
and a ceiling for every metric where lower is better, and the hash of the gold set and the article
texts the floors were measured on. Pinning takes the current value rounded down to two decimals
minus a tolerance (ceilings: rounded up plus the tolerance), so that only a real drop fails. When
the gold set or the corpus changes, the hash differs and the floors no longer mean anything: the
gate fails until someone looks at the new figures and pins them again.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError
from marsad.evaluate.score import LOWER_IS_BETTER, METRICS, SplitScores

__all__ = [
    "PINNED_SPLITS",
    "TOLERANCE",
    "Floors",
    "FloorsError",
    "GateResult",
    "ceiling_of",
    "check_floors",
    "floor_of",
    "load_floors",
    "pin_floors",
    "save_floors",
]

TOLERANCE = 0.01
PINNED_SPLITS = ("dev", "heldout")
FORMAT_VERSION = 1


class FloorsError(MarsadError):
    """The floors file cannot be read or does not have the expected shape (``E63x``)."""


@dataclass(slots=True)
class Floors:
    """Pinned limits per split: ``floors`` (value must not fall below) and ``ceilings`` (not rise above)."""

    corpus_hash: str
    floors: dict[str, dict[str, float]]
    ceilings: dict[str, dict[str, float]] = field(default_factory=dict)
    tolerance: float = TOLERANCE

    def splits(self) -> list[str]:
        return sorted(set(self.floors) | set(self.ceilings))


@dataclass(slots=True)
class GateResult:
    """What the gate found: failures (each names the split and metric) and notes."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hash_ok: bool = True

    @property
    def passed(self) -> bool:
        return not self.failures


def floor_of(value: float, tolerance: float = TOLERANCE) -> float:
    """``value`` rounded down to two decimals, minus ``tolerance`` (never below 0)."""
    return max(0.0, round(math.floor(round(value * 100, 6)) / 100 - tolerance, 2))


def ceiling_of(value: float, tolerance: float = TOLERANCE) -> float:
    """``value`` rounded up to two decimals, plus ``tolerance``."""
    return round(math.ceil(round(value * 100, 6)) / 100 + tolerance, 2)


def pin_floors(
    scores: Mapping[str, SplitScores],
    corpus_hash: str,
    splits: Sequence[str] = PINNED_SPLITS,
    tolerance: float = TOLERANCE,
) -> Floors:
    """Floors and ceilings from the current metrics of ``splits`` (metrics without a value are not pinned)."""
    floors: dict[str, dict[str, float]] = {}
    ceilings: dict[str, dict[str, float]] = {}
    for split in splits:
        if split not in scores:
            raise ValueError(f"no scores for split {split!r} to pin")
        for name in METRICS:
            value = scores[split].value(name)
            if value is None:
                continue
            if name in LOWER_IS_BETTER:
                ceilings.setdefault(split, {})[name] = ceiling_of(value, tolerance)
            else:
                floors.setdefault(split, {})[name] = floor_of(value, tolerance)
    return Floors(corpus_hash, floors, ceilings, tolerance)


def _limits(data: Any, key: str, path: Path) -> dict[str, dict[str, float]]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise FloorsError("E631", f"{path}: {key!r} must map splits to metrics")
    out: dict[str, dict[str, float]] = {}
    for split, metrics in table.items():
        if not isinstance(metrics, dict) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in metrics.values()
        ):
            raise FloorsError("E631", f"{path}: {key}.{split} must map metric names to numbers")
        out[split] = {name: float(v) for name, v in metrics.items()}
    return out


def load_floors(path: Path) -> Floors:
    """Read a floors file written by :func:`save_floors`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FloorsError("E630", f"floors file {path} not found (create it with --update-floors)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FloorsError("E630", f"cannot read floors file {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("corpus_hash"), str):
        raise FloorsError("E631", f"{path}: expected an object with 'corpus_hash', 'floors' and 'ceilings'")
    tolerance = data.get("tolerance", TOLERANCE)
    return Floors(
        corpus_hash=data["corpus_hash"],
        floors=_limits(data, "floors", path),
        ceilings=_limits(data, "ceilings", path),
        tolerance=float(tolerance) if isinstance(tolerance, (int, float)) else TOLERANCE,
    )


def save_floors(path: Path, floors: Floors) -> None:
    """Write ``floors`` as indented JSON (splits and metrics in a stable order)."""
    data = {
        "version": FORMAT_VERSION,
        "corpus_hash": floors.corpus_hash,
        "tolerance": floors.tolerance,
        "floors": floors.floors,
        "ceilings": floors.ceilings,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def check_floors(floors: Floors, scores: Mapping[str, SplitScores], corpus_hash: str) -> GateResult:
    """Compare the scores of every split named in ``floors`` that this run measured."""
    result = GateResult()
    if floors.corpus_hash != corpus_hash:
        result.hash_ok = False
        result.failures.append(
            f"the gold set or the corpus changed since the floors were pinned (pinned {floors.corpus_hash[:12]}…, "
            f"now {corpus_hash[:12]}…): the floors no longer apply; check the new figures and re-pin them "
            "with --update-floors"
        )
        return result
    for split in floors.splits():
        if split not in scores:
            result.notes.append(f"floors of split {split!r} not checked: this run did not measure it")
            continue
        limits = [(name, limit, False) for name, limit in floors.floors.get(split, {}).items()]
        limits += [(name, limit, True) for name, limit in floors.ceilings.get(split, {}).items()]
        for name, limit, is_ceiling in limits:
            if name not in METRICS:
                result.failures.append(f"{split} {name}: unknown metric in the floors file")
                continue
            value = scores[split].value(name)
            if value is None:
                result.failures.append(f"{split} {name}: no value (measured over nothing), pinned {limit:.2f}")
            elif is_ceiling and value > limit:
                result.failures.append(f"{split} {name} = {_fmt(value)} is above its ceiling {limit:.2f}")
            elif not is_ceiling and value < limit:
                result.failures.append(f"{split} {name} = {_fmt(value)} is below its floor {limit:.2f}")
    return result
