"""The duplicate stage of a Spark run: the same decisions as the local runner's
:class:`~marsad.clean.dedup.DedupIndex`, computed from every document's fingerprint at once.

The local runner reads records in order and calls a document a copy when an *earlier kept*
document has the same text hash (exact copy) or, among the documents sharing a MinHash LSH
band with it, the most similar one reaches the threshold (near-duplicate). Here the executors
find the candidate pairs (same text hash; same LSH band, with the band layout datasketch uses
for that threshold and number of permutations, so the candidates are the ones the local index
would return); only documents in some pair are brought to the driver, and :func:`resolve`
walks them in input order with the local rule. Documents in no pair are kept without a look.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

import numpy as np
from datasketch import MinHashLSH

__all__ = ["Entry", "band_layout", "bands", "bucket_pairs", "reason_for", "resolve", "similarity"]

# (order key, document id, text hash, [(other document id, similarity)]) of a document in a pair
Entry = tuple[Any, str, str, list[tuple[str, float]]]


@cache
def band_layout(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The ``(start, end)`` ranges of the LSH bands datasketch uses for these parameters."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return tuple((int(a), int(b)) for a, b in lsh.hashranges)


def bands(minhash: bytes, layout: Sequence[tuple[int, int]]) -> Iterator[tuple[int, bytes]]:
    """``(band number, band bytes)`` keys of a stored signature (uint32 values)."""
    for number, (start, end) in enumerate(layout):
        yield number, minhash[start * 4 : end * 4]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal values, as datasketch)."""
    x, y = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    return float(np.count_nonzero(x == y)) / float(len(x))


def bucket_pairs(members: Iterable[tuple[str, bytes]], threshold: float) -> Iterator[tuple[str, tuple[str, float]]]:
    """Both directions of every pair in one LSH bucket whose similarity reaches the threshold."""
    docs = sorted(members)
    for i, (a, sig_a) in enumerate(docs):
        for b, sig_b in docs[i + 1 :]:
            if a == b:
                continue
            sim = similarity(sig_a, sig_b)
            if sim >= threshold:
                yield a, (b, sim)
                yield b, (a, sim)


def reason_for(duplicate_of: str, similarity: float | None) -> str:
    """The ledger reason, worded as the local pipeline words it."""
    if similarity is None:
        return f"exact copy of document {duplicate_of}"
    return f"near-duplicate of document {duplicate_of} (similarity {similarity:.2f})"


def resolve(entries: Iterable[Entry], threshold: float) -> dict[str, tuple[str, str]]:
    """``document id -> (duplicate of, reason)`` for the documents the local runner would call
    copies, walking ``entries`` in input order."""
    kept: dict[str, Any] = {}  # document id -> order key
    first_with_hash: dict[str, str] = {}
    found: dict[str, tuple[str, str]] = {}
    for order, doc_id, text_hash, near in sorted(entries, key=lambda e: (e[0], e[1])):
        first = first_with_hash.get(text_hash)
        if first is not None:
            found[doc_id] = (first, reason_for(first, None))
            continue
        best: tuple[float, Any, str] | None = None
        for other, sim in near:
            if other in kept and sim >= threshold:
                key = (-sim, kept[other], other)
                if best is None or key < best:
                    best = key
        if best is not None:
            found[doc_id] = (best[2], reason_for(best[2], -best[0]))
            continue
        kept[doc_id] = order
        first_with_hash.setdefault(text_hash, doc_id)
    return found
