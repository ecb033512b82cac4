"""Scripted asynchronous transitions: actions due at virtual times, run in order as the clock passes them."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from .clock import VirtualClock


@dataclass(order=True)
class Job:
    """One scheduled transition."""

    due: float
    seq: int
    label: str = field(compare=False)
    action: Callable[[], None] = field(compare=False, repr=False)


class Scheduler:
    """A heap of jobs keyed by virtual seconds; not thread-safe (the sandbox lock guards it)."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self._heap: list[Job] = []
        self._seq = itertools.count()

    def after(self, seconds: float, label: str, action: Callable[[], None]) -> Job:
        """Run ``action`` once the clock is ``seconds`` past now."""
        job = Job(self.clock.seconds() + max(0.0, seconds), next(self._seq), label, action)
        heapq.heappush(self._heap, job)
        return job

    def run_due(self) -> int:
        """Run every job due by now, earliest first (jobs scheduled meanwhile included); return the count."""
        ran = 0
        now = self.clock.seconds()
        while self._heap and self._heap[0].due <= now:
            job = heapq.heappop(self._heap)
            job.action()
            ran += 1
        return ran

    def run_until(self, target: float) -> int:
        """Advance the clock to ``target`` job by job, so each transition happens at its own virtual time."""
        ran = 0
        while self._heap and self._heap[0].due <= target:
            job = heapq.heappop(self._heap)
            self.clock.set_seconds(job.due)
            job.action()
            ran += 1
        self.clock.set_seconds(target)
        return ran

    def pending(self) -> list[tuple[float, str]]:
        """(seconds from now, label) of the jobs not yet run, soonest first."""
        now = self.clock.seconds()
        return [(job.due - now, job.label) for job in sorted(self._heap)]
