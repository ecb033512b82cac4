"""Injected faults and server-side rate limiting.

A fault matches requests by method and path glob and fires ``count`` times (-1: until cleared):

- ``status``: answer ``status`` (e.g. 503, or 429 with ``retry_after``) *before* processing anything;
- ``malformed``: answer 200 with a truncated JSON body, before processing (``after_commit``: after it);
- ``timeout``: process the request (it commits), then wait ``delay`` seconds before answering, past the
  client's read timeout;
- ``drop``: process the request (it commits), then close the connection without answering.
"""

from __future__ import annotations

import fnmatch
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("status", "malformed", "timeout", "drop")
MALFORMED_BODY = b'{"data": {"brandId": "'


@dataclass
class Fault:
    """One configured fault."""

    kind: str
    method: str | None = None
    path: str = "*"
    count: int = 1
    status: int = 503
    retry_after: float | None = None
    delay: float = 1.0
    after_commit: bool = False

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.count == 0:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        return fnmatch.fnmatchcase(path, self.path)

    @property
    def commits(self) -> bool:
        """Whether the request is processed before the fault strikes."""
        return self.kind in ("timeout", "drop") or (self.kind == "malformed" and self.after_commit)


class FaultPlan:
    """The faults currently armed, consumed first-match first."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.fired: list[dict[str, Any]] = []

    def add(self, spec: Mapping[str, Any]) -> Fault:
        """Arm a fault from a dict (the ``/_sim/faults`` body)."""
        fault = Fault(**{k: v for k, v in spec.items() if k in Fault.__dataclass_fields__})
        if fault.kind not in KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {', '.join(KINDS)}")
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The first armed fault matching a request, consuming one of its shots."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.count > 0:
                        fault.count -= 1
                    self.fired.append({"kind": fault.kind, "method": method, "path": path})
                    return fault
        return None

    def snapshot(self) -> list[dict[str, Any]]:
        """The armed faults as dicts."""
        with self._lock:
            return [asdict(f) for f in self._faults if f.count != 0]


class KeyRateLimiter:
    """Token bucket per API key, in real time; ``check`` says how long to wait when over the limit."""

    def __init__(self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self.rejected = 0

    def check(self, key: str) -> float | None:
        """Take a token for ``key``; None if allowed, else seconds until one is available."""
        with self._lock:
            now = self._clock()
            tokens, updated = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - updated) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            self.rejected += 1
            return (1.0 - tokens) / self.rate
