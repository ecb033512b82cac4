"""The TCR payload fields: JSON type and length of every brand and campaign field the rules know.

One table, used to refuse payloads of the wrong shape before linting (``registry lint`` exits 2) and by the
length rules. Names and limits follow the TCR CSP API ``BrandRequest``/``Brand_CSP`` and ``CampaignRequest``
schemas (https://csp-api.campaignregistry.com/v2). Fields not listed here are passed through untouched, so a
payload may carry extra keys (read-only fields from TCR, provider extensions) without being refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

STR = "string"
BOOL = "boolean"
INT = "integer"
STR_LIST = "array of strings"
INT_LIST = "array of integers"
OBJECT = "object"
OBJECT_LIST = "array of objects"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field's JSON type and, for strings, its TCR length limits (``None`` = no limit known)."""

    kind: str
    max_len: int | None = None
    min_len: int | None = None


def _s(max_len: int | None = None, min_len: int | None = None) -> FieldSpec:
    return FieldSpec(STR, max_len, min_len)


#: brand fields (TCR BrandRequest, plus the read-only facts a registered brand carries)
BRAND_FIELDS: dict[str, FieldSpec] = {
    "entityType": _s(20),
    "displayName": _s(255, 1),
    "companyName": _s(255),
    "ein": _s(21),
    "einIssuingCountry": _s(2),
    "firstName": _s(100),
    "lastName": _s(100),
    "phone": _s(20, 1),
    "mobilePhone": _s(20),
    "street": _s(255),
    "city": _s(100),
    "state": _s(20),
    "postalCode": _s(10),
    "country": _s(2, 1),
    "email": _s(100, 1),
    "website": _s(255),
    "vertical": _s(50),
    "brandRelationship": _s(),
    "stockSymbol": _s(10),
    "stockExchange": _s(),
    "businessContactEmail": _s(255),
    "altBusinessIdType": _s(),
    "altBusinessId": _s(50),
    "referenceId": _s(50),
    "ipAddress": _s(50),
    "tag": FieldSpec(STR_LIST),
    "mock": FieldSpec(BOOL),
    # read-only facts TCR returns after registration (rule catalog: known when present)
    "brandId": _s(),
    "cspId": _s(),
    "status": _s(),
    "universalEin": _s(),
    "identityStatus": _s(),
    "optionalAttributes": FieldSpec(OBJECT),
    "vettings": FieldSpec(OBJECT_LIST),
    "createDate": _s(),
    "mobilePhoneVerifiedDate": _s(),
    "businessContactFirstName": _s(),
    "businessContactLastName": _s(),
    "businessContactTitle": _s(),
    "businessContactEmailVerifiedDate": _s(),
}

#: campaign fields (TCR CampaignRequest, read-only fields, and this application's planning fields)
CAMPAIGN_FIELDS: dict[str, FieldSpec] = {
    "brandId": _s(8),
    "campaignId": _s(),
    "cspId": _s(),
    "status": _s(),
    "usecase": _s(50),
    "subUsecases": FieldSpec(STR_LIST),
    "resellerId": _s(8),
    "description": _s(4096),
    "messageFlow": _s(4096),
    **{f"sample{i}": _s(1024) for i in range(1, 6)},
    "subscriberOptin": FieldSpec(BOOL),
    "subscriberOptout": FieldSpec(BOOL),
    "subscriberHelp": FieldSpec(BOOL),
    "optinKeywords": _s(255),
    "optinMessage": _s(1024),
    "optoutKeywords": _s(255),
    "optoutMessage": _s(1024),
    "helpKeywords": _s(255),
    "helpMessage": _s(1024),
    "embeddedLink": FieldSpec(BOOL),
    "embeddedLinkSample": _s(255),
    "embeddedPhone": FieldSpec(BOOL),
    "numberPool": FieldSpec(BOOL),
    "ageGated": FieldSpec(BOOL),
    "directLending": FieldSpec(BOOL),
    "affiliateMarketing": FieldSpec(BOOL),
    "termsAndConditions": FieldSpec(BOOL),
    "privacyPolicyLink": _s(2048),
    "termsAndConditionsLink": _s(2048),
    "autoRenewal": FieldSpec(BOOL),
    "mnoIds": FieldSpec(INT_LIST),
    "referenceId": _s(50),
    "tag": FieldSpec(STR_LIST),
    "vertical": _s(20),
    "mock": FieldSpec(BOOL),
    "createDate": _s(),
    # planning fields of this application (not sent to TCR): the volume forecast the VOLUME-* rules read
    "forecastDailyVolume": FieldSpec(INT),
    "forecastPeakTpm": FieldSpec(INT),
}

FIELDS: dict[str, dict[str, FieldSpec]] = {"brand": BRAND_FIELDS, "campaign": CAMPAIGN_FIELDS}


def _describe(value: Any) -> str:
    """A JSON value as an officer reads it: ``the number 123``, ``a string``, ``an array``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return f"the number {value}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return "null" if value is None else type(value).__name__


_ELEMENT = {STR_LIST: (STR, "a string"), INT_LIST: (INT, "an integer"), OBJECT_LIST: (OBJECT, "an object")}
_WANTED = {
    STR: "a string", BOOL: "true or false", INT: "a non-negative integer", STR_LIST: "an array of strings",
    INT_LIST: "an array of integers", OBJECT: "an object", OBJECT_LIST: "an array of objects",
}


def _fits(kind: str, value: Any) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind == OBJECT:
        return isinstance(value, Mapping)
    return isinstance(value, list)


def type_error(obj: str, payload: Any) -> str | None:
    """Say what is wrong with the JSON types of a ``brand`` or ``campaign`` payload, or ``None`` if nothing.

    ``null`` is accepted for every field (it means "not given"); unknown fields are not checked.
    """
    if not isinstance(payload, Mapping):
        return f"{obj} must be an object, not {_describe(payload)}"
    specs = FIELDS[obj]
    for name, value in payload.items():
        spec = specs.get(name)
        if spec is None or value is None:
            continue
        if not _fits(spec.kind, value):
            return f"{obj}.{name} must be {_WANTED[spec.kind]}, not {_describe(value)}"
        element = _ELEMENT.get(spec.kind)
        if element is not None:
            kind, wanted = element
            for i, item in enumerate(value):
                if not _fits(kind, item) and not (kind == INT and type(item) is int):
                    return f"{obj}.{name}[{i}] must be {wanted}, not {_describe(item)}"
    return None
