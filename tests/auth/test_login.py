"""Logging in and out, session cookies, CSRF."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from


@pytest.fixture
def officer(create_org, create_user):
    org = create_org("Acme Platform")
    return create_user(org, "compliance_officer", email="officer@acme.example")


def test_every_page_but_login_requires_a_session(web):
    for path in ("/", "/audit", "/members", "/brands/1", "/campaigns/1"):
        response = web.get(path)
        assert response.status_code == 302
        assert response.location.startswith("/login?next=")


def test_json_clients_get_401_instead_of_a_redirect(web):
    response = web.get("/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json["error"]["status"] == 401


def test_login_form_uses_email_and_password_fields(web):
    html = web.get("/login").text
    assert 'name="email"' in html and 'name="password"' in html and 'name="csrf_token"' in html


def test_login_with_correct_password_reaches_the_dashboard(web, officer):
    response = web.login("officer@acme.example")
    assert response.status_code == 302 and response.location == "/"
    page = web.get("/")
    assert page.status_code == 200 and "Acme Platform" in page.text


def test_login_is_case_insensitive_on_email(web, officer):
    assert web.login("Officer@ACME.example").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(web, officer):
    response = web.login("officer@acme.example", password="wrong password!")
    assert response.status_code == 401
    assert "e-mail or password is not correct" in response.text
    assert web.get("/").status_code == 302


def test_unknown_user_gets_the_same_answer(web):
    response = web.login("nobody@acme.example")
    assert response.status_code == 401
    assert "e-mail or password is not correct" in response.text


def test_login_without_csrf_token_is_refused_with_400(web, officer):
    response = web.client.post("/login", data={"email": "officer@acme.example",
                                                   "password": "correct horse battery"})
    assert response.status_code == 400
    assert "security token" in response.text
    assert web.get("/").status_code == 302


def test_logout_requires_post_with_csrf(web, officer):
    web.login("officer@acme.example")
    assert web.get("/logout").status_code == 405
    assert web.client.post("/logout").status_code == 400
    assert web.get("/").status_code == 200
    assert web.post("/logout").status_code == 302
    assert web.get("/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(web, officer):
    response = web.login("officer@acme.example")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_next_parameter_only_redirects_within_the_site(web, officer):
    token = csrf_from(web.get("/login").text)
    data = {"email": "officer@acme.example", "password": "correct horse battery", "csrf_token": token}
    response = web.client.post("/login?next=https://evil.example/phish", data=data)
    assert response.location == "/"
    web.post("/logout")
    token = csrf_from(web.get("/login").text)
    response = web.client.post("/login?next=/audit", data={**data, "csrf_token": token})
    assert response.location == "/audit"


def test_deactivated_user_cannot_log_in_and_is_logged_out(web, officer, db):
    web.login("officer@acme.example")
    user = db.get(type(officer), officer.id)
    user.is_active = False
    db.commit()
    assert web.get("/").status_code == 302
    assert web.login("officer@acme.example").status_code == 401


def test_password_change_ends_other_sessions(web, officer, db):
    from registry.auth.operations import set_password

    web.login("officer@acme.example")
    user = db.get(type(officer), officer.id)
    set_password(user, "a brand new passphrase")
    db.commit()
    assert web.get("/").status_code == 302
    assert web.login("officer@acme.example", "a brand new passphrase").status_code == 302


def test_member_of_no_organization_gets_a_clear_403(web, db):
    from registry.auth.operations import create_user

    create_user(db, "loner@acme.example", "correct horse battery")
    db.commit()
    web.login("loner@acme.example")
    response = web.get("/")
    assert response.status_code == 403
    assert "not a member of any organization" in response.text


def test_short_passwords_are_refused(db):
    from registry.auth.operations import create_user
    from registry.errors import UserValueError

    with pytest.raises(UserValueError, match="at least 12"):
        create_user(db, "short@acme.example", "tooshort")
