"""A campaign in review past the configured business days is flagged with the lever that helps."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.sync.models import Lever
from registry.sync.schedule import business_days_between

from .conftest import TMOBILE, Flow


def in_carrier_review(flow: Flow, **payload):
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    flow.advance(minutes=2)
    flow.run()
    campaign = flow.campaign(flow.get(brand), **payload)
    flow.approve(campaign)
    flow.run()
    flow.advance(days=1, hours=1)
    flow.run()
    return campaign


def test_business_days_skip_weekends() -> None:
    friday = datetime(2026, 3, 6, 15, tzinfo=UTC)
    assert business_days_between(friday, datetime(2026, 3, 9, 9, tzinfo=UTC)) == 1  # Monday
    assert business_days_between(friday, datetime(2026, 3, 20, 9, tzinfo=UTC)) == 10
    assert business_days_between(friday, friday) == 0


def test_slow_carriers_get_a_tcr_nudge_then_a_provider_ticket(flow: Flow) -> None:
    flow.sim.set_delays(mno_review=40 * 86400)
    campaign = in_carrier_review(flow)
    state = flow.state("campaign", campaign.id)
    assert state.review_since is not None and state.stuck_at is None
    flow.advance(days=12)
    flow.poll_everything()
    state = flow.state("campaign", campaign.id)
    assert state.stuck_lever is Lever.TCR_NUDGE and state.stuck_at is not None
    assert "T-Mobile" in state.stuck_note and "nudge" in state.stuck_note
    flow.advance(days=10)
    flow.poll_everything()
    assert flow.state("campaign", campaign.id).stuck_lever is Lever.PROVIDER_TICKET


def test_a_partial_rejection_suggests_the_appeal_and_a_decision_clears_the_flag(flow: Flow) -> None:
    flow.sim.set_delays(mno_review=20 * 86400, mno_review_by_carrier={TMOBILE: 86400})
    campaign = in_carrier_review(
        flow,
        description=(
            "Acme Dental sends appointment reminders and billing notices to patients who opted in. [sim:reject:tmobile]"
        ),
    )
    flow.advance(days=11)
    flow.poll_everything()
    state = flow.state("campaign", campaign.id)
    assert state.stuck_lever is Lever.TELNYX_APPEAL
    assert flow.carriers(campaign)[TMOBILE] == "rejected"
    flow.advance(days=10)
    flow.poll_everything()
    state = flow.state("campaign", campaign.id)
    assert flow.get(campaign).status.value == "rejected"
    assert (state.stuck_lever, state.stuck_at, state.review_since) == (None, None, None)
    assert state.next_due_at is None  # terminal until the officer resubmits


def test_the_provider_view_shows_the_flag_and_the_submissions(flow: Flow) -> None:
    from registry.sync.queries import provider_view

    flow.sim.set_delays(mno_review=40 * 86400)
    campaign = in_carrier_review(flow)
    flow.advance(days=12)
    flow.poll_everything()
    flow.db.rollback()
    view = provider_view(flow.db, flow.get(campaign))
    assert view.stuck and view.stuck_lever is Lever.TCR_NUDGE and view.provider_id
    assert view.account.label == "Simulator" and view.raw_status == "MNO_PENDING"
    assert [s.status.value for s in view.submissions] == ["done"] and view.needs_attention == []
    brand_view = provider_view(flow.db, flow.get(campaign).brand)
    assert not brand_view.stuck and brand_view.last_synced_at is not None
