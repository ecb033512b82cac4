"""Friendly error pages and JSON errors; the 500 handler rolls back."""

from __future__ import annotations

import pytest


@pytest.fixture
def logged_in(web, create_org, create_user):
    create_user(create_org("Errors Inc"), "admin", email="admin@errors.example")
    web.login("admin@errors.example")
    return web


def test_404_page_is_friendly(logged_in):
    response = logged_in.get("/no/such/page")
    assert response.status_code == 404
    assert "There is nothing here" in response.text and "<html" in response.text


def test_json_errors_for_json_clients(logged_in):
    response = logged_in.get("/brands/12345", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json == {"error": {"status": 404, "title": "Not found",
                                       "message": "No brand with id 12345 in this organization."}}


def test_405_for_wrong_method(logged_in):
    assert logged_in.get("/audit/verify").status_code == 405


def test_500_rolls_back_and_shows_a_friendly_page(app, db, create_org, public_route):
    from registry.auth.models import Organization
    from registry.db import get_session

    org_id = create_org("Before").id

    def boom():
        get_session().get(Organization, org_id).name = "Changed before the crash"
        get_session().flush()
        raise RuntimeError("bug")

    public_route("/boom", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # behave as in production
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Nothing was saved" in response.text
    assert "RuntimeError" not in response.text
    db.rollback()
    assert db.get(Organization, org_id).name == "Before"


def test_health_needs_no_login(web):
    assert web.get("/health").json == {"status": "ok"}


@pytest.mark.parametrize("path", ["/brands/abc", "/campaigns/-1", "/audit?page=zzz", "/brands/99999999999999999999"])
def test_odd_urls_never_500(logged_in, path):
    assert logged_in.get(path).status_code in (200, 404)
