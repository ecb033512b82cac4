"""Pages and the CLI proof: roles, CSRF, the timeline, the disclosure-drift warning, the dashboard metrics."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from flask import render_template

from registry.audit import Actor
from registry.consent.operations import record_event
from registry.db import unit_of_work

from .conftest import CTA, SUBSCRIBER, events

ACTOR = Actor.system("tests")
FORM = {"event": "opt_in", "phone": "(312) 555-0142", "occurred_at": "2026-01-05 14:03", "method": "web_form",
        "source": "https://www.acmedental.com/reminders", "disclosure_text": CTA, "ip": "203.0.113.9",
        "user_agent": "Mozilla/5.0"}


def _record(factory, campaign_id, **kw):
    from registry.campaigns.models import Campaign

    with unit_of_work(factory) as session:
        return record_event(session, session.get(Campaign, campaign_id), **({
            "kind": "opt_in", "phone": SUBSCRIBER, "occurred_at": datetime.now(UTC), "method": "web_form",
            "source": "https://www.acmedental.com/reminders", "actor": ACTOR} | kw))


def test_submitter_records_an_event_from_the_form(as_role, consent, db):
    web = as_role("submitter")
    response = web.post("/consent/record", FORM | {"campaign": str(consent.campaign.id)}, token_page="/consent")
    assert response.status_code == 302 and response.location.endswith(f"/consent/{SUBSCRIBER}")
    [event] = events(db, consent.org.id)
    assert event.recorded_by == "submitter@acme.example"
    assert event.occurred_at == datetime(2026, 1, 5, 19, 3, tzinfo=UTC)  # 14:03 New York time
    page = web.get(f"/consent/{SUBSCRIBER}")
    assert "Msg &amp; data rates may apply" in page.text and "May be texted" in page.text


def test_form_errors_are_shown_on_their_field(as_role, consent, db):
    web = as_role("submitter")
    response = web.post("/consent/record", FORM | {"campaign": str(consent.campaign.id), "phone": "12",
                                                    "ip": "nope"}, token_page="/consent")
    assert response.status_code == 422 and "is not a" in response.text
    assert events(db, consent.org.id) == []


def test_viewer_cannot_record_or_import(as_role, consent, db):
    web = as_role("viewer")
    assert "Record an event" not in web.get("/consent").text
    assert web.post("/consent/record", FORM | {"campaign": str(consent.campaign.id)},
                    token_page="/consent").status_code == 403
    assert web.post("/consent/import", {}, token_page="/consent").status_code == 403
    assert web.post(f"/consent/campaigns/{consent.campaign.id}/disclosures", {"text": CTA},
                    token_page="/consent").status_code == 403
    assert events(db, consent.org.id) == []


@pytest.mark.parametrize("path", ["/consent/record", "/consent/import", "/consent/reviews/1",
                                  "/consent/campaigns/1/disclosures"])
def test_every_form_needs_its_csrf_token(as_role, consent, path):
    web = as_role("admin")
    assert web.client.post(path, data={"text": CTA, "decision": "confirmed"}).status_code == 400


def test_other_organizations_see_nothing(as_role, consent, session_factory, create_org, create_user, make_web):
    _record(session_factory, consent.campaign.id)
    outsider_org = create_org("Elsewhere")
    create_user(outsider_org, "admin", email="other@elsewhere.example")
    web = make_web()
    web.login("other@elsewhere.example")
    assert "No consent on record" in web.get(f"/consent/{SUBSCRIBER}").text


def test_disclosure_drift_warning_on_the_campaign_partial_and_in_show(app, consent, session_factory, db, db_url):
    _record(session_factory, consent.campaign.id, disclosure_text=CTA)
    _record(session_factory, consent.campaign.id, phone="+13125550143",
            disclosure_text="Get deals by text! Reply STOP to stop.")
    from registry.campaigns.models import Campaign
    from registry.db import get_session

    with app.test_request_context():
        from flask import g

        campaign = get_session().get(Campaign, consent.campaign.id)
        g.organization = campaign.organization
        html = render_template("consent/_campaign_disclosures.html", campaign=campaign, can=lambda p: False)
    assert "Disclosure v2 (shown at 1 opt-in(s)" in html and "differs from the message flow registered" in html
    assert "CAMPAIGN-CTA-DISCLOSURES" in html
    from registry.cli import cli

    result = CliRunner().invoke(cli, ["consent", "show", "+13125550143", "--org", "acme-consent"],
                                env={"DATABASE_URL": db_url})
    assert result.exit_code == 0, result.output
    assert "WARNING reminders: Disclosure v2" in result.output
    assert "disclosure v2" in result.output and "Get deals by text!" in result.output


def test_consent_show_json_and_bad_numbers(consent, session_factory, db_url):
    _record(session_factory, consent.campaign.id, disclosure_text=CTA)
    _record(session_factory, consent.campaign.id, kind="opt_out", method="keyword", source="STOP to +13125550100",
            occurred_at=datetime.now(UTC) + timedelta(seconds=1))
    from registry.cli import cli

    runner = CliRunner()
    out = runner.invoke(cli, ["consent", "show", SUBSCRIBER, "--format", "json"], env={"DATABASE_URL": db_url})
    data = json.loads(out.output)
    assert [e["event"] for e in data["events"]] == ["opt_in", "opt_out"]
    assert data["events"][0]["disclosure"]["text"] == CTA
    assert data["current"] == [{"campaign": "reminders", "state": "opted_out", "since": data["current"][0]["since"],
                                "method": "keyword"}]
    assert runner.invoke(cli, ["consent", "show", "12"], env={"DATABASE_URL": db_url}).exit_code == 2


def test_dashboard_shows_opt_out_rates_against_thresholds(as_role, consent, session_factory):
    today = datetime.now(UTC).replace(hour=12)
    for i in range(20):
        _record(session_factory, consent.campaign.id, phone=f"+131255502{i:02d}", occurred_at=today - timedelta(days=3))
    _record(session_factory, consent.campaign.id, phone="+13125550200", kind="opt_out", method="keyword",
            occurred_at=today - timedelta(days=1))
    page = as_role("viewer").get("/")
    assert page.status_code == 200
    assert "Opt-outs" in page.text and "<svg" in page.text and "5.0 %" in page.text  # 1 of 20
    assert "Act: above 5 %" in page.text
