"""Known publishers (``lexicon/data/publishers.yaml``): recognise who published a text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from marsad import lexicon
from marsad.arabic.normalize import normalize_plain

__all__ = ["Publisher", "all_publishers", "by_domain", "by_id", "match_name", "signature_keywords"]

_PUNCT = re.compile(r"[\"'“”«»„‟()\[\]{}.,:;!?\-–—_/\\|]+")


@dataclass(frozen=True, slots=True)
class Publisher:
    id: str
    name_en: str
    name_ar: str
    type: str
    strict: bool
    domains: tuple[str, ...]


def _key(name: str) -> str:
    return " ".join(_PUNCT.sub(" ", normalize_plain(name)).split())


@dataclass(frozen=True, slots=True)
class _Registry:
    by_id: dict[str, Publisher]
    names: dict[str, Publisher]  # normalised name -> publisher
    domains: dict[str, Publisher]
    keywords: frozenset[str]


@cache
def _registry() -> _Registry:
    data = lexicon.load("publishers")
    by_id: dict[str, Publisher] = {}
    names: dict[str, Publisher] = {}
    domains: dict[str, Publisher] = {}
    for item in data["publishers"]:
        pub = Publisher(
            id=item["id"],
            name_en=item["name_en"],
            name_ar=item["name_ar"],
            type=item.get("type", "outlet"),
            strict=bool(item.get("strict", False)),
            domains=tuple(item.get("domains", [])),
        )
        if pub.id in by_id:
            raise ValueError(f"publishers.yaml: duplicate id {pub.id}")
        by_id[pub.id] = pub
        if item.get("snn"):
            by_id.setdefault(str(item["snn"]), pub)
        for name in [pub.name_ar, pub.name_en, *item.get("aliases", [])]:
            names.setdefault(_key(str(name)), pub)
        for domain in pub.domains:
            domains[domain.lower()] = pub
    keywords = frozenset(_key(k) for k in data["signature_keywords"])
    return _Registry(by_id, names, domains, keywords)


def all_publishers() -> list[Publisher]:
    """Every publisher of publishers.yaml, once each."""
    return list(dict.fromkeys(_registry().by_id.values()))


def by_id(pid: str) -> Publisher | None:
    return _registry().by_id.get(pid)


def by_domain(url: str | None) -> Publisher | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    reg = _registry()
    while host:
        if host in reg.domains:
            return reg.domains[host]
        _, _, host = host.partition(".")
    return None


def match_name(segment: str, *, whole: bool = True) -> Publisher | None:
    """The publisher named by ``segment``.

    With ``whole`` the segment must be exactly a known name (after normalisation and without
    punctuation); otherwise a known non-strict name may stand anywhere in it, longest first.
    """
    reg = _registry()
    key = _key(segment)
    if key in reg.names:
        return reg.names[key]
    if whole:
        return None
    padded = f" {key} "
    best: Publisher | None = None
    best_len = 0
    for name, pub in reg.names.items():
        if pub.strict or len(name) <= best_len:
            continue
        if f" {name} " in padded:
            best, best_len = pub, len(name)
    return best


def signature_keywords() -> frozenset[str]:
    return _registry().keywords


def normalized_key(text: str) -> str:
    return _key(text)
