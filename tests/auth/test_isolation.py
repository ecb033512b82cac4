"""A user of organization A can never read or change organization B's records by guessing ids."""

from __future__ import annotations

import pytest


@pytest.fixture
def two_orgs(create_org, create_user, create_brand, create_campaign, db):
    from registry.numbers.operations import add_number
    from tests.factories import TEST_ACTOR

    org_a, org_b = create_org("Alpha"), create_org("Bravo")
    create_user(org_a, "admin", email="admin@alpha.example")
    admin_b = create_user(org_b, "admin", email="admin@bravo.example")
    brand_b = create_brand(org_b, displayName="Bravo Brand")
    campaign_b = create_campaign(brand_b)
    add_number(db, org_b, "+13125550177", actor=TEST_ACTOR)
    db.commit()
    membership_b = admin_b.memberships[0]
    return {"brand": brand_b.id, "campaign": campaign_b.id, "membership": membership_b.id}


def test_other_organizations_records_are_404_never_200(web, two_orgs):
    web.login("admin@alpha.example")
    for path in (f"/brands/{two_orgs['brand']}", f"/campaigns/{two_orgs['campaign']}"):
        response = web.get(path)
        assert response.status_code == 404, path
        assert "Bravo" not in response.text
    assert web.get(f"/brands/{two_orgs['brand']}", headers={"Accept": "application/json"}).status_code == 404


def test_other_organizations_members_cannot_be_changed(web, two_orgs, db):
    from registry.auth.models import Membership

    web.login("admin@alpha.example")
    membership_id = two_orgs["membership"]
    assert web.post(f"/members/{membership_id}/role", {"role": "viewer"}).status_code == 404
    assert web.post(f"/members/{membership_id}/remove").status_code == 404
    db.rollback()
    assert db.get(Membership, membership_id).role.value == "admin"


def test_dashboard_and_audit_trail_only_show_own_organization(web, two_orgs):
    web.login("admin@alpha.example")
    assert "Bravo Brand" not in web.get("/").text
    assert "Bravo" not in web.get("/audit").text


def test_switching_to_an_organization_one_is_not_a_member_of_is_404(web, two_orgs, db):
    from registry.auth.models import Organization

    bravo = db.query(Organization).filter_by(name="Bravo").one()
    web.login("admin@alpha.example")
    assert web.post("/organization", {"org_id": bravo.id}).status_code == 404


def test_a_member_of_two_organizations_switches_between_them(web, create_org, create_user, db):
    from registry.auth.operations import add_member, find_user
    from registry.states import Role
    from tests.factories import TEST_ACTOR

    first, second = create_org("First"), create_org("Second")
    create_user(first, "viewer", email="both@orgs.example")
    add_member(db, second, find_user(db, "both@orgs.example"), Role.ADMIN, actor=TEST_ACTOR)
    db.commit()
    web.login("both@orgs.example")
    assert "<h1>First</h1>" in web.get("/").text
    assert web.post("/organization", {"org_id": second.id}).status_code == 302
    assert "<h1>Second</h1>" in web.get("/").text
