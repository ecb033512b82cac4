"""TCR CSP API error list -> ProviderError.

TCR answers errors with a JSON **array** of ``ApiError_CSP`` objects ``{"code": 527, "description": "...",
"fields": ["brandId"]}`` (TCR CSP API OpenAPI, ``ApiError_CSP``; ``fields`` replaced the deprecated singular
``field``, still read here). Every listed error is kept as an Issue; the kind comes from the first code we
know, else from the HTTP status. Codes: provider-apis.md §1.7.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Issue, ProviderError, ProviderErrorKind
from .http import status_kind
from .redaction import redact_text

K = ProviderErrorKind

#: TCR's transient business codes: 591 temporary error (retry after ~30 s), 620 vetting provider unavailable,
#: 630 nnSR unavailable. Retried like a 5xx on idempotent calls (see TcrProvider._request).
TRANSIENT_CODES = frozenset({"591", "620", "630"})

CODE_KINDS: Mapping[str, ProviderErrorKind] = {
    "401": K.AUTH,
    "429": K.RATE_LIMITED,
    "502": K.NOT_FOUND,  # record not found
    "520": K.NOT_FOUND,  # vetting record not found
    "503": K.CONFLICT,  # duplicate record (reused referenceId)
    # "vet requested too soon (30 days)": a vet of that provider and class already exists; the repeat conflicts
    # with it rather than being bad data (deviation from "others validation", provider-apis.md §1.7)
    "549": K.CONFLICT,
    "504": K.FORBIDDEN,  # CSP inactive
    "534": K.FORBIDDEN,  # sole proprietor not enabled for the CSP
    "536": K.FORBIDDEN,  # not supported for mock records
    "506": K.PRECONDITION,  # invalid status for OTP
    "518": K.PRECONDITION,  # campaign expired
    "522": K.PRECONDITION,  # sharing declined upstream
    "525": K.PRECONDITION,  # revet not allowed (nothing changed)
    "526": K.PRECONDITION,  # identity / vetting unsuccessful
    "527": K.PRECONDITION,  # brand pending scoring / unverified
    "535": K.PRECONDITION,  # identity vetting pending
    "537": K.PRECONDITION,  # identity fields locked
    "542": K.PRECONDITION,  # brand has active campaigns
    "592": K.PRECONDITION,  # operation declined
    "557": K.RATE_LIMITED,  # OTP attempts rate-limited
    "590": K.TRANSIENT,  # internal error
    "591": K.TRANSIENT,
    "620": K.TRANSIENT,
    "630": K.TRANSIENT,
}

#: TCR codes that mean the same thing as one of our rules (registry.rules.CATALOG), for submissions/reasons.py
RULE_CODES: Mapping[str, str] = {
    "509": "CAMPAIGN-USECASE-ENTITY",  # campaign request rejected: use case not available to the brand
    "511": "CAMPAIGN-LIMIT-PER-BRAND",  # too many campaigns for the brand
    "518": "CAMPAIGN-EXPIRED-READONLY",  # campaign expired
    "527": "BRAND-IDENTITY-GATE",  # brand pending scoring / unverified
    "528": "BRAND-RELATIONSHIP",  # brandRelationship changed within three months
    "537": "BRAND-LOCKED-FIELDS",  # identity fields locked while campaigns are active
    "549": "BRAND-VET-RULES",  # vet requested again too soon
    "550": "BRAND-DUPLICATE-CONTACTS",  # duplicate threshold (same mobilePhone/email across brands)
    "551": "BRAND-SP-MOBILE",  # unsupported (non-wireless) phone for the sole proprietor OTP
    "552": "BRAND-SP-OTP-WINDOW",  # OTP wrong or older than 24 h
    "553": "BRAND-EMAIL-VALID",  # disposable email address
    "554": "BRAND-ADDRESS-DELIVERABLE",  # invalid address
    "555": "BRAND-ADDRESS-DELIVERABLE",  # invalid address
    "556": "BRAND-SP-REAL-NAMES",  # obfuscation check failed (sole proprietor names)
    "557": "BRAND-SP-OTP-WINDOW",  # OTP attempts rate-limited
    "559": "BRAND-APPEAL-RULES",  # invalid appeal category
}


def parse_issues(body: Any) -> list[Issue]:
    """The entries of a TCR error array as Issues (a single object is accepted too; empty for anything else)."""
    entries = [body] if isinstance(body, Mapping) else body if isinstance(body, list) else []
    issues = []
    for item in entries:
        if not isinstance(item, Mapping) or "code" not in item:
            continue
        fields = item.get("fields")
        if not isinstance(fields, list):
            fields = [item["field"]] if isinstance(item.get("field"), str) else []
        message = item.get("description") or item.get("message") or "error"
        issues.append(Issue(str(item["code"]), str(message), tuple(str(f) for f in fields if f)))
    return issues


def tcr_error(status: int, body: Any, text: str, headers: Mapping[str, str]) -> ProviderError:
    """Build the ProviderError for a non-2xx TCR response."""
    issues = parse_issues(body)
    if not issues:
        detail = redact_text(text[:200]).strip() if text else ""
        return ProviderError(status_kind(status), detail or f"TCR answered HTTP {status}", status=status)
    if status in (401, 429):
        kind = status_kind(status)  # the status says it all; the body only repeats it
    else:
        kind = next((CODE_KINDS[i.code] for i in issues if i.code in CODE_KINDS), status_kind(status))
    fields: list[str] = []
    for issue in issues:
        fields.extend(f for f in issue.fields if f not in fields)
    message = "; ".join(f"{i.code}: {i.message}" for i in issues)
    return ProviderError(kind, message, provider_code=issues[0].code, fields=fields, status=status, issues=issues)
