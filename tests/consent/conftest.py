"""A registered campaign with a number, a member of each role, and helpers to read the consent trail."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from registry.states import RegistrationStatus, RevisionStatus

ROLES = ("admin", "compliance_officer", "submitter", "viewer")
NUMBER = "+13125550100"
SUBSCRIBER = "+13125550142"
CTA = ("Yes, text me appointment reminders from Acme Dental. Msg frequency varies. Msg & data rates may apply. "
       "Reply HELP for help, STOP to cancel. Terms: https://www.acmedental.com/sms-terms "
       "Privacy: https://www.acmedental.com/privacy")
FLOW = ("Patients opt in on the web form at https://www.acmedental.com/reminders by ticking an unchecked box "
        f"next to: \"{CTA}\"")
REGISTERED = {
    "messageFlow": FLOW,
    "optinKeywords": "JOIN",
    "optinMessage": "Acme Dental: you are subscribed to appointment reminders. Msg & data rates may apply. "
                    "Reply HELP for help, STOP to cancel.",
    "optoutKeywords": "STOP,QUIT",
    "optoutMessage": "Acme Dental: you are unsubscribed and will get no more messages.",
    "helpKeywords": "HELP",
    "helpMessage": "Acme Dental: appointment reminders. Call (312) 555-0142 for help. Reply STOP to cancel.",
}


def register(db, campaign, tcr_id: str | None = None):
    """Freeze the campaign into a submitted revision and mark it approved (what the provider sync does)."""
    from registry.audit import Actor
    from registry.revisions.operations import freeze

    revision = freeze(db, campaign, actor=Actor.system("tests"))
    revision.status = RevisionStatus.SUBMITTED
    campaign.status = RegistrationStatus.APPROVED
    campaign.tcr_campaign_id = tcr_id
    db.commit()
    return revision


@pytest.fixture
def consent(db, create_org, create_user, create_brand, create_campaign):
    from registry.numbers.models import PhoneNumber

    org = create_org("Acme Consent")
    members = {role: create_user(org, role, email=f"{role}@acme.example") for role in ROLES}
    brand = create_brand(org)
    campaign = create_campaign(brand, referenceId="reminders", **REGISTERED)
    revision = register(db, campaign, "CABC123")
    other = create_campaign(brand, referenceId="offers", usecase="MARKETING", **REGISTERED)
    register(db, other, "CXYZ789")
    db.add(PhoneNumber(organization_id=org.id, e164=NUMBER, campaign_id=campaign.id))
    db.add(PhoneNumber(organization_id=org.id, e164="+13125550101", campaign_id=other.id))
    db.commit()
    return SimpleNamespace(org=org, members=members, brand=brand, campaign=campaign, other=other,
                           revision=revision, number=NUMBER, subscriber=SUBSCRIBER)


@pytest.fixture
def session_factory(engine):
    from registry.db import make_sessionmaker

    return make_sessionmaker(engine)


def events(db, org_id: int):
    from registry.consent.models import ConsentEvent

    db.rollback()
    return list(db.scalars(sa.select(ConsentEvent).where(ConsentEvent.organization_id == org_id)
                           .order_by(ConsentEvent.seq)))


@pytest.fixture
def as_officer(make_web, consent):
    client = make_web()
    assert client.login("compliance_officer@acme.example").status_code == 302
    return client


@pytest.fixture
def as_role(make_web, consent):
    def login(role: str):
        client = make_web()
        assert client.login(f"{role}@acme.example").status_code == 302
        return client
    return login
