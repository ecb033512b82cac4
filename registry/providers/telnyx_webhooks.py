"""Telnyx 10DLC webhooks: Ed25519 signature check and parsing into NormalizedEvents.

Signature (telnyx-python ``lib/webhook_verification.py``): header ``telnyx-signature-ed25519`` is the base64
of a 64-byte Ed25519 signature over ``f"{telnyx-timestamp}|{raw body}"``; ``telnyx-timestamp`` is unix
seconds and must be within 300 s of now; the account's public key is 32 bytes, base64. Verify the raw bytes
before parsing anything.

Envelope: ``{"data": {"event_type": "10dlc.campaign.update", "id": ..., "occurred_at": ..., "payload":
{...}}, "meta": {"attempt": 1, "delivered_to": url}}``; ``data.id`` is the dedupe key. Payload ``type`` and
``status`` values follow the SDK's ``CampaignStatusUpdate`` and the 10DLC event-notification docs.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import telnyx_status as st
from .base import CarrierState, EventEntity, Lifecycle, NormalizedEvent, ProviderError, ProviderErrorKind
from .times import parse_time

SIGNATURE_HEADER = "telnyx-signature-ed25519"
TIMESTAMP_HEADER = "telnyx-timestamp"
TOLERANCE_SECONDS = 300
#: query parameter of our webhook URL that carries the client_ref of the object (see TelnyxProvider)
REF_PARAM = "ref"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def load_public_key(public_key: str | bytes) -> Ed25519PublicKey:
    """The account's Ed25519 public key from its base64 text (or raw 32 bytes)."""
    try:
        raw = base64.b64decode(public_key, validate=True) if isinstance(public_key, str) else public_key
    except (binascii.Error, ValueError) as exc:
        raise ValueError("webhook public key is not valid base64") from exc
    if len(raw) != 32:
        raise ValueError(f"webhook public key must be 32 bytes, got {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def check_signature(headers: Mapping[str, str], raw_body: bytes, public_key: Ed25519PublicKey, *, now: float) -> None:
    """Raise ProviderError(AUTH) unless the request is signed by ``public_key`` within the tolerance."""

    def fail(reason: str) -> ProviderError:
        return ProviderError(ProviderErrorKind.AUTH, f"Telnyx webhook rejected: {reason}")

    signature = _header(headers, SIGNATURE_HEADER)
    timestamp = _header(headers, TIMESTAMP_HEADER)
    if not signature:
        raise fail(f"missing {SIGNATURE_HEADER} header")
    if not timestamp:
        raise fail(f"missing {TIMESTAMP_HEADER} header")
    try:
        sent_at = int(timestamp.strip())
    except ValueError as exc:
        raise fail("timestamp is not an integer") from exc
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        raise fail(f"timestamp {sent_at} is more than {TOLERANCE_SECONDS}s away from now")
    try:
        sig = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise fail("signature is not base64") from exc
    if len(sig) != 64:
        raise fail("signature is not 64 bytes")
    try:
        public_key.verify(sig, timestamp.strip().encode() + b"|" + raw_body)
    except InvalidSignature as exc:
        raise fail("signature does not match the body") from exc


def _client_ref(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    values = parse_qs(urlsplit(url).query).get(REF_PARAM)
    return values[0] if values else None


_CAMPAIGN_STATUS_HINT: Mapping[tuple[str, str], Lifecycle] = {
    ("TELNYX_REVIEW", "ACCEPTED"): Lifecycle.IN_REVIEW,
    ("TELNYX_REVIEW", "REJECTED"): Lifecycle.REJECTED,
    ("REGISTRATION", "FAILED"): Lifecycle.FAILED,
    ("VERIFIED", ""): Lifecycle.APPROVED,
    ("TELNYX_EVENT", "DORMANT"): Lifecycle.SUSPENDED,
}
_TCR_CAMPAIGN_EVENT_HINT: Mapping[str, Lifecycle] = {
    "CAMPAIGN_EXPIRED": Lifecycle.DEACTIVATED,
}
_TCR_CARRIER_EVENT: Mapping[str, CarrierState] = {
    "MNO_CAMPAIGN_OPERATION_REVIEW": CarrierState.REVIEW,
    "MNO_CAMPAIGN_OPERATION_APPROVED": CarrierState.REGISTERED,
    "MNO_CAMPAIGN_OPERATION_REJECTED": CarrierState.REJECTED,
    "MNO_CAMPAIGN_OPERATION_SUSPENDED": CarrierState.SUSPENDED,
    "MNO_CAMPAIGN_OPERATION_UNSUSPENDED": CarrierState.REGISTERED,
}
_NUMBER_HINT: Mapping[tuple[str, str], Lifecycle] = {
    ("ASSIGNMENT", "SUCCESS"): Lifecycle.APPROVED,
    ("ASSIGNMENT", "FAILED"): Lifecycle.FAILED,
    ("DELETION", "SUCCESS"): Lifecycle.DEACTIVATED,
    ("DELETION", "FAILED"): Lifecycle.FAILED,
    ("STATUS_UPDATE", "ADDED"): Lifecycle.APPROVED,
    ("STATUS_UPDATE", "DELETED"): Lifecycle.DEACTIVATED,
    ("STATUS_UPDATE", "PENDING"): Lifecycle.PENDING,
    ("STATUS_UPDATE", "FAILED"): Lifecycle.FAILED,
}


def _upper(value: Any) -> str:
    return value.strip().upper() if isinstance(value, str) else ""


def _campaign_hint(payload: Mapping[str, Any]) -> tuple[Lifecycle | None, str | None, CarrierState | None]:
    kind, status = _upper(payload.get("type")), _upper(payload.get("status"))
    if kind == "MNO_REVIEW":
        state = {"ACCEPTED": CarrierState.REGISTERED, "REJECTED": CarrierState.REJECTED}.get(status)
        return None, st.carrier_from_text(payload.get("description")), state
    if kind == "TCR_EVENT":
        event = _upper(payload.get("eventType"))
        if event in _TCR_CARRIER_EVENT:
            return None, st.carrier_from_text(payload.get("description")), _TCR_CARRIER_EVENT[event]
        return _TCR_CAMPAIGN_EVENT_HINT.get(event), None, None
    if kind == "VERIFIED":
        return Lifecycle.APPROVED, None, None
    return _CAMPAIGN_STATUS_HINT.get((kind, status)), None, None


def _brand_hint(payload: Mapping[str, Any]) -> tuple[EventEntity, Lifecycle | None]:
    kind, status = _upper(payload.get("type")), _upper(payload.get("status"))
    if kind == "ORDER_EXTERNAL_VETTING":
        return EventEntity.VETTING, {"SUCCESS": Lifecycle.APPROVED, "FAILED": Lifecycle.FAILED}.get(status)
    if kind == "REGISTRATION" and status == "FAILED":
        return EventEntity.BRAND, Lifecycle.FAILED
    return EventEntity.BRAND, None


def parse_events(raw_body: bytes, *, provider: str = "telnyx") -> list[NormalizedEvent]:
    """Parse a (verified) Telnyx 10DLC webhook body; raise ProviderError(MALFORMED) if it is not one."""
    try:
        envelope = json.loads(raw_body)
    except ValueError as exc:
        raise ProviderError(ProviderErrorKind.MALFORMED, "webhook body is not JSON") from exc
    data = envelope.get("data") if isinstance(envelope, Mapping) else None
    if not isinstance(data, Mapping) or not data.get("id") or not data.get("event_type"):
        raise ProviderError(ProviderErrorKind.MALFORMED, "webhook body has no data.id / data.event_type")
    meta = envelope.get("meta") if isinstance(envelope.get("meta"), Mapping) else {}
    payload = data.get("payload") if isinstance(data.get("payload"), Mapping) else {}
    event_type = str(data["event_type"])
    kind = str(payload.get("type") or payload.get("eventType") or "")
    common: dict[str, Any] = {
        "provider": provider,
        "dedupe_key": f"{provider}:{data['id']}",
        "raw_type": f"{event_type}:{kind}" if kind else event_type,
        "raw_status": payload.get("status"),
        "occurred_at": parse_time(data.get("occurred_at")),
        "client_ref": _client_ref(meta.get("delivered_to")),
        "attempt": meta.get("attempt") if isinstance(meta.get("attempt"), int) else None,
        "description": payload.get("description"),
        "raw": dict(payload),
    }
    builders: dict[str, Callable[[], NormalizedEvent]] = {
        "10dlc.brand.update": lambda: _brand_event(payload, common),
        "10dlc.campaign.update": lambda: _campaign_event(payload, common),
        "10dlc.phone_number.update": lambda: _number_event(payload, common),
    }
    build = builders.get(event_type)
    if build is None:
        raise ProviderError(ProviderErrorKind.MALFORMED, f"unexpected Telnyx event type {event_type!r}")
    return [build()]


def _brand_event(payload: Mapping[str, Any], common: dict[str, Any]) -> NormalizedEvent:
    entity, lifecycle = _brand_hint(payload)
    return NormalizedEvent(
        entity=entity,
        provider_id=payload.get("brandId"),
        registry_id=payload.get("tcrBrandId"),
        lifecycle=lifecycle,
        **common,
    )


def _campaign_event(payload: Mapping[str, Any], common: dict[str, Any]) -> NormalizedEvent:
    lifecycle, carrier, state = _campaign_hint(payload)
    return NormalizedEvent(
        entity=EventEntity.CAMPAIGN,
        provider_id=payload.get("campaignId"),
        registry_id=payload.get("tcrCampaignId"),
        lifecycle=lifecycle,
        carrier=carrier,
        carrier_state=state,
        **common,
    )


def _number_event(payload: Mapping[str, Any], common: dict[str, Any]) -> NormalizedEvent:
    hint = _NUMBER_HINT.get((_upper(payload.get("type")), _upper(payload.get("status"))))
    return NormalizedEvent(
        entity=EventEntity.NUMBER,
        provider_id=payload.get("phoneNumber"),
        registry_id=payload.get("tcrCampaignId"),
        lifecycle=hint,
        **common,
    )
