"""Re-filing a campaign with a second provider account from its stored revision: the brand is registered there
first, the campaign follows, the sync moves to the new account, and the first filing stays visible."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.audit import Actor
from registry.audit.chain import verify_organization
from registry.errors import UserValueError
from registry.provider_accounts.crypto import app_fernet
from registry.provider_accounts.operations import create_account
from registry.states import RegistrationStatus
from registry.submissions.models import Submission, SubmissionStatus, SubmissionStep
from registry.submissions.refile import refile_campaign

from .conftest import Flow
from .test_journey import approved_campaign, registered_brand

R = RegistrationStatus


def second_account(flow: Flow):
    with flow.app.app_context():
        account = create_account(
            flow.db,
            flow.org,
            app_fernet(flow.app),
            provider="telnyx",
            label="Second provider",
            api_key=flow.sim.add_account(),
            base_url=flow.sim.telnyx_base_url,
            webhook_public_key=flow.sim.public_key,
            rate=200.0,
            burst=50,
            is_default=False,
            actor=Actor.system("tests"),
        )
    flow.db.commit()
    return account


def test_refile_registers_brand_and_campaign_with_the_second_account_and_keeps_the_first(flow: Flow) -> None:
    campaign = approved_campaign(flow, registered_brand(flow))
    assert campaign.status is R.APPROVED
    first_ref = flow.state("campaign", campaign.id).provider_ref
    second = second_account(flow)

    made = refile_campaign(flow.db, flow.get(campaign), flow.db.merge(second), actor=Actor.of(flow.officer))
    flow.db.commit()
    assert [s.step for s in made] == [SubmissionStep.BRAND, SubmissionStep.CAMPAIGN]
    assert flow.get(campaign).status is R.QUEUED

    flow.run()  # the brand is created at the second account; the campaign waits for it to be verified
    flow.advance(minutes=2)
    flow.run()
    for _ in range(12):  # the campaign goes through the second provider's review chain
        if flow.get(campaign).status is R.APPROVED:
            break
        flow.advance(hours=12)
        flow.run()

    campaign = flow.get(campaign)
    assert campaign.status is R.APPROVED
    state = flow.state("campaign", campaign.id)
    assert state.account_id == second.id and state.provider_ref != first_ref
    assert flow.state("brand", campaign.brand_id).account_id == second.id
    filings = [s for s in flow.submissions() if s.step is SubmissionStep.CAMPAIGN]
    assert [(s.account_id, s.status) for s in filings] == [
        (flow.account.id, SubmissionStatus.DONE),
        (second.id, SubmissionStatus.DONE),
    ]
    assert filings[0].provider_id == first_ref  # the first filing's id is kept
    assert sum(1 for line in flow.sim.ledger() if line["kind"] == "brand_registration") == 1  # none added there
    notes = flow.notes(campaign)
    assert any("re-filed with Second provider" in (n or "") for n in notes)
    assert verify_organization(flow.db, flow.org.id) is None  # the audit chain is intact


def test_refile_is_refused_for_drafts_the_same_account_and_while_sending(flow: Flow) -> None:
    brand = registered_brand(flow)
    draft = flow.campaign(brand)
    with pytest.raises(UserValueError, match="only a campaign that has been filed"):
        refile_campaign(flow.db, draft, flow.account, actor=Actor.of(flow.officer))
    campaign = approved_campaign(flow, brand)
    with pytest.raises(UserValueError, match="already filed with"):
        refile_campaign(flow.db, campaign, flow.db.merge(flow.account), actor=Actor.of(flow.officer))
    second = second_account(flow)
    refile_campaign(flow.db, flow.get(campaign), flow.db.merge(second), actor=Actor.of(flow.officer))
    flow.db.commit()
    with pytest.raises(UserValueError):  # queued now: not refilable until it has been filed there
        refile_campaign(flow.db, flow.get(campaign), flow.db.merge(second), actor=Actor.of(flow.officer))
    flow.db.rollback()
    assert flow.db.scalar(sa.select(sa.func.count()).select_from(Submission)) == 4  # brand, campaign, +2 re-file


def test_refiling_with_twilio_needs_the_brands_authorized_representative(flow: Flow) -> None:
    campaign = approved_campaign(flow, registered_brand(flow))  # a company brand without person names
    sid, token = flow.sim.twilio_credentials()
    with flow.app.app_context():
        twilio = create_account(flow.db, flow.org, app_fernet(flow.app), provider="twilio", label="Twilio",
                                api_key=sid, api_secret=token, base_url=flow.sim.twilio_base_url, is_default=False,
                                actor=Actor.system("tests"))
    flow.db.commit()
    with pytest.raises(UserValueError, match=r"authorized representative \(firstName, lastName\)"):
        refile_campaign(flow.db, flow.get(campaign), flow.db.merge(twilio), actor=Actor.of(flow.officer))
    flow.db.rollback()
    assert not [s for s in flow.submissions() if s.account_id == twilio.id]  # nothing queued, nothing billed
