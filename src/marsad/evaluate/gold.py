"""The gold set: one annotation file per article (``eval/gold/articles/*.json``, see ``GUIDE.md``).

:func:`load_gold` reads and checks every file and returns typed records; a file that does not
follow the schema stops the evaluation with the file and the problem named, because a silently
skipped or misread annotation would move the metrics without anyone noticing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError

__all__ = [
    "EVIDENCE_KEYS",
    "OUT_OF_SCOPE_EVENT_TYPES",
    "SPLITS",
    "SUB_EVENT_TYPES",
    "GoldArticle",
    "GoldError",
    "GoldEvent",
    "GoldTally",
    "annotation_files",
    "load_gold",
    "parse_article",
]

SPLITS = ("dev", "heldout")
RELEVANCE = ("event", "related", "none")
# ACLED event types and their sub-event types (GUIDE.md, "Event types and sub-event types").
SUB_EVENT_TYPES: dict[str, frozenset[str]] = {
    "Battles": frozenset({"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}),
    "Explosions/Remote violence": frozenset(
        {
            "Air/drone strike",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Suicide bomb",
            "Grenade",
            "Chemical weapon",
        }
    ),
    "Violence against civilians": frozenset({"Attack", "Abduction/forced disappearance", "Sexual violence"}),
    "Strategic developments": frozenset(
        {
            "Arrests",
            "Disrupted weapons use",
            "Looting/property destruction",
            "Headquarters or base established",
            "Non-violent transfer of territory",
            "Agreement",
            "Change to group/activity",
            "Other",
        }
    ),
}
# Event types the gold set does not annotate (GUIDE.md: protests and riots are out of scope for this
# version): predictions of these types are counted apart and not scored.
OUT_OF_SCOPE_EVENT_TYPES = frozenset({"Protests", "Riots"})
EVIDENCE_KEYS = frozenset({"trigger", "date", "place", "actor1", "actor2", "fatalities"})


class GoldError(MarsadError):
    """The gold set cannot be read or does not follow the guide (``E6xx``)."""


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One annotated event (the fields the scorer compares)."""

    event_date: dt.date
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    fatalities: int = 0
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GoldTally:
    """One annotated aggregate count."""

    fatalities: int
    fatalities_qualifier: str = "exact"
    area: str | None = None
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """The annotation of one article; ``file`` names its JSONL file in the corpus folder."""

    id: str
    file: str
    split: str
    relevance: str
    published: dt.date | None
    events: tuple[GoldEvent, ...] = ()
    tallies: tuple[GoldTally, ...] = ()
    path: Path | None = None


def _problem(path: Path, where: str, message: str) -> GoldError:
    return GoldError("E602", f"{path}: {where}{message}")


def _str(obj: dict[str, Any], key: str, path: Path, where: str, *, optional: bool = False) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        if optional:
            return None
        raise _problem(path, where, f"{key!r} is missing")
    if not isinstance(value, str):
        raise _problem(path, where, f"{key!r} must be a string")
    return value


def _int(obj: dict[str, Any], key: str, path: Path, where: str, allowed: range | None = None) -> int:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _problem(path, where, f"{key!r} must be a non-negative integer")
    if allowed is not None and value not in allowed:
        raise _problem(path, where, f"{key!r} must be one of {', '.join(map(str, allowed))}")
    return value


def _date(value: Any, key: str, path: Path, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _problem(path, where, f"{key!r} is not an ISO date: {value!r}") from None


def _coordinate(value: Any, key: str, limit: float, path: Path, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
        raise _problem(path, where, f"{key!r} must be a number between {-limit:g} and {limit:g} or null")
    return float(value)


def _event(obj: Any, path: Path, where: str) -> GoldEvent:
    if not isinstance(obj, dict):
        raise _problem(path, where, "must be an object")
    event_type = _str(obj, "event_type", path, where) or ""
    sub_event_type = _str(obj, "sub_event_type", path, where) or ""
    if sub_event_type not in SUB_EVENT_TYPES.get(event_type, frozenset()):
        raise _problem(path, where, f"unknown event type/sub-event type {event_type!r}/{sub_event_type!r}")
    evidence = obj.get("evidence", {})
    if not isinstance(evidence, dict) or not all(isinstance(v, str) and v for v in evidence.values()):
        raise _problem(path, where, "'evidence' must map keys to non-empty strings")
    unknown = sorted(set(evidence) - EVIDENCE_KEYS)
    if unknown:
        raise _problem(path, where, f"unknown evidence keys {unknown}")
    latitude = _coordinate(obj.get("latitude"), "latitude", 90, path, where)
    longitude = _coordinate(obj.get("longitude"), "longitude", 180, path, where)
    return GoldEvent(
        event_date=_date(obj.get("event_date"), "event_date", path, where),
        time_precision=_int(obj, "time_precision", path, where, range(1, 4)),
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=_str(obj, "actor1", path, where, optional=True),
        actor2=_str(obj, "actor2", path, where, optional=True),
        country=_str(obj, "country", path, where, optional=True),
        admin1=_str(obj, "admin1", path, where, optional=True),
        location=_str(obj, "location", path, where, optional=True),
        latitude=latitude if longitude is not None else None,
        longitude=longitude if latitude is not None else None,
        fatalities=_int(obj, "fatalities", path, where),
        evidence=dict(evidence),
    )


def _tally(obj: Any, path: Path, where: str) -> GoldTally:
    if not isinstance(obj, dict):
        raise _problem(path, where, "must be an object")
    return GoldTally(
        fatalities=_int(obj, "fatalities", path, where),
        fatalities_qualifier=_str(obj, "fatalities_qualifier", path, where, optional=True) or "exact",
        area=_str(obj, "area", path, where, optional=True),
        evidence=_str(obj, "evidence", path, where, optional=True) or "",
    )


def _list(obj: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise _problem(path, "", f"{key!r} must be a list")
    return value


def parse_article(obj: Any, path: Path) -> GoldArticle:
    """One annotation file's content as a :class:`GoldArticle`, or :class:`GoldError` naming the problem."""
    if not isinstance(obj, dict):
        raise _problem(path, "", "must hold a JSON object")
    article_id = _str(obj, "id", path, "") or ""
    if path.name != article_id.replace(":", "_") + ".json":
        raise _problem(path, "", f"file name does not match the id {article_id!r}")
    split = _str(obj, "split", path, "") or ""
    if split not in SPLITS:
        raise _problem(path, "", f"'split' must be one of {', '.join(SPLITS)}, not {split!r}")
    relevance = _str(obj, "relevance", path, "") or ""
    if relevance not in RELEVANCE:
        raise _problem(path, "", f"'relevance' must be one of {', '.join(RELEVANCE)}, not {relevance!r}")
    published = obj.get("published")
    events = tuple(_event(e, path, f"event {i}: ") for i, e in enumerate(_list(obj, "events", path)))
    if (relevance == "event") != bool(events):
        raise _problem(path, "", "relevance is 'event' exactly when the article has events")
    return GoldArticle(
        id=article_id,
        file=_str(obj, "file", path, "") or "",
        split=split,
        relevance=relevance,
        published=_date(published, "published", path, "") if published else None,
        events=events,
        tallies=tuple(_tally(t, path, f"tally {i}: ") for i, t in enumerate(_list(obj, "tallies", path))),
        path=path,
    )


def annotation_files(gold_dir: Path) -> list[Path]:
    """The annotation files of a gold folder, sorted by name."""
    return sorted((gold_dir / "articles").glob("*.json"))


def load_gold(gold_dir: Path) -> list[GoldArticle]:
    """Every annotation under ``gold_dir/articles``, sorted by file name."""
    if not (gold_dir / "articles").is_dir():
        raise GoldError("E601", f"{gold_dir} is not a gold folder: it has no 'articles' folder")
    paths = annotation_files(gold_dir)
    if not paths:
        raise GoldError("E601", f"{gold_dir / 'articles'} holds no annotation files (*.json)")
    articles: list[GoldArticle] = []
    for path in paths:
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GoldError("E602", f"{path}: cannot read: {exc}") from None
        articles.append(parse_article(obj, path))
    return articles
