"""The whole Telnyx journey against the simulator over real HTTP: brand -> identity -> vetting -> campaign ->
per-carrier review -> approval / rejection by one carrier -> appeal -> number assignment single and bulk."""

from __future__ import annotations

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
from registry.providers.telnyx import TelnyxProvider

from .conftest import Harness, Receiver
from .payloads import SOLE_PROPRIETOR, brand, campaign

ATT, TMOBILE, VERIZON, USCELLULAR = "10017", "10035", "10038", "10037"


def approved_brand(p: TelnyxProvider, sim: Simulator, **changes: object) -> str:
    record = p.create_brand(brand(**changes), client_ref=f"brand-{len(sim.telnyx().brands)}")
    sim.advance(minutes=2)
    assert p.get_brand(record.provider_id).lifecycle is Lifecycle.APPROVED
    return record.provider_id


def provisioned_campaign(p: TelnyxProvider, sim: Simulator, brand_id: str, ref: str) -> str:
    record = p.create_campaign(brand_id, campaign(), client_ref=ref)
    sim.advance(days=6)
    assert p.get_campaign(record.provider_id).lifecycle is Lifecycle.APPROVED
    return record.provider_id


def test_the_adapter_satisfies_the_provider_protocol(harness: Harness) -> None:
    assert isinstance(harness.provider, TenDlcProvider)
    assert harness.provider.capabilities().bulk_assign_by_profile


def test_brand_is_registered_scored_and_announced_by_a_signed_webhook(
    harness: Harness, sim: Simulator, receiver: Receiver
) -> None:
    p = harness.provider
    p.webhook_url = receiver.url
    created = p.create_brand(brand(), client_ref="brand-42")
    assert created.lifecycle is Lifecycle.PENDING
    assert created.raw_status == "REGISTRATION_PENDING"
    assert created.identity is Identity.UNKNOWN
    assert created.client_ref == "brand-42"
    sent = harness.calls[0].request_body
    assert "einIssuingCountry" not in sent
    assert "brandRelationship" not in sent
    assert sent["ein"] == "[REDACTED]"
    assert sim.telnyx().brands[created.provider_id].data["ein"] == "120000001"  # 9 digits on the wire

    sim.advance(minutes=2)

    fetched = p.get_brand(created.provider_id)
    assert (fetched.lifecycle, fetched.identity, fetched.raw_status) == (
        Lifecycle.APPROVED,
        Identity.VERIFIED,
        "OK",
    )
    assert fetched.registry_id
    assert fetched.registry_id.startswith("B")
    assert fetched.client_ref == "brand-42"  # read back from the tagged webhookURL
    [hook] = receiver.requests
    assert p.verify_webhook(receiver.url, hook.headers, hook.body)
    [event] = p.parse_webhook(hook.headers, hook.body)
    assert event.entity is EventEntity.BRAND
    assert event.provider_id == created.provider_id
    assert event.client_ref == "brand-42"
    assert event.raw_type == "10dlc.brand.update:TCR_BRAND_UPDATE"
    assert event.occurred_at == sim.now.replace(microsecond=0) or event.occurred_at <= sim.now


def test_unverified_brand_needs_action_is_refused_campaigns_and_is_rescued_by_external_vetting(
    harness: Harness, sim: Simulator
) -> None:
    p = harness.provider
    brand_id = p.create_brand(brand(displayName="Harbor Dental [sim:unverified]"), client_ref="b1").provider_id
    sim.advance(minutes=2)

    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.ACTION_REQUIRED, Identity.UNVERIFIED)
    [issue] = p.get_brand_feedback(brand_id)
    assert issue.code == "TAX_ID"
    assert "ein" in issue.fields

    with pytest.raises(ProviderError) as refused:
        p.create_campaign(brand_id, campaign(), client_ref="c1")
    assert refused.value.kind is ProviderErrorKind.PRECONDITION
    assert refused.value.provider_code == "527"

    vetting = p.order_vetting(brand_id, "AEGIS", "STANDARD")
    assert vetting.lifecycle is Lifecycle.PENDING
    with pytest.raises(ProviderError) as again:
        p.order_vetting(brand_id, "AEGIS", "STANDARD")
    assert again.value.kind is ProviderErrorKind.CONFLICT  # SDK: duplicate order -> 400 / 10012

    sim.advance(hours=3)
    [done] = p.list_vettings(brand_id)
    assert done.lifecycle is Lifecycle.APPROVED
    assert done.score == 82
    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.APPROVED, Identity.VETTED_VERIFIED)
    assert p.create_campaign(brand_id, campaign(), client_ref="c1").lifecycle is Lifecycle.PENDING
    kinds = [line["kind"] for line in sim.ledger()]
    assert kinds == ["brand_registration", "external_vetting", "campaign_upfront", "campaign_vetting"]


def test_fixing_brand_data_and_revetting_verifies_the_brand(harness: Harness, sim: Simulator) -> None:
    p = harness.provider
    brand_id = p.create_brand(brand(displayName="Harbor Dental [sim:unverified]"), client_ref="b1").provider_id
    sim.advance(minutes=2)
    p.revet_brand(brand_id)  # same data, scored again: still UNVERIFIED
    sim.advance(minutes=2)
    assert p.get_brand(brand_id).identity is Identity.UNVERIFIED

    updated = p.update_brand(brand_id, {"ein": "12-0000002", "companyName": "Harbor Dental Group LLC"})
    assert updated.identity is Identity.UNVERIFIED
    assert updated.raw["companyName"] == "Harbor Dental Group LLC"
    assert updated.raw["email"] == "ops@harbordental.example"  # full PUT kept the other fields
    p.revet_brand(brand_id)
    sim.advance(minutes=2)
    assert p.get_brand(brand_id).identity is Identity.VERIFIED
    with pytest.raises(ProviderError) as unchanged:
        p.revet_brand(brand_id)
    assert unchanged.value.provider_code == "525"


def test_sole_proprietor_verifies_the_sms_otp_before_any_campaign(harness: Harness, sim: Simulator) -> None:
    p = harness.provider
    brand_id = p.create_brand(SOLE_PROPRIETOR, client_ref="sp-1").provider_id
    sim.advance(minutes=2)
    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.ACTION_REQUIRED, Identity.SELF_DECLARED)
    with pytest.raises(ProviderError) as pending:
        p.qualify(brand_id, "SOLE_PROPRIETOR")
    assert pending.value.kind is ProviderErrorKind.PRECONDITION

    otp = p.send_brand_otp(brand_id)
    assert otp.lifecycle is Lifecycle.PENDING
    assert otp.reference_id
    sim.advance(minutes=1)
    assert p.get_brand_otp(brand_id).delivery_status == "DELIVERED_HANDSET"
    with pytest.raises(ProviderError) as wrong:
        p.verify_brand_otp(brand_id, "000000" if sim.otp_pin(brand_id) != "000000" else "111111")
    assert wrong.value.provider_code == "552"
    assert wrong.value.fields == ("otpPin",)

    verified = p.verify_brand_otp(brand_id, sim.otp_pin(brand_id))
    assert verified.lifecycle is Lifecycle.APPROVED
    assert verified.verified_at is not None
    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.APPROVED, Identity.VERIFIED)
    assert p.qualify(brand_id, "SOLE_PROPRIETOR").qualified
    with pytest.raises(ProviderError) as wrong_usecase:
        p.qualify(brand_id, "MARKETING")
    assert wrong_usecase.value.provider_code == "509"


def test_campaign_walks_the_whole_review_chain_carrier_by_carrier(harness: Harness, sim: Simulator) -> None:
    p = harness.provider
    brand_id = approved_brand(p, sim)
    assert "ACCOUNT_NOTIFICATION" in {u.code for u in p.list_use_cases()}
    q = p.qualify(brand_id, "ACCOUNT_NOTIFICATION")
    assert q.qualified
    assert q.monthly_fee == 10.0
    assert set(q.carriers) >= {ATT, TMOBILE, VERIZON}
    assert p.estimate_cost("ACCOUNT_NOTIFICATION").monthly == "10.00"
    sim.set_delays(mno_review_by_carrier={TMOBILE: 5 * 86400})

    created = p.create_campaign(brand_id, campaign(), client_ref="camp-1")
    assert (created.lifecycle, created.raw_status, created.client_ref) == (
        Lifecycle.PENDING,
        "TCR_PENDING",
        "camp-1",
    )

    def at(**delta: float) -> tuple[Lifecycle | None, str | None, dict[str, CarrierState]]:
        sim.advance(**delta)
        r = p.get_campaign(created.provider_id)
        return r.lifecycle, r.raw_status, dict(r.carriers)

    assert at(minutes=6) == (Lifecycle.IN_REVIEW, "TCR_ACCEPTED", {})
    assert at(days=1) == (Lifecycle.IN_REVIEW, "TELNYX_ACCEPTED", {})
    lifecycle, raw, carriers = at(minutes=10)
    assert (lifecycle, raw) == (Lifecycle.IN_REVIEW, "MNO_PENDING")
    assert set(carriers.values()) == {CarrierState.REVIEW}
    lifecycle, raw, carriers = at(days=3)
    assert (lifecycle, raw) == (Lifecycle.IN_REVIEW, "MNO_PENDING")
    assert carriers[ATT] is CarrierState.REGISTERED
    assert carriers[TMOBILE] is CarrierState.REVIEW
    assert at(days=2)[:2] == (Lifecycle.PENDING, "MNO_ACCEPTED")  # approved, provisioning
    lifecycle, raw, carriers = at(hours=2)
    assert (lifecycle, raw) == (Lifecycle.APPROVED, "MNO_PROVISIONED")
    assert set(carriers.values()) == {CarrierState.REGISTERED}
    record = p.get_campaign(created.provider_id)
    assert record.registry_id
    assert record.registry_id.startswith("C")
    assert record.raw["isTMobileRegistered"] is True


def test_rejection_by_one_carrier_then_appeal_then_approval(
    harness: Harness, sim: Simulator, receiver: Receiver
) -> None:
    p = harness.provider
    p.webhook_url = receiver.url
    brand_id = approved_brand(p, sim)
    created = p.create_campaign(
        brand_id,
        campaign(description=campaign()["description"] + " [sim:reject:tmobile]"),
        client_ref="camp-tm",
    )
    sim.advance(days=5)

    rejected = p.get_campaign(created.provider_id)
    assert (rejected.lifecycle, rejected.raw_status) == (Lifecycle.REJECTED, "MNO_REJECTED")
    assert rejected.carriers[TMOBILE] is CarrierState.REJECTED
    assert rejected.carriers[ATT] is CarrierState.REGISTERED
    events = [e for r in receiver.requests for e in p.parse_webhook(r.headers, r.body)]
    [tmobile] = [e for e in events if e.carrier_state is CarrierState.REJECTED]
    assert tmobile.carrier == TMOBILE
    assert "opt-out" in (tmobile.description or "")

    with pytest.raises(ProviderError) as not_yet:
        p.assign_number(created.provider_id, "+15035550123")
    assert not_yet.value.kind is ProviderErrorKind.VALIDATION

    p.appeal_campaign(created.provider_id, "Added opt-out language to every sample message.")
    appealed = p.get_campaign(created.provider_id)
    assert (appealed.lifecycle, appealed.raw_status) == (Lifecycle.IN_REVIEW, "TCR_ACCEPTED")
    assert appealed.carriers == {
        ATT: CarrierState.REGISTERED,
        VERIZON: CarrierState.REGISTERED,
        USCELLULAR: CarrierState.REGISTERED,
    }
    with pytest.raises(ProviderError) as twice:
        p.appeal_campaign(created.provider_id, "again")
    assert twice.value.kind is ProviderErrorKind.VALIDATION

    sim.advance(days=5)
    final = p.get_campaign(created.provider_id)
    assert final.lifecycle is Lifecycle.APPROVED
    assert set(final.carriers.values()) == {CarrierState.REGISTERED}


def test_numbers_are_assigned_one_by_one_with_per_number_failures(harness: Harness, sim: Simulator) -> None:
    p = harness.provider
    campaign_id = provisioned_campaign(p, sim, approved_brand(p, sim), "camp-n")

    single = p.assign_number(campaign_id, "+15035550123")
    assert (single.lifecycle, single.raw_status) == (Lifecycle.PENDING, "PENDING_ASSIGNMENT")
    assert p.assign_number(campaign_id, "+15035550123").phone_number == "+15035550123"  # repeat is harmless

    job = p.assign_numbers(campaign_id, ["+15035550124", "+15035550666", "5035550125"])
    assert job.job_id is None
    assert job.lifecycle is Lifecycle.PENDING
    [bad_format] = job.failed
    assert bad_format.phone_number == "5035550125"
    assert bad_format.issues[0].fields == ("phoneNumber",)

    sim.advance(hours=1)
    assert p.get_assignment("+15035550123").lifecycle is Lifecycle.APPROVED
    failed = p.get_assignment("+15035550666")
    assert (failed.lifecycle, failed.raw_status) == (Lifecycle.FAILED, "FAILED_ASSIGNMENT")
    assert failed.issues
    listed = {a.phone_number: a.lifecycle for a in p.list_assignments(campaign_id)}
    assert listed == {
        "+15035550123": Lifecycle.APPROVED,
        "+15035550124": Lifecycle.APPROVED,
        "+15035550666": Lifecycle.FAILED,
    }

    removing = p.unassign_number("+15035550124")
    assert (removing.lifecycle, removing.raw_status) == (Lifecycle.PENDING, "PENDING_UNASSIGNMENT")
    sim.advance(minutes=15)
    with pytest.raises(ProviderError) as gone:
        p.get_assignment("+15035550124")
    assert gone.value.kind is ProviderErrorKind.NOT_FOUND  # 404 after delete = DEACTIVATED


def test_bulk_assignment_by_messaging_profile_succeeds_partially(harness: Harness, sim: Simulator) -> None:
    p = harness.provider
    campaign_id = provisioned_campaign(p, sim, approved_brand(p, sim), "camp-bulk")
    numbers = ["+15035550201", "+15035550202", "+15035550666", "+15035550203"]
    sim.add_numbers("mp-1", numbers)

    job = p.assign_messaging_profile(campaign_id, "mp-1")
    assert job.job_id
    assert job.lifecycle is Lifecycle.PENDING
    assert p.get_assignment_job(job.job_id).raw_status == "pending"
    sim.advance(minutes=15)
    assert p.get_assignment_job(job.job_id).raw_status == "processing"
    sim.advance(hours=1)

    done = p.get_assignment_job(job.job_id)
    assert (done.lifecycle, done.raw_status) == (Lifecycle.APPROVED, "completed")
    assert [a.phone_number for a in done.succeeded] == ["+15035550201", "+15035550202", "+15035550203"]
    assert [a.phone_number for a in done.failed] == ["+15035550666"]
    assert len(p.list_assignments(campaign_id)) == 4


def test_suspension_after_approval_is_lifted_later(harness: Harness, sim: Simulator) -> None:
    p = harness.provider
    brand_id = approved_brand(p, sim)
    created = p.create_campaign(
        brand_id,
        campaign(description=campaign()["description"] + " [sim:suspend-after-approval]"),
        client_ref="s",
    )
    sim.advance(days=5)
    assert p.get_campaign(created.provider_id).lifecycle is Lifecycle.APPROVED
    sim.advance(days=1)
    suspended = p.get_campaign(created.provider_id)
    assert suspended.lifecycle is Lifecycle.SUSPENDED
    assert suspended.carriers[TMOBILE] is CarrierState.SUSPENDED
    sim.advance(days=2)
    assert p.get_campaign(created.provider_id).lifecycle is Lifecycle.APPROVED


def test_silent_and_unknown_carriers_do_not_block_approval(harness: Harness, sim: Simulator) -> None:
    p = harness.provider
    brand_id = approved_brand(p, sim)
    desc = campaign()["description"] + " [sim:silent:verizon] [sim:unknown-mno]"
    created = p.create_campaign(brand_id, campaign(description=desc), client_ref="quiet")
    sim.advance(days=5)
    record = p.get_campaign(created.provider_id)
    assert record.lifecycle is Lifecycle.APPROVED
    assert VERIZON not in record.carriers
    assert record.carriers["10999"] is CarrierState.REGISTERED


@pytest.mark.parametrize(
    ("marker", "lifecycle", "raw"),
    [
        ("[sim:tcr-failed]", Lifecycle.FAILED, "TCR_FAILED"),
        ("[sim:reject:telnyx]", Lifecycle.REJECTED, "TELNYX_FAILED"),
        ("[sim:provisioning-failed]", Lifecycle.FAILED, "MNO_PROVISIONING_FAILED"),
    ],
)
def test_campaign_failure_scenarios(
    harness: Harness, sim: Simulator, marker: str, lifecycle: Lifecycle, raw: str
) -> None:
    p = harness.provider
    brand_id = approved_brand(p, sim)
    created = p.create_campaign(
        brand_id, campaign(description=campaign()["description"] + " " + marker), client_ref="f"
    )
    sim.advance(days=6)
    record = p.get_campaign(created.provider_id)
    assert (record.lifecycle, record.raw_status) == (lifecycle, raw)
    assert record.issues


def test_campaign_update_and_deactivation(harness: Harness, sim: Simulator) -> None:
    p = harness.provider
    brand_id = approved_brand(p, sim)
    campaign_id = provisioned_campaign(p, sim, brand_id, "upd")
    new_sample = "Harbor Dental: your appointment moved to Friday 10am. Reply STOP to opt out."
    assert p.update_campaign(campaign_id, {"sample1": new_sample, "usecase": "MARKETING"}).raw["sample1"] == new_sample
    with pytest.raises(ProviderError) as short:
        p.update_campaign(campaign_id, {"sample2": "too short"})
    assert short.value.fields == ("sample2",)
    with pytest.raises(ProviderError) as in_use:
        p.delete_brand(brand_id)
    assert (in_use.value.kind, in_use.value.provider_code) == (ProviderErrorKind.PRECONDITION, "542")

    gone = p.deactivate_campaign(campaign_id)
    assert (gone.lifecycle, gone.raw_status) == (Lifecycle.DEACTIVATED, "TCR_EXPIRED")
    assert p.deactivate_campaign(campaign_id).lifecycle is Lifecycle.DEACTIVATED  # idempotent
    p.delete_brand(brand_id)
    with pytest.raises(ProviderError) as deleted:
        p.get_brand(brand_id)
    assert deleted.value.kind is ProviderErrorKind.NOT_FOUND


def test_brand_registration_failure_is_reported_with_reasons(harness: Harness, sim: Simulator) -> None:
    p = harness.provider
    brand_id = p.create_brand(brand(displayName="Harbor [sim:registration-failed]"), client_ref="x").provider_id
    sim.advance(minutes=2)
    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.raw_status) == (Lifecycle.FAILED, "REGISTRATION_FAILED")
    assert record.issues
    assert "EIN" in record.issues[0].message
