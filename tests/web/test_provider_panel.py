"""The Provider section of brand and campaign pages: the account it is filed with, the provider's raw status,
sync times, the stuck warning with its lever, and submissions that need attention with a Retry button."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from markupsafe import escape

from registry.audit import Actor
from registry.audit.models import AuditEvent
from registry.db import utcnow
from registry.provider_accounts.crypto import app_fernet
from registry.provider_accounts.operations import create_account
from registry.submissions.models import Submission, SubmissionStatus, SubmissionStep
from registry.sync.models import Lever, SyncState

TESTS = Actor.system("tests")


def account_of(app, db, org, label: str = "Telnyx main"):
    with app.app_context():
        account = create_account(db, org, app_fernet(app), provider="telnyx", label=label, api_key="KEY-abc",
                                 actor=TESTS)
    db.commit()
    return account


def submission(db, org, account, *, step: SubmissionStep, status: SubmissionStatus, n: int = 1, **subject):
    row = Submission(organization_id=org.id, account_id=account.id if account else None, step=step, status=status,
                     client_ref=f"{step.value[0]}{n}-{next(_refs)}", attempts=8,
                     last_error="The provider refused the credentials (401): check the account's API key.",
                     **subject)
    db.add(row)
    db.commit()
    return row


_refs = iter(range(1, 10**6))


def stuck_campaign(app, db, org, create_brand, create_campaign):
    """A campaign filed with Telnyx, stuck in review, and one step of it that needs attention."""
    account = account_of(app, db, org)
    brand = create_brand(org)
    campaign = create_campaign(brand)
    now = utcnow()
    db.add(SyncState(organization_id=org.id, account_id=account.id, subject="campaign", subject_id=campaign.id,
                     provider_ref="4b20-campaign-uuid", priority=2, attempts=0, trigger="schedule",
                     raw_status="TCR_PENDING", last_synced_at=now - timedelta(hours=1),
                     next_due_at=now + timedelta(hours=5), review_since=now - timedelta(days=9),
                     stuck_at=now - timedelta(days=2), stuck_lever=Lever.TCR_NUDGE,
                     stuck_note="In carrier review for 7 business days (usually 2–3)."))
    campaign.tcr_campaign_id = "CX4ZJ2P"
    db.commit()
    done = submission(db, org, account, step=SubmissionStep.CAMPAIGN, status=SubmissionStatus.DONE,
                      campaign_id=campaign.id)
    stuck = submission(db, org, account, step=SubmissionStep.CAMPAIGN, status=SubmissionStatus.NEEDS_ATTENTION,
                       campaign_id=campaign.id, n=2)
    return campaign, account, done, stuck


def test_the_campaign_page_shows_the_provider_side(app, db, org, as_role, create_brand, create_campaign):
    campaign, account, done, stuck = stuck_campaign(app, db, org, create_brand, create_campaign)
    html = as_role("viewer").get(f"/campaigns/{campaign.id}").text
    section = html[html.index('<h2 id="provider-h">'):html.index("</section>", html.index('id="provider-h"'))]
    assert f'<a href="/providers/{account.id}">Telnyx main</a> (Telnyx)' in section
    for text in ("<code>TCR_PENDING</code>", "<code>4b20-campaign-uuid</code>", "<code>CX4ZJ2P</code>",
                 "Stuck in review", "In carrier review for 7 business days", str(escape(Lever.TCR_NUDGE.label)),
                 "Last synced", "Next check", "Needs attention", stuck.client_ref, "refused the credentials"):
        assert text in section, text
    assert done.client_ref not in section  # only the steps that need attention are listed
    assert "Retry" not in section  # a viewer cannot retry


def test_an_officer_retries_a_submission_that_needs_attention(app, db, org, as_role, create_brand,
                                                              create_campaign):
    campaign, _, _, stuck = stuck_campaign(app, db, org, create_brand, create_campaign)
    officer = as_role("compliance_officer")
    page = f"/campaigns/{campaign.id}"
    assert f'action="/providers/submissions/{stuck.id}/retry"' in officer.get(page).text
    done = officer.post(f"/providers/submissions/{stuck.id}/retry", token_page=page)
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/campaigns/{campaign.id}#provider-h")
    db.rollback()
    row = db.get(Submission, stuck.id)
    assert (row.status, row.attempts) == (SubmissionStatus.PENDING, 0)
    assert db.scalar(sa.select(AuditEvent).where(AuditEvent.action == "retry", AuditEvent.entity_id == str(stuck.id)))
    html = officer.get(page).text
    assert "is queued to be sent again" in html and f'/providers/submissions/{stuck.id}/retry' not in html
    again = officer.post(f"/providers/submissions/{stuck.id}/retry", token_page=page, follow_redirects=True)
    assert again.status_code == 200 and "only submissions that need attention can be retried" in again.text


def test_a_submitter_cannot_retry(app, db, org, as_role, create_brand, create_campaign):
    campaign, _, _, stuck = stuck_campaign(app, db, org, create_brand, create_campaign)
    submitter = as_role("submitter")
    page = f"/campaigns/{campaign.id}"
    assert "/retry" not in submitter.get(page).text
    refused = submitter.post(f"/providers/submissions/{stuck.id}/retry", token_page=page)
    assert refused.status_code == 403
    db.rollback()
    assert db.get(Submission, stuck.id).status is SubmissionStatus.NEEDS_ATTENTION


def test_another_organizations_submission_is_a_404(app, db, org, as_role, create_org, create_user, create_brand,
                                                   create_campaign):
    other = create_org("Other Org")
    create_user(other, "compliance_officer", email="officer@other.example")
    campaign, _, _, stuck = stuck_campaign(app, db, other, create_brand, create_campaign)
    officer = as_role("compliance_officer")
    assert officer.post(f"/providers/submissions/{stuck.id}/retry", token_page="/").status_code == 404
    assert officer.post("/providers/submissions/99999999/retry", token_page="/").status_code == 404
    assert officer.get(f"/campaigns/{campaign.id}").status_code == 404
    db.rollback()
    assert db.get(Submission, stuck.id).status is SubmissionStatus.NEEDS_ATTENTION


def test_the_brand_page_shows_a_step_without_an_account(app, db, org, as_role, create_brand):
    brand = create_brand(org)
    stuck = submission(db, org, None, step=SubmissionStep.BRAND, status=SubmissionStatus.NEEDS_ATTENTION,
                       brand_id=brand.id)
    officer = as_role("compliance_officer")
    html = officer.get(f"/brands/{brand.id}").text
    assert 'id="provider-h"' in html and "not registered with a provider yet" in html
    assert "none yet (the default is used)" in html and f"/providers/submissions/{stuck.id}/retry" in html
    # no account at all: the retry is refused with what to do, and nothing changes
    answer = officer.post(f"/providers/submissions/{stuck.id}/retry", token_page=f"/brands/{brand.id}",
                          follow_redirects=True)
    assert answer.status_code == 200 and "Add a provider account for the organization first." in answer.text
    db.rollback()
    assert db.get(Submission, stuck.id).status is SubmissionStatus.NEEDS_ATTENTION
    # once an account exists, the retry files it with the default
    account = account_of(app, db, org)
    done = officer.post(f"/providers/submissions/{stuck.id}/retry", token_page=f"/brands/{brand.id}")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/brands/{brand.id}#provider-h")
    db.rollback()
    assert db.get(Submission, stuck.id).account_id == account.id


def test_a_registration_never_sent_says_so(db, org, as_role, create_brand):
    brand = create_brand(org)
    html = as_role("viewer").get(f"/brands/{brand.id}").text
    assert "Not sent to a provider yet" in html and 'href="/providers"' in html


def test_the_panel_keeps_the_page_to_a_bounded_number_of_queries(app, db, org, as_role, create_brand,
                                                                  create_campaign, engine):
    campaign, _, _, _ = stuck_campaign(app, db, org, create_brand, create_campaign)
    web = as_role("compliance_officer")
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            assert web.get(f"/campaigns/{campaign.id}").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    small = queries()
    for n in range(3, 15):  # more steps, on several accounts
        other = account_of(app, db, org, label=f"Account {n}")
        submission(db, org, other, step=SubmissionStep.CAMPAIGN, status=SubmissionStatus.NEEDS_ATTENTION,
                   campaign_id=campaign.id, n=n)
    assert queries() == small
