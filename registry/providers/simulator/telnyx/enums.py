"""``/v2/10dlc/enum/{name}``: the enumerations brand and campaign requests use."""

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
from .errors import not_found
from .views import ok

if TYPE_CHECKING:
    from ..sandbox import Context


def _usecases() -> dict[str, Any]:
    # TCR ``/enum/usecase`` shape: a map keyed by code
    keys = (
        "classification",
        "displayName",
        "description",
        "minSubUsecases",
        "maxSubUsecases",
        "validSubUsecase",
    )
    return {code: {k: info[k] for k in keys} for code, info in USECASES.items()}


ENUMS: dict[str, Any] = {
    "usecase": _usecases,
    "mno": lambda: {mno: {"mnoId": mno, "displayName": name} for mno, name in MNOS.items()},
    "vertical": lambda: list(VERTICALS),
    "entityType": lambda: list(ENTITY_TYPES),
    "stockExchange": lambda: list(STOCK_EXCHANGES),
    "brandRelationship": lambda: list(BRAND_RELATIONSHIPS),
    "extVettingProvider": lambda: list(VETTING_PROVIDERS),
    "vettingClass": lambda: list(VETTING_CLASSES),
    "brandIdentityStatus": lambda: ["SELF_DECLARED", "UNVERIFIED", "VERIFIED", "VETTED_VERIFIED"],
    "brandStatus": lambda: ["OK", "REGISTRATION_PENDING", "REGISTRATION_FAILED"],
    "campaignStatus": lambda: ["ACTIVE", "EXPIRED"],
    "operationStatus": lambda: ["REVIEW", "REGISTERED", "REJECTED", "SUSPENDED"],
    "vettingStatus": lambda: ["PENDING", "UNSCORE", "ACTIVE", "FAILED", "EXPIRED"],
    "altBusinessIdType": lambda: ["NONE", "DUNS", "GIIN", "LEI"],
    "optionalAttributes": lambda: {"taxExemptStatus": "Tax exempt status of the brand"},
    "approvedPublicCompany": lambda: [],
}


def get_enum(ctx: Context, name: str) -> Response:
    """``GET /10dlc/enum/{name}``."""
    factory = ENUMS.get(name)
    if factory is None:
        raise not_found("Enumeration", name)
    return ok(factory())


ROUTES = [Route("/10dlc/enum/<name>", ("GET",), get_enum)]
