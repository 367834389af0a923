"""Duplicate detection: exact copies by content hash, syndicated near-copies by MinHash LSH.

The fingerprint of a document (:func:`fingerprint`) is pure and per-document, so it can run
anywhere (Spark partitions included); :class:`DedupIndex` is the stateful part that decides,
in input order, which copy came first.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from marsad.arabic.normalize import normalize_plain

__all__ = ["DedupIndex", "Fingerprint", "fingerprint"]

_TOKEN = re.compile(r"[^\W_]+")
_SEED = 1
_SCHEME = "affine32"  # datasketch 2.x hashing scheme; stored signatures are uint32
# Shingles are hashed with CRC-32 (C speed, stable across processes; collisions between
# shingles only blur the Jaccard estimate by a negligible amount).


@dataclass(frozen=True, slots=True)
class Fingerprint:
    text_hash: str
    minhash: bytes | None  # None for texts too short to compare reliably


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


@cache
def _permutations(num_perm: int) -> object:
    """The hash permutations of a MinHash, computed once per size (they cost more than hashing)."""
    return MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME).permutations


def _new_minhash(num_perm: int, hashvalues: np.ndarray | None = None) -> MinHash:
    return MinHash(
        num_perm=num_perm, seed=_SEED, hashfunc=_crc32, hashvalues=hashvalues,
        permutations=_permutations(num_perm), scheme=_SCHEME,
    )  # fmt: skip


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize_plain(text))


def fingerprint(text: str, *, num_perm: int = 128, shingle: int = 3, min_words: int = 30) -> Fingerprint:
    tokens = _tokens(text)
    text_hash = hashlib.sha256(" ".join(tokens).encode("utf-8")).hexdigest()
    if len(tokens) < min_words:
        return Fingerprint(text_hash, None)
    mh = _new_minhash(num_perm)
    shingles = {" ".join(tokens[i : i + shingle]).encode("utf-8") for i in range(len(tokens) - shingle + 1)}
    mh.update_batch(list(shingles))
    return Fingerprint(text_hash, mh.hashvalues.astype(np.uint32).tobytes())


@dataclass(frozen=True, slots=True)
class Match:
    document_id: str
    similarity: float  # 1.0 for an exact copy, else the estimated Jaccard similarity
    exact: bool


class DedupIndex:
    """The documents seen so far; answers "is this a copy of one of them?"."""

    def __init__(self, *, num_perm: int = 128, threshold: float = 0.8) -> None:
        self.num_perm = num_perm
        self.threshold = threshold
        self._hashes: dict[str, str] = {}  # text hash -> first document
        self._hash_of: dict[str, str] = {}  # document -> its text hash
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def _minhash(self, data: bytes) -> MinHash:
        values = np.frombuffer(data, dtype=np.uint32)
        if len(values) != self.num_perm:
            raise ValueError(f"signature has {len(values)} values, index uses {self.num_perm}")
        return _new_minhash(self.num_perm, values)

    def find(self, fp: Fingerprint, *, exclude: str | None = None) -> Match | None:
        first = self._hashes.get(fp.text_hash)
        if first is not None and first != exclude:
            return Match(first, 1.0, True)
        if fp.minhash is None or not self._signatures:
            return None
        mh = self._minhash(fp.minhash)
        best: Match | None = None
        for candidate in self._lsh.query(mh):
            if candidate == exclude:
                continue
            sim = float(mh.jaccard(self._signatures[candidate]))
            if sim >= self.threshold and (best is None or sim > best.similarity):
                best = Match(candidate, sim, False)
        return best

    def add(self, document_id: str, fp: Fingerprint) -> None:
        self._hashes.setdefault(fp.text_hash, document_id)
        self._hash_of[document_id] = fp.text_hash
        if fp.minhash is not None and document_id not in self._signatures:
            mh = self._minhash(fp.minhash)
            self._lsh.insert(document_id, mh)
            self._signatures[document_id] = mh

    def remove(self, document_id: str) -> None:
        """Forget a document (it is being re-processed)."""
        text_hash = self._hash_of.pop(document_id, None)
        if text_hash is not None and self._hashes.get(text_hash) == document_id:
            del self._hashes[text_hash]
        if document_id in self._signatures:
            self._lsh.remove(document_id)
            del self._signatures[document_id]
