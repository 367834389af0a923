"""Measuring extraction against the gold set (``eval/gold``) and gating CI on pinned floors.

``gold`` reads the annotations, ``corpus`` the article texts (through the real pipeline), ``match``
pairs predicted and gold events, ``score`` computes the metrics, ``floors`` pins and checks them,
``report`` prints them and ``command`` is ``marsad eval``.
"""

from __future__ import annotations

from marsad.evaluate.evaluation import Evaluation, evaluate, load_extractor
from marsad.evaluate.score import METRICS, Metric, SplitScores

__all__ = ["METRICS", "Evaluation", "Metric", "SplitScores", "evaluate", "load_extractor"]
