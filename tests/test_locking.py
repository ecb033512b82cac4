"""Two officers saving the same draft never silently overwrite each other."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from registry.brands.models import Brand
from registry.brands.operations import update_brand
from registry.errors import StaleState
from registry.web.edge import commit
from tests.factories import TEST_ACTOR


def test_a_save_based_on_an_old_version_is_refused_with_a_clear_message(db, create_org, create_brand):
    brand = create_brand(create_org())
    loaded_version = brand.version
    update_brand(db, brand, {"displayName": "Acme Dental North"}, actor=TEST_ACTOR,
                 expected_version=loaded_version)
    db.commit()
    assert brand.version == loaded_version + 1
    with pytest.raises(StaleState, match="changed by someone else") as info:
        update_brand(db, brand, {"displayName": "Acme Dental South"}, actor=TEST_ACTOR,
                     expected_version=loaded_version)
    assert "nothing was overwritten" in info.value.message
    db.rollback()
    assert db.get(Brand, brand.id).display_name == "Acme Dental North"


def test_two_concurrent_transactions_cannot_both_save(engine, create_org, create_brand):
    brand_id = create_brand(create_org()).id
    first = Session(engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False)
    second = Session(engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False)
    one, two = first.get(Brand, brand_id), second.get(Brand, brand_id)
    first.commit(), second.commit()  # both hold version 1 in memory; no read snapshot left open
    update_brand(first, one, {"city": "Evanston"}, actor=TEST_ACTOR)
    commit(first)
    with pytest.raises(StaleDataError):  # UPDATE ... WHERE version = 1 matches no row
        update_brand(second, two, {"city": "Oak Park"}, actor=TEST_ACTOR)
    second.rollback()
    first.close(), second.close()
    with Session(engine) as check:
        saved = check.get(Brand, brand_id)
        assert (saved.city, saved.version) == ("Evanston", 2)


def test_conflict_is_a_409_page(app, web, create_org, create_user):
    org = create_org()
    user = create_user(org, "admin", email="admin@lock.example")
    web.login("admin@lock.example")
    membership = user.memberships[0]
    response = web.post(f"/members/{membership.id}/role", {"role": "viewer", "version": membership.version + 5})
    assert response.status_code == 409
    assert "reload the page" in response.text
    json = web.post(f"/members/{membership.id}/role", {"role": "viewer", "version": 99},
                    headers={"Accept": "application/json"})
    assert json.status_code == 409 and json.json["error"]["status"] == 409


def test_a_lost_optimistic_lock_race_inside_a_request_is_a_409(app, public_route):
    def stale():
        raise StaleDataError("UPDATE statement on table 'brand' expected to update 1 row(s); 0 were matched.")

    public_route("/stale", stale)
    response = app.test_client().get("/stale")
    assert response.status_code == 409
    assert "Someone else saved this record" in response.text


def test_a_uniqueness_race_inside_a_request_is_a_409_and_saves_nothing(app, db, create_org, public_route):
    from registry.auth.models import Organization
    from registry.db import get_session

    create_org("Taken", slug="taken")

    def duplicate():
        session = get_session()
        session.add(Organization(name="Fresh name", slug="fresh"))
        session.add(Organization(name="Other name", slug="taken"))
        session.flush()
        return "unreachable"

    public_route("/duplicate", duplicate)
    response = app.test_client().get("/duplicate", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.json["error"]["title"] == "This conflicts with an existing record"
    db.rollback()
    assert db.query(Organization).filter_by(slug="fresh").count() == 0
