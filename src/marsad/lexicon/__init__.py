"""Arabic language knowledge as data files, loaded once.

Every file under ``marsad/lexicon/data`` is a YAML document. Code asks for a file by its stem
(``load("boilerplate")``) and gets the parsed document; the result is cached for the process.
A user can override a file by pointing ``MARSAD_LEXICON_DIR`` at a folder holding a file of the
same name: mappings are merged key by key over the shipped file, anything else replaces it.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from marsad.errors import MarsadError

__all__ = ["available", "load"]


def _shipped(name: str) -> str:
    ref = resources.files("marsad.lexicon") / "data" / f"{name}.yaml"
    try:
        return ref.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MarsadError("E101", f"no lexicon file named {name!r}") from None


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return override


@cache
def load(name: str) -> Any:
    """Return the parsed lexicon file ``name`` (shipped data, merged with a user override)."""
    try:
        data = yaml.safe_load(_shipped(name))
    except yaml.YAMLError as exc:
        raise MarsadError("E102", f"lexicon file {name}.yaml is not valid YAML: {exc}") from None
    user_dir = os.environ.get("MARSAD_LEXICON_DIR")
    if user_dir:
        path = Path(user_dir) / f"{name}.yaml"
        if path.is_file():
            try:
                data = _merge(data, yaml.safe_load(path.read_text(encoding="utf-8")))
            except (OSError, yaml.YAMLError) as exc:
                raise MarsadError("E103", f"cannot read lexicon override {path}: {exc}") from None
    return data


def available() -> list[str]:
    """Names of the shipped lexicon files."""
    folder = resources.files("marsad.lexicon") / "data"
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
