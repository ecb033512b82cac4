"""Operations on registrations: TCR vocabulary, audited diffs, frozen revisions, bad input changes nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.brands.operations import create_brand, delete_brand, update_brand
from registry.errors import IntegrityViolation, UserValueError
from registry.revisions.operations import freeze, snapshot_hash
from registry.tcr import to_tcr_payload
from tests.factories import BRAND_PAYLOAD, TEST_ACTOR


def _last_event(db) -> AuditEvent:
    return db.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def test_create_records_every_field_under_its_tcr_name(db, create_org):
    org = create_org()
    brand = create_brand(db, org, {"referenceId": "acme", **BRAND_PAYLOAD}, actor=TEST_ACTOR)
    event = _last_event(db)
    assert (event.action, event.entity_type, event.entity_id) == ("create", "brand", str(brand.id))
    assert event.changes["displayName"] == [None, "Acme Dental"]
    assert event.changes["ein"] == [None, "36-4123456"]
    assert to_tcr_payload(brand)["entityType"] == "PRIVATE_PROFIT"


def test_update_records_only_what_changed(db, create_org, create_brand):
    brand = create_brand(create_org())
    changes = update_brand(db, brand, {"displayName": "Acme Dental", "city": " Evanston ", "website": ""},
                           actor=TEST_ACTOR)
    assert changes == {"city": ["Chicago", "Evanston"], "website": ["https://www.acmedental.com", None]}
    assert _last_event(db).changes == changes


def test_unknown_fields_are_refused_not_ignored(db, create_org, create_brand):
    brand = create_brand(create_org())
    with pytest.raises(UserValueError, match="brandColour"):
        update_brand(db, brand, {"brandColour": "red"}, actor=TEST_ACTOR)


def test_reference_must_be_unique_in_the_organization(db, create_org, create_brand):
    org = create_org()
    create_brand(org, referenceId="acme")
    with pytest.raises(IntegrityViolation) as info:
        create_brand(org, referenceId="acme")
    assert info.value.field == "referenceId"
    create_brand(create_org(), referenceId="acme")  # another organization may use it


def test_revision_snapshot_is_hashed_and_frozen(db, create_org, create_brand, create_user):
    org = create_org()
    author = create_user(org, "submitter")
    brand = create_brand(org)
    from registry.audit import Actor

    revision = freeze(db, brand, actor=Actor.of(author))
    db.commit()
    assert revision.number == 1
    assert revision.sha256 == snapshot_hash(revision.snapshot)
    assert revision.snapshot["displayName"] == "Acme Dental"
    revision.snapshot = {**revision.snapshot, "displayName": "Changed"}
    with pytest.raises(ValueError, match="frozen"):
        db.flush()
    db.rollback()
    assert freeze(db, brand, actor=Actor.of(author)).number == 2


def test_only_drafts_without_campaigns_can_be_deleted(db, create_org, create_brand, create_campaign):
    org = create_org()
    brand = create_brand(org)
    create_campaign(brand)
    with pytest.raises(UserValueError, match="campaigns first"):
        delete_brand(db, brand, actor=TEST_ACTOR)
    lone = create_brand(org)
    delete_brand(db, lone, actor=TEST_ACTOR)
    event = _last_event(db)
    assert event.action == "delete" and event.changes["displayName"] == ["Acme Dental", None]


def test_numbers_are_normalized_to_e164_and_unique(db, create_org):
    from registry.numbers.operations import add_number

    org = create_org()
    assert add_number(db, org, "(312) 555-0100", actor=TEST_ACTOR).e164 == "+13125550100"
    with pytest.raises(IntegrityViolation):
        add_number(db, org, "+1 312 555 0100", actor=TEST_ACTOR)
    with pytest.raises(UserValueError, match="US or Canadian"):
        add_number(db, org, "+44 20 7946 0958", actor=TEST_ACTOR)
    with pytest.raises(UserValueError):
        add_number(db, org, "not a number", actor=TEST_ACTOR)


def test_numbers_only_join_approved_campaigns_one_at_a_time(db, create_org, create_brand, create_campaign):
    from registry.campaigns.operations import set_campaign_status
    from registry.numbers.operations import add_number, assign_number
    from registry.states import AssignmentStatus, RegistrationStatus

    org = create_org()
    brand = create_brand(org)
    draft, approved, other = create_campaign(brand), create_campaign(brand), create_campaign(brand)
    for campaign in (approved, other):
        set_campaign_status(db, campaign, RegistrationStatus.APPROVED, actor=TEST_ACTOR)
    number = add_number(db, org, "+13125550100", actor=TEST_ACTOR)
    with pytest.raises(UserValueError, match="approved campaign"):
        assign_number(db, number, draft, actor=TEST_ACTOR)
    assign_number(db, number, approved, actor=TEST_ACTOR)
    assert number.assignment_status == AssignmentStatus.PENDING
    with pytest.raises(UserValueError, match="one campaign at a time"):
        assign_number(db, number, other, actor=TEST_ACTOR)
