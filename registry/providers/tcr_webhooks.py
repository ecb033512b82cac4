"""TCR webhooks: recognizing a well-formed event and parsing it into a NormalizedEvent.

TCR posts one flat JSON object per event to the endpoint subscribed for the event's category
(``PUT /webhook/subscription``): ``eventType``, ``cspId``, ``cspName``, ``brandId``, ``brandName``,
``brandReferenceId``, ``campaignId``, ``campaignReferenceId``, ``description``, ``mock`` and, for
BRAND_IDENTITY_STATUS_UPDATE, ``brandIdentityStatus`` (provider-apis.md §1.6, from production captures).

Authenticity: the subscription API has no secret and no signing scheme is documented (§1.6, UNCONFIRMED), so
nothing in the request proves it came from TCR. What protects us: the endpoint is an unguessable per-account
URL served over HTTPS, the event must name our CSP, and an event is only a hint: the handler re-reads the brand
or campaign through the API before changing anything. The body carries no event id and no timestamp, so the
dedupe key is the SHA-256 of the raw body (a redelivery is byte-identical).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from . import tcr_status as st
from .base import CarrierState, EventEntity, Lifecycle, NormalizedEvent, ProviderError, ProviderErrorKind

#: event types by category (``GET /webhook/eventType`` as dumped in third-party code, §1.6)
EVENT_TYPES: Mapping[str, frozenset[str]] = {
    "BRAND": frozenset(
        {
            "BRAND_ADD", "BRAND_UPDATE", "BRAND_DELETE", "BRAND_IDENTITY_STATUS_UPDATE", "BRAND_SCORE_UPDATE",
            "BRAND_REVET", "BRAND_APPEAL_ADD", "BRAND_APPEAL_COMPLETE", "BRAND_IDENTITY_VET_UPDATE",
            "BRAND_MOCK_OTP", "BRAND_OTP_VERIFIED", "BRAND_AUTHPLUS_VERIFICATION_COMPLETE",
        }
    ),
    "CAMPAIGN": frozenset(
        {
            "CAMPAIGN_ADD", "CAMPAIGN_UPDATE", "CAMPAIGN_BILLED", "CAMPAIGN_EXPIRED", "CAMPAIGN_RESUBMISSION",
            "CAMPAIGN_NUDGE", "CAMPAIGN_SHARE_ADD", "CAMPAIGN_SHARE_ACCEPT", "CAMPAIGN_SHARE_DELETE",
            "CAMPAIGN_DCA_COMPLETE", "MNO_CAMPAIGN_OPERATION_REVIEW", "MNO_CAMPAIGN_OPERATION_APPROVED",
            "MNO_CAMPAIGN_OPERATION_REJECTED", "MNO_CAMPAIGN_OPERATION_SUSPENDED",
            "MNO_CAMPAIGN_OPERATION_UNSUSPENDED",
        }
    ),
    "VETTING": frozenset(
        {
            "EVP_REPORT_IMPORT", "EVP_REPORT_SCORE", "EVP_REPORT_UNSCORE", "EVP_REPORT_UPDATE", "EVP_REPORT_FAIL",
            "EVP_REPORT_EXPIRE", "EVP_REPORT_EXPRESS_MAIL",
        }
    ),
    "CSP": frozenset({"CSP_APPROVE", "CSP_ACTIVE", "CSP_SUSPEND"}),
    "INCIDENCE": frozenset({"MNO_COMPLAINT"}),
}  # fmt: skip
CATEGORY_OF: Mapping[str, str] = {t: c for c, types in EVENT_TYPES.items() for t in types}
#: the categories the adapter subscribes to
SUBSCRIBED_CATEGORIES = ("BRAND", "CAMPAIGN", "VETTING")

CARRIER_EVENT: Mapping[str, CarrierState] = {
    "MNO_CAMPAIGN_OPERATION_REVIEW": CarrierState.REVIEW,
    "MNO_CAMPAIGN_OPERATION_APPROVED": CarrierState.REGISTERED,
    "MNO_CAMPAIGN_OPERATION_REJECTED": CarrierState.REJECTED,
    "MNO_CAMPAIGN_OPERATION_SUSPENDED": CarrierState.SUSPENDED,
    "MNO_CAMPAIGN_OPERATION_UNSUSPENDED": CarrierState.REGISTERED,
}
LIFECYCLE_HINT: Mapping[str, Lifecycle] = {
    "CAMPAIGN_EXPIRED": Lifecycle.DEACTIVATED,
    "CAMPAIGN_SHARE_DELETE": Lifecycle.REJECTED,
    "BRAND_DELETE": Lifecycle.DEACTIVATED,
    "EVP_REPORT_SCORE": Lifecycle.APPROVED,
    "EVP_REPORT_IMPORT": Lifecycle.APPROVED,
    "EVP_REPORT_FAIL": Lifecycle.FAILED,
    "EVP_REPORT_EXPIRE": Lifecycle.DEACTIVATED,
    "EVP_REPORT_UNSCORE": Lifecycle.PENDING,
}


def decode(raw_body: bytes) -> dict[str, Any]:
    """The event object; ProviderError(MALFORMED) unless it is a JSON object with a known ``eventType``."""
    try:
        event = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProviderError(ProviderErrorKind.MALFORMED, "TCR webhook body is not JSON") from exc
    if not isinstance(event, dict):
        raise ProviderError(ProviderErrorKind.MALFORMED, "TCR webhook body is not a JSON object")
    event_type = event.get("eventType")
    if not isinstance(event_type, str) or event_type not in CATEGORY_OF:
        raise ProviderError(ProviderErrorKind.MALFORMED, f"unknown TCR event type {event_type!r}")
    return event


def check_event(raw_body: bytes, *, csp_id: str | None) -> dict[str, Any]:
    """Raise ProviderError(AUTH or MALFORMED) unless the body is a TCR event for our CSP (``csp_id`` when known)."""
    event = decode(raw_body)
    if csp_id is not None and event.get("cspId") != csp_id:
        raise ProviderError(ProviderErrorKind.AUTH, f"TCR webhook names CSP {event.get('cspId')!r}, not ours")
    return event


def _entity(event_type: str) -> EventEntity:
    category = CATEGORY_OF[event_type]
    if category == "VETTING":
        return EventEntity.VETTING
    if category == "CAMPAIGN":
        return EventEntity.CAMPAIGN
    return EventEntity.BRAND


def carrier_from_text(text: Any) -> str | None:
    """The MNO id named at the start of an event description (``"T-Mobile: campaign suspended"``)."""
    if not isinstance(text, str):
        return None
    lowered = text.strip().lower()
    aliases = {
        "at&t": "10017",
        "att": "10017",
        "t-mobile": "10035",
        "tmobile": "10035",
        "verizon": "10038",
        "us cellular": "10037",
        "uscellular": "10037",
        "clearsky": "10631",
        "interop": "10901",
    }
    for alias, mno in sorted(aliases.items(), key=lambda p: -len(p[0])):
        if lowered.startswith(alias):
            return mno
    return None


def parse_event(raw_body: bytes, *, provider: str = "tcr") -> NormalizedEvent:
    """A (verified) TCR webhook body as a NormalizedEvent; ProviderError(MALFORMED) if it is not one."""
    event = decode(raw_body)
    event_type = event["eventType"]
    entity = _entity(event_type)
    campaign_id = event.get("campaignId") if entity is EventEntity.CAMPAIGN else None
    brand_id = event.get("brandId")
    provider_id = campaign_id if entity is EventEntity.CAMPAIGN else brand_id
    client_ref = event.get("campaignReferenceId") if entity is EventEntity.CAMPAIGN else event.get("brandReferenceId")
    carrier = carrier_state = None
    lifecycle = LIFECYCLE_HINT.get(event_type)
    raw_status = None
    if event_type in CARRIER_EVENT:
        carrier = carrier_from_text(event.get("description"))
        carrier_state = CARRIER_EVENT[event_type]
    if event_type == "BRAND_IDENTITY_STATUS_UPDATE":
        raw_status = event.get("brandIdentityStatus")
        lifecycle, known = st.brand_lifecycle("ACTIVE", raw_status)
        lifecycle = lifecycle if known else None
    return NormalizedEvent(
        provider=provider,
        entity=entity,
        provider_id=str(provider_id) if provider_id else None,
        dedupe_key=f"{provider}:{hashlib.sha256(raw_body).hexdigest()}",
        raw_type=event_type,
        raw_status=raw_status,
        occurred_at=None,  # TCR events carry no timestamp
        lifecycle=lifecycle,
        carrier=carrier,
        carrier_state=carrier_state,
        registry_id=str(provider_id) if provider_id else None,  # direct TCR: our id is the registry id
        client_ref=client_ref if isinstance(client_ref, str) and client_ref else None,
        description=event.get("description") if isinstance(event.get("description"), str) else None,
        raw=event,
    )
