"""Shared helpers of the workspace tests (tests/test_api_*.py): a database built from our example
corpus, a hostile article, and an app over a copy of the database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import EXAMPLES, REPORT
from marsad.api.app import ApiSettings, create_app
from marsad.api.db import Database, open_database
from marsad.runner import run
from marsad.store import Store

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PWNED = "window.__marsad_pwned = 1"
# An article written for these tests: a real-looking report with markup, a javascript: link and
# bidi override characters (U+202E) in every field a page shows.
HOSTILE = {
    "title": f'<img src=x onerror="{PWNED}">قصف على دوما\u202e<script>{PWNED}</script>',
    "text": (
        f"<script>{PWNED}</script>\n{REPORT}\n"
        f'<a href="javascript:{PWNED}">اضغط هنا</a> <img src=x onerror="{PWNED}"> \u202eمعكوس\u202c نص'
    ),
    "url": f"javascript:{PWNED}",
    "source": f'<b onmouseover="{PWNED}">منفذ</b>',
    "published": "2023-05-02",
    "external_id": "hostile-1",
}


def build_database(path: Path) -> Path:
    """A database of the example corpus (our own articles), processed by the real pipeline."""
    with Store(path) as store:
        run([str(EXAMPLES)], store)
    return path


def copy_database(template: Path, folder: Path) -> Path:
    target = folder / "workspace.duckdb"
    shutil.copy(template, target)
    return target


class Workspace:
    """Test clients over databases, all closed at the end of the test."""

    def __init__(self) -> None:
        self.opened: list[Database] = []

    def client(
        self, path: Path, *, token: str | None = TOKEN, read_only: bool = False, settings: ApiSettings | None = None
    ) -> TestClient:
        db = open_database(path, read_only=read_only)
        self.opened.append(db)
        return TestClient(create_app(db, token, settings))

    def close(self) -> None:
        for db in self.opened:
            db.close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus processed once per test session (copied by the tests that write)."""
    return build_database(tmp_path_factory.mktemp("api") / "template.duckdb")


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    ws = Workspace()
    yield ws
    ws.close()


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """A copy of the template database this test may change."""
    return copy_database(template_db, tmp_path)
