"""RSS and Atom reader (``.rss``, ``.atom``, ``.xml``) on feedparser: one record per item."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser

from marsad.ingest.base import CORRUPT_GZIP, human_size, open_binary, read_limited
from marsad.model import InputKind, Media, RawRecord, RecordMeta
from marsad.settings import Settings


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def read_feed(path: Path, key: str, settings: Settings) -> Iterator[RawRecord]:
    base = RawRecord(input_path=key, locator="", kind=InputKind.FEED)
    try:
        with open_binary(path) as fh:
            data, cut = read_limited(fh, settings.max_feed_bytes)
    except CORRUPT_GZIP as exc:
        base.error = f"gzip stream is truncated or corrupt: {exc}"
        yield base
        return
    except OSError as exc:
        base.error = f"cannot read file: {exc.strerror or exc}"
        yield base
        return
    if cut:
        base.skip = f"feed file is over the {human_size(settings.max_feed_bytes)} limit"
        yield base
        return
    parsed = feedparser.parse(data)
    entries = parsed.get("entries", [])
    if not entries:
        if parsed.get("bozo"):
            base.error = f"not a valid RSS/Atom feed: {parsed.get('bozo_exception')}"
        else:
            base.skip = "feed has no items"
        base.payload = data
        yield base
        return
    feed_title = parsed.get("feed", {}).get("title")
    for index, entry in enumerate(entries, start=1):
        record = RawRecord(input_path=key, locator=f"item:{index}", kind=InputKind.FEED)
        content = entry.get("content") or []
        body, media = None, Media.HTML
        if content and content[0].get("value"):
            body = content[0]["value"]
            media = Media.HTML if "html" in content[0].get("type", "text/html") else Media.TEXT
        elif entry.get("summary"):
            body = entry["summary"]
        record.meta = RecordMeta(
            external_id=entry.get("id"),
            url=entry.get("link"),
            published=_date(entry),
            source=feed_title,
            title=entry.get("title"),
        )
        if not body:
            record.skip = "feed item has no content or summary"
        else:
            record.payload = body
            record.media = media
            record.size = len(body.encode("utf-8"))
        yield record
