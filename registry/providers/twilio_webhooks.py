"""Twilio webhooks: ``X-Twilio-Signature`` verification and Event Streams parsing into NormalizedEvents.

Verification (twilio_signature): a request whose URL carries ``bodySHA256`` is the JSON variant (Event
Streams sinks); otherwise the form variant (Trust Hub ``StatusCallback``, messaging callbacks) signs the URL
plus the sorted form parameters.

Event Streams body (§3.7): a JSON array of CloudEvents ``{specversion, type, source, id, time, data}``; ``type``
is ``com.twilio.messaging.compliance.<group>.<event>``; ``data`` keys are lower-case without separators. The
event ``id`` is the dedupe key; ``time`` is when it happened. Event types outside A2P compliance are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .base import EventEntity, Lifecycle, NormalizedEvent, ProviderError, ProviderErrorKind
from .times import parse_time
from .twilio_signature import body_hash_valid, twilio_valid

SIGNATURE_HEADER = "x-twilio-signature"
EVENT_PREFIX = "com.twilio.messaging.compliance."
#: every A2P event type the adapter subscribes its sink to (§3.7)
EVENT_TYPES = tuple(
    EVENT_PREFIX + t
    for t in (
        "brand-registration.brand-registered",
        "brand-registration.brand-failure",
        "brand-registration.brand-verified",
        "brand-registration.brand-unverified",
        "brand-registration.brand-vetted-verified",
        "brand-registration.brand-secondary-vetting-failure",
        "campaign-registration.campaign-submitted",
        "campaign-registration.campaign-approved",
        "campaign-registration.campaign-failure",
        "campaign-registration.campaign-deleted",
        "number-registration.pending",
        "number-registration.successful",
        "number-registration.failed",
        "number-deregistration.pending",
        "number-deregistration.successful",
        "number-deregistration.failed",
    )
)
_BRAND: Mapping[str, tuple[EventEntity, Lifecycle | None]] = {
    "brand-registered": (EventEntity.BRAND, None),  # depends on identity (below)
    "brand-failure": (EventEntity.BRAND, Lifecycle.FAILED),
    "brand-verified": (EventEntity.BRAND, Lifecycle.APPROVED),
    "brand-unverified": (EventEntity.BRAND, Lifecycle.ACTION_REQUIRED),
    "brand-vetted-verified": (EventEntity.BRAND, Lifecycle.APPROVED),
    "brand-secondary-vetting-failure": (EventEntity.VETTING, Lifecycle.FAILED),
    "invalid-contact-email": (EventEntity.BRAND, Lifecycle.ACTION_REQUIRED),
}
_CAMPAIGN: Mapping[str, Lifecycle | None] = {
    "campaign-submitted": Lifecycle.IN_REVIEW,
    "campaign-approved": Lifecycle.APPROVED,
    "campaign-failure": Lifecycle.REJECTED,
    "campaign-deleted": Lifecycle.DEACTIVATED,
    "suspended-campaign-delete-submitted": Lifecycle.PENDING,
}
_NUMBER: Mapping[tuple[str, str], Lifecycle] = {
    ("number-registration", "pending"): Lifecycle.PENDING,
    ("number-registration", "successful"): Lifecycle.APPROVED,
    ("number-registration", "failed"): Lifecycle.FAILED,
    ("number-deregistration", "pending"): Lifecycle.PENDING,
    ("number-deregistration", "successful"): Lifecycle.DEACTIVATED,
    ("number-deregistration", "failed"): Lifecycle.FAILED,
}


def header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def verify(url: str, headers: Mapping[str, str], raw_body: bytes, auth_token: str) -> bool:
    """Whether the request to ``url`` is signed with ``auth_token`` (either variant, module docs)."""
    signature = header(headers, SIGNATURE_HEADER)
    if not signature or not auth_token:
        return False
    if "bodySHA256" in parse_qs(urlsplit(url).query):
        return body_hash_valid(url, raw_body, auth_token, signature)
    try:
        params = parse_qs(raw_body.decode("utf-8"), keep_blank_values=True) if raw_body else {}
    except UnicodeDecodeError:
        return False
    return twilio_valid([url], params, auth_token, signature)


def campaign_ref(service_sid: Any, campaign_sid: Any) -> str | None:
    """The adapter's campaign id ``MG.../QE...``."""
    if service_sid and campaign_sid:
        return f"{service_sid}/{campaign_sid}"
    return campaign_sid or None


def parse_events(raw_body: bytes, *, provider: str = "twilio") -> list[NormalizedEvent]:
    """Normalized events of an Event Streams delivery (verify first); MALFORMED when it is not one."""
    try:
        body = json.loads(raw_body)
    except ValueError as exc:
        raise ProviderError(ProviderErrorKind.MALFORMED, "webhook body is not JSON") from exc
    if isinstance(body, Mapping):
        body = [body]  # a sink without batching may post a single event
    if not isinstance(body, list) or not all(isinstance(e, Mapping) and e.get("id") and e.get("type") for e in body):
        raise ProviderError(ProviderErrorKind.MALFORMED, "webhook body is not an array of CloudEvents")
    events = []
    for cloud in body:
        event = _event(cloud, provider)
        if event is not None:
            events.append(event)
    return events


def _event(cloud: Mapping[str, Any], provider: str) -> NormalizedEvent | None:
    raw_type = str(cloud["type"])
    if not raw_type.startswith(EVENT_PREFIX):
        return None
    group, _, name = raw_type[len(EVENT_PREFIX) :].partition(".")
    data = cloud.get("data") if isinstance(cloud.get("data"), Mapping) else {}
    common: dict[str, Any] = {
        "provider": provider,
        "dedupe_key": f"{provider}:{cloud['id']}",
        "raw_type": raw_type,
        "occurred_at": parse_time(cloud.get("time")),
        "raw": dict(data),
    }
    if group == "brand-registration" and name in _BRAND:
        entity, lifecycle = _BRAND[name]
        if name == "brand-registered":
            ident = str(data.get("identitystatus") or "").upper()
            lifecycle = {
                "VERIFIED": Lifecycle.APPROVED,
                "VETTED_VERIFIED": Lifecycle.APPROVED,
                "UNVERIFIED": Lifecycle.ACTION_REQUIRED,
                "SELF_DECLARED": Lifecycle.ACTION_REQUIRED,
            }.get(ident)
        errors = data.get("brandregistrationerrors") or []
        description = "; ".join(str(e.get("registrationerrordescription")) for e in errors if isinstance(e, Mapping))
        return NormalizedEvent(
            entity=entity,
            provider_id=data.get("brandsid"),
            registry_id=data.get("tcrbrandid"),
            lifecycle=lifecycle,
            raw_status=data.get("brandstatus"),
            description=description or None,
            **common,
        )
    if group == "campaign-registration" and name in _CAMPAIGN:
        return NormalizedEvent(
            entity=EventEntity.CAMPAIGN,
            provider_id=campaign_ref(data.get("messagingservicesid"), data.get("campaignsid")),
            registry_id=data.get("externalcampaignid"),
            lifecycle=_CAMPAIGN[name],
            raw_status=data.get("campaignregistrationstatus"),
            description=str(data["errorcode"]) if data.get("errorcode") else None,
            **common,
        )
    if (group, name) in _NUMBER:
        return NormalizedEvent(
            entity=EventEntity.NUMBER,
            provider_id=data.get("phonenumber"),
            registry_id=data.get("externalcampaignid"),
            lifecycle=_NUMBER[(group, name)],
            raw_status=data.get("numberregistrationstatus") or name,
            description=str(data["errorcode"]) if data.get("errorcode") else None,
            **common,
        )
    return None
