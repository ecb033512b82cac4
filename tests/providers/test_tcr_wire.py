# ruff: noqa: F811 - the make_tcr / tcr fixtures are imported from test_tcr_journey and named as arguments
"""Direct TCR on the wire: basic auth, error arrays -> ProviderError, transient codes retried, 429 ridden out,
webhook subscriptions, and webhook verification/parsing (unsigned TCR events)."""

from __future__ import annotations

import base64
import hashlib
import json
import time

import pytest

from registry.providers.base import CarrierState, EventEntity, Lifecycle, ProviderError, ProviderErrorKind
from registry.providers.simulator import Simulator
from registry.providers.simulator import tcr as sim_tcr
from registry.providers.tcr_errors import RULE_CODES, tcr_error
from registry.rules import CATALOG

from .conftest import Builder, Harness, Receiver
from .payloads import brand
from .test_tcr_journey import make_tcr, marked, scored_brand, tcr, through_review  # noqa: F401

K = ProviderErrorKind


# ------------------------------------------------------------------------------------------------ errors
def test_an_error_array_keeps_every_error_with_its_fields() -> None:
    body = [
        {"code": 501, "description": "ein is required", "fields": ["ein"]},
        {"code": 501, "description": "Invalid vertical", "fields": ["vertical", "ein"]},
        {"code": 553, "description": "Disposable email", "field": "email"},  # deprecated singular field
    ]
    error = tcr_error(400, body, json.dumps(body), {})
    assert (error.kind, error.provider_code, error.status) == (K.VALIDATION, "501", 400)
    assert [i.code for i in error.issues] == ["501", "501", "553"]
    assert error.issues[2].fields == ("email",)
    assert error.fields == ("ein", "vertical", "email")
    assert "Disposable email" in error.message


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (404, 502, K.NOT_FOUND),
        (400, 503, K.CONFLICT),
        (400, 527, K.PRECONDITION),
        (400, 535, K.PRECONDITION),
        (400, 537, K.PRECONDITION),
        (400, 542, K.PRECONDITION),
        (400, 591, K.TRANSIENT),
        (400, 620, K.TRANSIENT),
        (400, 630, K.TRANSIENT),
        (401, 401, K.AUTH),
        (429, 429, K.RATE_LIMITED),
        (400, 552, K.VALIDATION),
        (400, 509, K.VALIDATION),
    ],
)
def test_codes_map_to_kinds(status: int, code: int, kind: ProviderErrorKind) -> None:
    error = tcr_error(status, [{"code": code, "description": "x", "fields": []}], "", {})
    assert error.kind is kind
    assert error.retryable is (kind in (K.TRANSIENT, K.RATE_LIMITED))


def test_a_body_that_is_not_an_error_array_falls_back_to_the_status() -> None:
    assert tcr_error(401, None, "", {}).kind is K.AUTH
    assert tcr_error(503, None, "<html>down</html>", {}).kind is K.TRANSIENT
    assert tcr_error(400, {"unexpected": True}, "{}", {}).kind is K.VALIDATION


def test_rule_codes_name_rules_of_the_catalog() -> None:
    assert set(RULE_CODES.values()) <= set(CATALOG)
    assert RULE_CODES["527"] == "BRAND-IDENTITY-GATE" and RULE_CODES["537"] == "BRAND-LOCKED-FIELDS"


# ------------------------------------------------------------------------------------------------ transport
def test_basic_auth_and_bad_credentials(make_tcr: Builder, sim: Simulator) -> None:
    key, secret = sim.tcr_credentials()
    good = make_tcr()
    assert (
        good.provider.http.session.headers["Authorization"]
        == "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    )
    assert good.provider.list_use_cases()
    bad = make_tcr(api_secret="wrong")
    with pytest.raises(ProviderError) as refused:
        bad.provider.list_use_cases()
    assert refused.value.kind is K.AUTH and len(bad.calls) == 1


def test_validation_errors_come_back_all_at_once(tcr: Harness, sim: Simulator) -> None:
    with pytest.raises(ProviderError) as refused:
        tcr.provider.create_brand(brand(ein=None, vertical="SPACE", email="nope"), client_ref="b")
    error = refused.value
    assert error.kind is K.VALIDATION and error.provider_code == "501"
    assert {"ein", "vertical", "email"} <= set(error.fields)
    assert len(error.issues) >= 3
    assert len(sim_tcr.tcr_state(sim.sandbox).brands) == 0


def test_transient_codes_are_retried_on_reads(tcr: Harness, sim: Simulator) -> None:
    p = tcr.provider
    brand_id = scored_brand(p, sim)
    sim_tcr.arm_error(sim.sandbox, 591, method="GET", path=f"/tcr/v2/brand/{brand_id}", count=2)
    assert p.get_brand(brand_id).lifecycle is Lifecycle.APPROVED
    assert [c.status for c in tcr.calls[-3:]] == [400, 400, 200]
    assert tcr.sleeps == [0.5, 1.0]

    sim_tcr.arm_error(sim.sandbox, 630, method="GET", path=f"/tcr/v2/brand/{brand_id}", count=-1)
    with pytest.raises(ProviderError) as gave_up:
        p.get_brand(brand_id)
    assert (gave_up.value.kind, gave_up.value.provider_code) == (K.TRANSIENT, "630")
    assert [c.status for c in tcr.calls[-4:]] == [400] * 4  # max_attempts


def test_a_transient_code_on_a_create_is_not_repeated(tcr: Harness, sim: Simulator) -> None:
    sim_tcr.arm_error(sim.sandbox, 591, method="POST", path="/tcr/v2/brand/nonBlocking")
    with pytest.raises(ProviderError) as failed:
        tcr.provider.create_brand(brand(), client_ref="b")
    assert failed.value.kind is K.TRANSIENT and failed.value.maybe_committed
    assert len(tcr.calls) == 1 and not tcr.sleeps


def test_the_rate_limit_is_ridden_out(make_tcr: Builder, sim: Simulator) -> None:
    harness = make_tcr(sleep=time.sleep)
    sim.set_rate_limit(4.0, 1)
    try:
        for _ in range(3):
            assert harness.provider.list_use_cases()
    finally:
        sim.set_rate_limit(None)
    limited = [c for c in harness.calls if c.status == 429]
    assert limited and all(c.retry_after == 1 for c in limited)
    assert [c.status for c in harness.calls].count(200) == 3


# ------------------------------------------------------------------------------------------------ webhooks
def test_subscriptions_are_made_once_after_listing(make_tcr: Builder, sim: Simulator, receiver: Receiver) -> None:
    first = make_tcr(webhook_url=receiver.url)
    first.provider.create_brand(brand(), client_ref="b1")
    first.provider.create_brand(brand(), client_ref="b2")
    subscription_calls = [(c.method, c.request_body) for c in first.calls if c.path == "/webhook/subscription"]
    assert subscription_calls == [("GET", None)] + [
        ("PUT", {"eventCategory": c, "webhookEndpoint": receiver.url}) for c in ("BRAND", "CAMPAIGN", "VETTING")
    ]
    second = make_tcr(webhook_url=receiver.url)
    second.provider.ensure_webhook_subscriptions()
    assert [c.method for c in second.calls] == ["GET"]  # already subscribed: listed, not changed


def test_brand_events_verify_and_parse(make_tcr: Builder, sim: Simulator, receiver: Receiver) -> None:
    p = make_tcr(webhook_url=receiver.url).provider
    sim.configure_webhooks(duplicate_probability=1.0)
    created = p.create_brand(brand(), client_ref="brand-42")
    sim.advance(minutes=2)
    bodies = [json.loads(r.body) for r in receiver.requests]
    expected = ["BRAND_ADD", "BRAND_ADD", "BRAND_IDENTITY_STATUS_UPDATE", "BRAND_IDENTITY_STATUS_UPDATE"]
    assert [b["eventType"] for b in bodies] == expected  # every event delivered twice
    hook = receiver.requests[-1]
    assert "signature" not in " ".join(hook.headers).lower()
    assert p.verify_webhook(receiver.url, hook.headers, hook.body)
    [event] = p.parse_webhook(hook.headers, hook.body)
    assert (event.entity, event.provider_id, event.registry_id) == (
        EventEntity.BRAND,
        created.provider_id,
        created.provider_id,
    )
    assert event.client_ref == "brand-42"
    assert (event.raw_type, event.raw_status, event.lifecycle) == (
        "BRAND_IDENTITY_STATUS_UPDATE",
        "VERIFIED",
        Lifecycle.APPROVED,
    )
    assert event.dedupe_key == "tcr:" + hashlib.sha256(hook.body).hexdigest()
    keys = {p.parse_webhook({}, r.body)[0].dedupe_key for r in receiver.requests}
    assert len(keys) == 2  # each event delivered twice, deduplicated by body

    forged = json.loads(hook.body) | {"cspId": "SOTHER1"}
    assert not p.verify_webhook(receiver.url, {}, json.dumps(forged).encode())
    unknown = json.loads(hook.body) | {"eventType": "SOMETHING_ELSE"}
    assert not p.verify_webhook(receiver.url, {}, json.dumps(unknown).encode())
    assert not p.verify_webhook(receiver.url, {}, b"not json")
    assert not p.verify_webhook(receiver.url, {}, b"[1, 2]")
    assert not p.verify_webhook(receiver.url.replace("acct-1", "acct-2"), hook.headers, hook.body)
    with pytest.raises(ProviderError) as malformed:
        p.parse_webhook({}, b"{}")
    assert malformed.value.kind is K.MALFORMED


def test_carrier_events_name_the_carrier_and_reads_after_them_agree(
    make_tcr: Builder, sim: Simulator, receiver: Receiver
) -> None:
    p = make_tcr(webhook_url=receiver.url).provider
    seen: list[tuple[str, CarrierState | None, CarrierState | None]] = []

    def on_request(item: object) -> None:
        [event] = p.parse_webhook({}, item.body)  # type: ignore[attr-defined]
        if event.carrier is not None:
            now = p.get_campaign(event.provider_id).carriers.get(event.carrier)
            seen.append((event.carrier, event.carrier_state, now))

    brand_id = scored_brand(p, sim)
    ref = p.create_campaign(brand_id, marked("reject:tmobile"), client_ref="camp-9").provider_id
    receiver.on_request = on_request
    through_review(sim)
    receiver.on_request = None
    assert sorted(seen) == sorted(
        [
            ("10017", CarrierState.REGISTERED, CarrierState.REGISTERED),
            ("10035", CarrierState.REJECTED, CarrierState.REJECTED),
            ("10038", CarrierState.REGISTERED, CarrierState.REGISTERED),
            ("10037", CarrierState.REGISTERED, CarrierState.REGISTERED),
        ]
    )
    events = [p.parse_webhook({}, r.body)[0] for r in receiver.requests]
    rejected = [e for e in events if e.raw_type == "MNO_CAMPAIGN_OPERATION_REJECTED"]
    assert [(e.entity, e.provider_id, e.client_ref) for e in rejected] == [(EventEntity.CAMPAIGN, ref, "camp-9")]
    assert "CAMPAIGN_SHARE_ACCEPT" in {e.raw_type for e in events}


def test_vetting_events_are_vetting_entities(make_tcr: Builder, sim: Simulator, receiver: Receiver) -> None:
    p = make_tcr(webhook_url=receiver.url).provider
    brand_id = scored_brand(p, sim)
    p.order_vetting(brand_id, "AEGIS", "STANDARD")
    sim.advance(hours=3)
    events = [p.parse_webhook({}, r.body)[0] for r in receiver.requests]
    vetting = [e for e in events if e.entity is EventEntity.VETTING]
    assert [(e.raw_type, e.lifecycle, e.provider_id) for e in vetting] == [
        ("EVP_REPORT_UNSCORE", Lifecycle.PENDING, brand_id),
        ("EVP_REPORT_SCORE", Lifecycle.APPROVED, brand_id),
    ]
