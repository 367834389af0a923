"""The FastAPI application of the workspace: :func:`create_app` (no postponed annotations: FastAPI
reads the endpoints' annotations, some of them local aliases).

Reads are open; writes (``POST /api/documents``, ``PATCH /api/events/{id}``) need the token, are
rate limited per client, and are refused on a read-only source. Every error is JSON
``{"error": {"code", "message"}}`` with a 4xx status. Endpoints are plain functions run in the
thread pool, each request with its own DuckDB cursor; the dependencies (cursor, filters) are
cheap and run on the event loop, so a request costs one trip to the thread pool.

Read responses of ``/api/events``, ``/api/stats`` and ``/api/facets`` are kept by URL until the
next write; a repeated URL is answered by :class:`CachedReads` before routing (no validation, no
thread, no query). Whether any event was reviewed (which SQL the reviewed view needs) is also
kept until the next write.
"""

import datetime as dt
import json
import mimetypes
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import duckdb
from fastapi import Body, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from marsad import __version__
from marsad.api import exports, queries, search
from marsad.api.auth import check_token
from marsad.api.db import Database
from marsad.api.errors import APIError, error_body
from marsad.api.filters import EventFilters, event_filters, parse_bbox, parse_page
from marsad.api.index import EventIndex
from marsad.api.ingest import Article, Ingestor
from marsad.api.ratelimit import RateLimiter
from marsad.api.security import SecurityMiddleware
from marsad.pipeline import Extractor
from marsad.review import ReviewError, record_review

__all__ = ["ApiSettings", "create_app"]


@dataclass(frozen=True, slots=True)
class ApiSettings:
    max_body_bytes: int = 2 * 1024 * 1024
    writes_per_minute: float = 30.0
    write_burst: int = 10
    cache_entries: int = 1024  # responses of /api/events, /api/stats, /api/facets kept until the next write
    index_max_events: int = 1_000_000  # /api/events pages from memory up to this many events (0: SQL only)


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _json_bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, default=_default, separators=(",", ":")).encode()


def _json(body: Any, status: int = 200) -> Response:
    return Response(_json_bytes(body), status_code=status, media_type="application/json")


class ResponseCache:
    """Bodies of read responses by URL, dropped whenever anything is written (LRU, thread-safe)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        if self.entries <= 0:
            return
        with self._lock:
            self._items[key] = body
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_CACHED_PATHS = frozenset({"/api/events", "/api/stats", "/api/facets"})


def cache_key(scope: Scope) -> str:
    """The cache key of a request: its path and its query string as sent."""
    return f"{scope['path']}?{scope.get('query_string', b'').decode('latin-1')}"


class CachedReads:
    """Pure ASGI middleware: a GET of a cached path whose URL is in ``cache`` is answered at once
    with the stored body (only 200 responses are stored, so the URL was valid when it was)."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] in _CACHED_PATHS:
            body = self.cache.get(cache_key(scope))
            if body is not None:
                headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


class ReviewFlag:
    """Whether any event has been reviewed, looked up once and kept until :meth:`reset` (a write)."""

    def __init__(self) -> None:
        self._value: bool | None = None

    def get(self, con: duckdb.DuckDBPyConnection) -> bool:
        value = self._value
        if value is None:
            value = self._value = queries.any_reviews(con)
        return value

    def reset(self) -> None:
        self._value = None


class Review(BaseModel):
    """A reviewer's decision on an event."""

    action: Literal["confirm", "reject", "correct"]
    changes: dict[str, Any] = Field(
        default_factory=dict,
        description="For correct: new values of event_type, sub_event_type, actor1, actor2, country, iso, "
        "admin1, admin2, location, latitude, longitude, fatalities.",
    )
    reviewer: str = Field("reviewer", min_length=1, max_length=100)
    note: str | None = Field(None, max_length=2000)


# the map's boundary files, whatever the system's mime.types says (a slim image has none)
mimetypes.add_type("application/geo+json", ".geojson")


def _static_dir() -> Path:
    return Path(str(resources.files("marsad.api") / "static"))


def create_app(
    db: Database,
    token: str | None,
    settings: ApiSettings | None = None,
    *,
    extractor: Extractor | None = None,
) -> FastAPI:
    """The workspace over ``db``. ``token`` None disables writes (401 for every write)."""
    settings = settings or ApiSettings()
    limiter = RateLimiter(settings.writes_per_minute, settings.write_burst)
    cache = ResponseCache(settings.cache_entries)
    reviewed = ReviewFlag()
    ingestor = Ingestor(db.store, extractor=extractor) if db.store is not None else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if ingestor is not None:
            ingestor.close()

    search.refresh(db.con)
    event_index = EventIndex(
        db.con,
        lambda c: queries.events_relation(c, reviewed.get(c)),
        queries.EVENT_SUMMARY,
        _json_bytes,
        settings.index_max_events,
    )
    event_index.start()

    def changed() -> None:
        """After a write: what was kept about the data is dropped (the index is rebuilt)."""
        reviewed.reset()
        cache.clear()
        event_index.invalidate()

    app = FastAPI(
        title="Marsad workspace API",
        version=__version__,
        description="Events read from Arabic conflict news: explore, review and export. Writes need "
        "`Authorization: Bearer <token>`.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.event_index = event_index
    app.add_middleware(CachedReads, cache=cache)
    app.add_middleware(SecurityMiddleware, max_body=settings.max_body_bytes)  # outermost: headers on every answer

    async def con() -> AsyncIterator[duckdb.DuckDBPyConnection]:
        # a cursor of its own for each request: FastAPI may run a dependency and its endpoint in
        # different threads, so a per-thread cursor could be shared by two requests at once
        # (made on the event loop: it takes microseconds, a trip to the thread pool far more)
        cur = db.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    Con = Annotated[duckdb.DuckDBPyConnection, Depends(con)]

    def writer(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
        if token is None:
            raise APIError(401, "unauthorized", "writes are disabled: the server has no token")
        check_token(authorization, token)
        limiter.hit(request.client.host if request.client else "unknown")
        if not db.writable:
            raise APIError(409, "read_only", "this workspace serves a read-only source")

    async def filters(  # no I/O: on the event loop
        date_from: Annotated[str | None, Query(description="First event date, YYYY-MM-DD.")] = None,
        date_to: Annotated[str | None, Query(description="Last event date, YYYY-MM-DD.")] = None,
        bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
        country: Annotated[str | None, Query(description="ISO alpha-2 code or country name.")] = None,
        admin1: Annotated[str | None, Query()] = None,
        event_type: Annotated[list[str] | None, Query(description="ACLED event type(s).")] = None,
        actor: Annotated[str | None, Query(description="Part of an actor's name or id.")] = None,
        outlet: Annotated[str | None, Query(description="Part of the outlet's or source's name.")] = None,
        claim_status: Annotated[str | None, Query()] = None,
        review_status: Annotated[str | None, Query(description="confirmed | rejected | corrected | unreviewed")] = None,
        q: Annotated[str | None, Query(description="Arabic text to find in the source articles (normalised).")] = None,
        document_id: Annotated[str | None, Query()] = None,
        incident_id: Annotated[str | None, Query()] = None,
        min_fatalities: Annotated[int | None, Query()] = None,
    ) -> EventFilters:
        return event_filters(
            date_from,
            date_to,
            bbox,
            country,
            admin1,
            event_type,
            actor,
            outlet,
            claim_status,
            review_status,
            q,
            document_id,
            incident_id,
            min_fatalities,
        )

    Filters = Annotated[EventFilters, Depends(filters)]
    Limit = Annotated[int, Query(description="Page size (1-500).")]
    Offset = Annotated[int, Query(description="Items to skip.")]

    @app.exception_handler(APIError)
    async def api_error(_: Request, exc: APIError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(ReviewError)
    async def review_error(_: Request, exc: ReviewError) -> JSONResponse:
        return JSONResponse(error_body("bad_review", exc.message, marsad_code=exc.code), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in {"query", "body", "path"})
            problems.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return JSONResponse(error_body("invalid_request", "; ".join(problems)[:1000]), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code)

    def page(total: int, limit: int, offset: int, items: list[dict[str, Any]]) -> Response:
        return _json({"total": total, "limit": limit, "offset": offset, "items": items})

    def cached(request: Request, build: Callable[[], Response]) -> Response:
        key = cache_key(request.scope)
        body = cache.get(key)
        if body is None:
            response = build()
            if response.status_code == 200:
                cache.put(key, bytes(response.body))
            return response
        return Response(body, media_type="application/json")

    @app.get("/api/events", summary="Events, newest first, filtered and paginated")
    def list_events(request: Request, c: Con, f: Filters, limit: Limit = 100, offset: Offset = 0) -> Response:
        limit, offset = parse_page(limit, offset)

        def build() -> Response:
            indexed = event_index.current()
            if indexed is not None:
                return Response(indexed.page(c, f, limit, offset), media_type="application/json")
            total, rows = queries.event_page(c, f, limit, offset, reviewed.get(c))
            return page(total, limit, offset, rows)

        return cached(request, build)

    @app.get("/api/events/{event_id}", summary="One event with evidence, reviews, claims, incident and sources")
    def get_event(c: Con, event_id: str) -> Response:
        found = queries.event(c, event_id)
        if found is None:
            raise APIError(404, "not_found", f"no event {event_id[:80]!r}")
        return _json(found)

    @app.patch("/api/events/{event_id}", summary="Confirm, reject or correct an event (token)")
    def review_event(
        c: Con, event_id: str, review: Annotated[Review, Body()], _: Annotated[None, Depends(writer)]
    ) -> Response:
        rows = c.execute("SELECT * FROM events WHERE id = ?", [event_id])
        cols = [d[0] for d in rows.description or []]
        row = rows.fetchone()
        if row is None:
            raise APIError(404, "not_found", f"no event {event_id[:80]!r}")
        record_review(c, dict(zip(cols, row, strict=True)), review.action, review.changes, review.reviewer, review.note)
        changed()
        return _json(queries.event(c, event_id))

    @app.get("/api/incidents", summary="Incidents (events linked across reports)")
    def list_incidents(
        c: Con,
        date_from: str | None = None,
        date_to: str | None = None,
        bbox: str | None = None,
        country: str | None = None,
        admin1: str | None = None,
        event_type: str | None = None,
        grade: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response:
        limit, offset = parse_page(limit, offset)
        total, items = queries.incidents(
            c,
            date_from=date_from,
            date_to=date_to,
            bbox=parse_bbox(bbox),
            country=country,
            admin1=admin1,
            event_type=event_type,
            grade=grade,
            limit=limit,
            offset=offset,
        )
        return page(total, limit, offset, items)

    @app.get("/api/incidents/{incident_id}", summary="One incident with its reports and contradictions")
    def get_incident(c: Con, incident_id: str) -> Response:
        found = queries.incident(c, incident_id)
        if found is None:
            raise APIError(404, "not_found", f"no incident {incident_id[:80]!r}")
        return _json(found)

    @app.get("/api/contradictions", summary="Where accounts disagree")
    def list_contradictions(
        c: Con,
        incident_id: str | None = None,
        event_id: str | None = None,
        document_id: str | None = None,
        aspect: str | None = None,
        scope: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response:
        limit, offset = parse_page(limit, offset)
        total, items = queries.contradictions(
            c,
            incident_id=incident_id,
            event_id=event_id,
            document_id=document_id,
            aspect=aspect,
            scope=scope,
            limit=limit,
            offset=offset,
        )
        return page(total, limit, offset, items)

    @app.get("/api/tallies", summary="Cumulative tallies (totals over a period)")
    def list_tallies(
        c: Con,
        date_from: str | None = None,
        date_to: str | None = None,
        country: str | None = None,
        document_id: str | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response:
        limit, offset = parse_page(limit, offset)
        total, items = queries.tallies(
            c,
            date_from=date_from,
            date_to=date_to,
            country=country,
            document_id=document_id,
            limit=limit,
            offset=offset,
        )
        return page(total, limit, offset, items)

    @app.get("/api/documents/{document_id}", summary="One source document with its events, tallies and claims")
    def get_document(c: Con, document_id: str) -> Response:
        found = queries.document(c, document_id)
        if found is None:
            raise APIError(404, "not_found", f"no document {document_id[:80]!r}")
        return _json(found)

    @app.post("/api/documents", status_code=201, summary="Ingest an article through the pipeline (token)")
    def post_document(article: Article, _: Annotated[None, Depends(writer)]) -> Response:
        assert ingestor is not None  # writer() refused a read-only source
        result = ingestor.ingest(article)
        changed()
        return _json(result, 201 if result["status"] == "processed" else 200)

    @app.get("/api/stats", summary="Counts of the filtered events per day, type and admin1")
    def get_stats(request: Request, c: Con, f: Filters) -> Response:
        return cached(request, lambda: _json(queries.stats(c, f, reviewed.get(c))))

    @app.get("/api/facets", summary="Values for the dashboard's filters")
    def get_facets(request: Request, c: Con) -> Response:
        return cached(request, lambda: _json({**queries.facets(c, reviewed.get(c)), "writable": db.writable}))

    @app.get("/api/export", summary="The filtered events as ACLED CSV, GeoJSON or JSON Lines")
    def get_export(
        f: Filters,
        format: Annotated[Literal["acled-csv", "geojson", "jsonl"], Query(description="acled-csv | geojson | jsonl")],
    ) -> StreamingResponse:
        media, ext = exports.FORMATS[format]
        return StreamingResponse(
            exports.stream(db.con, f, format),
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="marsad-events.{ext}"'},
        )

    static = _static_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html; charset=utf-8")

    return app
