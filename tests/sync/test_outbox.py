"""The outbox: rows written with the approval, sent once, resumed where they stopped, failures kept visible."""

from __future__ import annotations

import sqlalchemy as sa

from registry.audit import Actor
from registry.lifecycle.operations import change_status
from registry.provider_accounts.crypto import app_fernet
from registry.provider_accounts.models import ProviderAccount, ProviderCall
from registry.provider_accounts.operations import replace_credentials
from registry.reviews.operations import approve
from registry.revisions.operations import freeze
from registry.states import IdentityStatus, RegistrationStatus, RevisionStatus
from registry.submissions.models import SubmissionStatus, SubmissionStep
from registry.submissions.operations import retry_submission

from .conftest import Flow

R = RegistrationStatus


def test_a_campaign_waits_for_its_brand_and_resumes_when_the_brand_is_verified(flow: Flow) -> None:
    brand = flow.brand()
    flow.approve(brand)
    campaign = flow.campaign(brand)
    flow.db.rollback()
    # the officer approves the campaign before the worker ever ran: both rows exist, brand first
    flow.approve(flow.get(campaign))
    steps = [(s.step, s.status) for s in flow.submissions()]
    assert steps == [
        (SubmissionStep.BRAND, SubmissionStatus.PENDING),
        (SubmissionStep.CAMPAIGN, SubmissionStatus.PENDING),
    ]
    flow.run()
    brand_sub, campaign_sub = flow.submissions()
    assert brand_sub.status is SubmissionStatus.DONE
    assert campaign_sub.status is SubmissionStatus.PENDING and campaign_sub.attempts == 0
    assert "waiting for the brand" in campaign_sub.last_error
    assert flow.creates("campaign_upfront") == 0
    flow.advance(minutes=2)
    flow.run()  # the brand is verified: the waiting campaign step is poked and sent in the same pass
    flow.run()
    assert flow.submissions()[1].status is SubmissionStatus.DONE
    assert flow.get(campaign).status is R.PENDING
    assert (flow.creates("brand_registration"), flow.creates("campaign_upfront")) == (1, 1)


def test_a_campaign_of_an_already_registered_brand_skips_the_brand_step(flow: Flow) -> None:
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    flow.advance(minutes=2)
    flow.run()
    flow.approve(flow.campaign(flow.get(brand)))
    assert [s.step for s in flow.submissions()] == [SubmissionStep.BRAND, SubmissionStep.CAMPAIGN]
    flow.run()
    assert flow.creates("brand_registration") == 1 and flow.creates("campaign_upfront") == 1


def test_a_refused_payload_fails_the_step_with_the_field_messages_on_the_revision(flow: Flow) -> None:
    """Our checks passed (or were bypassed), the provider disagrees: the officer sees its words per field."""
    brand = flow.brand(ein="12-345")  # too short: the simulator refuses it with a pointer to ein
    actor = Actor.of(flow.author)
    revision = freeze(flow.db, brand, actor=actor)  # bypassing the linter, as a rule drift would
    change_status(flow.db, brand, R.AWAITING_REVIEW, actor=actor)
    approve(flow.db, revision, actor=Actor.of(flow.officer), acknowledgements=[])
    flow.db.commit()
    flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.FAILED and "EIN must be 9 digits" in sub.last_error
    assert flow.get(brand).status is R.FAILED
    revision = flow.get(revision)
    assert revision.status is RevisionStatus.REJECTED
    [reason] = revision.rejection_reasons
    assert (reason["field"], reason["rule"], reason["code"]) == ("ein", "BRAND-EIN-FORMAT", "10015")
    assert reason["source"] == "Sandbox provider"
    assert flow.creates("brand_registration") == 0


def test_registration_failure_and_unverified_identity_carry_the_registry_reasons(flow: Flow) -> None:
    failed = flow.brand(displayName="Acme Dental [sim:registration-failed]")
    unverified = flow.brand(displayName="Acme Dental [sim:unverified]", referenceId="unverified-1")
    first, second = flow.approve(failed), flow.approve(unverified)
    flow.run()
    flow.advance(minutes=2)
    flow.run()
    assert flow.get(failed).status is R.FAILED
    [reason] = flow.get(first).rejection_reasons
    assert reason["source"] == "TCR" and reason["rule"] == "BRAND-LEGALNAME-MATCHES-EIN"
    unverified = flow.get(unverified)
    assert (unverified.status, unverified.identity_status) == (R.ACTION_REQUIRED, IdentityStatus.UNVERIFIED)
    [reason] = flow.get(second).rejection_reasons
    assert reason["code"] == "TAX_ID" and reason["field"] == "ein"
    # a campaign approved meanwhile waits for the identity instead of spending attempts on 527 refusals
    from registry.brands.operations import update_brand

    update_brand(flow.db, unverified, {"displayName": "Acme Dental"}, actor=Actor.of(flow.author))  # local edit
    flow.db.commit()
    campaign = flow.campaign(unverified, referenceId="waiting-campaign")
    flow.db.rollback()
    flow.approve(flow.get(campaign))
    flow.run()
    waiting = flow.submissions()[-1]
    assert waiting.status is SubmissionStatus.PENDING and waiting.attempts == 0
    assert "verified (it is action required)" in waiting.last_error


def test_without_an_account_a_submission_needs_attention_then_retries(flow: Flow) -> None:
    flow.db.execute(sa.update(ProviderAccount).values(is_default=False))
    flow.db.commit()
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.NEEDS_ATTENTION and "No active provider account" in sub.last_error
    assert flow.get(brand).status is R.QUEUED  # the registration stays queued: nothing was lost
    flow.db.execute(sa.update(ProviderAccount).values(is_default=True))
    flow.db.commit()
    retry_submission(flow.db, flow.submissions()[0], actor=Actor.of(flow.officer))
    flow.db.commit()
    flow.run()
    assert flow.submissions()[0].status is SubmissionStatus.DONE


def test_bad_credentials_need_attention_and_new_ones_resume_the_chain(flow: Flow) -> None:
    with flow.app.app_context():
        replace_credentials(
            flow.db, flow.account, app_fernet(flow.app), api_key="KEYWRONG", actor=Actor.system("tests")
        )
    flow.db.commit()
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.NEEDS_ATTENTION and sub.last_error.startswith("auth:")
    assert flow.db.scalar(sa.select(ProviderCall.status).order_by(ProviderCall.id.desc()).limit(1)) == 401
    with flow.app.app_context():
        replace_credentials(
            flow.db, flow.get(flow.account), app_fernet(flow.app), api_key=flow.sim.api_key, actor=Actor.system("tests")
        )
    flow.db.commit()
    retry_submission(flow.db, flow.submissions()[0], actor=Actor.of(flow.officer))
    flow.db.commit()
    flow.run()
    assert flow.submissions()[0].status is SubmissionStatus.DONE
    assert flow.creates("brand_registration") == 1


def test_a_registration_no_longer_queued_is_not_sent(flow: Flow) -> None:
    brand = flow.brand()
    flow.approve(brand)
    change_status(flow.db, flow.get(brand), R.DRAFT, actor=Actor.system("tests"))
    flow.db.commit()
    flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.CANCELLED and "nothing was sent" in sub.last_error
    assert flow.creates("brand_registration") == 0


def test_a_preset_approved_brand_is_registered_with_the_sandbox_before_its_campaign(flow: Flow) -> None:
    """Demo data presets outcomes without a provider; on the sandbox the campaign's brand is registered first."""
    brand = flow.brand()
    flow.approve(brand)
    change_status(flow.db, flow.get(brand), R.APPROVED, actor=Actor.system("tests"), source="demo")
    flow.db.commit()
    flow.run()  # the brand's own step runs first: approved, not queued, but registered nowhere: adopted
    campaign = flow.campaign(flow.get(brand))
    flow.approve(campaign)
    flow.run()
    flow.advance(minutes=2)
    flow.run()
    flow.run()
    assert flow.get(campaign).status is R.PENDING
    assert (flow.creates("brand_registration"), flow.creates("campaign_upfront")) == (1, 1)


def test_a_campaign_whose_approved_brand_is_unknown_to_a_real_provider_needs_attention(flow: Flow) -> None:
    flow.db.execute(sa.update(ProviderAccount).values(provider="telnyx"))
    flow.db.commit()
    brand = flow.brand()
    flow.approve(brand)
    change_status(flow.db, flow.get(brand), R.APPROVED, actor=Actor.system("tests"), source="import")
    flow.db.commit()
    flow.run()
    flow.approve(flow.campaign(flow.get(brand)))
    flow.run()
    brand_step, campaign_step = flow.submissions()
    assert brand_step.status is SubmissionStatus.CANCELLED  # never a second billable brand at a real provider
    assert campaign_step.status is SubmissionStatus.NEEDS_ATTENTION
    assert "not registered with Simulator" in campaign_step.last_error
    assert flow.creates("brand_registration") == 0
