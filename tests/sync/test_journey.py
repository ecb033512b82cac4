"""The whole journey over real HTTP against the simulator: approve → outbox → brand and campaign created once →
webhooks + sync → per-carrier review → approval, or rejection by one carrier with its reasons on the revision →
fix and appeal → approval → number assignment (and a failing number)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.audit import Actor
from registry.audit.chain import verify_organization
from registry.audit.models import AuditEvent
from registry.errors import UserValueError
from registry.numbers import operations as numbers
from registry.provider_accounts.models import ProviderCall
from registry.states import AssignmentStatus, IdentityStatus, RegistrationStatus, RevisionStatus
from registry.submissions.models import SubmissionStatus, SubmissionStep
from registry.webhooks.models import WebhookEvent

from .conftest import ATT, TMOBILE, USCELLULAR, VERIZON, Flow

R = RegistrationStatus


def registered_brand(flow: Flow):
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    flow.advance(minutes=2)  # TCR scores the brand; the webhook marks it due
    flow.run()
    brand = flow.get(brand)
    assert brand.status is R.APPROVED
    return brand


def approved_campaign(flow: Flow, brand, **payload):
    campaign = flow.campaign(brand, **payload)
    flow.approve(campaign)
    flow.run()
    flow.advance(days=1, hours=1)  # TCR accepts, Telnyx reviews, the MNOs get it
    flow.run()
    flow.advance(days=3)  # every carrier decides
    flow.run()
    flow.advance(hours=3)  # provisioning
    flow.run()
    return flow.get(campaign)


def test_approval_sends_brand_then_campaign_once_and_sync_follows_them_to_approval(flow: Flow) -> None:
    brand = flow.brand()
    revision = flow.approve(brand)
    [queued] = flow.submissions()
    assert (queued.step, queued.status, queued.attempts) == (SubmissionStep.BRAND, SubmissionStatus.PENDING, 0)
    assert len(queued.client_ref) <= 50
    assert flow.creates("brand_registration") == 0  # nothing leaves before the worker runs

    stats = flow.run()
    assert stats.submissions == 1
    [sent] = flow.submissions()
    assert sent.status is SubmissionStatus.DONE and sent.provider_id and sent.attempts == 1
    brand = flow.get(brand)
    assert brand.status is R.PENDING  # REGISTRATION_PENDING: TCR is scoring it
    assert flow.get(revision).status is RevisionStatus.SUBMITTED
    assert flow.timeline(brand)[-3:] == [
        ("awaiting_review", "queued"),
        ("queued", "submitted"),
        ("submitted", "pending"),
    ]

    flow.advance(minutes=2)
    events = flow.db.scalars(sa.select(WebhookEvent)).all()
    assert events and all(e.result.value == "queued" for e in events)  # the webhook only marked it due
    assert flow.get(brand).status is R.PENDING  # ...nothing applied from the body
    flow.run()
    brand = flow.get(brand)
    assert (brand.status, brand.identity_status) == (R.APPROVED, IdentityStatus.VERIFIED)
    assert brand.tcr_brand_id and brand.tcr_brand_id.startswith("B")
    assert flow.timeline(brand)[-1] == ("pending", "approved")
    assert all(e.processed_at is not None for e in flow.db.scalars(sa.select(WebhookEvent)))

    campaign = approved_campaign(flow, brand)
    assert campaign.status is R.APPROVED
    assert campaign.tcr_campaign_id and campaign.tcr_campaign_id.startswith("C")
    assert flow.carriers(campaign) == {m: "registered" for m in (ATT, TMOBILE, VERIZON, USCELLULAR)}
    assert {c for c, _, _ in flow.timeline(campaign, carriers=True)} == {ATT, TMOBILE, VERIZON, USCELLULAR}
    assert ("in_review", "pending") in flow.timeline(campaign) and flow.timeline(campaign)[-1] == (
        "pending",
        "approved",
    )
    assert (flow.creates("brand_registration"), flow.creates("campaign_upfront")) == (1, 1)
    # the end of the billing term as the provider reports it, kept with an audit event
    assert campaign.term_ends_on is not None and campaign.term_ends_on > flow.sim.now.date()
    term_events = flow.db.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "campaign",
                                                              AuditEvent.summary.like("%term ends%"))).all()
    assert [e.changes["term_ends_on"] for e in term_events] == [[None, campaign.term_ends_on.isoformat()]]
    assert verify_organization(flow.db, flow.org.id) is None

    calls = flow.db.scalars(sa.select(ProviderCall).order_by(ProviderCall.id)).all()
    assert calls[0].method == "POST" and calls[0].path == "/10dlc/brand"
    assert calls[0].request_body["ein"] == "[REDACTED]"  # no tax id in the call log
    assert {"submission", "sync"} <= {c.context.split(":")[0] for c in calls} <= {"submission", "sync", "sweep"}
    approved = flow.state("campaign", campaign.id)
    assert approved.priority == 3 and approved.next_due_at is not None  # approved: looked at rarely


def test_one_carrier_rejects_reasons_land_on_the_revision_and_the_fix_is_appealed(flow: Flow) -> None:
    brand = registered_brand(flow)
    campaign = flow.campaign(
        brand,
        description=(
            "Acme Dental sends appointment reminders and billing notices to patients who opted in. [sim:reject:tmobile]"
        ),
    )
    first = flow.approve(campaign)
    flow.run()
    flow.advance(days=1, hours=1)
    flow.run()
    flow.advance(days=3)
    flow.run()
    campaign = flow.get(campaign)
    assert campaign.status is R.REJECTED
    assert flow.carriers(campaign) == {
        ATT: "registered",
        TMOBILE: "rejected",
        VERIZON: "registered",
        USCELLULAR: "registered",
    }
    first = flow.get(first)
    assert first.status is RevisionStatus.REJECTED
    [reason] = first.rejection_reasons
    assert reason["source"] == "T-Mobile" and "opt-out language" in reason["message"]
    assert reason["rule"] == "CAMPAIGN-SAMPLE-OPTOUT-LANGUAGE" and reason["field"] == "sample1"
    assert (TMOBILE, "review", "rejected") in flow.timeline(campaign, carriers=True)

    from registry.campaigns.operations import update_campaign

    update_campaign(
        flow.db,
        campaign,
        {"sample2": "Acme Dental: your statement is ready. Reply STOP to opt out of these messages."},
        actor=Actor.of(flow.author),
    )
    flow.db.commit()
    second = flow.approve(flow.get(campaign))
    flow.run()  # existing campaign, rejected: update + appeal, never a second create
    campaign = flow.get(campaign)
    assert campaign.status is R.IN_REVIEW
    assert flow.creates("campaign_upfront") == 1
    appeal = flow.db.scalar(sa.select(ProviderCall).where(ProviderCall.path.like("%/appeal")))
    assert appeal is not None and appeal.status == 200
    flow.advance(days=1, hours=1)
    flow.run()
    flow.advance(days=3)
    flow.run()
    flow.advance(hours=3)
    flow.run()
    campaign = flow.get(campaign)
    assert campaign.status is R.APPROVED
    assert flow.carriers(campaign)[TMOBILE] == "registered"
    assert flow.get(second).status is RevisionStatus.SUBMITTED


def test_numbers_are_assigned_through_the_outbox_and_a_failure_is_recorded(flow: Flow) -> None:
    campaign = approved_campaign(flow, registered_brand(flow))
    actor = Actor.of(flow.officer)
    good = numbers.add_number(flow.db, flow.org, "+13125550143", actor=actor)
    bad = numbers.add_number(flow.db, flow.org, "+13125550666", actor=actor)  # the simulator fails *666
    for number in (good, bad):
        numbers.assign_number(flow.db, number, campaign, actor=actor)
    flow.db.commit()

    # assigning queued each number for the provider in the same transaction; the pass only sends them
    assert [s.status for s in flow.submissions() if s.step is SubmissionStep.NUMBERS] == [SubmissionStatus.PENDING] * 2
    stats = flow.run()
    assert stats.numbers_queued == 0
    assert [s.status for s in flow.submissions() if s.step is SubmissionStep.NUMBERS] == [SubmissionStatus.DONE] * 2
    assert flow.get(good).assignment_status is AssignmentStatus.PENDING
    flow.advance(minutes=31)
    flow.run()
    good, bad = flow.get(good), flow.get(bad)
    assert good.assignment_status is AssignmentStatus.ASSIGNED and good.assigned_at is not None
    assert bad.assignment_status is AssignmentStatus.FAILED
    assert "not enabled for messaging" in flow.notes(bad)[-1]
    assert flow.run().numbers_queued == 0  # nothing is sent twice

    # the officer retries it: sent again through the outbox, followed again (the simulator fails it again)
    numbers.retry_assignment(flow.db, bad, actor=actor)
    flow.db.commit()
    flow.run()
    flow.advance(minutes=31)
    flow.run()
    bad = flow.get(bad)
    assert bad.assignment_status is AssignmentStatus.FAILED
    assert sum("not enabled for messaging" in note for note in flow.notes(bad)) == 2
    sent = [s for s in flow.submissions() if s.step is SubmissionStep.NUMBERS and s.phone_number_id == bad.id]
    assert [s.status for s in sent] == [SubmissionStatus.DONE] * 2


def assigned(flow: Flow, number, campaign, actor: Actor):
    """Assign ``number`` to ``campaign`` and let the worker and the sync follow it (the provider takes ~30 min)."""
    numbers.assign_number(flow.db, number, campaign, actor=actor)
    flow.db.commit()
    flow.run()
    flow.advance(minutes=31)
    flow.run()
    return flow.get(number)


def test_a_number_is_released_through_the_provider_and_can_be_assigned_again(flow: Flow) -> None:
    campaign = approved_campaign(flow, registered_brand(flow))
    actor = Actor.of(flow.officer)
    number = numbers.add_number(flow.db, flow.org, "+13125550177", actor=actor)
    assert assigned(flow, number, campaign, actor).assignment_status is AssignmentStatus.ASSIGNED

    numbers.release_number(flow.db, flow.get(number), actor=actor)
    flow.db.commit()
    number = flow.get(number)
    assert number.assignment_status is AssignmentStatus.PENDING_UNASSIGNMENT and number.campaign_id == campaign.id
    [release] = [s for s in flow.submissions() if s.step is SubmissionStep.UNASSIGN]
    assert release.account_id == flow.account.id and release.status is SubmissionStatus.PENDING
    with pytest.raises(UserValueError, match="already being released"):
        numbers.release_number(flow.db, number, actor=actor)
    flow.db.rollback()

    flow.run()  # DELETE sent: Telnyx answers PENDING_UNASSIGNMENT
    assert flow.get(release).status is SubmissionStatus.DONE
    assert flow.get(number).assignment_status is AssignmentStatus.PENDING_UNASSIGNMENT
    flow.advance(minutes=31)  # the provider removes it and says so
    flow.settle()
    number = flow.get(number)
    assert (number.assignment_status, number.campaign_id) == (AssignmentStatus.UNASSIGNED, None)
    assert "released from" in flow.notes(number)[-1]
    assert flow.run().numbers_queued == 0

    # free again: assigned anew through the outbox, and followed to ASSIGNED
    assert assigned(flow, number, campaign, actor).assignment_status is AssignmentStatus.ASSIGNED
    assert verify_organization(flow.db, flow.org.id) is None


def test_releasing_a_number_the_provider_never_got_is_immediate(flow: Flow) -> None:
    campaign = approved_campaign(flow, registered_brand(flow))
    actor = Actor.of(flow.officer)
    number = numbers.add_number(flow.db, flow.org, "+13125550178", actor=actor)
    numbers.assign_number(flow.db, number, campaign, actor=actor)
    numbers.release_number(flow.db, number, actor=actor)  # before the worker sent it
    flow.db.commit()
    assert (flow.get(number).assignment_status, flow.get(number).campaign_id) == (AssignmentStatus.UNASSIGNED, None)
    flow.run()
    [sent] = [s for s in flow.submissions() if s.phone_number_id == number.id]
    assert sent.status is SubmissionStatus.CANCELLED  # nothing went to the provider
    assert not [s for s in flow.submissions() if s.step is SubmissionStep.UNASSIGN]
