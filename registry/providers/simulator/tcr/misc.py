"""``/enum/{name}``, ``/error`` and ``/webhook/...`` (subscriptions per event category, provider-apis.md §1.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..catalog import (
    BRAND_RELATIONSHIPS,
    ENTITY_TYPES,
    MNOS,
    STOCK_EXCHANGES,
    USECASES,
    VERTICALS,
    VETTING_CLASSES,
    VETTING_PROVIDERS,
)
from ..wire import Response, Route
from .errors import CODES, entry, invalid, not_found
from .lifecycle import UPSTREAM_CNPS
from .state import EVENT_CATEGORIES
from .views import body_of, no_content, ok, state_of

if TYPE_CHECKING:
    from ..sandbox import Context

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "BRAND": (
        "BRAND_ADD", "BRAND_UPDATE", "BRAND_DELETE", "BRAND_IDENTITY_STATUS_UPDATE", "BRAND_SCORE_UPDATE",
        "BRAND_REVET", "BRAND_APPEAL_ADD", "BRAND_APPEAL_COMPLETE", "BRAND_IDENTITY_VET_UPDATE", "BRAND_MOCK_OTP",
        "BRAND_OTP_VERIFIED",
    ),
    "CAMPAIGN": (
        "CAMPAIGN_ADD", "CAMPAIGN_UPDATE", "CAMPAIGN_BILLED", "CAMPAIGN_EXPIRED", "CAMPAIGN_RESUBMISSION",
        "CAMPAIGN_NUDGE", "CAMPAIGN_SHARE_ADD", "CAMPAIGN_SHARE_ACCEPT", "CAMPAIGN_SHARE_DELETE",
        "CAMPAIGN_DCA_COMPLETE", "MNO_CAMPAIGN_OPERATION_REVIEW", "MNO_CAMPAIGN_OPERATION_APPROVED",
        "MNO_CAMPAIGN_OPERATION_REJECTED", "MNO_CAMPAIGN_OPERATION_SUSPENDED", "MNO_CAMPAIGN_OPERATION_UNSUSPENDED",
    ),
    "VETTING": (
        "EVP_REPORT_IMPORT", "EVP_REPORT_SCORE", "EVP_REPORT_UNSCORE", "EVP_REPORT_UPDATE", "EVP_REPORT_FAIL",
        "EVP_REPORT_EXPIRE", "EVP_REPORT_EXPRESS_MAIL",
    ),
    "CSP": ("CSP_APPROVE", "CSP_ACTIVE", "CSP_SUSPEND"),
    "INCIDENCE": ("MNO_COMPLAINT",),
}  # fmt: skip


def _usecases() -> dict[str, Any]:
    keys = ("classification", "displayName", "description", "minSubUsecases", "maxSubUsecases", "validSubUsecase")
    return {code: {k: info[k] for k in keys} for code, info in USECASES.items()}


ENUMS: dict[str, Any] = {
    # Mno schema: network id, display name and nnSR bit mask index (``GET /enum/mno`` description)
    "mno": lambda: [
        {"networkId": int(mno), "displayName": name, "osrBitmaskIndex": i} for i, (mno, name) in enumerate(MNOS.items())
    ],
    "usecase": _usecases,
    "vertical": lambda: {v: {"displayName": v.replace("_", " ").title()} for v in VERTICALS},
    "entityType": lambda: list(ENTITY_TYPES),
    "stockExchange": lambda: [*STOCK_EXCHANGES, "OTHER"],
    "brandRelationship": lambda: list(BRAND_RELATIONSHIPS),
    "extVettingProvider": lambda: [{"evpId": e, "displayName": e} for e in VETTING_PROVIDERS],
    "vettingClass": lambda: list(VETTING_CLASSES),
    "brandIdentityStatus": lambda: ["SELF_DECLARED", "UNVERIFIED", "VERIFIED", "VETTED_VERIFIED"],
    "brandStatus": lambda: ["ACTIVE", "DELETED"],
    "campaignStatus": lambda: ["ACTIVE", "EXPIRED"],
    "operationStatus": lambda: ["REVIEW", "REGISTERED", "REJECTED", "SUSPENDED"],
    "vettingStatus": lambda: ["PENDING", "UNSCORE", "ACTIVE", "FAILED", "EXPIRED"],
    "altBusinessIdType": lambda: ["NONE", "DUNS", "GIIN", "LEI"],
    "nudgeIntent": lambda: ["REVIEW", "APPEAL_REJECTION"],
    "cnp": lambda: [{"id": k, "displayName": v} for k, v in UPSTREAM_CNPS.items()],
    "dca": lambda: [{"id": k, "displayName": v} for k, v in UPSTREAM_CNPS.items()],
}


def get_enum(ctx: Context, name: str) -> Response:
    """``GET /enum/{name}``."""
    factory = ENUMS.get(name)
    if factory is None:
        raise not_found("Enumeration", name)
    return ok(factory())


def error_codes(ctx: Context) -> Response:
    """``GET /error``: every error code with its description."""
    return ok({str(code): text for code, text in CODES.items()})


def subscribe(ctx: Context) -> Response:
    """``PUT /webhook/subscription`` ``{eventCategory, webhookEndpoint}`` (one category per call)."""
    body = body_of(ctx.request)
    category, endpoint = body.get("eventCategory"), body.get("webhookEndpoint")
    errors = []
    if category not in EVENT_CATEGORIES:
        errors.append(entry(501, f"eventCategory must be one of {', '.join(EVENT_CATEGORIES)}", ["eventCategory"]))
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
        errors.append(entry(501, "webhookEndpoint must be an http(s) URL", ["webhookEndpoint"]))
    if errors:
        raise invalid(errors)
    state_of(ctx).subscriptions[category] = endpoint
    return ok({"eventCategory": category, "webhookEndpoint": endpoint})


def subscriptions(ctx: Context) -> Response:
    """``GET /webhook/subscription``: the subscriptions, one per category."""
    subs = state_of(ctx).subscriptions
    return ok([{"eventCategory": c, "webhookEndpoint": u} for c, u in sorted(subs.items())])


def unsubscribe(ctx: Context, category: str) -> Response:
    """``DELETE /webhook/subscription/{eventCategory}``."""
    if state_of(ctx).subscriptions.pop(category, None) is None:
        raise not_found("Webhook subscription", category, "eventCategory")
    return no_content()


def event_categories(ctx: Context) -> Response:
    """``GET /webhook/eventCategory``."""
    return ok(list(EVENT_CATEGORIES))


def event_types(ctx: Context) -> Response:
    """``GET /webhook/eventType``."""
    return ok([{"eventType": t, "eventCategory": c} for c, types in EVENT_TYPES.items() for t in types])


ROUTES = [
    Route("/enum/<name>", ("GET",), get_enum),
    Route("/error", ("GET",), error_codes),
    Route("/webhook/subscription", ("PUT",), subscribe),
    Route("/webhook/subscription", ("GET",), subscriptions),
    Route("/webhook/subscription/<category>", ("DELETE",), unsubscribe),
    Route("/webhook/eventCategory", ("GET",), event_categories),
    Route("/webhook/eventType", ("GET",), event_types),
]
