"""Run settings: limits and thresholds, with their defaults in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    # inputs
    max_record_bytes: int = 16 * MiB  # a file, JSONL line, WARC record or feed item larger is skipped
    max_feed_bytes: int = 64 * MiB  # a whole RSS/Atom file
    follow_symlinks: bool = True
    # cleaning
    html_extractor: str = "trafilatura"  # or "resiliparse" (faster, a little less precise)
    min_text_chars: int = 20  # a document with less text (title + body) is skipped as empty
    # language identification
    languages: frozenset[str] = field(default_factory=lambda: frozenset({"ar"}))
    language_sample_chars: int = 2000
    # near-duplicate detection
    minhash_perm: int = 128
    near_duplicate_threshold: float = 0.7  # syndicated copies measured at 0.7-1.0 on shared corpus
    shingle_words: int = 3
    min_words_for_near_dup: int = 30
    # storing
    batch_size: int = 256
    store_raw: bool = True
