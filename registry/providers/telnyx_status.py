"""Telnyx raw statuses -> normalized lifecycle, identity and carrier states (provider-apis.md §6.3).

Every function returns ``(lifecycle, recognized)``: an unrecognized raw string gives ``(previous, False)``
so the caller keeps the previous lifecycle and flags the record for review, never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import MNO_NAMES, CarrierState, Identity, Lifecycle, derive_campaign_lifecycle

L = Lifecycle

IDENTITY: Mapping[str, Identity] = {
    "SELF_DECLARED": Identity.SELF_DECLARED,
    "UNVERIFIED": Identity.UNVERIFIED,
    "VERIFIED": Identity.VERIFIED,
    "VETTED_VERIFIED": Identity.VETTED_VERIFIED,
}

CAMPAIGN_STATUS: Mapping[str, Lifecycle] = {
    "TCR_PENDING": L.PENDING,
    "TCR_FAILED": L.FAILED,
    "TCR_ACCEPTED": L.IN_REVIEW,
    "TELNYX_ACCEPTED": L.IN_REVIEW,
    "MNO_PENDING": L.IN_REVIEW,
    "TELNYX_FAILED": L.REJECTED,
    "MNO_REJECTED": L.REJECTED,
    "MNO_ACCEPTED": L.PENDING,  # approved by carriers, provisioning
    "MNO_PROVISIONED": L.APPROVED,
    "MNO_PROVISIONING_FAILED": L.FAILED,
    "TCR_SUSPENDED": L.SUSPENDED,
    "TCR_EXPIRED": L.DEACTIVATED,
}

#: statuses where carrier review is under way or done, so the per-carrier map refines the outcome (§6.1)
CARRIER_STAGE = frozenset({"TCR_ACCEPTED", "TELNYX_ACCEPTED", "MNO_PENDING", "MNO_REJECTED", "MNO_PROVISIONED"})

CARRIER: Mapping[str, CarrierState] = {
    "REVIEW": CarrierState.REVIEW,
    "PENDING": CarrierState.REVIEW,
    "REGISTERED": CarrierState.REGISTERED,
    "APPROVED": CarrierState.REGISTERED,
    "REJECTED": CarrierState.REJECTED,
    "SUSPENDED": CarrierState.SUSPENDED,
}

ASSIGNMENT: Mapping[str, Lifecycle] = {
    "PENDING_ASSIGNMENT": L.PENDING,
    "ASSIGNED": L.APPROVED,
    "FAILED_ASSIGNMENT": L.FAILED,
    "PENDING_UNASSIGNMENT": L.PENDING,
    "FAILED_UNASSIGNMENT": L.FAILED,
}

#: bulk task status; the SDK lists pending/processing/completed/failed on the task and
#: pending/starting/running/completed/failed in ``TaskStatus``
TASK: Mapping[str, Lifecycle] = {
    "pending": L.PENDING,
    "starting": L.PENDING,
    "processing": L.PENDING,
    "running": L.PENDING,
    "completed": L.APPROVED,
    "failed": L.FAILED,
}

#: TCR ``vettingStatus`` when present (Telnyx's ExternalVetting model has no status: see vetting_lifecycle)
VETTING: Mapping[str, Lifecycle] = {
    "PENDING": L.PENDING,
    "UNSCORE": L.PENDING,
    "ACTIVE": L.APPROVED,
    "FAILED": L.FAILED,
    "EXPIRED": L.DEACTIVATED,
}


def _key(raw: Any) -> str | None:
    return raw.strip().upper() if isinstance(raw, str) and raw.strip() else None


def identity(raw: Any) -> Identity:
    """Normalize ``identityStatus``; absent or unknown -> UNKNOWN."""
    key = _key(raw)
    return IDENTITY.get(key, Identity.UNKNOWN) if key else Identity.UNKNOWN


def brand_lifecycle(
    status: Any, identity_status: Any, *, otp_verified: bool = False, previous: Lifecycle | None = None
) -> tuple[Lifecycle | None, bool]:
    """Telnyx brand ``status`` + ``identityStatus`` -> lifecycle.

    SELF_DECLARED is APPROVED only once the sole proprietor's OTP is verified (Telnyx moves the identity to
    VERIFIED on verification, per the SDK's verify_sms_otp docs, so SELF_DECLARED normally means "OTP to do").
    """
    key = _key(status)
    if key == "REGISTRATION_PENDING":
        return L.PENDING, True
    if key == "REGISTRATION_FAILED":
        return L.FAILED, True
    if key == "DELETED":
        return L.DEACTIVATED, True
    if key != "OK":
        return previous, False
    ident = _key(identity_status)
    if ident is None:
        return L.PENDING, True  # registered, identity scoring still running
    if ident in ("VERIFIED", "VETTED_VERIFIED"):
        return L.APPROVED, True
    if ident == "SELF_DECLARED":
        return (L.APPROVED if otp_verified else L.ACTION_REQUIRED), True
    if ident == "UNVERIFIED":
        return L.ACTION_REQUIRED, True
    return previous, False


def carrier_state(raw: Any) -> CarrierState:
    """One MNO's operation status; unknown strings -> UNKNOWN."""
    key = _key(raw)
    return CARRIER.get(key, CarrierState.UNKNOWN) if key else CarrierState.UNKNOWN


def carriers(operation_status: Any, *, t_mobile_suspended: bool = False) -> dict[str, CarrierState]:
    """``operationStatus`` map (MNO id -> status) as CarrierStates; keeps unknown MNO ids.

    ``isTMobileSuspended`` on the campaign marks T-Mobile SUSPENDED even when its key is missing.
    """
    result: dict[str, CarrierState] = {}
    if isinstance(operation_status, Mapping):
        for mno, raw in operation_status.items():
            result[str(mno)] = carrier_state(raw)
    if t_mobile_suspended:
        result["10035"] = CarrierState.SUSPENDED
    return result


def campaign_lifecycle(
    status: Any, carrier_map: Mapping[str, CarrierState], *, previous: Lifecycle | None = None
) -> tuple[Lifecycle | None, bool]:
    """Telnyx ``campaignStatus`` refined by the per-carrier map with the §6.1 rule."""
    key = _key(status)
    if key is None or key not in CAMPAIGN_STATUS:
        return previous, False
    mapped = CAMPAIGN_STATUS[key]
    if key not in CARRIER_STAGE:
        return mapped, True
    derived = derive_campaign_lifecycle(fully_provisioned=key == "MNO_PROVISIONED", carriers=carrier_map)
    if key == "MNO_REJECTED" and derived is L.IN_REVIEW:
        return L.REJECTED, True  # rejected while the carrier map says nothing (MNOs need not report)
    return derived, True


def assignment_lifecycle(status: Any, *, previous: Lifecycle | None = None) -> tuple[Lifecycle | None, bool]:
    """``assignmentStatus`` of a phone number -> lifecycle."""
    key = _key(status)
    if key in ASSIGNMENT:
        return ASSIGNMENT[key], True
    return previous, False


def task_lifecycle(status: Any, *, previous: Lifecycle | None = None) -> tuple[Lifecycle | None, bool]:
    """Bulk assignment task ``status`` -> lifecycle (check the per-number results when APPROVED)."""
    key = status.strip().lower() if isinstance(status, str) else None
    if key in TASK:
        return TASK[key], True
    return previous, False


def vetting_lifecycle(record: Mapping[str, Any]) -> tuple[Lifecycle | None, bool]:
    """An external vetting record -> lifecycle.

    Telnyx's ``ExternalVetting`` model carries no status: a ``vettedDate`` means done ("If this date is
    missing, then the vetting was not complete or not valid", SDK docs). A TCR ``vettingStatus`` is used
    when present.
    """
    key = _key(record.get("vettingStatus"))
    if key is not None:
        return (VETTING[key], True) if key in VETTING else (None, False)
    return (L.APPROVED if record.get("vettedDate") else L.PENDING), True


def carrier_from_text(text: Any) -> str | None:
    """Find the MNO id named in a webhook description like ``"T-Mobile: opt-out language missing"``."""
    if not isinstance(text, str):
        return None
    lowered = text.lower()
    aliases = {"tmobile": "10035", "t-mobile": "10035", "at&t": "10017", "att": "10017", "verizon": "10038"}
    for name, mno in sorted(((n.lower(), m) for m, n in MNO_NAMES.items()), key=lambda p: -len(p[0])):
        aliases.setdefault(name, mno)
    for alias, mno in sorted(aliases.items(), key=lambda p: -len(p[0])):
        if lowered.startswith(alias):
            return mno
    return None
