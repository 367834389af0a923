"""Coded errors. Every error a user can meet has a stable code and a plain message."""

from __future__ import annotations


class MarsadError(Exception):
    """An error with a stable code (``E1xx`` lexicon, ``E2xx`` input, ``E3xx`` store, ``E4xx`` CLI)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message


class StoreError(MarsadError):
    """The database cannot be opened, created or migrated."""
