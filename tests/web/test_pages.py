"""The rules page, the lint API, CSRF on every POST, and a bounded number of queries per page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.rules import CATALOG


def test_the_rules_page_lists_every_rule_with_its_source(as_role):
    page = as_role("viewer").get("/rules").text
    for rule_id in CATALOG:
        assert f'id="{rule_id}"' in page
    assert "How to fix" in page and "Source" in page


def test_the_rules_page_searches(as_role):
    page = as_role("viewer").get("/rules?q=shortener").text
    assert 'id="CONTENT-PUBLIC-SHORTENER"' in page and 'id="BRAND-EIN-FORMAT"' not in page


def test_the_lint_api_uses_the_same_engine(as_role):
    web = as_role("viewer")
    response = web.client.post("/api/lint", json={"brand": {"entityType": "PRIVATE_PROFIT", "ein": "12345"}},
                               headers={"X-CSRFToken": web.token()})
    assert response.status_code == 200
    body = response.json
    assert body["verdict"] == "reject"
    assert any(f["rule"] == "BRAND-EIN-FORMAT" and f["field"] == "ein" for f in body["findings"])


def test_the_lint_api_refuses_bad_input_clearly(as_role):
    web = as_role("viewer")
    headers = {"X-CSRFToken": web.token(), "Accept": "application/json"}
    assert web.client.post("/api/lint", data="not json", headers=headers).status_code == 400
    wrong = web.client.post("/api/lint", json={"brand": {"ein": 123}}, headers=headers)
    assert wrong.status_code == 400 and "ein" in wrong.json["error"]["message"]
    assert web.client.post("/api/lint", json={"brandId": 999999, "campaign": {}}, headers=headers).status_code == 404


def test_the_lint_api_needs_csrf(as_role):
    assert as_role("viewer").client.post("/api/lint", json={"brand": {}}).status_code == 400


def test_every_post_without_a_csrf_token_is_refused(app, as_role):
    web = as_role("admin")
    checked = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint.startswith("webhooks"):
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<id:{arg}>", "1").replace(f"<{arg}>", "x")
        response = web.client.post(url, data={})
        assert response.status_code == 400, (rule.rule, response.status_code)
        checked += 1
    assert checked >= 10


@pytest.fixture
def count_queries(engine):
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    yield statements
    sa.event.remove(engine, "before_cursor_execute", before)


def _populate(db, org, create_brand, n: int) -> None:
    from registry.campaigns.operations import create_campaign
    from registry.numbers.operations import add_number
    from tests.factories import CAMPAIGN_PAYLOAD, TEST_ACTOR

    for i in range(n):
        brand = create_brand(org, referenceId=f"b{n}-{i}")
        create_campaign(db, org, brand, {**CAMPAIGN_PAYLOAD, "referenceId": f"c{n}-{i}"}, actor=TEST_ACTOR)
        add_number(db, org, f"+1312555{n:02d}{i:02d}", actor=TEST_ACTOR)
    db.commit()


@pytest.mark.parametrize("path", ["/", "/brands", "/campaigns", "/numbers", "/reviews", "/audit", "/providers"])
def test_pages_need_a_bounded_number_of_queries(path, as_role, db, org, create_brand, count_queries):
    web = as_role("compliance_officer")
    _populate(db, org, create_brand, 3)
    count_queries.clear()
    assert web.get(path).status_code == 200
    small = len(count_queries)
    _populate(db, org, create_brand, 30)
    count_queries.clear()
    assert web.get(path).status_code == 200
    assert len(count_queries) == small, f"{path}: {small} queries with 3 records, {len(count_queries)} with 33"
    assert small <= 15


def test_the_dashboard_lists_campaign_terms_ending_soon(as_role, db, org, create_brand, create_campaign):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from registry.states import RegistrationStatus

    today = datetime.now(ZoneInfo(org.timezone)).date()
    brand = create_brand(org)
    cases = {  # reference: (days until the term ends, auto-renewal, status)
        "ends-soon": (9, False, RegistrationStatus.APPROVED),
        "renews-soon": (3, True, RegistrationStatus.APPROVED),
        "ends-later": (45, False, RegistrationStatus.APPROVED),
        "ended-before": (-2, False, RegistrationStatus.APPROVED),
        "deactivated": (5, False, RegistrationStatus.DEACTIVATED),
    }
    for reference, (days, renews, status) in cases.items():
        campaign = create_campaign(brand, referenceId=reference, autoRenewal=renews)
        campaign.term_ends_on, campaign.status = today + timedelta(days=days), status
    create_campaign(brand, referenceId="no-date")  # the provider reported none (a draft, or Twilio)
    db.commit()

    html = as_role("submitter").get("/").get_data(as_text=True)
    card = html[html.index('id="terms-h"'):]
    card = card[:card.index("</section>")]
    assert "1 expiring" in card
    assert card.index("ends-soon") < card.index("renews-soon")  # what expires comes first
    assert "expires: auto-renewal is off" in card and "renews (auto-renewal on)" in card
    assert (today + timedelta(days=9)).isoformat() in card
    for absent in ("ends-later", "ended-before", "deactivated", "no-date"):
        assert absent not in card


def test_the_dashboard_says_when_no_term_ends(as_role):
    html = as_role("submitter").get("/").get_data(as_text=True)
    assert "No campaign term ends in the next 30 days" in html


def test_the_campaign_page_shows_when_its_term_ends(as_role, db, org, create_brand, create_campaign):
    from datetime import date

    campaign = create_campaign(create_brand(org), autoRenewal=False)
    campaign.term_ends_on = date(2027, 2, 27)
    db.commit()
    html = as_role("submitter").get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert "2027-02-27" in html and "then it expires: auto-renewal is off" in html
