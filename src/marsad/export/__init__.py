"""Exports of the stored events: ACLED-compatible CSV (:mod:`.acled`), JSON Lines (:mod:`.jsonl`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from marsad.errors import MarsadError
from marsad.export.acled import write_acled_csv
from marsad.export.jsonl import write_jsonl
from marsad.export.report import ExportReport
from marsad.store import Store

__all__ = ["FORMATS", "ExportReport", "export"]

FORMATS: dict[str, Callable[[Store, TextIO], ExportReport]] = {"acled-csv": write_acled_csv, "jsonl": write_jsonl}


def export(store: Store, fmt: str, out: TextIO) -> ExportReport:
    """Write the events (and, in JSON Lines, the tallies) of ``store`` to ``out`` in format ``fmt``.

    ``out`` is a text stream; open a file with ``newline=""`` (the CSV writer ends rows itself).
    """
    writer = FORMATS.get(fmt)
    if writer is None:
        raise MarsadError("E401", f"unknown export format {fmt!r} (use {' or '.join(FORMATS)})")
    return writer(store, out)
