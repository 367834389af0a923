"""Event extraction: ACLED-compatible events and tallies from a cleaned Arabic document.

``extract(doc)`` reads the document's title and text, and returns an
:class:`~marsad.extract.model.Extraction` whose every value is tied to the words it came from.
Stages: :mod:`.text` (normal form, sentences, offsets) → :mod:`.analysis` (one scan for every
lexicon, number and date) → :mod:`.figures`, :mod:`.roles`, :mod:`.places` (the rules) →
:mod:`.assemble` (frames, tallies, events).
"""

from __future__ import annotations

import datetime as dt

from marsad.extract.analysis import analyse
from marsad.extract.assemble import Context, assemble
from marsad.extract.lexicons import lexicons
from marsad.extract.model import Event, Evidence, Extraction, Tally
from marsad.extract.places import doc_country
from marsad.extract.text import prepare
from marsad.model import Document

__all__ = ["Event", "Evidence", "Extraction", "Tally", "extract", "extract_text"]


def extract_text(document_id: str, text: str, title: str = "", published: dt.date | None = None) -> Extraction:
    """Events and tallies of one document given as plain strings."""
    lex = lexicons()
    fields = [prepare(name, value) for name, value in (("title", title), ("text", text)) if value and value.strip()]
    analyses = [analyse(f, lex, published) for f in fields]
    confirmed = {p.id for a in analyses for m in a.actors for p in m.payloads if not p.ambiguous}
    ctx = Context(document_id, published, doc_country(analyses), confirmed, lex)
    extraction = assemble(analyses, ctx)
    from marsad.claims import claims_for  # claims read the extraction (and import from this package)

    extraction.claims = claims_for(analyses, extraction, published)
    return extraction


def extract(doc: Document) -> Extraction:
    """Events and tallies of a cleaned document (its title, text and publication date)."""
    return extract_text(doc.id, doc.text, doc.title, doc.published)
