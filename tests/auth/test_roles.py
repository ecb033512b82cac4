"""Roles are enforced on the server, whatever the page shows."""

from __future__ import annotations

import pytest

from registry.auth.permissions import Permission, has_permission
from registry.states import Role


@pytest.mark.parametrize(("role", "permission", "allowed"), [
    (Role.VIEWER, Permission.VIEW, True),
    (Role.VIEWER, Permission.EDIT, False),
    (Role.SUBMITTER, Permission.EDIT, True),
    (Role.SUBMITTER, Permission.REVIEW, False),
    (Role.COMPLIANCE_OFFICER, Permission.REVIEW, True),
    (Role.COMPLIANCE_OFFICER, Permission.ADMIN, False),
    (Role.ADMIN, Permission.ADMIN, True),
    (Role.ADMIN, Permission.REVIEW, True),
    (None, Permission.VIEW, False),
])
def test_permission_table(role, permission, allowed):
    assert has_permission(role, permission) is allowed


@pytest.fixture
def org_with_members(create_org, create_user):
    org = create_org("Roles Inc")
    users = {role: create_user(org, role, email=f"{role}@roles.example")
             for role in ("admin", "compliance_officer", "submitter", "viewer")}
    return org, users


@pytest.mark.parametrize("role", ["compliance_officer", "submitter", "viewer"])
def test_only_admins_manage_members(web, org_with_members, role, db):
    _, users = org_with_members
    web.login(f"{role}@roles.example")
    target = users["viewer"].memberships[0].id
    assert web.post(f"/members/{target}/role", {"role": "admin"}).status_code == 403
    assert web.post(f"/members/{target}/remove").status_code == 403
    assert web.post("/members", {"email": "new@roles.example", "role": "admin",
                                     "password": "long enough password"}).status_code == 403
    response = web.post("/audit/verify")
    assert response.status_code == (302 if role == "compliance_officer" else 403)


def test_admin_adds_a_member_and_the_audit_trail_records_it(web, org_with_members, db):
    from registry.audit.models import AuditEvent

    web.login("admin@roles.example")
    response = web.post("/members", {"email": "new@roles.example", "full_name": "New Person",
                                         "role": "submitter", "password": "long enough password"},
                            token_page="/members")
    assert response.status_code == 302
    db.rollback()
    event = db.query(AuditEvent).filter_by(entity_type="membership").order_by(AuditEvent.seq.desc()).first()
    assert event.summary == "new@roles.example added as Submitter"
    assert event.actor == "admin@roles.example"
    assert event.changes == {"user": [None, "new@roles.example"], "role": [None, "submitter"]}


def test_bad_member_input_is_shown_on_the_field_and_changes_nothing(web, org_with_members, db):
    from registry.auth.models import User

    web.login("admin@roles.example")
    response = web.post("/members", {"email": "someone@roles.example", "role": "submitter", "password": "short"},
                            token_page="/members")
    assert response.status_code == 422
    assert "at least 12 characters" in response.text
    response = web.post("/members", {"email": "not an email", "role": "submitter"}, token_page="/members")
    assert response.status_code == 422
    db.rollback()
    assert db.query(User).filter_by(email="someone@roles.example").count() == 0


def test_the_last_admin_cannot_be_demoted(web, org_with_members, db):
    _, users = org_with_members
    web.login("admin@roles.example")
    response = web.post(f"/members/{users['admin'].memberships[0].id}/role", {"role": "viewer"},
                            token_page="/members")
    assert response.status_code == 400
    assert "at least one admin" in response.text


def test_role_change_based_on_an_old_page_is_a_conflict(web, org_with_members, db):
    _, users = org_with_members
    membership = users["viewer"].memberships[0]
    web.login("admin@roles.example")
    stale = membership.version
    assert web.post(f"/members/{membership.id}/role", {"role": "submitter", "version": stale}).status_code == 302
    response = web.post(f"/members/{membership.id}/role", {"role": "admin", "version": stale})
    assert response.status_code == 409
    assert "changed by someone else" in response.text
