"""The claim record: who asserts what, with which cue and stance, tied to the words it came from."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

__all__ = ["HOLDER_OUTLET", "KINDS", "STANCES", "Claim"]

KINDS = ("event", "tally", "statement")
STANCES = ("asserts", "denies", "alleges", "reports_uncertain")
HOLDER_OUTLET = "outlet"  # holder_id of a claim the outlet makes in its own voice


@dataclass(slots=True)
class Claim:
    """One claim of one document: ``holder`` says (``stance``) that ``topic`` of ``subject`` is ``value``.

    ``kind`` is ``event`` (tied to ``event_id``), ``tally`` (``tally_id``) or ``statement`` (a
    claim that is no incident: «أعلن التحالف القضاء على داعش»). ``values`` holds every value that
    can be compared with another account: ``cause`` (trigger ids), ``perpetrator`` (actor id),
    ``fatalities`` ([low, high]), ``location`` / ``admin1`` / ``iso``, ``responsibility``.
    Offsets (``start``/``end`` and the evidence's) index the document field named by ``field``.
    """

    id: str
    document_id: str
    kind: str
    holder: str
    holder_id: str
    holder_type: str
    holder_party: str | None
    holder_text: str | None
    cue: str | None
    cue_id: str | None
    stance: str
    subject: str | None
    topic: str
    value: str | None
    values: dict[str, Any]
    event_id: str | None
    tally_id: str | None
    claim_date: dt.date | None
    date_text: str | None
    sentence: str
    start: int
    end: int
    field: str
    evidence: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["claim_date"] = self.claim_date.isoformat() if self.claim_date else None
        return d
