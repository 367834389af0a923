"""`marsad serve --workers N`: several processes over a read-only source; a writable one is refused."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from marsad.api.server import serve
from marsad.errors import MarsadError

pytest_plugins = ("api_support",)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_server_several_workers_need_a_read_only_source(db_path: Path) -> None:
    with pytest.raises(MarsadError) as caught:
        serve(db_path, workers=2, note=lambda _: None)
    assert caught.value.code == "E404" and "--read-only" in caught.value.message


def test_server_workers_serve_the_same_pages(template_db: Path) -> None:
    port = _free_port()
    env = {**os.environ, "MARSAD_API_TOKEN": "unused-token-0123456789"}
    command = [sys.executable, "-c", "from marsad.cli import main; main()", "serve", "--db", str(template_db),
               "--read-only", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stdout.read() if server.stdout else "the server stopped"
            try:
                first = httpx.get(f"http://127.0.0.1:{port}/api/events", params={"limit": 5}, timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the workers did not start"
                time.sleep(0.2)
        assert first.status_code == 200 and first.json()["total"] > 0
        url = f"http://127.0.0.1:{port}/api/events"
        # a new connection for each request, so they land on either worker: the same answers
        bodies = {httpx.get(url, params={"limit": 5}, timeout=10).content for _ in range(8)}
        refused = httpx.post(f"http://127.0.0.1:{port}/api/documents", json={"text": "نص"}, timeout=10)
        assert len(bodies) == 1
        assert refused.status_code == 401  # no writes through worker processes
    finally:
        server.terminate()
        server.wait(20)
