"""`registry demo load`: the data `make run` shows a new user, loaded idempotently."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from registry.audit.chain import verify_organization
from registry.audit.models import AuditEvent
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.cli import cli
from registry.numbers.models import PhoneNumber
from registry.revisions.models import Revision
from registry.states import AssignmentStatus, RegistrationStatus, RevisionStatus

DEMO_USERS = ("admin@demo.example", "officer@demo.example", "submitter@demo.example", "viewer@demo.example")


def test_demo_load_is_idempotent_and_complete(db_url, db):
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "load"], env={"DATABASE_URL": db_url})
    assert first.exit_code == 0, first.output
    assert "4 users, 2 brands, 3 campaigns, 5 numbers" in first.output
    events = db.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    second = runner.invoke(cli, ["demo", "load"], env={"DATABASE_URL": db_url})
    assert second.exit_code == 0 and "already loaded" in second.output
    db.rollback()
    assert db.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events

    marketing = db.scalar(sa.select(Campaign).where(Campaign.reference == "demo-marketing"))
    assert marketing.status == RegistrationStatus.APPROVED
    assert {c.status for c in db.scalars(sa.select(Campaign))} >= {
        RegistrationStatus.APPROVED, RegistrationStatus.AWAITING_REVIEW, RegistrationStatus.DRAFT}
    assert db.scalar(sa.select(sa.func.count()).select_from(Brand)) == 2
    revision = db.scalar(sa.select(Revision).where(Revision.campaign_id == marketing.id))
    assert revision.status == RevisionStatus.APPROVED and revision.reviewer_id != revision.author_id
    numbers = db.scalars(sa.select(PhoneNumber).where(PhoneNumber.campaign_id == marketing.id)).all()
    assert len(numbers) == 3 and all(n.assignment_status == AssignmentStatus.ASSIGNED for n in numbers)
    assert verify_organization(db, marketing.organization_id) is None


def test_demo_users_log_in_with_the_published_password(db_url, make_web):
    CliRunner().invoke(cli, ["demo", "load"], env={"DATABASE_URL": db_url})
    for email in DEMO_USERS:
        web = make_web()
        assert web.login(email, "registry-demo").status_code == 302, email
        assert web.get("/").status_code == 200
        assert "demo-marketing" in web.get("/campaigns").text
        assert "Acme Dental" in web.get("/brands").text


def test_demo_marketing_page_shows_its_numbers_and_history(db_url, make_web, db):
    CliRunner().invoke(cli, ["demo", "load"], env={"DATABASE_URL": db_url})
    campaign_id = db.scalar(sa.select(Campaign.id).where(Campaign.reference == "demo-marketing"))
    web = make_web()
    web.login("viewer@demo.example", "registry-demo")
    page = web.get(f"/campaigns/{campaign_id}").text
    assert "+13125550100" in page
    assert "revision 1 approved" in page or "Approved" in page
    assert "officer@demo.example" in page
