"""The Twilio journey against the simulator over real HTTP: the Trust Hub chain, brand registration and its
resume after a lost answer, identity outcomes, sole-proprietor OTP, campaign approval / rejection / edit,
numbers, Event Streams webhooks, rate limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from registry.providers.base import EventEntity, Identity, Lifecycle, ProviderError, ProviderErrorKind, TenDlcProvider
from registry.providers.http import RetryPolicy
from registry.providers.simulator import Simulator
from registry.providers.simulator.twilio import add_incoming_numbers, confirm_otp, twilio_state
from registry.providers.twilio import TwilioProvider

from .conftest import Builder, Harness, Receiver, driver_named
from .payloads import SOLE_PROPRIETOR, brand, campaign

BRANDS = "/twilio/messaging/v1/a2p/BrandRegistrations"
#: TCR fields Twilio needs beyond TCR's own standard-brand minimum (the authorized representative)
REP = {"firstName": "Maya", "lastName": "Okafor", "businessTitle": "Practice manager", "jobPosition": "GM"}
SOLE = {**SOLE_PROPRIETOR, "street": "4 Elm St", "city": "Portland", "postalCode": "97202"}


@pytest.fixture
def make_twilio(sim: Simulator) -> Iterator[Builder]:
    """Build TwilioProviders against the simulator."""
    builder = Builder(sim, driver_named("twilio"))
    yield builder
    builder.close()


@pytest.fixture
def tw(make_twilio: Builder) -> Harness:
    return make_twilio()


def std_brand(**changes: Any) -> dict[str, Any]:
    return brand(**REP, **changes)


def approved_brand(p: TwilioProvider, sim: Simulator, ref: str = "brand-1", **changes: Any) -> str:
    record = p.create_brand(std_brand(**changes), client_ref=ref)
    sim.advance(minutes=2)
    assert p.get_brand(record.provider_id).lifecycle is Lifecycle.APPROVED
    return record.provider_id


def test_the_adapter_satisfies_the_provider_protocol(tw: Harness) -> None:
    assert isinstance(tw.provider, TenDlcProvider)
    caps = tw.provider.capabilities()
    assert (caps.trust_bundles, caps.webhooks, caps.otp, caps.appeal, caps.brand_delete) == (
        True,
        True,
        True,
        True,
        False,
    )


def test_brand_chain_is_form_encoded_with_json_attributes_and_registers_the_brand(tw: Harness, sim: Simulator) -> None:
    p = tw.provider
    created = p.create_brand(std_brand(), client_ref="brand-42")
    assert (created.lifecycle, created.raw_status, created.client_ref) == (Lifecycle.PENDING, "PENDING", "brand-42")
    assert created.provider_id.startswith("BN") and len(created.provider_id) == 34
    paths = [(c.method, c.path) for c in tw.calls]
    assert ("POST", "/CustomerProfiles") in paths and ("POST", "/TrustProducts") in paths
    business = next(
        c
        for c in tw.calls
        if c.path == "/EndUsers" and c.request_body["Type"] == "customer_profile_business_information"
    )
    attributes = json.loads(business.request_body["Attributes"])  # a JSON string inside the form
    assert attributes["business_name"] == "Harbor Dental LLC"
    assert attributes["business_registration_number"] == "12-0000001"
    assert business.request_body["FriendlyName"] == "Harbor Dental"
    state = twilio_state(sim.sandbox)
    profile = state.customer_profiles[state.brands[created.provider_id].data["customer_profile_bundle_sid"]]
    assert profile.data["friendly_name"] == "brand-42"
    assert profile.status == "pending-review"
    assert len(profile.assignments) == 4  # business info, representative, address document, primary profile

    sim.advance(minutes=2)
    fetched = p.get_brand(created.provider_id)
    assert (fetched.lifecycle, fetched.identity) == (Lifecycle.APPROVED, Identity.VERIFIED)
    assert fetched.registry_id and fetched.registry_id.startswith("B")
    assert p.find_brand_by_reference("brand-42").client_ref == "brand-42"
    assert [line["kind"] for line in state.ledger] == ["brand_registration", "secondary_vetting"]


def test_low_volume_brands_skip_the_paid_secondary_vetting(make_twilio: Builder, sim: Simulator) -> None:
    p = make_twilio(low_volume=True).provider
    created = p.create_brand(std_brand(), client_ref="lv")
    sent = twilio_state(sim.sandbox).brands[created.provider_id].data
    assert sent["skip_automatic_sec_vet"] is True
    sim.advance(minutes=2)
    assert [line["kind"] for line in twilio_state(sim.sandbox).ledger] == ["brand_registration"]


@pytest.mark.parametrize("kind", ["drop", "timeout"])
def test_a_brand_create_whose_answer_is_lost_resumes_without_a_second_brand(
    make_twilio: Builder, sim: Simulator, kind: str
) -> None:
    p = make_twilio(timeout=(1.0, 0.5)).provider
    sim.inject_fault(kind, method="POST", path=BRANDS, delay=1.5)
    with pytest.raises(ProviderError) as lost:
        p.create_brand(std_brand(), client_ref="brand-7")
    assert lost.value.maybe_committed
    found = p.find_brand_by_reference("brand-7")
    assert found is not None
    again = p.create_brand(std_brand(), client_ref="brand-7")
    assert again.provider_id == found.provider_id
    state = twilio_state(sim.sandbox)
    assert len(state.brands) == 1
    assert len(state.customer_profiles) == 2  # the ISV's primary + this brand's
    assert [line["kind"] for line in state.ledger] == ["brand_registration"]


def test_a_chain_interrupted_before_the_registration_is_completed_by_the_next_create(
    tw: Harness, sim: Simulator
) -> None:
    p = tw.provider
    sim.inject_fault("status", status=503, method="POST", path="/twilio/trusthub/v1/TrustProducts", count=1)
    with pytest.raises(ProviderError):
        p.create_brand(std_brand(), client_ref="brand-8")
    assert p.find_brand_by_reference("brand-8") is None
    created = p.create_brand(std_brand(), client_ref="brand-8")
    state = twilio_state(sim.sandbox)
    assert list(state.brands) == [created.provider_id]
    assert len([b for b in state.customer_profiles.values() if b.data["friendly_name"] == "brand-8"]) == 1


def test_a_noncompliant_evaluation_names_tcr_fields(tw: Harness) -> None:
    with pytest.raises(ProviderError) as missing:
        tw.provider.create_brand(brand(firstName=None, lastName=None), client_ref="no-rep")  # no representative
    assert missing.value.kind is ProviderErrorKind.VALIDATION
    assert set(missing.value.fields) >= {"firstName", "lastName"}


def test_unverified_brand_needs_action_refuses_campaigns_and_is_rescued_by_vetting(
    make_twilio: Builder, sim: Simulator
) -> None:
    p = make_twilio(low_volume=True).provider  # no automatic secondary vetting: we order one
    brand_id = p.create_brand(std_brand(displayName="Harbor Dental [sim:unverified]"), client_ref="b1").provider_id
    sim.advance(minutes=2)
    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.ACTION_REQUIRED, Identity.UNVERIFIED)
    [issue] = p.get_brand_feedback(brand_id)
    assert issue.code == "TAX_ID" and "ein" in issue.fields
    with pytest.raises(ProviderError) as refused:
        p.create_campaign(brand_id, campaign(), client_ref="c1")
    assert (refused.value.kind, refused.value.provider_code) == (ProviderErrorKind.PRECONDITION, "30991")
    vetting = p.order_vetting(brand_id, "AEGIS", "STANDARD")
    assert vetting.lifecycle is Lifecycle.PENDING
    with pytest.raises(ProviderError) as again:
        p.order_vetting(brand_id, "AEGIS", "STANDARD")
    assert again.value.kind is ProviderErrorKind.CONFLICT
    sim.advance(hours=3)
    assert {v.lifecycle for v in p.list_vettings(brand_id)} == {Lifecycle.APPROVED}
    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.APPROVED, Identity.VETTED_VERIFIED)


def test_registration_failure_carries_twilio_codes_and_resubmits(tw: Harness, sim: Simulator) -> None:
    p = tw.provider
    brand_id = p.create_brand(std_brand(displayName="Harbor [sim:registration-failed]"), client_ref="bf").provider_id
    sim.advance(minutes=2)
    failed = p.get_brand(brand_id)
    assert failed.lifecycle is Lifecycle.FAILED
    assert failed.issues[0].code == "30792" and "ein" in failed.issues[0].fields
    assert p.revet_brand(brand_id).lifecycle is Lifecycle.PENDING
    sim.advance(minutes=2)
    assert p.get_brand(brand_id).lifecycle is Lifecycle.APPROVED


def test_sole_proprietor_waits_for_the_otp_reply(tw: Harness, sim: Simulator) -> None:
    p = tw.provider
    created = p.create_brand(SOLE, client_ref="sp")
    assert twilio_state(sim.sandbox).brands[created.provider_id].data["brand_type"] == "SOLE_PROPRIETOR"
    sim.advance(minutes=2)
    waiting = p.get_brand(created.provider_id)
    assert (waiting.lifecycle, waiting.identity) == (Lifecycle.ACTION_REQUIRED, Identity.SELF_DECLARED)
    assert p.send_brand_otp(created.provider_id).lifecycle is Lifecycle.PENDING
    assert p.get_brand_otp(created.provider_id).lifecycle is Lifecycle.PENDING
    confirm_otp(sim.sandbox, created.provider_id)
    assert p.verify_brand_otp(created.provider_id, "YES").lifecycle is Lifecycle.APPROVED
    assert p.get_brand(created.provider_id).lifecycle is Lifecycle.APPROVED


def test_campaign_is_approved_and_numbers_attach_with_a_failing_one(tw: Harness, sim: Simulator) -> None:
    p = tw.provider
    brand_id = approved_brand(p, sim)
    record = p.create_campaign(brand_id, campaign(), client_ref="camp-1")
    assert record.provider_id.startswith("MG") and "/QE" in record.provider_id
    assert (record.lifecycle, record.client_ref, record.carriers) == (Lifecycle.SUBMITTED, "camp-1", {})
    sent = next(c for c in tw.calls if c.path.endswith("/Compliance/Usa2p") and c.method == "POST")
    assert len(sent.request_body["MessageSamples"]) == 2  # repeated keys
    assert sent.request_body["OptOutKeywords"] == ["STOP", "CANCEL", "END", "QUIT", "UNSUBSCRIBE"]
    assert p.create_campaign(brand_id, campaign(), client_ref="camp-1").provider_id == record.provider_id
    assert len(twilio_state(sim.sandbox).campaigns) == 1
    assert p.find_campaign_by_reference(brand_id, "camp-1").provider_id == record.provider_id

    add_incoming_numbers(sim.sandbox, sim.api_key, ["+15035550111", "+15035550666"])
    job = p.assign_numbers(record.provider_id, ["+15035550111", "+15035550666", "+15035550999"])
    assert [a.lifecycle for a in job.assignments] == [Lifecycle.PENDING, Lifecycle.FAILED, Lifecycle.FAILED]
    assert job.assignments[1].issues[0].code == "21606"
    assert job.assignments[2].issues[0].code == "not_found"

    sim.advance(days=5)
    approved = p.get_campaign(record.provider_id)
    assert (approved.lifecycle, approved.raw_status) == (Lifecycle.APPROVED, "VERIFIED")
    assert approved.registry_id and approved.registry_id.startswith("C")
    assert p.get_assignment("+15035550111").lifecycle is Lifecycle.APPROVED
    assert [a.phone_number for a in p.list_assignments(record.provider_id)] == ["+15035550111"]
    assert [c.provider_id for c in p.list_campaigns(brand_id)] == [record.provider_id]
    assert p.unassign_number("+15035550111").lifecycle is Lifecycle.PENDING
    with pytest.raises(ProviderError) as gone:
        p.get_assignment("+15035550111")
    assert gone.value.kind is ProviderErrorKind.NOT_FOUND
    assert p.deactivate_campaign(record.provider_id).lifecycle is Lifecycle.DEACTIVATED
    kinds = [line["kind"] for line in twilio_state(sim.sandbox).ledger]
    assert kinds == ["brand_registration", "secondary_vetting", "campaign_vetting"]


def test_a_rejected_campaign_carries_codes_and_editing_it_resubmits(tw: Harness, sim: Simulator) -> None:
    p = tw.provider
    brand_id = approved_brand(p, sim)
    desc = campaign()["description"] + " [sim:reject:tmobile]"
    ref = p.create_campaign(brand_id, campaign(description=desc), client_ref="c-rej").provider_id
    sim.advance(days=5)
    rejected = p.get_campaign(ref)
    assert rejected.lifecycle is Lifecycle.REJECTED
    assert [i.code for i in rejected.issues] == ["30899"]
    assert "T-Mobile" in rejected.issues[0].message
    edited = p.update_campaign(
        ref, {"sample2": "Harbor Dental: your bill is ready. Reply STOP to opt out, HELP for help."}
    )
    assert edited.lifecycle is Lifecycle.SUBMITTED
    assert edited.raw["message_samples"][1].startswith("Harbor Dental: your bill")
    sim.advance(days=5)
    assert p.get_campaign(ref).lifecycle is Lifecycle.APPROVED
    assert [line["kind"] for line in twilio_state(sim.sandbox).ledger].count("campaign_vetting") == 1


def test_twilio_review_rejects_once_and_appeal_resubmits(tw: Harness, sim: Simulator) -> None:
    p = tw.provider
    brand_id = approved_brand(p, sim)
    ref = p.create_campaign(
        brand_id, campaign(description=campaign()["description"] + " [sim:reject:dca]"), client_ref="c"
    ).provider_id
    p.appeal_campaign(ref, "already in review: nothing to do")
    sim.advance(days=2)
    failed = p.get_campaign(ref)
    assert (failed.lifecycle, failed.issues[0].code) == (Lifecycle.REJECTED, "30886")
    assert "description" in failed.issues[0].fields
    p.appeal_campaign(ref, "clarified")
    assert p.get_campaign(ref).lifecycle is Lifecycle.SUBMITTED
    sim.advance(days=5)
    assert p.get_campaign(ref).lifecycle is Lifecycle.APPROVED
    with pytest.raises(ProviderError) as approved:
        p.appeal_campaign(ref, "nothing to appeal")
    assert approved.value.kind is ProviderErrorKind.PRECONDITION


def test_campaign_validation_is_answered_in_twilios_envelope(tw: Harness, sim: Simulator) -> None:
    p = tw.provider
    brand_id = approved_brand(p, sim)
    with pytest.raises(ProviderError) as short:
        p.create_campaign(brand_id, campaign(description="Too short"), client_ref="c-short")
    assert (short.value.kind, short.value.provider_code, short.value.fields) == (
        ProviderErrorKind.VALIDATION,
        "20001",
        ("description",),
    )
    with pytest.raises(ProviderError) as one:
        p.create_campaign(brand_id, campaign(sample2=None), client_ref="c-one")
    assert one.value.fields == ("sample1",)
    assert {u.code for u in p.list_use_cases(brand_id)} >= {"ACCOUNT_NOTIFICATION", "MARKETING"}
    assert p.qualify(brand_id, "ACCOUNT_NOTIFICATION").qualified
    assert not p.qualify(brand_id, "SOLE_PROPRIETOR").qualified


def test_campaigns_are_refused_for_a_pending_brand(tw: Harness, sim: Simulator) -> None:
    p = tw.provider
    brand_id = p.create_brand(std_brand(), client_ref="pending").provider_id
    with pytest.raises(ProviderError) as refused:
        p.create_campaign(brand_id, campaign(), client_ref="c")
    assert (refused.value.kind, refused.value.provider_code) == (ProviderErrorKind.PRECONDITION, "30994")


def test_event_streams_sink_is_set_up_once_and_signed_events_arrive(
    make_twilio: Builder, sim: Simulator, receiver: Receiver
) -> None:
    p = make_twilio(webhook_url=receiver.url).provider
    brand_id = approved_brand(p, sim)
    p.ensure_event_sink()
    state = twilio_state(sim.sandbox)
    assert (len(state.sinks), len(state.subscriptions)) == (1, 1)
    hooks = [r for r in receiver.requests]
    assert hooks
    url = f"http://127.0.0.1:{receiver.url.split(':')[2].split('/')[0]}{hooks[-1].path}"
    assert "bodySHA256=" in url
    assert p.verify_webhook(url, hooks[-1].headers, hooks[-1].body)
    [event] = p.parse_webhook(hooks[-1].headers, hooks[-1].body)
    assert (event.entity, event.provider_id, event.lifecycle) == (EventEntity.BRAND, brand_id, Lifecycle.APPROVED)
    assert event.raw_type.endswith("brand-registration.brand-registered")

    sim.configure_webhooks(sign_with="not-the-auth-token")
    ref = p.create_campaign(brand_id, campaign(), client_ref="c-ev").provider_id
    sim.advance(minutes=10)
    bad = receiver.requests[-1]
    bad_url = url.split("?")[0] + "?" + bad.path.split("?")[1]
    assert not p.verify_webhook(bad_url, bad.headers, bad.body)
    [submitted] = p.parse_webhook(bad.headers, bad.body)
    assert (submitted.entity, submitted.provider_id, submitted.lifecycle) == (
        EventEntity.CAMPAIGN,
        ref,
        Lifecycle.IN_REVIEW,
    )


def test_a_429_storm_is_ridden_out_honouring_retry_after(tw: Harness, sim: Simulator) -> None:
    sim.inject_fault("status", status=429, retry_after=3, count=2, path=BRANDS, method="GET")
    body = tw.provider.http.get("/a2p/BrandRegistrations").body
    assert body["data"] == [] and body["meta"]["key"] == "data"
    assert tw.sleeps == [3, 3]
    assert [c.status for c in tw.calls] == [429, 429, 200]
    assert tw.calls[0].response_body["code"] == 20429


def test_bad_credentials_are_auth_errors(sim: Simulator) -> None:
    sid, _ = sim.twilio_credentials()
    p = TwilioProvider(sid, "wrong", base_url=sim.twilio_base_url, retry=RetryPolicy(max_attempts=1))
    with pytest.raises(ProviderError) as denied:
        p.get_brand("BN" + "0" * 32)
    assert (denied.value.kind, denied.value.provider_code) == (ProviderErrorKind.AUTH, "20003")
    p.close()
