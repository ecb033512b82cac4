"""Provider failures lose nothing and never double-bill, the same for every provider: dropped connections and
read timeouts after the provider committed a billable create, 429 storms with Retry-After, 5xx, malformed
bodies, bad credentials. The create-once reconciliation (registry.providers.reconcile) must find what a lost
answer created instead of creating it again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from registry.providers.base import Lifecycle, ProviderError, ProviderErrorKind
from registry.providers.reconcile import create_brand_once, create_campaign_once
from registry.providers.simulator import Simulator

from .conftest import Harness
from .payloads import brand, campaign
from .test_provider_journey import approved_brand, attempt


@pytest.mark.parametrize("kind", ["drop", "timeout"])
def test_a_brand_create_lost_after_commit_is_found_not_created_again(
    adapter: Harness, sim: Simulator, driver: Any, kind: str
) -> None:
    method, path = driver.brand_create()
    sim.inject_fault(kind, method=method, path=path, delay=3.0)
    with pytest.raises(ProviderError) as lost:
        adapter.provider.create_brand(brand(), client_ref="b-lost")
    assert lost.value.kind is ProviderErrorKind.TRANSIENT
    assert lost.value.maybe_committed
    assert driver.brands_created(sim) == 1  # the provider did create it

    again = create_brand_once(adapter.provider, brand(), client_ref="b-lost", previously_attempted=True)
    assert again.provider_id
    assert driver.brands_created(sim) == 1
    assert create_brand_once(adapter.provider, brand(), client_ref="b-lost", previously_attempted=True).provider_id == (
        again.provider_id
    )


def test_a_campaign_create_lost_after_commit_is_found_not_created_again(
    adapter: Harness, sim: Simulator, driver: Any
) -> None:
    p = adapter.provider
    brand_id = approved_brand(p, sim)
    method, path = driver.campaign_create()
    sim.inject_fault("drop", method=method, path=path)
    outcome = attempt(lambda: p.create_campaign(brand_id, campaign(), client_ref="c-lost"))
    if isinstance(outcome, ProviderError):
        assert outcome.maybe_committed
        first = None
    else:  # a provider whose reference id makes the create idempotent may resend it and get the duplicate
        assert any(c.error and c.status is None for c in adapter.calls)
        first = outcome.provider_id
    assert driver.campaigns_created(sim) == 1

    found = create_campaign_once(p, brand_id, campaign(), client_ref="c-lost", previously_attempted=True)
    assert found.provider_id == (first or found.provider_id)
    assert driver.campaigns_created(sim) == 1


def test_a_brand_create_refused_with_429_is_sent_again_after_retry_after(
    adapter: Harness, sim: Simulator, driver: Any
) -> None:
    method, path = driver.brand_create()
    sim.inject_fault("status", status=429, retry_after=2, count=1, method=method, path=path)
    created = adapter.provider.create_brand(brand(), client_ref="b-429")
    assert created.provider_id
    assert driver.brands_created(sim) == 1
    assert 2 in adapter.sleeps  # exactly what the server asked, no real waiting
    assert any(c.status == 429 and c.retry_after == 2 for c in adapter.calls)


def test_an_endless_429_storm_ends_in_rate_limited_with_retry_after(
    adapter: Harness, sim: Simulator, driver: Any
) -> None:
    p = adapter.provider
    brand_id = approved_brand(p, sim)
    sim.inject_fault("status", status=429, retry_after=3, count=-1, method="GET")
    with pytest.raises(ProviderError) as caught:
        p.get_brand(brand_id)
    assert caught.value.kind is ProviderErrorKind.RATE_LIMITED
    assert caught.value.retry_after == 3
    assert caught.value.retryable


def test_server_errors_on_reads_are_retried(adapter: Harness, sim: Simulator) -> None:
    p = adapter.provider
    brand_id = approved_brand(p, sim)
    sim.inject_fault("status", status=503, count=2, method="GET")
    assert p.get_brand(brand_id).lifecycle is Lifecycle.APPROVED
    assert [c.status for c in adapter.calls[-3:]] == [503, 503, 200]


def test_a_server_error_on_a_create_is_not_blindly_repeated(adapter: Harness, sim: Simulator, driver: Any) -> None:
    method, path = driver.brand_create()
    sim.inject_fault("status", status=500, count=1, method=method, path=path)
    with pytest.raises(ProviderError) as failed:
        adapter.provider.create_brand(brand(), client_ref="b-500")
    assert failed.value.kind is ProviderErrorKind.TRANSIENT
    assert failed.value.maybe_committed  # we cannot know: reconcile before creating again
    assert driver.brands_created(sim) == 0


def test_a_malformed_body_on_a_read_is_retried_then_reported(adapter: Harness, sim: Simulator) -> None:
    p = adapter.provider
    brand_id = approved_brand(p, sim)
    sim.inject_fault("malformed", count=1, method="GET")
    assert p.get_brand(brand_id).provider_id == brand_id
    sim.inject_fault("malformed", count=-1, method="GET")
    with pytest.raises(ProviderError) as caught:
        p.get_brand(brand_id)
    assert caught.value.kind is ProviderErrorKind.MALFORMED


def test_bad_credentials_are_an_auth_error_not_retried(build: Callable[..., Harness], driver: Any) -> None:
    harness = build(**driver.wrong_credentials())
    with pytest.raises(ProviderError) as refused:
        harness.provider.get_brand("B000000")
    assert refused.value.kind is ProviderErrorKind.AUTH
    assert not refused.value.retryable
    assert len(harness.calls) == 1
