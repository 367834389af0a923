"""Rate limiting of writes: a token bucket per client address (in memory, one process)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from marsad.api.errors import APIError

__all__ = ["RateLimiter"]


class RateLimiter:
    """``burst`` requests at once, refilled at ``per_minute`` a minute, per client key."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be positive and burst at least 1")
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Take one request from ``key``'s bucket, or raise 429 with ``Retry-After``."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1.0:
                wait = math.ceil((1.0 - tokens) / self.rate)
                self._buckets[key] = (tokens, now)
                raise APIError(
                    429, "rate_limited", f"too many write requests; retry in {wait} s", {"Retry-After": str(wait)}
                )
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 10_000:  # forget clients whose bucket is full again
                full = [k for k, (t, at) in self._buckets.items() if t + (now - at) * self.rate >= self.burst]
                for k in full:
                    del self._buckets[k]
