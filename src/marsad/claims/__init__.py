"""Claims: who asserts each event, tally and statement of a document, with cue, stance and evidence.

``claims_for(analyses, extraction, published)`` is called by :func:`marsad.extract.extract_text`
after assembly; the claims land in ``Extraction.claims`` and in the store's ``claims`` table.
Holders come from ``lexicon/data/holders.yaml`` (plus publishers.yaml, attribution.yaml's source
nouns and actors.yaml), statement words and method families from ``lexicon/data/claims.yaml``.
"""

from __future__ import annotations

from marsad.claims.build import OUTLET, claims_for
from marsad.claims.lexicon import ClaimLexicon, Holder, claim_lexicon
from marsad.claims.model import HOLDER_OUTLET, KINDS, STANCES, Claim

__all__ = [
    "HOLDER_OUTLET",
    "KINDS",
    "OUTLET",
    "STANCES",
    "Claim",
    "ClaimLexicon",
    "Holder",
    "claim_lexicon",
    "claims_for",
]
