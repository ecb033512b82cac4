"""Provider misbehaviour: timeouts after the provider committed, 429 storms, 5xx, malformed bodies. Nothing is
created twice, nothing is lost, every attempt is on record."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from registry.provider_accounts.models import ProviderCall
from registry.states import RegistrationStatus
from registry.submissions.models import SubmissionStatus

from .conftest import Flow

R = RegistrationStatus
BRAND_POST = "/v2/10dlc/brand"


def test_a_brand_create_that_timed_out_after_the_provider_committed_is_found_not_repeated(flow: Flow) -> None:
    flow.sim.inject_fault("timeout", method="POST", path=BRAND_POST, delay=2.5)  # past our 1.5 s read timeout
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.DONE and sub.provider_id
    assert flow.creates("brand_registration") == 1
    assert flow.get(brand).status is R.PENDING
    posts = flow.db.scalars(sa.select(ProviderCall).where(ProviderCall.method == "POST")).all()
    assert len(posts) == 1 and posts[0].status is None and "Timeout" in posts[0].error  # the failed try is kept


def test_reconciliation_survives_a_failed_lookup_and_finishes_on_a_later_attempt(flow: Flow) -> None:
    flow.sim.inject_fault("drop", method="POST", path=BRAND_POST)  # the brand is created, the answer lost
    flow.sim.inject_fault("status", method="GET", path=BRAND_POST, status=503, count=-1)  # and lookups fail
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.PENDING and sub.maybe_committed and sub.attempts == 1
    assert flow.get(brand).status is R.QUEUED
    flow.sim.clear_faults()
    flow.clock.advance(hours=1)
    flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.DONE and not sub.maybe_committed and sub.attempts == 2
    assert flow.creates("brand_registration") == 1  # found by its client_ref, never created again


def test_a_campaign_create_timeout_is_answered_by_the_reference_id(flow: Flow) -> None:
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    flow.advance(minutes=2)
    flow.run()
    flow.sim.inject_fault("timeout", method="POST", path="/v2/10dlc/campaignBuilder", delay=2.5)
    campaign = flow.campaign(flow.get(brand))
    flow.approve(campaign)
    flow.run()
    assert flow.submissions()[-1].status is SubmissionStatus.DONE
    assert flow.creates("campaign_upfront") == 1
    assert flow.get(campaign).status is R.PENDING


def test_a_429_storm_is_waited_out_with_retry_after_and_creates_once(flow: Flow) -> None:
    flow.sim.inject_fault("status", method="POST", path=BRAND_POST, status=429, retry_after=30, count=-1)
    brand = flow.brand()
    flow.approve(brand)
    before = flow.clock()
    for _ in range(3):
        flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.PENDING and sub.attempts == 1  # not retried before Retry-After
    assert sub.next_attempt_at >= before + timedelta(seconds=30)
    assert "rate_limited" in sub.last_error and not sub.maybe_committed  # a 429 is refused before processing
    flow.clock.advance(seconds=31)
    flow.run()
    assert flow.submissions()[0].attempts == 2  # tried again once due, still refused
    flow.sim.clear_faults()
    flow.clock.advance(minutes=10)
    flow.run()
    assert flow.submissions()[0].status is SubmissionStatus.DONE
    assert flow.creates("brand_registration") == 1
    refused = flow.db.scalar(sa.select(sa.func.count()).select_from(ProviderCall).where(ProviderCall.status == 429))
    assert (
        refused >= 2
        and flow.db.scalar(sa.select(ProviderCall.retry_after).where(ProviderCall.status == 429).limit(1)) == 30
    )


def test_5xx_and_malformed_answers_are_retried_or_reconciled(flow: Flow) -> None:
    flow.sim.inject_fault("status", method="POST", path=BRAND_POST, status=503, count=1)
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.PENDING and sub.maybe_committed  # a 5xx on a create: maybe done
    flow.sim.inject_fault("malformed", method="POST", path=BRAND_POST, after_commit=True)
    flow.clock.advance(hours=1)
    flow.run()  # looks up first (nothing: the 503 was before processing), creates, gets garbage, finds it
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.DONE
    assert flow.creates("brand_registration") == 1
    flow.sim.inject_fault("status", method="GET", path="/v2/10dlc/brand/*", status=502, count=2)
    flow.sim.inject_fault("malformed", method="GET", path="/v2/10dlc/brand/*", count=1)
    flow.advance(minutes=2)
    stats = flow.run()  # 502, 502 and a malformed body on the re-fetch: the GET is retried inline, then fails
    assert stats.errors == 1
    state = flow.state("brand", brand.id)
    assert state.attempts == 1 and ("did not" in state.last_error or "malformed" in state.last_error)
    flow.clock.advance(hours=1)
    flow.run()
    assert flow.get(brand).status is R.APPROVED
    assert flow.state("brand", brand.id).attempts == 0
