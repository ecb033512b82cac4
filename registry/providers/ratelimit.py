"""Client-side token bucket: keeps one provider account under its request rate across all threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """A thread-safe token bucket with ``rate`` tokens per second and room for ``burst``.

    ``acquire`` reserves a token and sleeps (outside the lock) until it is due, so concurrent callers queue
    fairly. ``pause_until`` makes every caller wait, e.g. after a 429 with ``Retry-After``.
    """

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = float(rate)
        self.burst = int(burst)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._updated = clock()
        self._paused_until = 0.0

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
        self._updated = now

    def reserve(self) -> float:
        """Take one token now (possibly borrowing from the future); return how long to wait for it."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
            return max(wait, self._paused_until - now)

    def acquire(self) -> float:
        """Block until a token is available; return the seconds waited."""
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)
        return wait

    def pause_until(self, when: float) -> None:
        """Hold every caller until clock time ``when`` (monotonic seconds)."""
        with self._lock:
            self._paused_until = max(self._paused_until, when)

    def pause_for(self, seconds: float) -> None:
        """Hold every caller for ``seconds`` from now."""
        self.pause_until(self._clock() + seconds)


_SHARED: dict[str, TokenBucket] = {}
_SHARED_LOCK = threading.Lock()


def shared_bucket(key: str, rate: float, burst: int) -> TokenBucket:
    """The process-wide bucket for one provider account (``"telnyx:<account>"``), created on first use."""
    with _SHARED_LOCK:
        bucket = _SHARED.get(key)
        if bucket is None or bucket.rate != rate or bucket.burst != burst:
            bucket = _SHARED[key] = TokenBucket(rate, burst)
        return bucket
