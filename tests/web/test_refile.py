"""The campaign page lists every filing with a provider and lets a compliance officer re-file the reviewed
revision with another account of the organization."""

from __future__ import annotations

import sqlalchemy as sa

from registry.audit import Actor
from registry.lifecycle.operations import change_status
from registry.provider_accounts.crypto import app_fernet
from registry.provider_accounts.operations import create_account
from registry.reviews.operations import Acknowledged, approve, submit_for_review, warnings_to_acknowledge
from registry.states import RegistrationStatus
from registry.submissions.models import Submission, SubmissionStatus, SubmissionStep
from registry.sync.models import SyncState
from tests.sync.conftest import CAMPAIGN


def filed_campaign(app, db, org, create_brand, create_campaign):
    """A campaign approved by review and registered with the organization's first account (no provider call)."""
    with app.app_context():
        first = create_account(db, org, app_fernet(app), provider="telnyx", label="Telnyx main", api_key="KEY1",
                               actor=Actor.system("tests"))
        second = create_account(db, org, app_fernet(app), provider="tcr", label="TCR direct", api_key="tcr-key",
                                api_secret="tcr-secret", settings={"upstream_cnp_id": "SZ1234"}, is_default=False,
                                actor=Actor.system("tests"))
    brand = create_brand(org)
    campaign = create_campaign(brand, **CAMPAIGN)
    author, officer = org.members["submitter"], org.members["compliance_officer"]
    for obj in (brand, campaign):
        revision = submit_for_review(db, obj, actor=Actor.of(author))
        acks = [Acknowledged(w["rule"], w["field"] or "", "Accepted for the test.") for w in
                warnings_to_acknowledge(revision)]
        approve(db, revision, actor=Actor.of(officer), acknowledgements=acks)
    for sub in db.scalars(sa.select(Submission)):
        sub.status, sub.provider_id = SubmissionStatus.DONE, f"ref-{sub.step.value}"
        db.add(SyncState(organization_id=org.id, account_id=first.id, subject=sub.step.value,
                         subject_id=sub.brand_id if sub.step is SubmissionStep.BRAND else sub.campaign_id,
                         provider_ref=sub.provider_id, priority=1, attempts=0, trigger="submission"))
    for obj in (brand, campaign):
        change_status(db, obj, RegistrationStatus.APPROVED, actor=Actor.system("tests"), source="provider")
    db.commit()
    return campaign, first, second


def test_an_officer_refiles_a_campaign_with_another_account(app, db, org, as_role, create_brand, create_campaign):
    campaign, first, second = filed_campaign(app, db, org, create_brand, create_campaign)
    officer = as_role("compliance_officer")
    page = officer.get(f"/campaigns/{campaign.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Filings with providers" in html
    assert "Telnyx main (telnyx)" in html
    assert f'<option value="{second.id}">TCR direct (tcr)</option>' in html
    assert f'<option value="{first.id}">' not in html  # not the account it is filed with

    form = {"account": str(second.id), "version": str(campaign.version)}
    done = officer.post(f"/campaigns/{campaign.id}/refile", form, token_page=f"/campaigns/{campaign.id}")
    assert done.status_code == 302
    db.rollback()
    assert db.get(type(campaign), campaign.id).status is RegistrationStatus.QUEUED
    queued = db.scalars(sa.select(Submission).where(Submission.account_id == second.id)).all()
    assert sorted(s.step.value for s in queued) == ["brand", "campaign"]
    html = officer.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "TCR direct (tcr)" in html and "re-filed with TCR direct" in html


def test_refile_needs_the_review_permission_and_a_current_version(app, db, org, as_role, create_brand,
                                                                  create_campaign):
    campaign, _, second = filed_campaign(app, db, org, create_brand, create_campaign)
    submitter = as_role("submitter")
    assert "Re-file" not in submitter.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    refused = submitter.post(f"/campaigns/{campaign.id}/refile", {"account": str(second.id),
                                                                  "version": str(campaign.version)},
                             token_page=f"/campaigns/{campaign.id}")
    assert refused.status_code == 403
    officer = as_role("compliance_officer")
    stale = officer.post(f"/campaigns/{campaign.id}/refile", {"account": str(second.id), "version": "1"},
                         token_page=f"/campaigns/{campaign.id}", follow_redirects=True)
    assert "changed while you were looking at it" in stale.get_data(as_text=True)
    bogus = officer.post(f"/campaigns/{campaign.id}/refile", {"account": "999999", "version": str(campaign.version)},
                         token_page=f"/campaigns/{campaign.id}", follow_redirects=True)
    assert "Choose one of the organization" in bogus.get_data(as_text=True)
    db.rollback()
    assert db.get(type(campaign), campaign.id).status is RegistrationStatus.APPROVED
