"""The write token: ``MARSAD_API_TOKEN``, else a token file created on first start (mode 0600).

Writes send ``Authorization: Bearer <token>``; none gives 401, a wrong one 403. Tokens are
compared in constant time.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from marsad.api.errors import APIError

__all__ = ["ENV_VAR", "check_token", "load_token"]

ENV_VAR = "MARSAD_API_TOKEN"
_MIN_LENGTH = 16


def load_token(token_file: Path, env: dict[str, str] | None = None) -> tuple[str, str]:
    """``(token, where it came from)``: the environment variable, the token file, or a new file."""
    environ = os.environ if env is None else env
    given = environ.get(ENV_VAR, "").strip()
    if given:
        if len(given) < _MIN_LENGTH:
            raise ValueError(f"{ENV_VAR} is shorter than {_MIN_LENGTH} characters")
        return given, f"environment variable {ENV_VAR}"
    if token_file.exists():
        token = token_file.read_text(encoding="utf-8").strip()
        if len(token) < _MIN_LENGTH:
            raise ValueError(f"the token in {token_file} is shorter than {_MIN_LENGTH} characters")
        return token, f"token file {token_file}"
    token = secrets.token_urlsafe(32)
    fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    return token, f"new token file {token_file}"


def check_token(authorization: str | None, token: str) -> None:
    """Raise 401 without credentials, 403 with wrong ones."""
    if not authorization:
        raise APIError(
            401,
            "unauthorized",
            "this request needs a token: Authorization: Bearer <token>",
            {"WWW-Authenticate": "Bearer"},
        )
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise APIError(401, "unauthorized", "use Authorization: Bearer <token>", {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise APIError(403, "forbidden", "the token is not valid")
