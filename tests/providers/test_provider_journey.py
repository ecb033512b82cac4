"""The registration journey, the same for every provider (Telnyx, Twilio, direct TCR) against the simulator
over real HTTP: brand -> identity (verified, unverified, sole-proprietor OTP, failed) -> campaign -> carrier
review (approval, one carrier's rejection and the appeal) -> numbers -> deactivation, and a signed webhook.

Only the normalized vocabulary of ``registry.providers.base`` is asserted; what differs between providers on
the wire lives in tests/providers/drivers and in each provider's own tests (test_journey.py for Telnyx,
test_twilio_*.py, test_tcr_*.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from registry.providers.base import (
    CarrierState,
    EventEntity,
    Identity,
    Lifecycle,
    ProviderError,
    ProviderErrorKind,
    TenDlcProvider,
)
from registry.providers.simulator import Simulator
from registry.providers.times import parse_date

from .conftest import Harness, Receiver
from .payloads import SOLE_PROPRIETOR, brand, campaign

ATT, TMOBILE, VERIZON = "10017", "10035", "10038"
HOUR = 3600.0


def until(sim: Simulator, check: Callable[[], bool], *, step: float = HOUR, limit: float = 30 * 24 * HOUR) -> None:
    """Advance the simulator's clock step by step until ``check()`` holds (each provider's chain takes its own
    time: Twilio's Trust Hub review, TCR's DCA share, Telnyx's own review)."""
    waited = 0.0
    while not check():
        assert waited < limit, "the simulator never got there"
        sim.advance(step)
        waited += step


def attempt(call: Callable[[], Any]) -> Any:
    """``call()``'s result, or the ProviderError it raised (for outcomes a provider may reach either way)."""
    try:
        return call()
    except ProviderError as exc:
        return exc


def approved_brand(p: Any, sim: Simulator, ref: str = "brand-1", **changes: object) -> str:
    record = p.create_brand(brand(**changes), client_ref=ref)
    until(sim, lambda: p.get_brand(record.provider_id).lifecycle is Lifecycle.APPROVED, step=60)
    return record.provider_id


def approved_campaign(p: Any, sim: Simulator, brand_id: str, ref: str = "camp-1", **changes: object) -> str:
    record = p.create_campaign(brand_id, campaign(**changes), client_ref=ref)
    until(sim, lambda: p.get_campaign(record.provider_id).lifecycle is Lifecycle.APPROVED)
    return record.provider_id


def test_the_adapter_satisfies_the_provider_protocol(adapter: Harness, driver: Any) -> None:
    assert isinstance(adapter.provider, TenDlcProvider)
    assert adapter.provider.name == driver.name
    assert adapter.provider.capabilities().assigns_numbers is driver.assigns_numbers


def test_brand_is_registered_verified_found_by_reference_and_announced_by_webhook(
    build: Callable[..., Harness], sim: Simulator, receiver: Receiver, driver: Any
) -> None:
    p = build(webhook_url=receiver.url).provider
    created = p.create_brand(brand(), client_ref="brand-42")
    assert created.lifecycle in (Lifecycle.DRAFT, Lifecycle.SUBMITTED, Lifecycle.PENDING, Lifecycle.IN_REVIEW)
    assert created.provider_id

    until(sim, lambda: p.get_brand(created.provider_id).lifecycle is Lifecycle.APPROVED, step=60)

    fetched = p.get_brand(created.provider_id)
    assert fetched.identity is Identity.VERIFIED
    assert fetched.registry_id and fetched.registry_id.startswith("B")
    found = p.find_brand_by_reference("brand-42", brand())
    assert found is not None and found.provider_id == created.provider_id
    assert p.find_brand_by_reference("brand-43", brand()) is None

    assert receiver.requests, "no webhook arrived"
    events = []
    for hook in receiver.requests:
        assert p.verify_webhook(receiver.url + _query(hook.path), hook.headers, hook.body)
        events += p.parse_webhook(hook.headers, hook.body)
    assert any(e.entity in (EventEntity.BRAND, EventEntity.VETTING) for e in events)
    assert len({e.dedupe_key for e in events}) == len(events)
    if driver.signs_webhooks:  # TCR's carry no signature (provider-apis.md §1.6)
        hook = receiver.requests[-1]
        changed = hook.body.replace(b"B", b"X", 1) + b" "
        assert not p.verify_webhook(receiver.url + _query(hook.path), hook.headers, changed)


def _query(path: str) -> str:
    """The query string a provider may have added to the webhook URL (Twilio's ``bodySHA256``)."""
    return "?" + path.split("?", 1)[1] if "?" in path else ""


def test_unverified_brand_needs_action_and_may_not_register_campaigns(adapter: Harness, sim: Simulator) -> None:
    p = adapter.provider
    brand_id = p.create_brand(brand(displayName="Harbor Dental [sim:unverified]"), client_ref="b1").provider_id
    until(sim, lambda: p.get_brand(brand_id).identity is not Identity.UNKNOWN, step=60)

    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.ACTION_REQUIRED, Identity.UNVERIFIED)
    feedback = p.get_brand_feedback(brand_id) or list(record.issues)
    assert feedback and any(i.message for i in feedback)

    with pytest.raises(ProviderError) as refused:
        p.create_campaign(brand_id, campaign(), client_ref="c1")
    assert refused.value.kind in (ProviderErrorKind.PRECONDITION, ProviderErrorKind.VALIDATION)
    assert not refused.value.retryable


def test_brand_registration_failure_is_reported_with_reasons(adapter: Harness, sim: Simulator, driver: Any) -> None:
    p = adapter.provider
    ref = p.create_brand(brand(displayName="Harbor Dental [sim:registration-failed]"), client_ref="bf").provider_id
    # TCR brands have no failed state (status ACTIVE or DELETED, provider-apis.md §1.5): the same outcome is an
    # unverified identity that needs action
    ends = (Lifecycle.FAILED, Lifecycle.REJECTED) if driver.brands_can_fail else (Lifecycle.ACTION_REQUIRED,)
    until(sim, lambda: p.get_brand(ref).lifecycle in ends, step=60, limit=7 * 86400)
    record = p.get_brand(ref)
    issues = list(record.issues) or p.get_brand_feedback(ref)
    assert issues and any(i.message for i in issues)


def test_sole_proprietor_verifies_the_sms_otp(adapter: Harness, sim: Simulator, driver: Any) -> None:
    p = adapter.provider
    brand_id = p.create_brand(SOLE_PROPRIETOR, client_ref="sp-1").provider_id
    until(sim, lambda: p.get_brand(brand_id).identity is not Identity.UNKNOWN, step=60)
    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.ACTION_REQUIRED, Identity.SELF_DECLARED)

    otp = p.send_brand_otp(brand_id)
    assert otp.lifecycle is Lifecycle.PENDING
    sim.advance(minutes=1)
    pin = driver.otp_pin(sim, brand_id)
    if driver.otp_by_pin:  # Twilio: the owner confirms by replying to Twilio's text; there is no PIN to get wrong
        with pytest.raises(ProviderError) as wrong:
            p.verify_brand_otp(brand_id, "000000" if pin != "000000" else "111111")
        assert wrong.value.kind is ProviderErrorKind.VALIDATION

    verified = p.verify_brand_otp(brand_id, pin)
    assert verified.lifecycle is Lifecycle.APPROVED
    until(sim, lambda: p.get_brand(brand_id).lifecycle is Lifecycle.APPROVED, step=60)


def test_campaign_is_reviewed_and_approved(adapter: Harness, sim: Simulator) -> None:
    p = adapter.provider
    brand_id = approved_brand(p, sim)
    created = p.create_campaign(brand_id, campaign(), client_ref="camp-1")
    assert created.lifecycle in (Lifecycle.SUBMITTED, Lifecycle.PENDING, Lifecycle.IN_REVIEW)
    assert p.find_campaign_by_reference(brand_id, "camp-1").provider_id == created.provider_id

    until(sim, lambda: p.get_campaign(created.provider_id).lifecycle is Lifecycle.APPROVED)

    record = p.get_campaign(created.provider_id)
    assert record.registry_id and record.registry_id.startswith("C")
    assert record.use_case == "ACCOUNT_NOTIFICATION"
    assert all(state is CarrierState.REGISTERED for state in record.carriers.values())
    listed = {c.provider_id for c in p.list_campaigns(brand_id)}
    assert created.provider_id in listed
    # the billing term's end (TCR nextRenewalOrExpirationDate): Telnyx and TCR report it, Twilio does not
    raw_term = record.raw.get("nextRenewalOrExpirationDate")
    assert record.term_ends_on == (parse_date(raw_term) if raw_term else None)
    assert (record.term_ends_on is not None) == (p.name != "twilio")
    if record.term_ends_on is not None:
        assert record.term_ends_on > sim.now.date()


def test_one_carriers_rejection_then_appeal_then_approval(adapter: Harness, sim: Simulator) -> None:
    p = adapter.provider
    brand_id = approved_brand(p, sim)
    marked = campaign(description=campaign()["description"] + " [sim:reject:tmobile]")
    ref = p.create_campaign(brand_id, marked, client_ref="camp-r").provider_id

    until(sim, lambda: p.get_campaign(ref).lifecycle is Lifecycle.REJECTED)
    rejected = p.get_campaign(ref)
    assert rejected.issues or rejected.carriers.get(TMOBILE) is CarrierState.REJECTED
    if rejected.carriers:
        assert rejected.carriers[TMOBILE] is CarrierState.REJECTED

    p.update_campaign(ref, {"sample1": "Harbor Dental: your cleaning is tomorrow at 3pm. Reply STOP to opt out."})
    p.appeal_campaign(ref, "Samples now carry the brand name and opt-out language.")
    until(sim, lambda: p.get_campaign(ref).lifecycle is Lifecycle.APPROVED)


def test_numbers_are_assigned_with_per_number_failures(adapter: Harness, sim: Simulator, driver: Any) -> None:
    p = adapter.provider
    campaign_ref = approved_campaign(p, sim, approved_brand(p, sim))
    good, bad = "+13125550100", "+13125550666"
    driver.provide_numbers(sim, campaign_ref, [good, bad])

    if not driver.assigns_numbers:  # direct TCR: the DCA provisions, TCR shows what is provisioned
        with pytest.raises(ProviderError) as refused:
            p.assign_number(campaign_ref, good)
        assert refused.value.kind is ProviderErrorKind.PRECONDITION
        until(sim, lambda: good in {a.phone_number for a in p.list_assignments(campaign_ref)}, step=600)
        [listed] = [a for a in p.list_assignments(campaign_ref) if a.phone_number == good]
        assert listed.lifecycle is Lifecycle.APPROVED
        return

    first = p.assign_number(campaign_ref, good)
    assert first.phone_number == good
    assert first.lifecycle in (Lifecycle.PENDING, Lifecycle.APPROVED)
    outcome = attempt(lambda: p.assign_number(campaign_ref, bad))
    bad_refused = isinstance(outcome, ProviderError)  # refused at once is as good as failing later
    if bad_refused:
        assert outcome.kind in (ProviderErrorKind.VALIDATION, ProviderErrorKind.PRECONDITION)
    until(sim, lambda: p.get_assignment(good).lifecycle is Lifecycle.APPROVED, step=600)
    if not bad_refused:
        until(sim, lambda: p.get_assignment(bad).lifecycle is Lifecycle.FAILED, step=600)
    assert good in {a.phone_number for a in p.list_assignments(campaign_ref)}


def test_bulk_assignment_reports_each_number(adapter: Harness, sim: Simulator, driver: Any) -> None:
    if not driver.assigns_numbers:
        pytest.skip("direct TCR assigns no numbers (the numbers journey above covers its read-only view)")
    p = adapter.provider
    campaign_ref = approved_campaign(p, sim, approved_brand(p, sim))
    numbers = ["+13125550101", "+13125550102", "+13125550666"]
    driver.provide_numbers(sim, campaign_ref, numbers)
    job = p.assign_numbers(campaign_ref, numbers)
    outcomes = {a.phone_number: a for a in job.assignments}
    until(
        sim,
        lambda: all(
            p.get_assignment(n).lifecycle is (Lifecycle.FAILED if n.endswith("666") else Lifecycle.APPROVED)
            for n in numbers
            if n in outcomes and outcomes[n].lifecycle is not Lifecycle.FAILED
        ),
        step=600,
    )
    assert len({a.phone_number for a in job.assignments} | set(numbers)) == len(numbers)


def test_suspension_after_approval_is_lifted_later(adapter: Harness, sim: Simulator) -> None:
    p = adapter.provider
    marked = campaign(description=campaign()["description"] + " [sim:suspend-after-approval]")
    ref = p.create_campaign(approved_brand(p, sim), marked, client_ref="camp-s").provider_id
    until(sim, lambda: p.get_campaign(ref).lifecycle is Lifecycle.APPROVED)
    until(sim, lambda: p.get_campaign(ref).lifecycle is Lifecycle.SUSPENDED)
    until(sim, lambda: p.get_campaign(ref).lifecycle is Lifecycle.APPROVED)


def test_deactivation_is_final(adapter: Harness, sim: Simulator) -> None:
    p = adapter.provider
    ref = approved_campaign(p, sim, approved_brand(p, sim))
    p.deactivate_campaign(ref)
    until(sim, lambda: _deactivated(p, ref), step=600)


def _deactivated(p: Any, ref: str) -> bool:
    try:
        return p.get_campaign(ref).lifecycle is Lifecycle.DEACTIVATED
    except ProviderError as exc:  # Twilio deletes the campaign: 404 means it is gone (provider-apis.md §6.3)
        return exc.kind is ProviderErrorKind.NOT_FOUND
