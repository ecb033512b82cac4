"""Inbound messages over HTTP: the JSON form, Telnyx (Ed25519) and Twilio (HMAC-SHA1) webhooks; the opt-out is
committed before the response returns, the reply is the registered text, and bad callers change nothing."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.audit import Actor
from registry.consent.operations import can_send, record_event
from registry.consent.signatures import create_key, twilio_signature
from registry.db import unit_of_work

from .conftest import NUMBER, REGISTERED, SUBSCRIBER, events

ACTOR = Actor.system("tests")


@pytest.fixture
def key(consent, db):
    token = create_key(db, consent.org.id, "tests", actor=ACTOR)
    db.commit()
    return token


@pytest.fixture
def opted_in(consent, session_factory):
    from registry.campaigns.models import Campaign

    with unit_of_work(session_factory) as session:
        for campaign_id in (consent.campaign.id, consent.other.id):
            record_event(session, session.get(Campaign, campaign_id), kind="opt_in", phone=SUBSCRIBER,
                         occurred_at=datetime(2026, 1, 2, tzinfo=UTC), method="web_form",
                         source="https://www.acmedental.com/reminders", actor=ACTOR)


def send(app, key, **body):
    return app.test_client().post("/inbound/json", json={"from": SUBSCRIBER, "to": NUMBER} | body,
                                  headers={"Authorization": f"Bearer {key}"})


def test_stop_is_honoured_before_the_response_returns(app, consent, key, opted_in, engine):
    from sqlalchemy.orm import Session

    response = send(app, key, text="  Stop ", message_id="m1")
    assert response.status_code == 200
    assert response.json["action"] == "opt_out"
    assert response.json["reply"] == REGISTERED["optoutMessage"]
    with Session(engine) as fresh:  # another connection sees it committed: the request's commit came first
        assert not can_send(fresh, SUBSCRIBER, consent.campaign.id)
        assert can_send(fresh, SUBSCRIBER, consent.other.id)  # STOP is per campaign


def test_stopall_opts_out_of_every_subscribed_campaign(app, consent, key, opted_in, db):
    response = send(app, key, text="STOP ALL")
    assert response.json["action"] == "opt_out_all"
    assert sorted(response.json["campaigns"]) == ["offers", "reminders"]
    db.rollback()
    assert not can_send(db, SUBSCRIBER, consent.campaign) and not can_send(db, SUBSCRIBER, consent.other)


def test_help_and_start_answer_with_the_registered_text(app, consent, key, opted_in, db):
    assert send(app, key, text="HELP").json["reply"] == REGISTERED["helpMessage"]
    send(app, key, text="STOP")
    start = send(app, key, text="unstop")
    assert start.json["action"] == "re_opt_in" and start.json["reply"] == REGISTERED["optinMessage"]
    db.rollback()
    assert can_send(db, SUBSCRIBER, consent.campaign)
    assert [e.kind.value for e in events(db, consent.org.id)][-3:] == ["help", "opt_out", "re_opt_in"]


def test_plain_language_is_honoured_and_queued_for_review(app, consent, key, opted_in, db, as_officer):
    response = send(app, key, text="please stop texting me")
    assert response.json["flagged_for_review"] is True and response.json["action"] == "opt_out"
    db.rollback()
    assert not can_send(db, SUBSCRIBER, consent.campaign)
    page = as_officer.get("/consent/reviews")
    assert "please stop texting me" in page.text
    from registry.consent.models import ConsentInbound

    item = db.query(ConsentInbound).one()
    done = as_officer.post(f"/consent/reviews/{item.id}", {"decision": "confirmed"}, token_page="/consent/reviews")
    assert done.status_code == 302
    db.rollback()
    assert db.get(ConsentInbound, item.id).review_status.value == "confirmed"


def test_a_provider_retry_is_applied_once(app, consent, key, opted_in, db):
    first = send(app, key, text="STOP", message_id="retry-1")
    again = send(app, key, text="STOP", message_id="retry-1")
    assert again.json["duplicate"] is True and again.json["reply"] == first.json["reply"]
    assert len(events(db, consent.org.id)) == 3


def test_other_messages_record_nothing(app, consent, key, db):
    assert send(app, key, text="see you tomorrow").json["action"] == "none"
    assert events(db, consent.org.id) == []


@pytest.mark.parametrize(("body", "field"), [
    ({"from": "12"}, "from"), ({"to": "+1 nope"}, "to"), ({"text": 5}, "text"),
    ({"received_at": "yesterday"}, "received_at"), ({"to": None}, "to"),
])
def test_bad_json_bodies_get_a_field_level_400(app, consent, key, db, body, field):
    response = send(app, key, **({"text": "STOP"} | body))
    assert response.status_code == 400 and response.json["field"] == field
    assert events(db, consent.org.id) == []


def test_unknown_or_missing_key_is_refused(app, consent, db):
    assert app.test_client().post("/inbound/json", json={"from": SUBSCRIBER, "to": NUMBER, "text": "STOP"}
                                  ).status_code == 401
    assert send(app, "rci_wrong", text="STOP").status_code == 401
    assert events(db, consent.org.id) == []


@pytest.fixture
def account(consent, db, app):
    from registry.provider_accounts.crypto import app_fernet
    from registry.provider_accounts.operations import create_account

    private = Ed25519PrivateKey.generate()
    public = base64.b64encode(private.public_key().public_bytes_raw()).decode()
    with app.app_context():
        stored = create_account(db, consent.org, app_fernet(app), provider="telnyx", label="Telnyx", api_key="k",
                                webhook_public_key=public, webhook_secret="twilio-auth-token", actor=ACTOR)
    db.commit()
    stored.private = private
    return stored


def telnyx_body(text: str, message_id: str = "b3d4") -> bytes:
    return json.dumps({"data": {"event_type": "message.received", "id": "evt-1",
                                "occurred_at": "2026-03-01T10:00:00.000+00:00",
                                "payload": {"id": message_id, "direction": "inbound", "text": text,
                                            "from": {"phone_number": SUBSCRIBER},
                                            "to": [{"phone_number": NUMBER}]}}}).encode()


def test_telnyx_inbound_is_signature_checked(app, consent, account, opted_in, db):
    raw = telnyx_body("STOP")
    stamp = str(int(time.time()))
    signature = base64.b64encode(account.private.sign(stamp.encode() + b"|" + raw)).decode()
    url = f"/inbound/telnyx/{account.public_id}"
    client = app.test_client()
    forged = client.post(url, data=raw, headers={"telnyx-timestamp": stamp, "telnyx-signature-ed25519":
                                                 base64.b64encode(b"x" * 64).decode()})
    assert forged.status_code == 401
    ok = client.post(url, data=raw, headers={"telnyx-timestamp": stamp, "telnyx-signature-ed25519": signature,
                                             "Content-Type": "application/json"})
    assert ok.status_code == 200 and ok.json["reply"] == REGISTERED["optoutMessage"]
    db.rollback()
    assert not can_send(db, SUBSCRIBER, consent.campaign)
    assert client.post("/inbound/telnyx/nope", data=raw).status_code == 404


def test_twilio_inbound_answers_twiml(app, consent, account, opted_in, db):
    params = {"MessageSid": "SM123", "From": SUBSCRIBER, "To": NUMBER, "Body": "help"}
    url = f"http://registry.test/inbound/twilio/{account.public_id}"
    client = app.test_client()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    bad = client.post(url, data=urlencode(params), headers=headers | {"X-Twilio-Signature": "AAAA"})
    assert bad.status_code == 401
    signature = twilio_signature(url, {k: [v] for k, v in params.items()}, "twilio-auth-token")
    ok = client.post(url, data=urlencode(params), headers=headers | {"X-Twilio-Signature": signature})
    assert ok.status_code == 200 and ok.mimetype == "text/xml"
    assert "<Message>Acme Dental: appointment reminders." in ok.text
