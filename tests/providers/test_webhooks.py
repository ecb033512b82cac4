"""Webhook signatures (valid, invalid, expired) and delivery with duplicates, reordering and drops."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from registry.providers.base import CarrierState, EventEntity, Lifecycle, ProviderError, ProviderErrorKind
from registry.providers.simulator import Simulator
from registry.providers.simulator.webhooks import keypair, public_key_b64, sign
from registry.providers.telnyx import TelnyxProvider
from registry.providers.telnyx_webhooks import parse_events

from .conftest import Harness, Receiver
from .payloads import brand, campaign

KEY = keypair("test-account")
PUBLIC = public_key_b64(KEY)
BODY = json.dumps(
    {
        "data": {
            "event_type": "10dlc.campaign.update",
            "id": "evt-1",
            "occurred_at": "2026-03-05T14:01:02.000+00:00",
            "record_type": "event",
            "payload": {
                "campaignId": "c-1",
                "type": "MNO_REVIEW",
                "status": "REJECTED",
                "description": "T-Mobile: opt-out language missing",
            },
        },
        "meta": {"attempt": 2, "delivered_to": "https://app.example/webhooks/telnyx/a?ref=camp-7"},
    }
).encode()
NOW = 1_772_000_000


def provider(now: float = NOW, key: str = PUBLIC) -> TelnyxProvider:
    return TelnyxProvider("KEYx", base_url="http://127.0.0.1:9/v2", webhook_public_key=key, wall=lambda: now)


def test_a_valid_signature_verifies_and_parses() -> None:
    p = provider()
    headers = sign(KEY, BODY, NOW - 10)
    assert p.verify_webhook("https://app.example/webhooks/telnyx/a", headers, BODY)
    [event] = p.parse_webhook(headers, BODY)
    assert (event.entity, event.provider_id, event.dedupe_key) == (
        EventEntity.CAMPAIGN,
        "c-1",
        "telnyx:evt-1",
    )
    assert (event.carrier, event.carrier_state) == ("10035", CarrierState.REJECTED)
    assert (event.attempt, event.client_ref) == (2, "camp-7")
    assert event.occurred_at is not None
    assert event.occurred_at.tzinfo is not None
    p.close()


@pytest.mark.parametrize(
    ("label", "headers", "body", "reason"),
    [
        ("tampered body", sign(KEY, BODY, NOW), BODY.replace(b"REJECTED", b"ACCEPTED"), "does not match"),
        ("other key", sign(keypair("attacker"), BODY, NOW), BODY, "does not match"),
        ("expired", sign(KEY, BODY, NOW - 301), BODY, "away from now"),
        ("from the future", sign(KEY, BODY, NOW + 301), BODY, "away from now"),
        ("no signature", {"telnyx-timestamp": str(NOW)}, BODY, "missing telnyx-signature-ed25519"),
        (
            "no timestamp",
            {"telnyx-signature-ed25519": sign(KEY, BODY, NOW)["telnyx-signature-ed25519"]},
            BODY,
            "missing telnyx-timestamp",
        ),
        (
            "timestamp swapped",
            {**sign(KEY, BODY, NOW), "telnyx-timestamp": str(NOW - 1)},
            BODY,
            "does not match",
        ),
        ("not base64", {**sign(KEY, BODY, NOW), "telnyx-signature-ed25519": "%%%"}, BODY, "not base64"),
    ],
)
def test_bad_signatures_are_rejected(label: str, headers: dict[str, str], body: bytes, reason: str) -> None:
    p = provider()
    assert not p.verify_webhook("u", headers, body), label
    with pytest.raises(ProviderError) as caught:
        p.check_webhook(headers, body)
    assert caught.value.kind is ProviderErrorKind.AUTH
    assert reason in caught.value.message
    p.close()


def test_headers_are_matched_case_insensitively_and_the_window_is_300_seconds() -> None:
    headers = {k.title(): v for k, v in sign(KEY, BODY, NOW - 300).items()}
    assert provider().verify_webhook("u", headers, BODY)


def test_no_public_key_means_nothing_verifies() -> None:
    p = TelnyxProvider("KEYx", base_url="http://127.0.0.1:9/v2")
    assert not p.verify_webhook("u", sign(KEY, BODY, int(time.time())), BODY)


@pytest.mark.parametrize(
    ("event_type", "payload", "entity", "lifecycle"),
    [
        (
            "10dlc.brand.update",
            {"brandId": "b", "type": "REGISTRATION", "status": "failed"},
            EventEntity.BRAND,
            Lifecycle.FAILED,
        ),
        (
            "10dlc.brand.update",
            {"brandId": "b", "type": "ORDER_EXTERNAL_VETTING", "status": "success"},
            EventEntity.VETTING,
            Lifecycle.APPROVED,
        ),
        (
            "10dlc.brand.update",
            {"brandId": "b", "type": "TCR_BRAND_UPDATE", "eventType": "BRAND_ADD"},
            EventEntity.BRAND,
            None,
        ),
        (
            "10dlc.campaign.update",
            {"campaignId": "c", "type": "TELNYX_REVIEW", "status": "REJECTED"},
            EventEntity.CAMPAIGN,
            Lifecycle.REJECTED,
        ),
        (
            "10dlc.campaign.update",
            {"campaignId": "c", "type": "VERIFIED"},
            EventEntity.CAMPAIGN,
            Lifecycle.APPROVED,
        ),
        (
            "10dlc.campaign.update",
            {"campaignId": "c", "type": "TELNYX_EVENT", "status": "DORMANT"},
            EventEntity.CAMPAIGN,
            Lifecycle.SUSPENDED,
        ),
        (
            "10dlc.campaign.update",
            {"campaignId": "c", "type": "TCR_EVENT", "eventType": "CAMPAIGN_EXPIRED"},
            EventEntity.CAMPAIGN,
            Lifecycle.DEACTIVATED,
        ),
        (
            "10dlc.phone_number.update",
            {"phoneNumber": "+15035550123", "type": "ASSIGNMENT", "status": "success"},
            EventEntity.NUMBER,
            Lifecycle.APPROVED,
        ),
        (
            "10dlc.phone_number.update",
            {"phoneNumber": "+15035550123", "type": "DELETION", "status": "success"},
            EventEntity.NUMBER,
            Lifecycle.DEACTIVATED,
        ),
        (
            "10dlc.phone_number.update",
            {"phoneNumber": "+15035550123", "type": "STATUS_UPDATE", "status": "PENDING"},
            EventEntity.NUMBER,
            Lifecycle.PENDING,
        ),
    ],
)
def test_event_hints(event_type: str, payload: dict, entity: EventEntity, lifecycle: Lifecycle | None) -> None:
    body = json.dumps({"data": {"event_type": event_type, "id": "e", "payload": payload}, "meta": {}}).encode()
    [event] = parse_events(body)
    assert (event.entity, event.lifecycle) == (entity, lifecycle)


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"data": {"id": "x"}}', b'{"data": {"id": "x", "event_type": "call.initiated"}}'],
)
def test_malformed_webhook_bodies(body: bytes) -> None:
    with pytest.raises(ProviderError) as caught:
        parse_events(body)
    assert caught.value.kind is ProviderErrorKind.MALFORMED


def _journey_events(h: Harness, sim: Simulator, receiver: Receiver) -> str:
    h.provider.webhook_url = receiver.url
    brand_id = h.provider.create_brand(brand(), client_ref="b").provider_id
    sim.advance(minutes=2)
    return h.provider.create_campaign(brand_id, campaign(), client_ref="c").provider_id


def test_duplicate_deliveries_share_a_dedupe_key(harness: Harness, sim: Simulator, receiver: Receiver) -> None:
    sim.configure_webhooks(duplicate_probability=1.0)
    _journey_events(harness, sim, receiver)
    sim.advance(days=5)
    events = [e for r in receiver.requests for e in harness.provider.parse_webhook(r.headers, r.body)]
    assert all(harness.provider.verify_webhook(receiver.url, r.headers, r.body) for r in receiver.requests)
    keys = [e.dedupe_key for e in events]
    assert len(keys) == 2 * len(set(keys))
    assert len({e.dedupe_key for e in events if e.lifecycle is Lifecycle.APPROVED}) == 1


def test_out_of_order_delivery_is_harmless_when_the_handler_refetches(
    harness: Harness, sim: Simulator, receiver: Receiver
) -> None:
    sim.configure_webhooks(order="reverse")
    campaign_id = _journey_events(harness, sim, receiver)
    seen: list[Lifecycle | None] = []
    receiver.on_request = lambda item: seen.append(
        harness.provider.get_campaign(campaign_id).lifecycle if b"campaign.update" in item.body else None
    )
    sim.advance(days=5)  # every transition in one step: events arrive newest first
    events = [e for r in receiver.requests for e in harness.provider.parse_webhook(r.headers, r.body)]
    campaign_events = [e for e in events if e.entity is EventEntity.CAMPAIGN]
    times = [e.occurred_at for e in campaign_events]
    assert times == sorted(times, reverse=True)
    assert times[0] != times[-1]
    assert campaign_events[0].lifecycle is Lifecycle.APPROVED  # the last transition arrived first
    # re-fetching on any event (even the oldest, arriving last) gives the current state
    assert {s for s in seen if s is not None} == {Lifecycle.APPROVED}


def test_dropped_webhooks_leave_the_state_readable(harness: Harness, sim: Simulator, receiver: Receiver) -> None:
    sim.configure_webhooks(drop_probability=1.0)
    campaign_id = _journey_events(harness, sim, receiver)
    sim.advance(days=5)
    assert receiver.requests == []
    assert all(d.dropped for d in sim.deliveries)
    assert harness.provider.get_campaign(campaign_id).lifecycle is Lifecycle.APPROVED  # the sync finds it


def test_failed_deliveries_are_retried_with_a_growing_attempt(
    harness: Harness, sim: Simulator, receiver: Receiver
) -> None:
    harness.provider.webhook_url = receiver.url
    receiver.status = 500
    harness.provider.create_brand(brand(), client_ref="b")
    sim.advance(minutes=2)
    receiver.status = 200
    sim.advance(minutes=1)
    sim.advance(minutes=1)
    attempts = [harness.provider.parse_webhook(r.headers, r.body)[0].attempt for r in receiver.requests]
    assert attempts == [1, 2]
    assert len({harness.provider.parse_webhook(r.headers, r.body)[0].dedupe_key for r in receiver.requests}) == 1


def test_simulator_can_send_expired_or_foreign_signatures(harness: Harness, sim: Simulator, receiver: Receiver) -> None:
    sim.configure_webhooks(timestamp_skew=-900)
    harness.provider.webhook_url = receiver.url
    harness.provider.create_brand(brand(), client_ref="b")
    sim.advance(minutes=2)
    sim.configure_webhooks(timestamp_skew=0, sign_with="someone-else")
    harness.provider.create_brand(brand(displayName="Second Clinic"), client_ref="b2")
    sim.advance(minutes=2)
    sim.configure_webhooks(sign_with=None)
    assert len(receiver.requests) == 2
    assert not any(harness.provider.verify_webhook(receiver.url, r.headers, r.body) for r in receiver.requests)


def test_the_receiver_may_call_the_simulator_back_during_delivery(
    make_provider: Callable[..., Harness], sim: Simulator, receiver: Receiver
) -> None:
    h = make_provider(webhook_url=receiver.url)
    fetched = []
    receiver.on_request = lambda item: fetched.append(
        h.provider.get_brand(json.loads(item.body)["data"]["payload"]["brandId"]).lifecycle
    )
    h.provider.create_brand(brand(), client_ref="b")
    sim.advance(minutes=2)
    assert fetched == [Lifecycle.APPROVED]  # the GET reflects what the webhook announced
