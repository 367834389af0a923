"""``marsad serve``: open the database, find or make the write token, run uvicorn."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from marsad.api.app import ApiSettings, create_app
from marsad.api.auth import load_token
from marsad.api.db import open_database
from marsad.errors import MarsadError

__all__ = ["serve", "worker_app"]

# what `serve` hands to each worker process of a read-only workspace
_DB_VARIABLE, _SETTINGS_VARIABLE = "MARSAD_SERVE_DB", "MARSAD_SERVE_SETTINGS"


def worker_app() -> FastAPI:
    """The app of one worker process (``workers > 1``): the read-only source named by the
    environment, with the settings of the parent."""
    settings = ApiSettings(**json.loads(os.environ.get(_SETTINGS_VARIABLE) or "{}"))
    return create_app(open_database(Path(os.environ[_DB_VARIABLE]), read_only=True), None, settings)


def serve(
    db_path: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    read_only: bool = False,
    token_file: Path | None = None,
    note: Callable[[str], None] = print,
    settings: ApiSettings | None = None,
    workers: int = 1,
) -> None:
    import uvicorn

    if workers > 1:  # several processes, each with its own read-only connection and event index
        if not read_only and not db_path.is_dir():
            raise MarsadError("E404", "several workers serve a read-only source only: add --read-only "
                              "(reviews and ingestion write through one process)")  # fmt: skip
        open_database(db_path, read_only=True).close()  # a clear error now rather than in every worker
        os.environ[_DB_VARIABLE] = str(db_path.resolve())
        os.environ[_SETTINGS_VARIABLE] = json.dumps(dataclasses.asdict(settings or ApiSettings()))
        note("read-only source: writes are disabled")
        note(f"Marsad workspace on http://{host}:{port}/ ({workers} worker processes; API: /api/events)")
        uvicorn.run(
            "marsad.api.server:worker_app", factory=True, workers=workers, host=host, port=port,
            log_level="warning", server_header=False,
        )  # fmt: skip
        return
    db = open_database(db_path, read_only=read_only)
    token: str | None = None
    if db.writable:
        token, where = load_token(token_file or db_path.with_name(db_path.name + ".token"))
        note(f"write token: {where} (send it as Authorization: Bearer <token>)")
    else:
        note("read-only source: writes are disabled")
    app = create_app(db, token, settings)
    note(f"Marsad workspace on http://{host}:{port}/ (API: /api/events, /openapi.json)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        db.close()
