"""TCR raw statuses -> normalized lifecycle, identity and carrier states (provider-apis.md §6.3, TCR rows).

Every function returns ``(lifecycle, recognized)``: an unrecognized raw string gives ``(previous, False)`` so the
caller keeps the previous lifecycle and flags the record for review, never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import CarrierState, Identity, Lifecycle, derive_campaign_lifecycle

L = Lifecycle

IDENTITY: Mapping[str, Identity] = {
    "SELF_DECLARED": Identity.SELF_DECLARED,
    "UNVERIFIED": Identity.UNVERIFIED,
    "VERIFIED": Identity.VERIFIED,
    "VETTED_VERIFIED": Identity.VETTED_VERIFIED,
}

CARRIER: Mapping[str, CarrierState] = {
    "REVIEW": CarrierState.REVIEW,
    "REGISTERED": CarrierState.REGISTERED,
    "REJECTED": CarrierState.REJECTED,
    "SUSPENDED": CarrierState.SUSPENDED,
}

VETTING: Mapping[str, Lifecycle] = {
    "PENDING": L.PENDING,
    "UNSCORE": L.PENDING,
    "ACTIVE": L.APPROVED,
    "FAILED": L.FAILED,
    "EXPIRED": L.DEACTIVATED,
}

SHARING = frozenset({"PENDING", "ACCEPTED", "DECLINED"})


def _key(raw: Any) -> str | None:
    return raw.strip().upper() if isinstance(raw, str) and raw.strip() else None


def identity(raw: Any) -> Identity:
    """Normalize ``identityStatus``; absent or unknown -> UNKNOWN."""
    key = _key(raw)
    return IDENTITY.get(key, Identity.UNKNOWN) if key else Identity.UNKNOWN


def brand_lifecycle(
    status: Any,
    identity_status: Any,
    *,
    otp_verified: bool = False,
    auth_plus_pending: bool = False,
    previous: Lifecycle | None = None,
) -> tuple[Lifecycle | None, bool]:
    """``Brand_CSP.status`` + ``identityStatus`` -> lifecycle.

    ACTIVE without identityStatus: scoring still running (PENDING). SELF_DECLARED is APPROVED once the sole
    proprietor's mobile phone is verified (``mobilePhoneVerifiedDate``), else ACTION_REQUIRED; a PUBLIC_PROFIT brand
    whose Authentication+ 2FA is incomplete is ACTION_REQUIRED.
    """
    key = _key(status)
    if key == "DELETED":
        return L.DEACTIVATED, True
    if key != "ACTIVE":
        return previous, False
    ident = _key(identity_status)
    if ident is None:
        return L.PENDING, True
    if ident in ("VERIFIED", "VETTED_VERIFIED"):
        return (L.ACTION_REQUIRED if auth_plus_pending else L.APPROVED), True
    if ident == "SELF_DECLARED":
        return (L.APPROVED if otp_verified else L.ACTION_REQUIRED), True
    if ident == "UNVERIFIED":
        return L.ACTION_REQUIRED, True
    return previous, False


def carrier_state(raw: Any) -> CarrierState:
    """One MNO's operation status; unknown strings -> UNKNOWN."""
    key = _key(raw)
    return CARRIER.get(key, CarrierState.UNKNOWN) if key else CarrierState.UNKNOWN


def carriers(operation_status: Any) -> dict[str, CarrierState]:
    """``operationStatus`` (MNO id -> status) as CarrierStates; keeps unknown MNO ids. Missing MNOs are normal:
    carriers are encouraged, not required, to report (§1.4)."""
    if not isinstance(operation_status, Mapping):
        return {}
    return {str(mno): carrier_state(raw) for mno, raw in operation_status.items()}


def campaign_lifecycle(
    status: Any,
    sharing_status: Any,
    carrier_map: Mapping[str, CarrierState],
    *,
    share_required: bool,
    previous: Lifecycle | None = None,
) -> tuple[Lifecycle | None, bool]:
    """Campaign ``status`` + the upstream share's ``sharingStatus`` + the carrier map -> lifecycle (§6.3).

    EXPIRED -> DEACTIVATED; a DECLINED share -> REJECTED; not yet shared (when a share is required) ->
    SUBMITTED; otherwise the §6.1 rule, fully provisioned only when the share is ACCEPTED (or no share is
    required) and every reporting carrier is REGISTERED. Unknown carrier strings block approval and flag review.
    """
    key = _key(status)
    if key == "EXPIRED":
        return L.DEACTIVATED, True
    if key != "ACTIVE":
        return previous, False
    share = _key(sharing_status)
    if share is not None and share not in SHARING:
        return previous, False
    if share == "DECLINED":
        return L.REJECTED, True
    if share is None and share_required:
        return L.SUBMITTED, True
    share_ok = share == "ACCEPTED" or not share_required
    registered = bool(carrier_map) and all(s is CarrierState.REGISTERED for s in carrier_map.values())
    lifecycle = derive_campaign_lifecycle(fully_provisioned=share_ok and registered, carriers=carrier_map)
    known = all(s is not CarrierState.UNKNOWN for s in carrier_map.values())
    return lifecycle, known


def vetting_lifecycle(raw: Any) -> tuple[Lifecycle | None, bool]:
    """``vettingStatus`` -> lifecycle."""
    key = _key(raw)
    if key in VETTING:
        return VETTING[key], True
    return None, False


def otp_lifecycle(record: Mapping[str, Any]) -> Lifecycle:
    """An ``SmsOtpStatus`` -> lifecycle: verified APPROVED, failed delivery FAILED, otherwise PENDING."""
    if record.get("verifyDate"):
        return L.APPROVED
    delivery = _key(record.get("deliveryStatus")) or ""
    return L.FAILED if delivery.startswith("FAILED") else L.PENDING
