"""Pages of ``/api/events`` from the events' summary columns held in memory.

Every ``/api/events`` request through SQL costs DuckDB a scan and a top-N sort of all the
matching events plus ~1 ms of fixed cost per query, about 7–11 ms on 100,000 events: at 50
concurrent clients on two cores that queues to p95 of most of a second. :class:`EventIndex`
reads the summary of every event once (through the same reviewed view and with the same
outlet as :func:`marsad.api.queries.event_page`), newest first, into NumPy columns and one
pre-serialised JSON item per event. A page is then a boolean mask over those columns, its
``total`` a sum, its items a slice: well under a millisecond for the same filters.

The index answers exactly what the SQL path answers (same rows, same order, same bytes; a test
holds the two to that over random filters): string comparisons use the values DuckDB lowered or
upper-cased, substring filters test the same lowered haystacks, and the filters that need other
tables (``q``, ``incident_id``) ask DuckDB for their documents or events first (a text search
scans ``document_search`` the first time, then its rows are remembered). It is built in a
background thread (requests meanwhile use SQL), kept until the next write, and not built at all
above ``max_events`` (memory: ~0.5 KB per event).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from marsad.api.filters import EventFilters
from marsad.api.search import normalize_query
from marsad.api.textindex import TokenIndex

__all__ = ["EventIndex", "IndexedEvents", "build_index"]

Mask = npt.NDArray[np.bool_]
_OUTLET_SQL = "coalesce(json_extract_string(d.metadata, '$.publisher_name'), d.source, d.publisher)"
_ACTORS_SQL = "lower(concat_ws('|', actor1, actor2, assoc_actor_1, assoc_actor_2, actor1_id, actor2_id))"
_OUTLET_HAY_SQL = "lower(concat_ws('|', json_extract_string(d.metadata, '$.publisher_name'), d.source, d.publisher))"
_EPOCH = dt.date(1970, 1, 1)
_KEPT = 4096  # needles (and case-folded filter values) remembered; all forgotten when full
_MAX_CHECKED = 2000  # candidate documents of a several-word search checked by name; more: one scan
_KEPT_SEARCHES = 256  # text searches remembered (a row mask each: 100 KB per 100,000 events)


class _Codes:
    """A string column as integer codes into its distinct values (``-1`` for NULL)."""

    def __init__(self, column: pa.ChunkedArray) -> None:
        encoded = column.combine_chunks().dictionary_encode()
        self.values: list[str] = encoded.dictionary.to_pylist()
        self.codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
        self.position = {v: i for i, v in enumerate(self.values)}
        self._hits: dict[str, Mask] = {}  # which distinct values contain a needle, by needle

    def equal(self, value: str) -> Mask:
        code = self.position.get(value)
        return np.zeros(len(self.codes), bool) if code is None else self.codes == code

    def among(self, values: set[str]) -> Mask:
        wanted = np.array([i for i, v in enumerate(self.values) if v in values], dtype=np.int32)
        return np.isin(self.codes, wanted)

    def containing(self, needle: str) -> Mask:
        hits = self._hits.get(needle)
        if hits is None:
            found = np.fromiter((needle in v for v in self.values), dtype=bool, count=len(self.values))
            hits = np.append(found, False)  # code -1 (NULL) reads the appended False
            if len(self._hits) >= _KEPT:
                self._hits.clear()
            self._hits[needle] = hits
        mask: Mask = hits[self.codes]
        return mask


@dataclass(slots=True)
class IndexedEvents:
    """The summary of every event, newest first (``ORDER BY event_date DESC NULLS LAST, id``)."""

    items: list[bytes]  # each event's JSON object, as the SQL path writes it
    ids: dict[str, int]  # event id -> row
    day: npt.NDArray[np.int64]  # days since 1970-01-01
    dated: Mask
    latitude: npt.NDArray[np.float64]  # NaN for NULL, so every comparison is false as in SQL
    longitude: npt.NDArray[np.float64]
    fatalities: npt.NDArray[np.float64]
    iso_upper: _Codes
    country_lower: _Codes
    admin1_lower: _Codes
    event_type: _Codes
    claim_status: _Codes
    review_status: _Codes
    document_id: _Codes
    actors: _Codes  # lower(concat_ws('|', actor names and ids))
    outlets: _Codes  # lower(concat_ws('|', publisher_name, source, publisher)) of the event's document
    text: TokenIndex | None = None  # the words of the documents with events (see marsad.api.textindex)
    cased: dict[str, tuple[str, str]] = field(default_factory=dict)  # filter value -> (upper, lower)
    searches: dict[str, Mask] = field(default_factory=dict)  # normalised q -> matching rows

    def __len__(self) -> int:
        return len(self.items)

    def mask(self, con: duckdb.DuckDBPyConnection, f: EventFilters) -> Mask:
        """The rows matching ``f``, with the meaning of :meth:`EventFilters.where`."""
        m = np.ones(len(self.items), bool)
        if f.date_from:
            m &= self.dated & (self.day >= (f.date_from - _EPOCH).days)
        if f.date_to:
            m &= self.dated & (self.day <= (f.date_to - _EPOCH).days)
        if f.bbox is not None:
            b = f.bbox
            m &= (self.latitude >= b.min_lat) & (self.latitude <= b.max_lat)
            if b.min_lon <= b.max_lon:
                m &= (self.longitude >= b.min_lon) & (self.longitude <= b.max_lon)
            else:
                m &= (self.longitude >= b.min_lon) | (self.longitude <= b.max_lon)
        texts = [t for t in (f.country, f.admin1, f.actor, f.outlet) if t]
        if texts:
            folded = self._folded(con, texts)
            if f.country:
                upper, lower = folded[f.country]
                m &= self.iso_upper.equal(upper) | self.country_lower.equal(lower)
            if f.admin1:
                m &= self.admin1_lower.equal(folded[f.admin1][1])
            if f.actor:
                m &= self.actors.containing(folded[f.actor][1])
            if f.outlet:
                m &= self.outlets.containing(folded[f.outlet][1])
        if f.event_type:
            m &= self.event_type.among(set(f.event_type))
        if f.claim_status:
            m &= self.claim_status.equal(f.claim_status)
        if f.review_status == "unreviewed":
            m &= self.review_status.codes < 0
        elif f.review_status:
            m &= self.review_status.equal(f.review_status)
        if f.q is not None:
            m &= self._searched(con, normalize_query(f.q))
        if f.document_id:
            m &= self.document_id.equal(f.document_id)
        if f.incident_id:
            sql = "SELECT event_id FROM incident_reports WHERE incident_id = ?"
            rows = con.execute(sql, [f.incident_id]).fetchall()
            keep = np.zeros(len(self.items), bool)
            keep[[self.ids[r[0]] for r in rows if r[0] in self.ids]] = True
            m &= keep
        if f.min_fatalities is not None:
            m &= self.fatalities >= f.min_fatalities
        return m

    def _folded(self, con: duckdb.DuckDBPyConnection, texts: list[str]) -> dict[str, tuple[str, str]]:
        """``text -> (upper, lower)`` by DuckDB's own upper()/lower(), so that the comparisons are
        those of the SQL path (Python's case mapping differs for a few letters)."""
        out = {t: known for t in texts if (known := self.cased.get(t)) is not None}
        todo = [t for t in dict.fromkeys(texts) if t not in out]
        if todo:
            row = con.execute(
                "SELECT " + ", ".join("upper(?), lower(?)" for _ in todo), [t for t in todo for _ in (0, 1)]
            ).fetchone()
            assert row is not None
            if len(self.cased) >= _KEPT:
                self.cased.clear()
            for i, t in enumerate(todo):
                out[t] = self.cased[t] = (str(row[2 * i]), str(row[2 * i + 1]))
        return out

    def _searched(self, con: duckdb.DuckDBPyConnection, norm: str) -> Mask:
        """The events whose document's normalised title and text contain ``norm``: one scan of
        ``document_search`` the first time a search is made, then remembered (a dashboard sends
        the same search for every page, the map and the counts)."""
        found = self.searches.get(norm)
        if found is None:
            looked = self.text.search(norm) if self.text is not None else None
            if looked is not None and looked[1]:
                found = np.isin(self.document_id.codes, looked[0])
            else:
                sql = "SELECT DISTINCT document_id FROM document_search WHERE contains(norm, ?)"
                params: list[Any] = [norm]
                if looked is not None and len(looked[0]) <= _MAX_CHECKED:
                    # only the documents that have a word containing each piece of the search
                    sql += " AND document_id IN (SELECT unnest(?::VARCHAR[]))"
                    params.append([self.document_id.values[c] for c in looked[0]])
                found = self.document_id.among({r[0] for r in con.execute(sql, params).fetchall()})
            if len(self.searches) >= _KEPT_SEARCHES:
                self.searches.clear()
            self.searches[norm] = found
        return found

    def page(self, con: duckdb.DuckDBPyConnection, f: EventFilters, limit: int, offset: int) -> bytes:
        """The JSON body of ``/api/events``: ``{"total", "limit", "offset", "items"}``, as the SQL
        path writes it."""
        rows = np.flatnonzero(self.mask(con, f))
        items = b",".join(self.items[i] for i in rows[offset : offset + limit])
        return b'{"total":%d,"limit":%d,"offset":%d,"items":[%s]}' % (len(rows), limit, offset, items)


def _numbers(column: pa.ChunkedArray) -> npt.NDArray[np.float64]:
    values: npt.NDArray[np.float64] = column.cast(pa.float64()).fill_null(np.nan).to_numpy()
    return values


def build_index(
    con: duckdb.DuckDBPyConnection, relation: str, columns: tuple[str, ...], to_json: Callable[[Any], bytes]
) -> IndexedEvents:
    """Read the summary ``columns`` of the events of ``relation`` (the reviewed events subquery)."""
    names = ", ".join(f'ev."{c}"' for c in columns)
    table = con.execute(
        f"SELECT {names}, {_OUTLET_SQL} AS outlet, {_ACTORS_SQL} AS _actors, {_OUTLET_HAY_SQL} AS _outlets, "
        "upper(ev.iso) AS _iso, lower(ev.country) AS _country, lower(ev.admin1) AS _admin1 "
        f"FROM {relation} ev LEFT JOIN documents d ON d.document_id = ev.document_id "
        "ORDER BY ev.event_date DESC NULLS LAST, ev.id"
    ).to_arrow_table()
    keys = [*columns, "outlet"]
    values = zip(*(table[k].to_pylist() for k in keys), strict=True)
    items = [to_json(dict(zip(keys, row, strict=True))) for row in values]
    dates = table["event_date"]
    days = pc.cast(dates, pa.int32()).cast(pa.int64()).fill_null(0).to_numpy()
    documents = _Codes(table["document_id"])
    reader = con.execute(
        "SELECT document_id, norm FROM document_search WHERE document_id IN (SELECT document_id FROM events)"
    )
    position = documents.position
    texts = ((position.get(r[0]), r[1]) for rows in iter(lambda: reader.fetchmany(5000), []) for r in rows)
    return IndexedEvents(
        text=TokenIndex((code, norm) for code, norm in texts if code is not None),
        items=items,
        ids={v: i for i, v in enumerate(table["id"].to_pylist())},
        day=days,
        dated=dates.is_valid().to_numpy(zero_copy_only=False),
        latitude=_numbers(table["latitude"]),
        longitude=_numbers(table["longitude"]),
        fatalities=_numbers(table["fatalities"]),
        iso_upper=_Codes(table["_iso"]),
        country_lower=_Codes(table["_country"]),
        admin1_lower=_Codes(table["_admin1"]),
        event_type=_Codes(table["event_type"]),
        claim_status=_Codes(table["claim_status"]),
        review_status=_Codes(table["review_status"]),
        document_id=documents,
        actors=_Codes(table["_actors"]),
        outlets=_Codes(table["_outlets"]),
    )


class EventIndex:
    """The :class:`IndexedEvents` of a database, built in the background and dropped on writes.

    ``current()`` is the index when it is ready and still true to the data, else None (the
    caller uses SQL); ``invalidate()`` after every write starts a fresh build.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        relation: Callable[[duckdb.DuckDBPyConnection], str],
        columns: tuple[str, ...],
        to_json: Callable[[Any], bytes],
        max_events: int,
    ) -> None:
        self._con, self._relation, self._columns, self._to_json = con, relation, columns, to_json
        self.max_events = max_events
        self._lock = threading.Lock()
        self._generation = 0
        self._index: IndexedEvents | None = None
        self._thread: threading.Thread | None = None
        self.skipped: str | None = None  # why there is no index (too many events, an error)

    def current(self) -> IndexedEvents | None:
        return self._index

    def start(self) -> None:
        """Build in a background thread (the previous build, if any, is discarded when it ends)."""
        if self.max_events <= 0:
            self.skipped = "disabled"
            return
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._index = None
            thread = threading.Thread(target=self._build, args=(generation,), name="marsad-event-index", daemon=True)
            self._thread = thread
            thread.start()

    def invalidate(self) -> None:
        self.start()

    def wait(self, timeout: float | None = None) -> IndexedEvents | None:
        """The index once the running build has ended (tests, benchmarks)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self._index

    def _build(self, generation: int) -> None:
        cur = self._con.cursor()
        try:
            count = cur.execute("SELECT count(*) FROM events").fetchone()
            if count is not None and int(count[0]) > self.max_events:
                self.skipped = f"{int(count[0]):,} events, more than the index limit of {self.max_events:,}"
                return
            index = build_index(cur, self._relation(cur), self._columns, self._to_json)
        except duckdb.Error as exc:  # the SQL path keeps serving; say why in /api/health-like logs
            self.skipped = f"cannot build the event index: {exc}"
            return
        finally:
            cur.close()
        with self._lock:
            if generation == self._generation:
                self._index, self.skipped = index, None
