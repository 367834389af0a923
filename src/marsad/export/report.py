"""What an export wrote and what it left out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["ExportReport"]


@dataclass(slots=True)
class ExportReport:
    """Counts of one export: records written, and events left out by reason."""

    format: str
    events: int = 0
    tallies: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
