"""The client-side token bucket, with an injected clock."""

from __future__ import annotations

import threading

import pytest

from registry.providers.ratelimit import TokenBucket, shared_bucket


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.slept.append(seconds)
            self.now += seconds


def test_burst_then_steady_rate() -> None:
    t = FakeTime()
    bucket = TokenBucket(2, 3, clock=t.clock, sleep=t.sleep)
    waits = [bucket.acquire() for _ in range(6)]
    assert waits[:3] == [0, 0, 0]
    assert waits[3:] == pytest.approx([0.5, 0.5, 0.5])
    assert t.now == pytest.approx(1.5)


def test_tokens_refill_but_never_beyond_the_burst() -> None:
    t = FakeTime()
    bucket = TokenBucket(1, 2, clock=t.clock, sleep=t.sleep)
    bucket.acquire(), bucket.acquire()
    t.now += 100
    assert [bucket.acquire() for _ in range(3)] == pytest.approx([0, 0, 1])


def test_pause_holds_every_caller() -> None:
    t = FakeTime()
    bucket = TokenBucket(100, 10, clock=t.clock, sleep=t.sleep)
    bucket.pause_for(7)
    assert bucket.acquire() == pytest.approx(7)
    assert bucket.acquire() == 0


def test_concurrent_callers_queue_without_exceeding_the_rate() -> None:
    t = FakeTime()
    bucket = TokenBucket(10, 1, clock=t.clock, sleep=lambda s: None)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        w = bucket.reserve()
        with lock:
            waits.append(w)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(waits) == pytest.approx([i / 10 for i in range(20)])


def test_invalid_settings_and_shared_buckets() -> None:
    with pytest.raises(ValueError, match="rate must be"):
        TokenBucket(0, 1)
    a = shared_bucket("telnyx:acct-1", 5, 5)
    assert shared_bucket("telnyx:acct-1", 5, 5) is a
    assert shared_bucket("telnyx:acct-2", 5, 5) is not a
