"""``marsad serve``: open the database, find or make the write token, run uvicorn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from marsad.api.app import ApiSettings, create_app
from marsad.api.auth import load_token
from marsad.api.db import open_database

__all__ = ["serve"]


def serve(
    db_path: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    read_only: bool = False,
    token_file: Path | None = None,
    note: Callable[[str], None] = print,
    settings: ApiSettings | None = None,
) -> None:
    import uvicorn

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
