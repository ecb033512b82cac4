"""Telnyx error envelope for the simulated API: ``{"errors": [{code, title, detail, source: {pointer}}]}``.

Codes are Telnyx's general API codes (developers.telnyx.com, "API error codes": 10004 missing parameter,
10005 not found, 10009 authentication failed, 10011 too many requests, 10012 duplicate resource, 10015 bad
request, 10016 not +E.164, 10017 associated resource does not exist) and TCR codes Telnyx passes through for
10DLC state problems (506 OTP not applicable, 509 use case not qualified, 525 revet not allowed,
527 brand pending/unverified, 537 identity fields locked, 542 brand has active campaigns, 552 bad/expired
OTP, 557 OTP attempts exceeded). HTTP 422 for field validation, 400 for state problems.
"""

from __future__ import annotations

from typing import Any

from ..wire import ApiError

TITLES = {
    "10004": "Missing required parameter",
    "10005": "Resource not found",
    "10009": "Authentication failed",
    "10011": "Too many requests",
    "10012": "Duplicate resource",
    "10015": "Bad Request",
    "10016": "Phone number must be in +E.164 format",
    "10017": "Associated resource does not exist",
    "10007": "Unexpected error",
}


def entry(code: str, detail: str, pointer: str | None = None, title: str | None = None) -> dict[str, Any]:
    """One element of the ``errors`` array."""
    item: dict[str, Any] = {"code": code, "title": title or TITLES.get(code, "Bad Request"), "detail": detail}
    if pointer:
        item["source"] = {"pointer": pointer if pointer.startswith("/") else "/" + pointer}
    return item


def envelope(*entries: dict[str, Any]) -> dict[str, Any]:
    """The error body."""
    return {"errors": list(entries)}


def invalid(errors: list[dict[str, Any]]) -> ApiError:
    """422 with every validation error at once."""
    return ApiError(422, envelope(*errors))


def missing(field: str) -> dict[str, Any]:
    """A required field is absent."""
    return entry("10004", f"The '{field}' parameter is required.", field)


def bad_value(field: str, detail: str, code: str = "10015") -> dict[str, Any]:
    """A field has a value the API refuses."""
    return entry(code, detail, field)


def not_found(what: str, ident: str) -> ApiError:
    """404 for an unknown id."""
    return ApiError(404, envelope(entry("10005", f"{what} {ident} not found.")))


def refused(
    code: str, detail: str, *, title: str | None = None, pointer: str | None = None, status: int = 400
) -> ApiError:
    """A request that is well-formed but not allowed in the current state."""
    return ApiError(status, envelope(entry(code, detail, pointer, title or "Request refused")))


def duplicate(detail: str, pointer: str | None = None) -> ApiError:
    """A resource that must be unique already exists."""
    return ApiError(400, envelope(entry("10012", detail, pointer)))
