"""The simulator's virtual clock: time moves only when a test advances it (or at ``speed`` x real time)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class VirtualClock:
    """Virtual now = start + advanced seconds + speed x real seconds elapsed (speed 0: frozen)."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        speed: float = 0.0,
        real: Callable[[], float] = time.monotonic,
    ) -> None:
        start = start or datetime.now(UTC).replace(microsecond=0)
        self.start = start if start.tzinfo else start.replace(tzinfo=UTC)
        self.speed = speed
        self._real = real
        self._real0 = real()
        self._offset = 0.0
        self._lock = threading.Lock()

    def seconds(self) -> float:
        """Virtual seconds since ``start``."""
        with self._lock:
            return self._offset + self.speed * (self._real() - self._real0)

    def now(self) -> datetime:
        """The virtual time."""
        return self.start + timedelta(seconds=self.seconds())

    def timestamp(self) -> float:
        """The virtual time as unix seconds."""
        return self.now().timestamp()

    def set_seconds(self, seconds: float) -> None:
        """Move virtual time forward to ``seconds`` since start (never backwards)."""
        with self._lock:
            current = self._offset + self.speed * (self._real() - self._real0)
            if seconds > current:
                self._offset += seconds - current

    def advance(self, seconds: float) -> datetime:
        """Move virtual time forward; return the new now."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()


def iso(moment: datetime) -> str:
    """Wire format for timestamps: ISO 8601 in UTC with milliseconds and ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
