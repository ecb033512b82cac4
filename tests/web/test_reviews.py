"""Four-eyes review: who may decide, acknowledgements, errors block, send back, resubmission diff."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.reviews.operations import record_rejection, submit_for_review
from registry.revisions.models import Acknowledgement, Revision
from registry.states import RegistrationStatus, RevisionStatus
from tests.factories import TEST_ACTOR

CLEAN_CAMPAIGN = dict(
    usecase="ACCOUNT_NOTIFICATION",
    description="Acme Dental sends appointment reminders to patients who booked on acmedental.com.",
    messageFlow="Patients opt in when booking at https://www.acmedental.com/book by ticking an unchecked box: "
                "'Text me appointment reminders from Acme Dental. Up to 4 msgs/month. Msg & data rates may apply. "
                "Reply HELP for help, STOP to cancel. Terms: https://www.acmedental.com/terms Privacy: "
                "https://www.acmedental.com/privacy'",
    sample1="Acme Dental: your appointment is on [date] at [time]. Reply STOP to opt out.",
    optoutKeywords="STOP",
    optoutMessage="Acme Dental: you will receive no further messages. Reply START to resubscribe.",
    helpKeywords="HELP", helpMessage="Acme Dental: for help call +1 312 555 0142 or email support@acmedental.com. "
                                     "Reply STOP to cancel.",
    privacyPolicyLink="https://www.acmedental.com/privacy", termsAndConditionsLink="https://www.acmedental.com/terms",
)


@pytest.fixture
def pending(db, org, create_brand):
    """A brand sent for review by the submitter: revision awaiting a decision."""
    from registry.audit import Actor

    brand = create_brand(org, referenceId="acme")
    revision = submit_for_review(db, brand, actor=Actor.of(org.members["submitter"]))
    db.commit()
    return revision


def _review_url(revision) -> str:
    return f"/reviews/{revision.id}"


def test_the_queue_lists_waiting_revisions(as_role, pending):
    page = as_role("compliance_officer").get("/reviews").text
    assert "acme" in page and "#1" in page


def test_a_submitter_cannot_approve_even_by_posting(as_role, pending, db):
    url = _review_url(pending)
    response = as_role("submitter").post(url, {"decision": "approve"}, token_page=url)
    assert response.status_code == 403
    assert "Only a compliance officer or admin" in response.text
    db.rollback()
    assert db.get(Revision, pending.id).status == RevisionStatus.AWAITING_REVIEW


def test_a_viewer_cannot_decide(as_role, pending):
    url = _review_url(pending)
    response = as_role("viewer").post(url, {"decision": "send_back", "comment": "x" * 20}, token_page=url)
    assert response.status_code == 403


def test_the_author_cannot_approve_their_own_revision(db, org, create_brand, as_role):
    from registry.audit import Actor

    officer = org.members["compliance_officer"]
    brand = create_brand(org, referenceId="mine")
    revision = submit_for_review(db, brand, actor=Actor.of(officer))
    db.commit()
    web = as_role("compliance_officer")
    page = web.get(_review_url(revision)).text
    assert "another compliance officer must review it" in page and 'value="approve"' not in page
    response = web.post(_review_url(revision), {"decision": "approve"}, token_page=_review_url(revision))
    assert response.status_code == 403
    assert "four-eyes" in response.text


def test_an_officer_approves_and_it_is_queued_and_audited(as_role, pending, db):
    url = _review_url(pending)
    response = as_role("compliance_officer").post(url, {"decision": "approve", "comment": "Looks right."},
                                                  token_page=url)
    assert response.status_code == 302
    db.rollback()
    revision = db.get(Revision, pending.id)
    assert revision.status == RevisionStatus.APPROVED
    assert revision.reviewer.email == "compliance_officer@acme.example"
    assert db.get(Brand, revision.brand_id).status == RegistrationStatus.QUEUED
    actions = {e.action for e in db.scalars(sa.select(AuditEvent).where(AuditEvent.entity_type == "revision"))}
    assert {"create", "approve"} <= actions


def _campaign_with_warning(db, org, create_brand, create_campaign):
    """A campaign whose message flow lacks the terms/privacy links: warnings, no errors."""
    from registry.audit import Actor
    from registry.brands.operations import set_brand_status

    brand = create_brand(org, referenceId="acme")
    set_brand_status(db, brand, RegistrationStatus.APPROVED, actor=TEST_ACTOR)
    flow = CLEAN_CAMPAIGN["messageFlow"].split(" Terms:")[0] + "'"
    campaign = create_campaign(brand, **{**CLEAN_CAMPAIGN, "messageFlow": flow})
    revision = submit_for_review(db, campaign, actor=Actor.of(org.members["submitter"]))
    db.commit()
    warnings = [f for f in revision.findings if f["severity"] == "warning"]
    assert warnings, revision.findings
    return revision, warnings


def test_every_warning_needs_a_written_acknowledgement(as_role, db, org, create_brand, create_campaign):
    revision, warnings = _campaign_with_warning(db, org, create_brand, create_campaign)
    url = _review_url(revision)
    web = as_role("compliance_officer")
    page = web.get(url).text
    first = warnings[0]
    name = f"ack-{first['rule']}-{first['field'] or ''}"
    assert f'name="{name}"' in page
    response = web.post(url, {"decision": "approve", name: "ok"}, token_page=url)
    assert response.status_code == 422 and "Acknowledge the warning" in response.text
    assert '>ok</textarea>' in response.text  # what was typed comes back
    acks = {f"ack-{w['rule']}-{w['field'] or ''}": "Links are on the linked form page, checked by hand."
            for w in warnings}
    assert web.post(url, {"decision": "approve", **acks}, token_page=url).status_code == 302
    db.rollback()
    stored = db.scalars(sa.select(Acknowledgement).where(Acknowledgement.revision_id == revision.id)).all()
    assert {(a.rule, a.field) for a in stored} == {(w["rule"], w["field"] or "") for w in warnings}
    assert db.get(Campaign, revision.campaign_id).status == RegistrationStatus.QUEUED


def test_sending_back_needs_a_comment_and_reopens_the_draft(as_role, pending, db):
    url = _review_url(pending)
    web = as_role("compliance_officer")
    assert web.post(url, {"decision": "send_back", "comment": "no"}, token_page=url).status_code == 422
    response = web.post(url, {"decision": "send_back", "comment": "Use the legal name from the IRS letter."},
                        token_page=url)
    assert response.status_code == 302
    db.rollback()
    revision = db.get(Revision, pending.id)
    assert revision.status == RevisionStatus.RETURNED
    assert db.get(Brand, revision.brand_id).status == RegistrationStatus.DRAFT
    assert "Use the legal name" in as_role("submitter").get(f"/brands/{revision.brand_id}").text


def test_a_resubmission_shows_the_diff_with_the_rejection_reasons(as_role, db, org, pending):
    from registry.audit import Actor
    from registry.brands.operations import update_brand
    from registry.reviews.operations import approve

    approve(db, pending, actor=Actor.of(org.members["compliance_officer"]), acknowledgements=[])
    record_rejection(db, pending, [{"code": "TFTI04", "message": "Legal name does not match the EIN",
                                    "field": "companyName", "rule": "BRAND-LEGALNAME-MATCHES-EIN"}],
                     actor=Actor.system("provider"))
    brand = db.get(Brand, pending.brand_id)
    assert brand.status == RegistrationStatus.REJECTED
    update_brand(db, brand, {"companyName": "Acme Dental Group, L.L.C."}, actor=Actor.of(org.members["submitter"]))
    second = submit_for_review(db, brand, actor=Actor.of(org.members["submitter"]))
    db.commit()
    page = as_role("compliance_officer").get(_review_url(second)).text
    assert "Changes since revision 1 (rejected)" in page
    row = page.split("<code>companyName</code>")[1].split("</tr>")[0]
    assert "Acme Dental Group LLC" in row and "Acme Dental Group, L.L.C." in row
    assert "TFTI04" in row and "Legal name does not match the EIN" in row


def test_errors_block_approval(db, org, create_brand):
    from registry.audit import Actor
    from registry.errors import UserValueError
    from registry.reviews.operations import approve

    brand = create_brand(org, referenceId="acme")
    revision = submit_for_review(db, brand, actor=Actor.of(org.members["submitter"]))
    revision.findings = [*revision.findings, {"rule": "BRAND-EIN-FORMAT", "severity": "error", "field": "ein",
                                              "message": "x", "hint": "y"}]
    with pytest.raises(UserValueError, match="has errors"):
        approve(db, revision, actor=Actor.of(org.members["compliance_officer"]), acknowledgements=[])
