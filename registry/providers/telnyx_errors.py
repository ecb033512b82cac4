"""Telnyx error envelope -> ProviderError.

Telnyx v2 errors look like ``{"errors": [{"code": "10012", "title": "...", "detail": "...",
"source": {"pointer": "/referenceId"}}]}`` (developers.telnyx.com, "API error codes"). The kind comes from the
error code when we know it, else from the HTTP status. Field names come from ``source.pointer`` and are the
same camelCase TCR names our forms use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Issue, ProviderError, ProviderErrorKind
from .http import status_kind
from .redaction import redact_text

K = ProviderErrorKind

#: Telnyx general codes (developers.telnyx.com/development/api-fundamentals/api-errors) and TCR codes that
#: Telnyx passes through for 10DLC (TCR CSP API: 526 identity unsuccessful, 527 brand pending scoring,
#: 535 identity vetting pending, 537 identity fields locked, 542 brand has active campaigns, 591/620/630
#: temporary). Only codes that change the kind the HTTP status alone would give.
CODE_KINDS: Mapping[str, ProviderErrorKind] = {
    "10005": K.NOT_FOUND,
    "10009": K.AUTH,
    "10010": K.FORBIDDEN,
    "10011": K.RATE_LIMITED,
    "10012": K.CONFLICT,
    "10007": K.TRANSIENT,
    "10008": K.TRANSIENT,
    "503": K.CONFLICT,  # TCR duplicate (e.g. reused referenceId)
    "526": K.PRECONDITION,
    "527": K.PRECONDITION,
    "535": K.PRECONDITION,
    "537": K.PRECONDITION,
    "542": K.PRECONDITION,
    "591": K.TRANSIENT,
    "620": K.TRANSIENT,
    "630": K.TRANSIENT,
}


def pointer_field(pointer: str | None) -> str | None:
    """``/data/attributes/companyName`` or ``/companyName`` -> ``companyName``."""
    if not pointer:
        return None
    name = pointer.rstrip("/").rsplit("/", 1)[-1]
    return name or None


def parse_issues(body: Any) -> list[Issue]:
    """The entries of a Telnyx ``errors`` array as Issues (empty when the body is something else)."""
    if not isinstance(body, Mapping) or not isinstance(body.get("errors"), list):
        return []
    issues = []
    for entry in body["errors"]:
        if not isinstance(entry, Mapping):
            continue
        source = entry.get("source") if isinstance(entry.get("source"), Mapping) else {}
        name = pointer_field(source.get("pointer")) or source.get("parameter")
        message = entry.get("detail") or entry.get("title") or "error"
        issues.append(Issue(code=str(entry.get("code", "")), message=str(message), fields=(name,) if name else ()))
    return issues


def telnyx_error(status: int, body: Any, text: str, headers: Mapping[str, str]) -> ProviderError:
    """Build the ProviderError for a non-2xx Telnyx response."""
    issues = parse_issues(body)
    if not issues:
        detail = redact_text(text[:200]).strip() if text else ""
        return ProviderError(status_kind(status), detail or f"Telnyx answered HTTP {status}", status=status)
    first = issues[0]
    kind = next((CODE_KINDS[i.code] for i in issues if i.code in CODE_KINDS), status_kind(status))
    fields: list[str] = []
    for issue in issues:
        fields.extend(f for f in issue.fields if f not in fields)
    message = "; ".join(i.message for i in issues)
    return ProviderError(kind, message, provider_code=first.code or None, fields=fields, status=status, issues=issues)
