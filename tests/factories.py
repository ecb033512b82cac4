"""Factory fixtures: each returns a callable that creates a record with sensible defaults (committed)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from registry.audit import Actor
from registry.states import Role

PASSWORD = "correct horse battery"
_seq = itertools.count(1)

BRAND_PAYLOAD = {
    "entityType": "PRIVATE_PROFIT",
    "displayName": "Acme Dental",
    "companyName": "Acme Dental Group LLC",
    "ein": "36-4123456",
    "phone": "+13125550142",
    "street": "233 South Wacker Drive",
    "city": "Chicago",
    "state": "IL",
    "postalCode": "60606",
    "country": "US",
    "email": "support@acmedental.com",
    "website": "https://www.acmedental.com",
    "vertical": "HEALTHCARE",
    "brandRelationship": "SMALL_ACCOUNT",
    "altBusinessIdType": "NONE",
}

CAMPAIGN_PAYLOAD = {
    "usecase": "ACCOUNT_NOTIFICATION",
    "description": "Acme Dental reminds patients of upcoming appointments booked on acmedental.com.",
    "sample1": "Acme Dental: your appointment is on [date] at [time]. Reply STOP to opt out.",
}

TEST_ACTOR = Actor.system("tests")


@pytest.fixture
def create_org(db):
    from registry.auth.operations import create_organization

    def factory(name: str | None = None, **kw: Any):
        org = create_organization(db, name or f"Org {next(_seq)}", actor=TEST_ACTOR, **kw)
        db.commit()
        return org

    return factory


@pytest.fixture
def create_user(db):
    from registry.auth.operations import add_member
    from registry.auth.operations import create_user as make_user

    def factory(org, role: Role | str = Role.SUBMITTER, email: str | None = None, password: str = PASSWORD):
        user = make_user(db, email or f"user{next(_seq)}@example.org", password, full_name="Test User")
        add_member(db, org, user, Role(role), actor=TEST_ACTOR)
        db.commit()
        return user

    return factory


@pytest.fixture
def create_brand(db):
    from registry.brands.operations import create_brand as make_brand

    def factory(org, actor: Actor = TEST_ACTOR, **payload: Any):
        brand = make_brand(db, org, {"referenceId": f"brand-{next(_seq)}", **BRAND_PAYLOAD, **payload},
                           actor=actor)
        db.commit()
        return brand

    return factory


@pytest.fixture
def create_campaign(db):
    from registry.campaigns.operations import create_campaign as make_campaign

    def factory(brand, actor: Actor = TEST_ACTOR, **payload: Any):
        campaign = make_campaign(db, brand.organization, brand,
                                 {"referenceId": f"campaign-{next(_seq)}", **CAMPAIGN_PAYLOAD, **payload},
                                 actor=actor)
        db.commit()
        return campaign

    return factory
