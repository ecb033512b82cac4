"""Webhooks: signature and timestamp checked (401), deduplicated by event id, stored raw, never applied from
the body; duplicates, reordering and drops change nothing the sync does not reconcile."""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa

from registry.audit import Actor
from registry.provider_accounts.adapters import build_provider
from registry.providers.simulator.webhooks import keypair, sign
from registry.states import RegistrationStatus
from registry.sync.apply import apply_campaign
from registry.sync.models import SyncState
from registry.webhooks.models import WebhookEvent, WebhookResult

from .conftest import Flow

R = RegistrationStatus
ORDER = ["draft", "awaiting_review", "queued", "submitted", "pending", "in_review", "approved"]


def sent_brand(flow: Flow):
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    return brand


def events(flow: Flow) -> list[WebhookEvent]:
    flow.db.rollback()
    return list(flow.db.scalars(sa.select(WebhookEvent).order_by(WebhookEvent.id)))


def test_duplicate_deliveries_are_stored_once_and_answered_200(flow: Flow) -> None:
    flow.sim.configure_webhooks(duplicate_probability=1.0)
    brand = sent_brand(flow)
    flow.advance(minutes=2)
    deliveries = flow.sim.deliveries
    assert len(deliveries) == 2 and [d.status for d in deliveries] == [200, 200]
    [event] = events(flow)
    assert event.result is WebhookResult.QUEUED and event.body == deliveries[0].body.decode()
    assert event.event_type == "10dlc.brand.update:TCR_BRAND_UPDATE" and event.provider_ref
    flow.run()
    assert flow.timeline(flow.get(brand)).count(("pending", "approved")) == 1


def test_reordered_events_never_move_a_registration_backwards(flow: Flow) -> None:
    flow.sim.configure_webhooks(order="reverse", duplicate_probability=0.5, seed=3)
    brand = sent_brand(flow)
    flow.advance(minutes=2)
    flow.run()
    campaign = flow.campaign(flow.get(brand))
    flow.approve(campaign)
    flow.run()
    flow.advance(days=5)  # every step of the chain at once: a burst of events, delivered newest first
    flow.run()
    campaign = flow.get(campaign)
    assert campaign.status is R.APPROVED
    steps = [(ORDER.index(a), ORDER.index(b)) for a, b in flow.timeline(campaign)]
    assert all(b > a for a, b in steps), flow.timeline(campaign)
    assert len({e.dedupe_key for e in events(flow)}) == len(events(flow))


def test_an_older_observation_is_never_applied_over_a_newer_one(flow: Flow) -> None:
    brand = sent_brand(flow)
    flow.advance(minutes=2)
    flow.run()
    campaign = flow.campaign(flow.get(brand))
    flow.approve(campaign)
    flow.run()
    state = flow.state("campaign", campaign.id)
    with flow.app.app_context():
        provider = build_provider(flow.app, flow.account, record=False)
        old = provider.get_campaign(state.provider_ref)  # TCR_PENDING, as seen now
        flow.advance(minutes=10)
        flow.run()
        assert flow.get(campaign).status is R.IN_REVIEW
        provider.close()
    state = flow.db.get(SyncState, state.id)
    applied = apply_campaign(
        flow.db,
        state,
        flow.db.get(type(campaign), campaign.id),
        old,
        actor=Actor.system("tests"),
        source="sync",
        now=flow.clock(),
        config=flow.app.config,
    )
    assert applied.stale and applied.changes == 0
    flow.db.commit()
    assert flow.get(campaign).status is R.IN_REVIEW


def test_missing_webhooks_are_reconciled_by_the_scheduled_sync(flow: Flow) -> None:
    flow.sim.configure_webhooks(drop_probability=1.0)
    brand = sent_brand(flow)
    flow.sim.advance(minutes=2)  # the provider moves on; every webhook is lost; our clock has not moved
    assert events(flow) == []
    assert flow.run().items == 0
    assert flow.get(brand).status is R.PENDING
    flow.clock.advance(minutes=3)  # the item's scheduled look is due
    assert flow.run().items == 1
    assert flow.get(brand).status is R.APPROVED
    assert flow.timeline(brand)[-1] == ("pending", "approved")


def test_an_event_for_an_unknown_object_is_kept_as_unmatched(flow: Flow) -> None:
    flow.sim.configure_webhooks(
        default_url=f"{flow.app.config['PUBLIC_URL']}/webhooks/sandbox/{flow.account.public_id}"
    )
    with flow.app.app_context():
        provider = build_provider(flow.app, flow.account, record=False)
        provider.webhook_url = None
        from tests.providers.payloads import brand as brand_payload

        provider.create_brand(brand_payload(), client_ref="made-elsewhere")
        provider.close()
    flow.advance(minutes=2)
    [event] = events(flow)
    assert event.result is WebhookResult.UNMATCHED and event.sync_state_id is None


# --- authentication ------------------------------------------------------------------------------------------


@pytest.fixture
def endpoint(flow: Flow) -> str:
    return f"/webhooks/sandbox/{flow.account.public_id}"


def body_for(provider_ref: str = "00000000-0000-4000-8000-000000000000", event_id: str = "evt-1") -> bytes:
    return json.dumps(
        {
            "data": {
                "event_type": "10dlc.brand.update",
                "id": event_id,
                "occurred_at": "2026-03-02T17:02:00.000Z",
                "record_type": "event",
                "payload": {"brandId": provider_ref, "type": "TCR_BRAND_UPDATE", "status": "success"},
            },
            "meta": {"attempt": 1, "delivered_to": "x"},
        }
    ).encode()


def post(flow: Flow, url: str, body: bytes, headers: dict[str, str]):
    return flow.app.test_client().post(url, data=body, headers={"Content-Type": "application/json", **headers})


def test_signed_events_are_accepted_and_anything_else_is_refused(flow: Flow, endpoint: str) -> None:
    key = flow.sim.sandbox.webhooks.key
    body = body_for()
    good = sign(key, body, int(time.time()))
    assert post(flow, endpoint, body, good).status_code == 200
    assert post(flow, endpoint, body, good).json == {"received": 1, "new": 0, "duplicates": 1, "queued": 0}
    tampered = body.replace(b"success", b"failed")
    cases = {
        "tampered body": (tampered, good),
        "no signature": (body, {}),
        "other key": (body, sign(keypair("someone else"), body, int(time.time()))),
        "stale timestamp": (body, sign(key, body, int(time.time()) - 600)),
        "future timestamp": (body, sign(key, body, int(time.time()) + 600)),
        "garbage signature": (body, {**good, "telnyx-signature-ed25519": "not base64!"}),
    }
    for name, (payload, headers) in cases.items():
        response = post(flow, endpoint, payload, headers)
        assert response.status_code == 401, name
    assert len(events(flow)) == 1


def test_unknown_endpoints_and_unreadable_events_never_500(flow: Flow, endpoint: str) -> None:
    key = flow.sim.sandbox.webhooks.key
    now = int(time.time())
    body = body_for()
    assert post(flow, "/webhooks/sandbox/nope", body, sign(key, body, now)).status_code == 404
    assert post(flow, endpoint.replace("sandbox", "telnyx"), body, sign(key, body, now)).status_code == 404
    assert post(flow, "/webhooks/" + "x" * 50 + "/y", body, {}).status_code == 404
    for bad in (b"not json", b"[]", b'{"data": {}}', json.dumps({"data": {"id": "e", "event_type": "x.y"}}).encode()):
        assert post(flow, endpoint, bad, sign(key, bad, now)).status_code == 400
    huge = b" " * (300 * 1024)
    assert post(flow, endpoint, huge, sign(key, huge, now)).status_code == 413
    assert flow.app.test_client().get(endpoint).status_code == 405
    assert events(flow) == []


def test_expired_signatures_from_the_provider_are_refused_and_retried_by_it(flow: Flow) -> None:
    flow.sim.configure_webhooks(timestamp_skew=-600)
    sent_brand(flow)
    flow.advance(minutes=2)
    assert [d.status for d in flow.sim.deliveries] == [401]
    assert events(flow) == []
