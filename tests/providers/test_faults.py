"""Retries, backoff, Retry-After, 429 storms, 5xx, malformed bodies, dropped connections, rate limits."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from registry.providers.base import ProviderError, ProviderErrorKind
from registry.providers.http import HttpClient, RetryPolicy, parse_retry_after
from registry.providers.ratelimit import TokenBucket
from registry.providers.simulator import Simulator

from .conftest import Harness
from .payloads import brand

BRANDS = "/v2/10dlc/brand"


def test_429_storm_is_ridden_out_honouring_retry_after(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("status", status=429, retry_after=7, count=3, path=BRANDS, method="GET")
    body = harness.provider.http.get("/10dlc/brand").body
    assert body == {"records": [], "page": 1, "totalRecords": 0}
    assert harness.sleeps == [7, 7, 7]  # exactly what the server asked, no real waiting
    assert [c.status for c in harness.calls] == [429, 429, 429, 200]
    assert [c.attempt for c in harness.calls] == [1, 2, 3, 4]
    assert harness.calls[0].retry_after == 7


def test_a_create_refused_with_429_is_sent_again(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("status", status=429, retry_after=2, count=1, path=BRANDS, method="POST")
    created = harness.provider.create_brand(brand(), client_ref="b")
    assert created.provider_id
    assert len(sim.telnyx().brands) == 1
    assert harness.sleeps == [2]


def test_an_endless_429_storm_ends_in_rate_limited_with_retry_after(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("status", status=429, retry_after=3, count=-1, path=BRANDS)
    with pytest.raises(ProviderError) as caught:
        harness.provider.http.get("/10dlc/brand")
    assert caught.value.kind is ProviderErrorKind.RATE_LIMITED
    assert caught.value.retry_after == 3
    assert caught.value.retryable
    assert len(harness.calls) == 4


def test_a_retry_after_longer_than_we_wait_inline_is_handed_to_the_caller(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("status", status=429, retry_after=3600, count=1, path=BRANDS)
    with pytest.raises(ProviderError) as caught:
        harness.provider.http.get("/10dlc/brand")
    assert caught.value.retry_after == 3600
    assert harness.sleeps == []


def test_retry_after_as_http_date() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=42), usegmt=True)
    assert parse_retry_after(header, now=now.timestamp()) == pytest.approx(42)
    assert parse_retry_after("5", now=0) == 5
    assert parse_retry_after("garbage", now=0) is None
    assert parse_retry_after(format_datetime(now - timedelta(seconds=9), usegmt=True), now=now.timestamp()) == 0


def test_5xx_on_a_read_is_retried_with_growing_jittered_backoff(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("status", status=503, count=3, path=BRANDS, method="GET")
    harness.provider.http.get("/10dlc/brand")
    assert len(harness.sleeps) == 3
    for attempt, slept in enumerate(harness.sleeps, start=1):
        ceiling = min(8.0, 0.5 * 2 ** (attempt - 1))
        assert ceiling / 2 <= slept <= ceiling


def test_5xx_on_a_create_is_not_retried_and_may_have_committed(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("status", status=500, count=1, path=BRANDS, method="POST")
    with pytest.raises(ProviderError) as caught:
        harness.provider.create_brand(brand(), client_ref="b")
    assert (caught.value.kind, caught.value.status) == (ProviderErrorKind.TRANSIENT, 500)
    assert caught.value.maybe_committed
    assert harness.sleeps == []
    assert caught.value.provider_code == "10007"  # Telnyx envelope parsed even on 5xx


def test_malformed_body_on_a_read_is_retried(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("malformed", count=1, path=BRANDS, method="GET")
    assert harness.provider.http.get("/10dlc/brand").body["records"] == []
    assert harness.calls[0].error == "malformed JSON"
    assert harness.calls[1].status == 200


def test_malformed_body_after_a_create_raises_malformed_maybe_committed(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("malformed", count=1, path=BRANDS, method="POST", after_commit=True)
    with pytest.raises(ProviderError) as caught:
        harness.provider.create_brand(brand(), client_ref="b")
    assert caught.value.kind is ProviderErrorKind.MALFORMED
    assert caught.value.maybe_committed
    assert len(sim.telnyx().brands) == 1


def test_persistently_malformed_reads_end_in_malformed(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("malformed", count=-1, path=BRANDS)
    with pytest.raises(ProviderError) as caught:
        harness.provider.http.get("/10dlc/brand")
    assert caught.value.kind is ProviderErrorKind.MALFORMED
    assert not caught.value.maybe_committed


def test_read_timeout_after_commit_surfaces_maybe_committed(
    make_provider: Callable[..., Harness], sim: Simulator
) -> None:
    h = make_provider(timeout=(1.0, 0.2))
    sim.inject_fault("timeout", delay=0.6, count=1, path=BRANDS, method="POST")
    with pytest.raises(ProviderError) as caught:
        h.provider.create_brand(brand(), client_ref="b")
    assert caught.value.kind is ProviderErrorKind.TRANSIENT
    assert caught.value.maybe_committed
    assert len(sim.telnyx().brands) == 1  # the server did commit
    assert "ReadTimeout" in (h.calls[0].error or "")


def test_dropped_connection_after_commit_surfaces_maybe_committed(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("drop", count=1, path=BRANDS, method="POST")
    with pytest.raises(ProviderError) as caught:
        harness.provider.create_brand(brand(), client_ref="b")
    assert caught.value.maybe_committed
    assert len(harness.calls) == 1
    assert len(sim.telnyx().brands) == 1


def test_a_dropped_read_is_simply_retried(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("drop", count=1, path=BRANDS, method="GET")
    assert harness.provider.http.get("/10dlc/brand").status == 200
    assert len(harness.calls) == 2


def test_connection_refused_is_retried_even_for_a_create_and_never_maybe_committed() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    sleeps: list[float] = []
    calls: list[object] = []
    client = HttpClient(
        provider="telnyx",
        account="a",
        base_url=f"http://127.0.0.1:{port}/v2",
        headers={},
        timeout=(0.5, 0.5),
        retry=RetryPolicy(max_attempts=3),
        sleep=sleeps.append,
        recorder=calls.append,
    )
    with client, pytest.raises(ProviderError) as caught:
        client.post("/10dlc/brand", {"displayName": "x"})
    assert caught.value.kind is ProviderErrorKind.TRANSIENT
    assert not caught.value.maybe_committed
    assert len(sleeps) == 2
    assert len(calls) == 3


def test_server_rate_limit_answers_429_with_retry_after_per_api_key(
    make_provider: Callable[..., Harness], sim: Simulator
) -> None:
    sim.set_rate_limit(0.5, burst=2)
    h = make_provider(retry=RetryPolicy(max_attempts=1))
    h.provider.http.get("/10dlc/brand")
    h.provider.http.get("/10dlc/brand")
    with pytest.raises(ProviderError) as caught:
        h.provider.http.get("/10dlc/brand")
    assert caught.value.kind is ProviderErrorKind.RATE_LIMITED
    assert caught.value.provider_code == "10011"
    assert caught.value.retry_after == 2
    other = make_provider(api_key=sim.add_account(), retry=RetryPolicy(max_attempts=1))
    assert other.provider.http.get("/10dlc/brand").status == 200  # its own bucket


def test_the_client_bucket_keeps_us_under_the_server_limit(
    make_provider: Callable[..., Harness], sim: Simulator
) -> None:
    sim.set_rate_limit(40, burst=2)
    h = make_provider(bucket=TokenBucket(30, 2), retry=RetryPolicy(max_attempts=1))
    for _ in range(8):
        h.provider.http.get("/10dlc/brand")
    assert all(c.status == 200 for c in h.calls)
    assert sim.sandbox.limiter is not None
    assert sim.sandbox.limiter.rejected == 0


def test_a_429_pauses_the_whole_account_bucket(make_provider: Callable[..., Harness], sim: Simulator) -> None:
    clock = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    bucket = TokenBucket(100, 10, clock=lambda: clock[0], sleep=sleep)
    h = make_provider(bucket=bucket)
    sim.inject_fault("status", status=429, retry_after=5, count=1, path=BRANDS)
    h.provider.http.get("/10dlc/brand")
    assert waits == [5]
    assert h.sleeps == []


def test_missing_or_wrong_api_key_is_auth(make_provider: Callable[..., Harness]) -> None:
    h = make_provider(api_key="KEYnot-a-real-key")
    with pytest.raises(ProviderError) as caught:
        h.provider.list_use_cases()
    assert (caught.value.kind, caught.value.status, caught.value.provider_code) == (
        ProviderErrorKind.AUTH,
        401,
        "10009",
    )
    assert len(h.calls) == 1  # never retried
