"""TCR's error shape for the simulated CSP API: a JSON array of ``{code, description, fields}`` (``ApiError_CSP``).

Codes and meanings follow the TCR CSP API OpenAPI document as summarised in provider-apis.md §1.7; ``GET /error``
serves ``CODES``. Business errors are answered with HTTP 400 (the spec documents 400 bodies as the array); an
unknown id is a 404 whose body carries code 502.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..wire import ApiError

CODES: Mapping[int, str] = {
    501: "Invalid input parameter",
    502: "Record not found",
    503: "Duplicate record",
    504: "CSP is not active",
    506: "Invalid status for OTP operation",
    508: "Vetting report expired",
    509: "Campaign request rejected",
    511: "Too many campaigns for brand",
    512: "CSP brand quota exceeded",
    518: "Campaign expired",
    520: "Vetting record not found",
    522: "Campaign sharing declined by upstream CNP",
    525: "Revet not allowed",
    526: "Identity or vetting unsuccessful",
    527: "Brand pending identity scoring or not verified",
    528: "Brand relationship update too frequent",
    536: "Operation not supported on mock record",
    537: "Brand identity fields locked",
    542: "Brand has active campaigns",
    549: "Vetting requested too soon",
    552: "Invalid or expired OTP",
    557: "Too many OTP attempts",
    590: "Internal error",
    591: "Temporary error, retry later",
    592: "Operation declined",
    620: "Vetting provider unavailable, retry later",
    630: "nnSR unavailable, retry later",
}


def entry(code: int, description: str | None = None, fields: Sequence[str] = ()) -> dict[str, Any]:
    """One ``ApiError_CSP``."""
    return {"code": code, "description": description or CODES.get(code, "Error"), "fields": list(fields)}


def refuse(code: int, description: str | None = None, fields: Sequence[str] = (), *, status: int = 400) -> ApiError:
    """A single-error answer."""
    return ApiError(status, [entry(code, description, fields)])


def invalid(errors: list[dict[str, Any]]) -> ApiError:
    """HTTP 400 listing every validation error at once."""
    return ApiError(400, errors)


def not_found(what: str, ident: str, field: str | None = None) -> ApiError:
    """404 with code 502 for an unknown id."""
    return refuse(502, f"{what} {ident} not found", [field] if field else (), status=404)
