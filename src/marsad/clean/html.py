"""Main text and metadata of HTML.

Whole pages go through trafilatura (main-content extraction, title, site name, date; by default
without its slower fallback extractors: ``trafilatura-fallback`` turns them on) or, when asked,
Resiliparse (faster still, somewhat less precise). Fragments — an RSS item's content, a
JSONL ``html`` field — are already the article: they are turned into text paragraph by paragraph
without main-content heuristics, which would throw short fragments away.

The page's own date is read twice with htmldate: from meta tags only (reliable) and with its
heuristic text search (which misreads Arabic dates such as «5 نيسان 2019»); the caller weighs
them against the dates Marsad finds in the text itself.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

__all__ = ["Extracted", "extract_page", "fragment_to_text", "is_full_page"]

_FULL_PAGE = re.compile(r"<\s*(html|body|head)\b", re.IGNORECASE)
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "article",
    "section",
}
_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "form",
    "button",
    "nav",
    "footer",
    "aside",
}


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None = None
    sitename: str | None = None
    author: str | None = None
    url: str | None = None
    date_meta: dt.date | None = None
    date_heuristic: dt.date | None = None
    extractor: str = "trafilatura"
    date_snippets: list[str] = field(default_factory=list)  # short texts of date/byline elements


def is_full_page(html: str) -> bool:
    return bool(_FULL_PAGE.search(html[:4096]))


def _iso(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _page_dates(tree: lxml.html.HtmlElement) -> tuple[dt.date | None, dt.date | None]:
    from htmldate import find_date

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        meta = _iso(find_date(tree, extensive_search=False, original_date=True))
        heuristic = _iso(find_date(tree, extensive_search=True, original_date=True))
    return meta, heuristic


_DATEISH = re.compile(r"date|time|byline|publish|posted|meta|info|author", re.IGNORECASE)


def _date_snippets(tree: lxml.html.HtmlElement, limit: int = 20) -> list[str]:
    """Short visible texts of ``<time>`` elements and of elements whose class or id speaks of
    dates or bylines: where a page prints its own date when it has no meta tag for it."""
    out: list[str] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag.lower() in _DROP:
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag.lower() == "time" or _DATEISH.search(attrs):
            text = " ".join(el.text_content().split())
            if 0 < len(text) <= 120:
                out.append(text)
                if len(out) >= limit:
                    break
    return out


def _parse(html: str) -> lxml.html.HtmlElement | None:
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    return tree


def extract_page(html: str, url: str | None = None, extractor: str = "trafilatura") -> Extracted | None:
    """Main text and metadata of a whole page; None when the page has no main text."""
    tree = _parse(html)
    if tree is None:
        return None
    date_meta, date_heuristic = _page_dates(tree)
    snippets = _date_snippets(tree)
    if extractor == "resiliparse":
        result = _resiliparse(html, url, date_meta, date_heuristic)
        if result is not None:
            result.date_snippets = snippets
        return result
    from trafilatura import bare_extraction

    doc = bare_extraction(
        html,
        url=url,
        fast=extractor != "trafilatura-fallback",  # the fallback extractors cost ~1 s on some pages
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    if not text.strip():
        return None
    return Extracted(
        text=text,
        title=data.get("title"),
        sitename=data.get("sitename"),
        author=data.get("author"),
        url=data.get("url") or url,
        date_meta=date_meta,
        date_heuristic=date_heuristic or _iso(data.get("date")),
        date_snippets=snippets,
    )


def _resiliparse(
    html: str, url: str | None, date_meta: dt.date | None, date_heuristic: dt.date | None
) -> Extracted | None:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(html)
    text = extract_plain_text(tree, main_content=True, alt_texts=False, links=False, list_bullets=False)
    if not text.strip():
        return None
    title = tree.title.strip() if tree.title else None
    return Extracted(
        text=text,
        title=title,
        url=url,
        date_meta=date_meta,
        date_heuristic=date_heuristic,
        extractor="resiliparse",
    )


def fragment_to_text(html: str) -> str:
    """Text of an HTML fragment, one paragraph per block element."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.tag.lower() in _DROP:
            el.drop_tree()
    parts: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = " ".join("".join(buf).split())
        if line:
            parts.append(line)
        buf.clear()

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        block = tag in _BLOCKS
        if block:
            flush()
        if el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return "\n".join(parts)
