"""Recording events one at a time: validation, the subscription state, can_send, idempotency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from registry.audit import Actor
from registry.consent.chain import verify_consent_organization
from registry.consent.operations import can_send, record_event
from registry.db import unit_of_work
from registry.errors import UserValueError

from .conftest import CTA, SUBSCRIBER, events

ACTOR = Actor.system("tests")


def _record(factory, campaign_id, **kw):
    from registry.campaigns.models import Campaign

    values = {"kind": "opt_in", "phone": SUBSCRIBER, "occurred_at": datetime.now(UTC) - timedelta(hours=1),
              "method": "web_form", "source": "https://www.acmedental.com/reminders", "actor": ACTOR} | kw
    with unit_of_work(factory) as session:
        return record_event(session, session.get(Campaign, campaign_id), **values)


def test_opt_in_then_opt_out_is_refused_from_that_moment(consent, session_factory, db):
    assert not can_send(db, SUBSCRIBER, consent.campaign)
    _record(session_factory, consent.campaign.id, disclosure_text=CTA, ip="203.0.113.9", user_agent="Mozilla/5.0")
    db.rollback()
    assert can_send(db, SUBSCRIBER, consent.campaign)
    assert not can_send(db, SUBSCRIBER, consent.other)  # consent is per campaign (CONSENT-NO-TRANSFER)
    _record(session_factory, consent.campaign.id, kind="opt_out", method="keyword", source=None,
            occurred_at=datetime.now(UTC))
    db.rollback()
    decision = can_send(db, "(312) 555-0142", consent.campaign)
    assert not decision and "opted out" in decision.reason
    assert [e.seq for e in events(db, consent.org.id)] == [1, 2]
    assert verify_consent_organization(db, consent.org.id) is None


def test_an_older_opt_in_never_overrides_a_newer_opt_out(consent, session_factory, db):
    now = datetime.now(UTC)
    _record(session_factory, consent.campaign.id, kind="opt_out", method="keyword", occurred_at=now)
    _record(session_factory, consent.campaign.id, occurred_at=now - timedelta(days=30))
    db.rollback()
    assert not can_send(db, SUBSCRIBER, consent.campaign)
    _record(session_factory, consent.campaign.id, kind="re_opt_in", method="keyword", source="START to +13125550100",
            occurred_at=now + timedelta(seconds=1))
    db.rollback()
    assert can_send(db, SUBSCRIBER, consent.campaign)


def test_the_same_event_twice_is_recorded_once(consent, session_factory, db):
    when = datetime(2026, 1, 5, 14, 3, tzinfo=UTC)
    first = _record(session_factory, consent.campaign.id, occurred_at=when)
    again = _record(session_factory, consent.campaign.id, occurred_at=when.isoformat())
    assert first.seq == 1 and again.duplicate
    assert len(events(db, consent.org.id)) == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"phone": "555"}, "phone"),
    ({"kind": "subscribe"}, "event"),
    ({"method": "carrier pigeon"}, "method"),
    ({"occurred_at": "2026-01-05 14:03"}, "occurred_at"),
    ({"occurred_at": datetime.now(UTC) + timedelta(days=1)}, "occurred_at"),
    ({"source": ""}, "source"),
    ({"ip": "300.1.2.3"}, "ip"),
])
def test_bad_input_names_its_field_and_records_nothing(consent, session_factory, db, change, field):
    with pytest.raises(UserValueError) as caught:
        _record(session_factory, consent.campaign.id, **change)
    assert caught.value.field == field
    assert events(db, consent.org.id) == []


def test_disclosures_are_versioned_by_their_text(consent, session_factory, db):
    from registry.consent.disclosures import disclosure_status

    _record(session_factory, consent.campaign.id, disclosure_text=CTA)
    _record(session_factory, consent.campaign.id, phone="+13125550143", disclosure_text="  " + CTA + "\r\n")
    _record(session_factory, consent.campaign.id, phone="+13125550144", disclosure_text="Text JOIN for deals!",
            occurred_at=datetime.now(UTC))  # after the registration: the drift matters
    db.rollback()
    status = disclosure_status(db, consent.campaign)
    assert [(v.disclosure.version, v.opt_ins, v.registered) for v in status.versions] == [(1, 2, True),
                                                                                          (2, 1, False)]
    assert status.versions[0].disclosure.revision_id == consent.revision.id
    assert {f["rule"] for f in status.versions[1].disclosure.findings} == {"CAMPAIGN-CTA-DISCLOSURES"}
    assert len(status.warnings) == 1 and "v2" in status.warnings[0]
