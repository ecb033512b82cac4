"""The direct-TCR journey against the simulator over real HTTP: brand -> scoring (527 before) -> unverified ->
revet / external vet -> sole-proprietor OTP -> campaign -> DCA share -> per-MNO review -> partial rejection ->
nudge -> approval -> nnSR numbers -> suspension -> deactivation, and the duplicate-referenceId reconciliation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from registry.providers.base import CarrierState, Identity, Lifecycle, ProviderError, ProviderErrorKind
from registry.providers.reconcile import create_brand_once
from registry.providers.simulator import Simulator
from registry.providers.simulator import tcr as sim_tcr
from registry.providers.tcr import TcrProvider

from .conftest import Builder, Harness, driver_named
from .payloads import SOLE_PROPRIETOR, brand, campaign

ATT, TMOBILE, VERIZON, USCELLULAR = "10017", "10035", "10038", "10037"
DAY = 86400.0


@pytest.fixture
def make_tcr(sim: Simulator) -> Iterator[Builder]:
    """Build TcrProviders against the simulator."""
    builder = Builder(sim, driver_named("tcr"))
    yield builder
    builder.close()


@pytest.fixture
def tcr(make_tcr: Builder) -> Harness:
    return make_tcr()


def state(sim: Simulator) -> Any:
    return sim_tcr.tcr_state(sim.sandbox)


def scored_brand(p: TcrProvider, sim: Simulator, ref: str = "brand-1", **changes: object) -> str:
    brand_id = p.create_brand(brand(**changes), client_ref=ref).provider_id
    sim.advance(minutes=2)
    return brand_id


def marked(marker: str) -> dict[str, Any]:
    return campaign(description=campaign()["description"] + f" [sim:{marker}]")


def through_review(sim: Simulator) -> None:
    """DCA review (1 day) then the carriers (3 days)."""
    sim.advance(days=1, minutes=1)
    sim.advance(days=3, minutes=1)


def test_brand_is_pending_until_scored_and_campaigns_get_527_meanwhile(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    created = p.create_brand(brand(), client_ref="brand-42")
    assert (created.lifecycle, created.identity, created.raw_status) == (Lifecycle.PENDING, Identity.UNKNOWN, "ACTIVE")
    assert created.registry_id == created.provider_id and created.provider_id.startswith("B")
    assert created.client_ref == "brand-42"
    sent = tcr.calls[0].request_body
    assert (tcr.calls[0].method, tcr.calls[0].path) == ("POST", "/brand/nonBlocking")
    assert sent["referenceId"] == "brand-42"
    assert sent["brandRelationship"] == "BASIC_ACCOUNT"
    assert state(sim).brands[created.provider_id].data["ein"] == "120000001"  # 9 digits on the wire

    with pytest.raises(ProviderError) as pending:
        p.create_campaign(created.provider_id, campaign(), client_ref="c1")
    assert (pending.value.kind, pending.value.provider_code) == (ProviderErrorKind.PRECONDITION, "527")
    assert pending.value.fields == ("brandId",)
    assert len(state(sim).campaigns) == 0

    sim.advance(minutes=2)
    record = p.get_brand(created.provider_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.APPROVED, Identity.VERIFIED)
    assert p.find_brand_by_reference("brand-42").provider_id == created.provider_id
    assert p.find_brand_by_reference("nope") is None
    assert [line["kind"] for line in sim_tcr.tcr_state(sim.sandbox).ledger] == ["brand_registration"]


def test_unverified_brand_is_fixed_and_revetted(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    brand_id = scored_brand(p, sim, displayName="Harbor Dental [sim:unverified]")
    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.ACTION_REQUIRED, Identity.UNVERIFIED)
    [issue] = p.get_brand_feedback(brand_id)
    assert issue.code == "TAX_ID" and set(issue.fields) == {"ein", "companyName"}

    with pytest.raises(ProviderError) as nothing_changed:
        p.revet_brand(brand_id)
    assert (nothing_changed.value.kind, nothing_changed.value.provider_code) == (ProviderErrorKind.PRECONDITION, "525")

    updated = p.update_brand(brand_id, {"companyName": "Harbor Dental Group LLC"})
    assert updated.identity is Identity.UNVERIFIED
    sent = tcr.calls[-1].request_body
    assert sent["displayName"] == "Harbor Dental [sim:unverified]" and sent["entityType"] == "PRIVATE_PROFIT"
    p.revet_brand(brand_id)
    sim.advance(minutes=2)
    assert p.get_brand(brand_id).lifecycle is Lifecycle.APPROVED


def test_external_vet_goes_pending_unscore_active_and_vets_the_brand(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    brand_id = scored_brand(p, sim, displayName="Harbor Dental [sim:unverified]")
    vetting = p.order_vetting(brand_id, "AEGIS", "STANDARD")
    assert (vetting.lifecycle, vetting.raw_status) == (Lifecycle.PENDING, "PENDING")
    with pytest.raises(ProviderError) as again:
        p.order_vetting(brand_id, "AEGIS", "STANDARD")
    assert (again.value.kind, again.value.provider_code) == (ProviderErrorKind.CONFLICT, "549")
    sim.advance(minutes=2)
    assert [v.raw_status for v in p.list_vettings(brand_id)] == ["UNSCORE"]
    sim.advance(hours=2)
    [done] = p.list_vettings(brand_id)
    assert (done.lifecycle, done.score) == (Lifecycle.APPROVED, 82)
    assert p.get_brand(brand_id).identity is Identity.VETTED_VERIFIED
    imported = p.import_vetting(brand_id, "WMC", "wmc-123")
    assert imported.lifecycle is Lifecycle.APPROVED
    kinds = [line["kind"] for line in state(sim).ledger]
    assert kinds == ["brand_registration", "external_vetting"]


def test_failed_vet_leaves_the_brand_unverified(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    brand_id = scored_brand(p, sim, displayName="Harbor Dental [sim:unverified] [sim:vetting-failed]")
    p.order_vetting(brand_id, "AEGIS", "STANDARD")
    sim.advance(hours=3)
    [failed] = p.list_vettings(brand_id)
    assert (failed.lifecycle, failed.score) == (Lifecycle.FAILED, 15)
    assert p.get_brand(brand_id).identity is Identity.UNVERIFIED


def test_sole_proprietor_otp(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    brand_id = p.create_brand(SOLE_PROPRIETOR, client_ref="sp").provider_id
    # BrandRequest requires phone: a sole proprietor's mobile is sent as the phone
    assert state(sim).brands[brand_id].data["phone"] == SOLE_PROPRIETOR["mobilePhone"]
    sim.advance(minutes=2)
    record = p.get_brand(brand_id)
    assert (record.lifecycle, record.identity) == (Lifecycle.ACTION_REQUIRED, Identity.SELF_DECLARED)
    with pytest.raises(ProviderError) as not_yet:
        p.create_campaign(brand_id, campaign(usecase="SOLE_PROPRIETOR"), client_ref="sp-c")
    assert not_yet.value.provider_code == "527"

    otp = p.send_brand_otp(brand_id)
    assert otp.lifecycle is Lifecycle.PENDING and otp.reference_id
    assert "@OTP_PIN@" in tcr.calls[-1].request_body["pinSms"]
    sim.advance(minutes=1)
    assert p.get_brand_otp(brand_id).delivery_status == "DELIVERED_HANDSET"
    with pytest.raises(ProviderError) as wrong:
        p.verify_brand_otp(brand_id, "000000")
    assert (wrong.value.kind, wrong.value.provider_code, wrong.value.fields) == (
        ProviderErrorKind.VALIDATION,
        "552",
        ("otpPin",),
    )
    verified = p.verify_brand_otp(brand_id, sim_tcr.otp_pin(sim.sandbox, brand_id))
    assert verified.lifecycle is Lifecycle.APPROVED and verified.verified_at is not None
    assert p.get_brand(brand_id).lifecycle is Lifecycle.APPROVED
    other = TcrProvider(*sim.tcr_credentials(), base_url=sim.tcr_base_url)  # no remembered OTP reference
    assert other.get_brand_otp(brand_id).lifecycle is Lifecycle.APPROVED
    other.close()
    with pytest.raises(ProviderError) as wrong_use_case:
        p.create_campaign(brand_id, campaign(), client_ref="sp-c")
    assert wrong_use_case.value.provider_code == "509"
    assert p.create_campaign(brand_id, campaign(usecase="SOLE_PROPRIETOR"), client_ref="sp-c").provider_id


def test_a_dropped_brand_create_is_reconciled_by_reference_without_a_second_brand(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    sim.inject_fault("drop", method="POST", path="/tcr/v2/brand/nonBlocking")
    with pytest.raises(ProviderError) as lost:
        p.create_brand(brand(), client_ref="b-lost")
    assert lost.value.maybe_committed
    # creating again outright: TCR refuses the reused referenceId (503) and the adapter resolves it
    again = p.create_brand(brand(), client_ref="b-lost")
    assert again.client_ref == "b-lost"
    assert [c.status for c in tcr.calls if c.path == "/brand/nonBlocking"] == [None, 400]
    assert (
        create_brand_once(p, brand(), client_ref="b-lost", previously_attempted=True).provider_id == again.provider_id
    )
    assert len(state(sim).brands) == 1
    assert [line["kind"] for line in state(sim).ledger] == ["brand_registration"]


def test_campaign_wire_format_qualify_and_cost(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    brand_id = scored_brand(p, sim)
    q = p.qualify(brand_id, "ACCOUNT_NOTIFICATION")
    assert q.qualified and (q.monthly_fee, q.quarterly_fee, q.annual_fee) == (10.0, 30.0, 120.0)
    assert set(q.carriers) == {ATT, TMOBILE, VERIZON, USCELLULAR} and q.carriers[TMOBILE]["brandTier"] == "LOW"
    cost = p.estimate_cost("ACCOUNT_NOTIFICATION")
    assert (cost.monthly, cost.up_front) == ("10.00", "30.00")
    with pytest.raises(ProviderError) as no_sole_brand:
        p.estimate_cost("SOLE_PROPRIETOR")
    assert no_sole_brand.value.kind is ProviderErrorKind.PRECONDITION

    created = p.create_campaign(brand_id, campaign(), client_ref="camp-1")
    [submit] = [c for c in tcr.calls if c.path == "/campaignBuilder"]
    assert submit.method == "POST"
    body = submit.request_body
    assert body["mnoIds"] == [10017, 10035, 10038, 10037]  # integers (CampaignRequest.mnoIds int64)
    assert (body["brandId"], body["referenceId"], body["resellerId"]) == (brand_id, "camp-1", "R000000")
    assert any(c.method == "PUT" and c.path == f"/campaign/{created.provider_id}/sharing/SIMDCA1" for c in tcr.calls)
    assert created.lifecycle is Lifecycle.IN_REVIEW
    assert created.raw["sharedByMe"]["sharingStatus"] == "PENDING"
    assert [line["kind"] for line in state(sim).ledger] == ["brand_registration", "campaign"]
    assert state(sim).ledger[-1]["amount"] == 30.0

    configured = TcrProvider(*sim.tcr_credentials(), base_url=sim.tcr_base_url, mno_ids=["10017"])
    only_att = configured.create_campaign(brand_id, campaign(), client_ref="camp-att")
    assert state(sim).campaigns[only_att.provider_id].mno_ids == [ATT]
    # no upstream CNP configured (a CSP that is its own DCA): not shared, in review all the same
    assert only_att.raw.get("sharedByMe") is None
    assert only_att.lifecycle is Lifecycle.IN_REVIEW
    configured.close()


def test_per_mno_review_partial_rejection_then_appeal_nudge(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    brand_id = scored_brand(p, sim)
    ref = p.create_campaign(brand_id, marked("reject:tmobile"), client_ref="camp-r").provider_id
    sim.advance(days=1, minutes=1)
    record = p.get_campaign(ref)
    assert record.lifecycle is Lifecycle.IN_REVIEW
    assert set(record.carriers.values()) == {CarrierState.REVIEW}
    assert record.raw["sharedByMe"]["sharingStatus"] == "ACCEPTED"

    sim.advance(days=3, minutes=1)
    rejected = p.get_campaign(ref)
    assert rejected.lifecycle is Lifecycle.REJECTED
    assert rejected.carriers[TMOBILE] is CarrierState.REJECTED
    assert rejected.carriers[ATT] is CarrierState.REGISTERED
    assert any(i.code == "MNO_REJECTED" for i in rejected.issues)

    with pytest.raises(ProviderError) as immutable:
        p.http.put(f"/campaign/{ref}", {"usecase": "MARKETING"})
    assert (immutable.value.provider_code, immutable.value.fields) == ("501", ("usecase",))
    p.update_campaign(ref, {"sample1": "Harbor Dental: your cleaning is tomorrow at 3pm. Reply STOP to opt out."})
    p.appeal_campaign(ref, "Samples now carry opt-out language.")
    nudge = tcr.calls[-1]
    assert (nudge.method, nudge.path) == ("POST", f"/campaign/{ref}/nudge")
    assert nudge.request_body == {
        "nudgeIntent": "APPEAL_REJECTION",
        "description": "Samples now carry opt-out language.",
    }
    assert p.get_campaign(ref).carriers[TMOBILE] is CarrierState.REVIEW
    sim.advance(days=3, minutes=1)
    assert p.get_campaign(ref).lifecycle is Lifecycle.APPROVED

    with pytest.raises(ProviderError) as nothing:
        p.appeal_campaign(ref, "again")
    assert (nothing.value.kind, nothing.value.provider_code) == (ProviderErrorKind.PRECONDITION, "592")


def test_a_carrier_that_always_rejects_is_resubmitted_in_vain(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    ref = p.create_campaign(scored_brand(p, sim), marked("reject-always:verizon"), client_ref="c").provider_id
    through_review(sim)
    assert p.get_campaign(ref).lifecycle is Lifecycle.REJECTED
    metadata = p.resubmit_campaign(ref, [VERIZON])
    assert set(metadata["mnoMetadata"]) == {VERIZON}
    assert tcr.calls[-1].request_body == {"mnoIds": [10038]}
    assert p.get_campaign(ref).lifecycle is Lifecycle.IN_REVIEW
    sim.advance(days=3, minutes=1)
    assert p.get_campaign(ref).carriers[VERIZON] is CarrierState.REJECTED


def test_declined_share_is_rejected_with_the_explanation_then_appealed(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    ref = p.create_campaign(scored_brand(p, sim), marked("reject:dca"), client_ref="c-dca").provider_id
    p.nudge_review(ref, "Please review")
    sim.advance(days=1, minutes=1)
    declined = p.get_campaign(ref)
    assert declined.lifecycle is Lifecycle.REJECTED
    assert declined.carriers == {}
    [issue] = declined.issues
    assert issue.code == "SHARE_DECLINED" and "consent" in issue.message
    p.appeal_campaign(ref, "Message flow now describes the opt-in form.")
    assert p.get_campaign(ref).lifecycle is Lifecycle.IN_REVIEW
    through_review(sim)
    assert p.get_campaign(ref).lifecycle is Lifecycle.APPROVED


def test_silent_and_unknown_carriers(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    ref = p.create_campaign(scored_brand(p, sim), marked("silent:uscellular"), client_ref="c1").provider_id
    through_review(sim)
    record = p.get_campaign(ref)
    assert USCELLULAR not in record.carriers  # MNOs need not report (§1.4)
    assert record.lifecycle is Lifecycle.APPROVED
    ref2 = p.create_campaign(p.find_brand_by_reference("brand-1").provider_id, marked("unknown-mno"), client_ref="c2")
    through_review(sim)
    record = p.get_campaign(ref2.provider_id)
    assert record.carriers["10999"] is CarrierState.REGISTERED and not record.needs_review


def test_numbers_are_read_from_nnsr_never_assigned(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    assert p.capabilities().assigns_numbers is False
    ref = p.create_campaign(scored_brand(p, sim), campaign(), client_ref="c").provider_id
    with pytest.raises(ValueError, match="not accepted"):
        sim_tcr.provision_numbers(sim.sandbox, None, ref, ["+13125550100"])  # the DCA has not accepted yet
    through_review(sim)
    for call in (lambda: p.assign_number(ref, "+13125550100"), lambda: p.unassign_number("+13125550100")):
        with pytest.raises(ProviderError) as refused:
            call()
        assert refused.value.kind is ProviderErrorKind.PRECONDITION and "DCA" in refused.value.message
    with pytest.raises(ProviderError):
        p.assign_numbers(ref, ["+13125550100"])
    with pytest.raises(ProviderError) as lookup:
        p.get_assignment("+13125550100")
    assert lookup.value.kind is ProviderErrorKind.PRECONDITION

    failed = sim_tcr.provision_numbers(sim.sandbox, None, ref, ["+13125550100", "+13125550101", "+13125550666"])
    assert failed == ["+13125550666"]
    listed = p.list_assignments(ref)
    assert [(a.phone_number, a.lifecycle) for a in listed] == [
        ("+13125550100", Lifecycle.APPROVED),
        ("+13125550101", Lifecycle.APPROVED),
    ]
    assert any(c.path == f"/campaign/{ref}/osr/phones" and c.query["recordsPerPage"] == 500 for c in tcr.calls)
    assert p.find_assignment("+13125550101", [ref]).registry_campaign_id == ref

    p.deactivate_campaign(ref)
    assert p.deactivate_campaign(ref).lifecycle is Lifecycle.DEACTIVATED  # DELETE is idempotent
    assert {a.lifecycle for a in p.list_assignments(ref)} == {Lifecycle.DEACTIVATED}
    with pytest.raises(ProviderError) as expired:
        p.update_campaign(ref, {"sample1": "Harbor Dental: a sample long enough to pass. Reply STOP to opt out."})
    assert (expired.value.kind, expired.value.provider_code) == (ProviderErrorKind.PRECONDITION, "518")


def test_suspension_then_unsuspension_and_expiry(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    brand_id = scored_brand(p, sim)
    ref = p.create_campaign(brand_id, marked("suspend-after-approval"), client_ref="c-s").provider_id
    through_review(sim)
    assert p.get_campaign(ref).lifecycle is Lifecycle.APPROVED
    sim.advance(days=1)
    suspended = p.get_campaign(ref)
    assert suspended.lifecycle is Lifecycle.SUSPENDED and suspended.carriers[TMOBILE] is CarrierState.SUSPENDED
    sim.advance(days=2)
    assert p.get_campaign(ref).lifecycle is Lifecycle.APPROVED

    expiring = p.create_campaign(brand_id, marked("expire-after-approval"), client_ref="c-e").provider_id
    through_review(sim)
    sim.advance(days=30)
    record = p.get_campaign(expiring)
    assert (record.lifecycle, record.raw_status) == (Lifecycle.DEACTIVATED, "EXPIRED")
    listed = {c.provider_id: c for c in p.list_campaigns(brand_id)}
    assert listed[expiring].lifecycle is Lifecycle.DEACTIVATED
    assert listed[ref].lifecycle is None  # ACTIVE in the list says nothing about carriers: keep the previous


def test_brand_locks_and_delete(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    brand_id = scored_brand(p, sim)
    ref = p.create_campaign(brand_id, campaign(), client_ref="c").provider_id
    with pytest.raises(ProviderError) as locked:
        p.update_brand(brand_id, {"ein": "98-7654321"})
    assert (locked.value.kind, locked.value.provider_code, locked.value.fields) == (
        ProviderErrorKind.PRECONDITION,
        "537",
        ("ein",),
    )
    assert p.update_brand(brand_id, {"website": "https://harbor.example"}).lifecycle is Lifecycle.APPROVED
    with pytest.raises(ProviderError) as relationship:
        p.update_brand(brand_id, {"brandRelationship": "KEY_ACCOUNT"})
    assert relationship.value.provider_code == "528"
    with pytest.raises(ProviderError) as in_use:
        p.delete_brand(brand_id)
    assert (in_use.value.kind, in_use.value.provider_code) == (ProviderErrorKind.PRECONDITION, "542")
    p.deactivate_campaign(ref)
    p.delete_brand(brand_id)
    assert p.get_brand(brand_id).lifecycle is Lifecycle.DEACTIVATED
