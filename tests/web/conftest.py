"""An organization with one member of each role, and a brand and campaign to work on."""

from __future__ import annotations

import pytest

ROLES = ("admin", "compliance_officer", "submitter", "viewer")


@pytest.fixture
def org(create_org, create_user):
    organization = create_org("Acme Platform")
    organization.members = {role: create_user(organization, role, email=f"{role}@acme.example") for role in ROLES}
    return organization


@pytest.fixture
def as_role(make_web, org):
    """``as_role("submitter")`` → a web client logged in with that role."""
    def login(role: str):
        client = make_web()
        assert client.login(f"{role}@acme.example").status_code == 302
        return client
    return login
