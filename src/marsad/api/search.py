"""Arabic text search: documents' title and text in the normal form used for matching.

A query is normalised like every text Marsad matches (:func:`marsad.arabic.normalize.normalize_phrase`:
hamza and alef forms, ta marbuta, alef maqsura, diacritics, tatweel, Arabic-Indic digits, runs of
spaces) and looked for in ``document_search.norm``, kept by :func:`refresh` in step with each
document's ``text_hash``.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from marsad.arabic.normalize import normalize_phrase

__all__ = ["normalize_query", "refresh"]

_CHUNK = 2000


def normalize_query(q: str) -> str:
    """The normal form of a search query (empty when nothing searchable is left)."""
    return normalize_phrase(q)


def refresh(con: duckdb.DuckDBPyConnection) -> int:
    """Bring ``document_search`` in step with ``documents``; return how many documents were (re)indexed."""
    cur = con.cursor()
    try:
        cur.execute(
            "DELETE FROM document_search WHERE document_id NOT IN (SELECT document_id FROM documents) "
            "OR document_id IN (SELECT s.document_id FROM document_search s JOIN documents d USING (document_id) "
            "WHERE s.text_hash <> d.text_hash)"
        )
        reader = con.cursor()
        reader.execute(
            "SELECT document_id, text_hash, title, text FROM documents d "
            "WHERE NOT EXISTS (SELECT 1 FROM document_search s WHERE s.document_id = d.document_id)"
        )
        done = 0
        while rows := reader.fetchmany(_CHUNK):
            batch = pa.Table.from_pylist(
                [{"document_id": r[0], "text_hash": r[1], "norm": normalize_phrase(f"{r[2]}\n{r[3]}")} for r in rows]
            )
            cur.register("search_batch", batch)
            cur.execute("INSERT INTO document_search SELECT document_id, text_hash, norm FROM search_batch")
            cur.unregister("search_batch")
            done += len(rows)
        reader.close()
        return done
    finally:
        cur.close()
