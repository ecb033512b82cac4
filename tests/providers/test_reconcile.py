"""Timeouts after the provider committed: reconcile by reference, never create (and pay) twice."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from registry.providers.base import Lifecycle, ProviderError, ProviderErrorKind
from registry.providers.reconcile import create_brand_once, create_campaign_once
from registry.providers.simulator import Simulator

from .conftest import Harness, Receiver
from .payloads import brand, campaign


def billed(sim: Simulator, kind: str) -> int:
    return sum(1 for line in sim.ledger() if line["kind"] == kind)


def approved_brand_id(h: Harness, sim: Simulator) -> str:
    brand_id = h.provider.create_brand(brand(), client_ref="brand-ok").provider_id
    sim.advance(minutes=2)
    return brand_id


def test_brand_timeout_after_commit_is_reconciled_by_reference_without_a_second_create(
    make_provider: Callable[..., Harness], sim: Simulator, receiver: Receiver
) -> None:
    h = make_provider(webhook_url=receiver.url)
    h.provider.create_brand(brand(displayName="Other Clinic", companyName="Other LLC"), client_ref="someone-else")
    sim.inject_fault("drop", count=1, path="/v2/10dlc/brand", method="POST")

    with pytest.raises(ProviderError) as caught:
        h.provider.create_brand(brand(), client_ref="tenant-42-brand-1")
    assert caught.value.maybe_committed

    found = h.provider.find_brand_by_reference("tenant-42-brand-1", brand())
    assert found is not None
    assert found.client_ref == "tenant-42-brand-1"
    assert h.provider.find_brand_by_reference("never-sent", brand()) is None
    again = create_brand_once(h.provider, brand(), client_ref="tenant-42-brand-1", previously_attempted=True)
    assert again.provider_id == found.provider_id
    assert billed(sim, "brand_registration") == 2  # ours once, plus the other clinic


def test_create_brand_once_recovers_inside_the_same_call(
    make_provider: Callable[..., Harness], sim: Simulator, receiver: Receiver
) -> None:
    h = make_provider(webhook_url=receiver.url, timeout=(1.0, 0.2))
    sim.inject_fault("timeout", delay=0.5, count=1, path="/v2/10dlc/brand", method="POST")
    record = create_brand_once(h.provider, brand(), client_ref="ref-7")
    assert record.client_ref == "ref-7"
    assert record.lifecycle is Lifecycle.PENDING
    assert len(sim.telnyx().brands) == 1
    assert billed(sim, "brand_registration") == 1


def test_brand_reconciliation_without_a_webhook_url_falls_back_to_the_fingerprint(
    harness: Harness, sim: Simulator
) -> None:
    sim.inject_fault("drop", count=1, path="/v2/10dlc/brand", method="POST")
    with pytest.raises(ProviderError):
        harness.provider.create_brand(brand(), client_ref="r")
    assert harness.provider.find_brand_by_reference("r", brand()) is not None
    assert harness.provider.find_brand_by_reference("r", brand(displayName="Nobody")) is None


def test_a_create_that_never_reached_the_provider_is_created_once(harness: Harness, sim: Simulator) -> None:
    sim.inject_fault("status", status=503, count=1, path="/v2/10dlc/brand", method="POST")
    with pytest.raises(ProviderError) as caught:
        create_brand_once(harness.provider, brand(), client_ref="r")
    assert caught.value.kind is ProviderErrorKind.TRANSIENT  # nothing found: the error stands, retry later
    assert len(sim.telnyx().brands) == 0
    record = create_brand_once(harness.provider, brand(), client_ref="r", previously_attempted=True)
    assert record.provider_id
    assert len(sim.telnyx().brands) == 1


def test_campaign_read_timeout_is_retried_safely_because_reference_id_is_unique(
    make_provider: Callable[..., Harness], sim: Simulator
) -> None:
    h = make_provider(timeout=(1.0, 0.2))
    brand_id = approved_brand_id(h, sim)
    sim.inject_fault("timeout", delay=0.5, count=1, path="/v2/10dlc/campaignBuilder", method="POST")

    record = h.provider.create_campaign(brand_id, campaign(), client_ref="camp-9")

    assert record.client_ref == "camp-9"
    assert len(sim.telnyx().campaigns) == 1
    assert billed(sim, "campaign_upfront") == 1
    creates = [c for c in h.calls if c.path == "/10dlc/campaignBuilder"]
    assert [c.status for c in creates] == [None, 400]  # timed out (committed), then "duplicate referenceId"
    assert creates[1].response_body["errors"][0]["code"] == "10012"


def test_campaign_dropped_connection_then_create_once(harness: Harness, sim: Simulator) -> None:
    brand_id = approved_brand_id(harness, sim)
    sim.inject_fault("drop", count=1, path="/v2/10dlc/campaignBuilder", method="POST")
    record = create_campaign_once(harness.provider, brand_id, campaign(), client_ref="camp-1")
    assert record.client_ref == "camp-1"
    again = create_campaign_once(harness.provider, brand_id, campaign(), client_ref="camp-1", previously_attempted=True)
    assert again.provider_id == record.provider_id
    assert len(sim.telnyx().campaigns) == 1
    assert billed(sim, "campaign_upfront") == 1


def test_a_duplicate_reference_from_a_previous_run_returns_the_existing_campaign(
    harness: Harness, sim: Simulator
) -> None:
    brand_id = approved_brand_id(harness, sim)
    first = harness.provider.create_campaign(brand_id, campaign(), client_ref="camp-x")
    second = harness.provider.create_campaign(brand_id, campaign(), client_ref="camp-x")
    assert second.provider_id == first.provider_id
    assert len(sim.telnyx().campaigns) == 1
    assert harness.provider.find_campaign_by_reference(brand_id, "nope") is None


def test_a_failed_lookup_after_an_uncertain_create_keeps_maybe_committed(
    make_provider: Callable[..., Harness], sim: Simulator, receiver: Receiver
) -> None:
    h = make_provider(webhook_url=receiver.url)
    sim.inject_fault("drop", count=1, path="/v2/10dlc/brand", method="POST")
    sim.inject_fault("status", status=503, count=-1, path="/v2/10dlc/brand", method="GET")
    with pytest.raises(ProviderError) as caught:
        create_brand_once(h.provider, brand(), client_ref="ref-8")
    assert caught.value.maybe_committed and caught.value.kind is ProviderErrorKind.TRANSIENT
    sim.clear_faults()
    again = create_brand_once(h.provider, brand(), client_ref="ref-8", previously_attempted=True)
    assert again.client_ref == "ref-8"
    assert billed(sim, "brand_registration") == 1
