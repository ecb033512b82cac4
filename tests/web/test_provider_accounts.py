"""The provider accounts page: every member sees the accounts (never a credential), admins add and change them
with field-level messages for bad input, stale pages are refused, and each account shows its call log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.audit import Actor
from registry.audit.models import AuditEvent
from registry.db import utcnow
from registry.provider_accounts.crypto import app_fernet
from registry.provider_accounts.models import ProviderAccount, ProviderCall, ProviderName
from registry.provider_accounts.operations import create_account, credentials_of
from registry.provider_accounts.sandbox import sandbox_public_key

SECRET = "s3cr3t-AUTH-token-0f9e8d7c"
KEY = "KEY-telnyx-4b5a69d0c1e2"
TWILIO_SID = "AC0123456789abcdef0123456789abcdef"
TESTS = Actor.system("tests")


def add_account(app, db, org, **kw):
    values = {"provider": "telnyx", "label": "Telnyx production", "api_key": KEY} | kw
    with app.app_context():
        account = create_account(db, org, app_fernet(app), actor=TESTS, **values)
    db.commit()
    return account


def form(**kw) -> dict:
    return {"provider": "telnyx", "label": "Telnyx production", "base_url": "", "api_key": KEY, "api_secret": "",
            "webhook_public_key": "", "upstream_cnp_id": "", "mno_ids": "", "rate": "10", "burst": "5"} | kw


def field_errors(html: str, field: str) -> str:
    """The text of a field's error list (empty when it has none)."""
    start = html.find(f'id="{field}-errors"')
    return html[start:html.find("</ul>", start)] if start >= 0 else ""


def accounts(db) -> list[ProviderAccount]:
    db.rollback()
    return list(db.scalars(sa.select(ProviderAccount).order_by(ProviderAccount.id)))


def audit_text(db) -> str:
    db.rollback()
    return " ".join(f"{e.summary} {e.changes}" for e in db.scalars(sa.select(AuditEvent)))


# --- the list ----------------------------------------------------------------------------------------------


def test_a_viewer_sees_every_account_but_never_a_credential(app, db, org, as_role):
    add_account(app, db, org, webhook_public_key=sandbox_public_key())
    add_account(app, db, org, provider="tcr", label="TCR direct", api_key="tcr-key-77aa", api_secret=SECRET,
                settings={"upstream_cnp_id": "SZ1234", "mno_ids": ["10017", "10035"]}, rate=2.5, burst=3)
    app.config["PUBLIC_URL"] = "https://registry.example.com/"
    web = as_role("viewer")
    page = web.get("/providers")
    assert page.status_code == 200
    html = page.text
    for text in ("Telnyx production", "Telnyx", "TCR direct", "https://api.telnyx.com/v2",
                 "https://csp-api.campaignregistry.com/v2", "SZ1234", "10017", "AT&amp;T", "2.5/s · 3", "Default"):
        assert text in html, text
    tcr = accounts(db)[1]
    assert f"https://registry.example.com/webhooks/tcr/{tcr.public_id}" in html
    for secret in (SECRET, KEY, "tcr-key-77aa"):
        assert secret not in html
    assert "Add a provider account" not in html and "Make default" not in html  # viewers change nothing
    assert 'href="/providers"' in web.get("/").text  # the nav links it
    detail = web.get(f"/providers/{tcr.id}").text
    assert "SZ1234" in detail and SECRET not in detail and "Replace credentials" not in detail


def test_without_a_public_url_the_webhook_path_is_shown(app, db, org, as_role):
    account = add_account(app, db, org)
    html = as_role("viewer").get("/providers").text
    assert f"<code>/webhooks/telnyx/{account.public_id}</code>" in html and "PUBLIC_URL" in html


def test_an_empty_organization_is_told_what_to_do(as_role):
    html = as_role("admin").get("/providers").text
    assert "No provider accounts yet" in html and "Add a provider account" in html


# --- adding ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("provider", "values", "base_url"), [
    ("telnyx", {"webhook_public_key": sandbox_public_key()}, "https://api.telnyx.com/v2"),
    ("twilio", {"api_key": TWILIO_SID, "api_secret": SECRET}, "https://{service}.twilio.com"),
    ("tcr", {"api_key": "tcr-key", "api_secret": SECRET, "upstream_cnp_id": "SZ1234", "mno_ids": "10017, 10035"},
     "https://csp-api.campaignregistry.com/v2"),
    ("sandbox", {"base_url": "http://127.0.0.1:5055/v2/"}, "http://127.0.0.1:5055/v2"),
])
def test_an_admin_adds_an_account_of_each_provider(app, db, org, as_role, provider, values, base_url):
    web = as_role("admin")
    done = web.post("/providers", form(provider=provider, label=f"My {provider}", **values), token_page="/providers")
    assert done.status_code == 302
    [account] = accounts(db)
    assert (account.provider, account.label, account.base_url) == (ProviderName(provider), f"My {provider}", base_url)
    assert account.is_default and account.is_active  # the first account is the default
    secret = values.get("api_secret") or values.get("api_key", KEY)
    assert secret not in account.credentials
    with app.app_context():
        assert credentials_of(account, app_fernet(app))["api_key"] == values.get("api_key", KEY)
    if provider == "tcr":
        assert account.settings == {"upstream_cnp_id": "SZ1234", "mno_ids": ["10017", "10035"]}
    page = web.get(done.headers["Location"])
    assert page.status_code == 200 and "will not be shown again" in page.text and secret not in page.text
    assert secret not in audit_text(db) and "Provider account My " in audit_text(db)


def test_the_second_account_becomes_the_default_only_when_asked(app, db, org, as_role):
    first = add_account(app, db, org)
    web = as_role("admin")
    assert web.post("/providers", form(label="Second"), token_page="/providers").status_code == 302
    assert [a.is_default for a in accounts(db)] == [True, False]
    assert web.post("/providers", form(label="Third", is_default="y"), token_page="/providers").status_code == 302
    assert [(a.label, a.is_default) for a in accounts(db)] == [
        (first.label, False), ("Second", False), ("Third", True)]


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"provider": "twilio", "api_key": TWILIO_SID}, "api_secret", "Enter the auth token."),
    ({"provider": "tcr", "api_key": "tcr-key"}, "api_secret", "Enter the API secret."),
    ({"provider": "twilio", "api_key": "XX0123", "api_secret": SECRET}, "api_key",
     "A Twilio account SID starts with AC"),
    ({"provider": "twilio", "api_key": TWILIO_SID, "api_secret": SECRET, "base_url": "https://api.twilio.com"},
     "base_url", "{service}"),
    ({"provider": "tcr", "api_key": "tcr-key", "api_secret": SECRET, "mno_ids": "10017, att"}, "mno_ids",
     "MNO ids are TCR network ids"),
    ({"mno_ids": "10017"}, "mno_ids", "Telnyx accounts take no setting mno_ids"),
    ({"upstream_cnp_id": "SZ1"}, "upstream_cnp_id", "take no setting upstream_cnp_id"),
    ({"base_url": "ftp://example.com"}, "base_url", "must start with https://"),
    ({"webhook_public_key": "not-a-key"}, "webhook_public_key", "not usable"),
    ({"api_key": ""}, "api_key", "Enter the API key (Twilio: the account SID)."),
    ({"label": ""}, "label", "Give the account a name"),
    ({"provider": "nexmo"}, "provider", "Not a valid choice"),
    ({"rate": "0"}, "rate", "more than 0 and at most 1000"),
    ({"rate": "fast"}, "rate", "Not a valid float"),
    ({"rate": "nan"}, "rate", "more than 0 and at most 1000"),
    ({"burst": "100000"}, "burst", "from 1 to 1000"),
    ({"burst": "2.5"}, "burst", "Not a valid integer"),
    ({"base_url": "https://" + "x" * 300}, "base_url", "255"),
])
def test_bad_input_gets_a_message_on_its_field_and_changes_nothing(app, db, org, as_role, values, field, message):
    web = as_role("admin")
    before = audit_text(db)
    answer = web.post("/providers", form(**values), token_page="/providers")
    assert answer.status_code == 422
    errors = field_errors(answer.text, field)
    assert message in errors, (field, answer.text[:3000])
    assert 'aria-invalid="true"' in answer.text
    for secret in (SECRET, KEY, TWILIO_SID):
        assert secret not in answer.text  # a form shown again never carries a credential
    assert accounts(db) == [] and audit_text(db) == before


def test_only_admins_change_accounts(app, db, org, as_role):
    account = add_account(app, db, org)
    for role in ("compliance_officer", "submitter", "viewer"):
        web = as_role(role)
        for url, data in (("/providers", form()), (f"/providers/{account.id}/default", {"version": "1"}),
                          (f"/providers/{account.id}/deactivate", {"version": "1"}),
                          (f"/providers/{account.id}/activate", {"version": "1"}),
                          (f"/providers/{account.id}/credentials", {"api_key": KEY, "version": "1"})):
            answer = web.post(url, data, token_page="/providers")
            assert answer.status_code == 403, (role, url)
            assert "Only an admin of this organization can add or change provider accounts" in answer.text
    assert [(a.is_active, a.version) for a in accounts(db)] == [(True, account.version)]


# --- per-account actions -----------------------------------------------------------------------------------


def test_make_default_and_deactivate_and_activate(app, db, org, as_role):
    first = add_account(app, db, org)
    second = add_account(app, db, org, provider="tcr", label="TCR direct", api_key="k", api_secret=SECRET)
    web = as_role("admin")
    html = web.get("/providers").text
    assert f'action="/providers/{second.id}/default"' in html and f'action="/providers/{first.id}/default"' not in html
    done = web.post(f"/providers/{second.id}/default", {"version": str(second.version)}, token_page="/providers")
    assert done.status_code == 302
    assert [a.is_default for a in accounts(db)] == [False, True]
    assert "TCR direct is now the default" in web.get("/providers").text
    second = accounts(db)[1]
    done = web.post(f"/providers/{second.id}/deactivate", {"version": str(second.version), "back": "detail"},
                    token_page="/providers")
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/providers/{second.id}")
    second = accounts(db)[1]
    assert (second.is_active, second.is_default) == (False, False)
    page = web.get(f"/providers/{second.id}").text
    assert "is deactivated" in page and "no longer the default" in page and "This account is inactive" in page
    refused = web.post(f"/providers/{second.id}/default", {"version": str(second.version)}, token_page="/providers")
    assert refused.status_code == 422 and "activate it before making it the default" in refused.text
    assert web.post(f"/providers/{second.id}/activate", {"version": str(second.version)},
                    token_page="/providers").status_code == 302
    assert [(a.is_active, a.is_default) for a in accounts(db)] == [(True, False), (True, False)]
    audit = audit_text(db)
    for summary in ("TCR direct (tcr) made the default instead of Telnyx production (telnyx)",
                    "TCR direct (tcr) deactivated", "TCR direct (tcr) activated"):
        assert summary in audit


@pytest.mark.parametrize("action", ["default", "deactivate"])
def test_a_stale_page_changes_nothing(app, db, org, as_role, action):
    add_account(app, db, org)
    second = add_account(app, db, org, label="Backup", api_key="KEY2")
    web = as_role("admin")
    stale = str(second.version)
    with app.app_context():  # someone else changed the account after the page was loaded
        db.get(ProviderAccount, second.id).label = "Backup (renamed)"
        db.commit()
    before = audit_text(db)
    answer = web.post(f"/providers/{second.id}/{action}", {"version": stale}, token_page="/providers")
    assert answer.status_code == 409
    assert "changed by someone else" in answer.text and "reload the page" in answer.text
    assert "Backup (renamed)" in answer.text  # the current state is shown
    assert [(a.is_default, a.is_active) for a in accounts(db)] == [(True, True), (False, True)]
    assert audit_text(db) == before


def test_replace_credentials(app, db, org, as_role):
    account = add_account(app, db, org, provider="twilio", label="Twilio", api_key=TWILIO_SID, api_secret="old-token")
    web = as_role("admin")
    url, page = f"/providers/{account.id}/credentials", f"/providers/{account.id}"
    missing = web.post(url, {"api_key": TWILIO_SID, "api_secret": "", "version": str(account.version)},
                       token_page=page)
    assert missing.status_code == 422 and "Enter the auth token." in field_errors(missing.text, "api_secret")
    assert TWILIO_SID not in missing.text
    stale = web.post(url, {"api_key": TWILIO_SID, "api_secret": SECRET, "version": "999"}, token_page=page)
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    done = web.post(url, {"api_key": TWILIO_SID, "api_secret": SECRET, "version": str(account.version)},
                    token_page=page)
    assert done.status_code == 302
    [account] = accounts(db)
    with app.app_context():
        assert credentials_of(account, app_fernet(app)) == {"api_key": TWILIO_SID, "api_secret": SECRET}
    assert SECRET not in web.get(page).text and SECRET not in audit_text(db)
    assert "credentials replaced" in audit_text(db)


def test_bad_action_input_is_never_a_500(app, db, org, as_role):
    account = add_account(app, db, org)
    web = as_role("admin")
    for data in ({}, {"version": "abc"}, {"version": "-1"}, {"version": "9" * 40}):
        assert web.post(f"/providers/{account.id}/default", data, token_page="/providers").status_code in (302, 409)
    assert web.post(f"/providers/{account.id}/credentials", {"api_key": "x" * 600},
                    token_page="/providers").status_code == 422
    assert web.get("/providers/99999999999").status_code == 404


# --- org scoping -------------------------------------------------------------------------------------------


def test_another_organizations_account_is_a_404(app, db, org, as_role, create_org):
    other = add_account(app, db, create_org("Other Org"), label="Theirs", api_key="THEIR-KEY")
    web = as_role("admin")
    assert "Theirs" not in web.get("/providers").text
    assert web.get(f"/providers/{other.id}").status_code == 404
    for action in ("default", "deactivate", "activate"):
        assert web.post(f"/providers/{other.id}/{action}", {"version": "1"},
                        token_page="/providers").status_code == 404
    assert web.post(f"/providers/{other.id}/credentials", {"api_key": KEY, "version": "1"},
                    token_page="/providers").status_code == 404
    [theirs] = accounts(db)
    assert (theirs.is_active, theirs.version) == (True, other.version)


# --- the call log ------------------------------------------------------------------------------------------


def test_the_account_page_shows_its_recent_calls_newest_first(app, db, org, as_role):
    account = add_account(app, db, org)
    other = add_account(app, db, org, label="Other", api_key="KEY2")
    start = utcnow() - timedelta(hours=2)
    for i in range(55):
        db.add(ProviderCall(organization_id=org.id, account_id=account.id, provider="telnyx", method="POST",
                            path=f"/10dlc/brand/call-{i:02d}", query={"page": i}, request_body={"displayName": "Acme"},
                            status=200 if i % 2 else 503, response_body={"brandId": f"B{i:02d}<x>"},
                            duration_ms=12.3, attempt=1 + i % 3, started_at=start + timedelta(minutes=i),
                            context=f"submission:{i}", retry_after=None if i % 2 else 2.0))
    db.add(ProviderCall(organization_id=org.id, account_id=other.id, provider="telnyx", method="GET",
                        path="/10dlc/other-account", status=None, duration_ms=30000, attempt=1,
                        error="timed out", started_at=start))
    db.commit()
    page = as_role("viewer").get(f"/providers/{account.id}")
    assert page.status_code == 200
    html = page.text
    assert html.count("/10dlc/brand/call-") == 50  # bounded
    assert html.index("call-54") < html.index("call-53") < html.index("call-05")
    assert "call-04" not in html and "/10dlc/other-account" not in html
    assert "<details><summary>Request</summary>" in html and "submission:54" in html
    assert "B54\\u003cx\\u003e" in html and "<x>" not in html  # bodies are escaped
    assert "Retry-After 2 s" in html and "503" in html
    timeout = as_role("viewer").get(f"/providers/{other.id}").text
    assert "no response" in timeout and "timed out" in timeout


def test_the_provider_pages_need_a_bounded_number_of_queries(app, db, org, as_role, engine):
    web = as_role("viewer")
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def queries(path: str) -> int:
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            assert web.get(path).status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    first = add_account(app, db, org)
    small = queries("/providers"), queries(f"/providers/{first.id}")
    for i in range(10):
        add_account(app, db, org, label=f"Account {i}", api_key=f"KEY{i}")
        db.add(ProviderCall(organization_id=org.id, account_id=first.id, provider="telnyx", method="GET",
                            path=f"/x/{i}", status=200, duration_ms=1, attempt=1))
    db.commit()
    assert (queries("/providers"), queries(f"/providers/{first.id}")) == small
    assert max(small) <= 10
