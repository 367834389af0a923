"""An extraction engine that knows the store's imported gazetteer.

``marsad run --db DB`` hands the pipeline this extractor when the store has imported places:
the same engine as :func:`marsad.extract.extract`, with a places matcher that also holds the
imported towns, villages and neighbourhoods (and alternate names). Without imported places the
default engine (embedded gazetteer only) is used as is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import duckdb

from marsad.extract.analysis import analyse
from marsad.extract.assemble import Context, assemble
from marsad.extract.lexicons import Lexicons, curated_places, lexicons, place_matcher
from marsad.extract.model import Extraction
from marsad.extract.places import doc_country
from marsad.extract.text import prepare
from marsad.geo.embedded import embedded_rows
from marsad.geo.gazetteer import _with_names, user_rows
from marsad.model import Document

__all__ = ["extractor_for", "lexicons_with_store"]


def lexicons_with_store(con: duckdb.DuckDBPyConnection) -> Lexicons | None:
    """The lexicons with the store's imported places, or None when it has none."""
    rows, names = user_rows(con)
    if not rows and not names:
        return None
    curated, _ = curated_places()
    everything = _with_names([*(r for r in embedded_rows() if r.geonameid in names), *rows], names) if names else rows
    others = [r for r in embedded_rows() if not names or r.geonameid not in names]
    return dataclasses.replace(lexicons(), places=place_matcher(curated, [*others, *everything]))


def extractor_for(con: duckdb.DuckDBPyConnection) -> Callable[[Document], Extraction] | None:
    lex = lexicons_with_store(con)
    if lex is None:
        return None
    engine: Lexicons = lex

    def extract(doc: Document) -> Extraction:
        fields = [prepare(n, v) for n, v in (("title", doc.title), ("text", doc.text)) if v and v.strip()]
        analyses = [analyse(f, engine, doc.published) for f in fields]
        confirmed = {p.id for a in analyses for m in a.actors for p in m.payloads if not p.ambiguous}
        ctx = Context(doc.id, doc.published, doc_country(analyses), confirmed, engine)
        return assemble(analyses, ctx)

    return extract
