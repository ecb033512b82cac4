"""Twilio raw statuses -> normalized lifecycle and identity (provider-apis.md §6.3).

Every function returns ``(lifecycle, recognized)``; an unrecognized raw string gives ``(previous, False)`` so the
caller keeps the previous lifecycle and flags the record for review. Statuses are compared case-insensitively
(older Twilio pages and events use ``registered`` / ``registration_failed``, §3.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Identity, Lifecycle

L = Lifecycle

IDENTITY: Mapping[str, Identity] = {
    "SELF_DECLARED": Identity.SELF_DECLARED,
    "UNVERIFIED": Identity.UNVERIFIED,
    "VERIFIED": Identity.VERIFIED,
    "VETTED_VERIFIED": Identity.VETTED_VERIFIED,
}

BUNDLE: Mapping[str, Lifecycle] = {
    "DRAFT": L.DRAFT,
    "PENDING-REVIEW": L.SUBMITTED,
    "IN-REVIEW": L.IN_REVIEW,
    "TWILIO-APPROVED": L.APPROVED,
    "TWILIO-REJECTED": L.REJECTED,
}

CAMPAIGN: Mapping[str, Lifecycle] = {
    "PENDING": L.SUBMITTED,
    "IN_PROGRESS": L.IN_REVIEW,
    "VERIFIED": L.APPROVED,
    "FAILED": L.REJECTED,  # errors[] say why; fix and edit the campaign to resubmit
    "SUSPENDED": L.SUSPENDED,
}

VETTING: Mapping[str, Lifecycle] = {"PENDING": L.PENDING, "SUCCESS": L.APPROVED, "FAILED": L.FAILED}


def _key(raw: Any) -> str | None:
    return raw.strip().upper() if isinstance(raw, str) and raw.strip() else None


def identity(raw: Any) -> Identity:
    """``identity_status``; absent or unknown -> UNKNOWN."""
    key = _key(raw)
    return IDENTITY.get(key, Identity.UNKNOWN) if key else Identity.UNKNOWN


def brand_lifecycle(
    status: Any, identity_status: Any, brand_type: Any = None, *, previous: Lifecycle | None = None
) -> tuple[Lifecycle | None, bool]:
    """BrandRegistration ``status`` + ``identity_status`` (+ ``brand_type``) -> lifecycle.

    - PENDING is ACTION_REQUIRED for a registered sole proprietor still SELF_DECLARED: Twilio waits for the
      owner to answer the OTP text;
    - APPROVED with identity UNVERIFIED is ACTION_REQUIRED (resubmit after fixing the bundles, or vet);
      APPROVED with SELF_DECLARED is APPROVED (Twilio approves a sole proprietor only after the OTP);
    - DELETION_PENDING / DELETION_FAILED are PENDING / FAILED, as §6.3 lists them.
    """
    key = _key(status)
    ident = _key(identity_status)
    if key == "PENDING":
        if ident == "SELF_DECLARED" and _key(brand_type) == "SOLE_PROPRIETOR":
            return L.ACTION_REQUIRED, True
        return L.PENDING, True
    if key == "IN_PROGRESS":  # older error pages
        return L.PENDING, True
    if key == "IN_REVIEW":
        return L.IN_REVIEW, True
    if key in ("APPROVED", "REGISTERED"):
        if ident in (None, "VERIFIED", "VETTED_VERIFIED", "SELF_DECLARED"):
            return L.APPROVED, True
        if ident == "UNVERIFIED":
            return L.ACTION_REQUIRED, True
        return previous, False
    if key in ("FAILED", "REGISTRATION_FAILED", "DELETION_FAILED"):
        return L.FAILED, True
    if key == "SUSPENDED":
        return L.SUSPENDED, True
    if key == "DELETION_PENDING":
        return L.PENDING, True
    if key == "DELETED":
        return L.DEACTIVATED, True
    return previous, False


def bundle_lifecycle(status: Any, *, previous: Lifecycle | None = None) -> tuple[Lifecycle | None, bool]:
    """Trust Hub CustomerProfile / TrustProduct ``status``."""
    key = _key(status)
    return (BUNDLE[key], True) if key in BUNDLE else (previous, False)


def evaluation_lifecycle(status: Any) -> tuple[Lifecycle | None, bool]:
    """An Evaluation: noncompliant needs our action; compliant is ready to submit."""
    key = _key(status)
    if key == "NONCOMPLIANT":
        return L.ACTION_REQUIRED, True
    if key == "COMPLIANT":
        return L.DRAFT, True
    return None, False


def campaign_lifecycle(status: Any, *, previous: Lifecycle | None = None) -> tuple[Lifecycle | None, bool]:
    """UsAppToPerson ``campaign_status`` (a free string in the spec)."""
    key = _key(status)
    return (CAMPAIGN[key], True) if key in CAMPAIGN else (previous, False)


def vetting_lifecycle(status: Any, *, previous: Lifecycle | None = None) -> tuple[Lifecycle | None, bool]:
    """Brand vetting ``vetting_status``."""
    key = _key(status)
    return (VETTING[key], True) if key in VETTING else (previous, False)


def assignment_lifecycle(campaign_status: Any) -> tuple[Lifecycle, str]:
    """What the REST API lets us say about a number that is in a campaign's Messaging Service.

    Twilio has no per-number A2P status in REST (§3.5): it registers every number of the service once the
    campaign is VERIFIED and reports each outcome only through ``number-registration.*`` events. So: campaign
    VERIFIED -> APPROVED (registered, unless an event said it failed); campaign SUSPENDED -> SUSPENDED;
    anything else -> PENDING (registration starts at approval). Returns ``(lifecycle, raw_status)``, the raw
    status naming what was inferred from.
    """
    key = _key(campaign_status)
    if key == "VERIFIED":
        return L.APPROVED, "IN_SERVICE:CAMPAIGN_VERIFIED"
    if key == "SUSPENDED":
        return L.SUSPENDED, "IN_SERVICE:CAMPAIGN_SUSPENDED"
    return L.PENDING, f"IN_SERVICE:CAMPAIGN_{key or 'NONE'}"
