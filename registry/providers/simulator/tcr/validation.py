"""Field validation the TCR CSP API enforces (provider-apis.md §1.3, §1.4, §8.4), answered with code 501.

Brand (``BrandRequest``): required ``entityType, displayName, country, email, phone, brandRelationship``; by
entity type ``companyName`` + ``ein`` (all but sole proprietors), ``vertical`` (all but sole proprietors),
``firstName/lastName/mobilePhone`` (sole proprietors), ``stockSymbol/stockExchange/businessContactEmail``
(public profit). Campaign (``CampaignRequest``): required ``brandId, usecase, resellerId, description,
messageFlow``; description/messageFlow 40-4096, samples and opt/help messages 20-1024, keywords comma separated
without spaces, ``referenceId`` <= 50, ``mnoIds`` integers naming known MNOs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..catalog import BRAND_RELATIONSHIPS, ENTITY_TYPES, MNOS, STOCK_EXCHANGES, USECASES, VERTICALS
from .errors import entry

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")

BRAND_REQUIRED = ("entityType", "displayName", "country", "email", "phone", "brandRelationship")
BY_ENTITY: Mapping[str, tuple[str, ...]] = {
    "PRIVATE_PROFIT": ("companyName", "ein", "vertical"),
    "PUBLIC_PROFIT": ("companyName", "ein", "vertical", "stockSymbol", "stockExchange", "businessContactEmail"),
    "NON_PROFIT": ("companyName", "ein", "vertical"),
    "GOVERNMENT": ("companyName", "ein", "vertical"),
    "SOLE_PROPRIETOR": ("firstName", "lastName", "mobilePhone"),
}
#: ``Brand_CSP`` maxLength values
MAX_LENGTHS: Mapping[str, int] = {
    "displayName": 255, "companyName": 255, "ein": 21, "phone": 20, "street": 255, "city": 100, "state": 20,
    "postalCode": 10, "email": 100, "stockSymbol": 10, "website": 255, "firstName": 100, "lastName": 100,
    "mobilePhone": 20, "referenceId": 50, "altBusinessId": 50, "ipAddress": 50,
}  # fmt: skip


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def brand_errors(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every problem with a brand create/update body (each a 501 naming its field)."""
    missing = [f for f in BRAND_REQUIRED if _blank(body.get(f))]
    entity = body.get("entityType")
    missing += [f for f in BY_ENTITY.get(str(entity), ()) if _blank(body.get(f)) and f not in missing]
    errors = [entry(501, f"{f} is required", [f]) for f in missing]
    if not _blank(entity) and entity not in ENTITY_TYPES:
        errors.append(entry(501, f"entityType must be one of {', '.join(ENTITY_TYPES)}", ["entityType"]))
    if entity == "SOLE_PROPRIETOR" and not _blank(body.get("ein")):
        errors.append(entry(501, "A sole proprietor brand must not have an EIN", ["ein"]))
    checks = (
        ("vertical", VERTICALS),
        ("brandRelationship", BRAND_RELATIONSHIPS),
        ("stockExchange", (*STOCK_EXCHANGES, "OTHER")),
    )
    for name, allowed in checks:
        if not _blank(body.get(name)) and body[name] not in allowed:
            errors.append(entry(501, f"Invalid {name} {body[name]!r}", [name]))
    ein = body.get("ein")
    if not _blank(ein) and body.get("country", "US") == "US" and not re.fullmatch(r"\d{9}", str(ein)):
        errors.append(entry(501, "EIN must be 9 digits in the U.S.", ["ein"]))
    for name in ("email", "businessContactEmail"):
        if not _blank(body.get(name)) and not EMAIL.match(str(body[name])):
            errors.append(entry(501, f"{name} is not a valid email address", [name]))
    for name in ("phone", "mobilePhone"):
        if not _blank(body.get(name)) and not E164.match(str(body[name])):
            errors.append(entry(501, f"{name} must be in e.164 format", [name]))
    country = body.get("country")
    if not _blank(country) and not re.fullmatch(r"[A-Z]{2}", str(country)):
        errors.append(entry(501, "country must be an ISO2 code", ["country"]))
    if country == "US":
        if not _blank(body.get("state")) and not re.fullmatch(r"[A-Z]{2}", str(body["state"])):
            errors.append(entry(501, "state must be a 2 letter code for the United States", ["state"]))
        if not _blank(body.get("postalCode")) and not re.fullmatch(r"\d{5}", str(body["postalCode"])):
            errors.append(entry(501, "Use a 5 digit zipcode for the United States", ["postalCode"]))
    for name, limit in MAX_LENGTHS.items():
        if isinstance(body.get(name), str) and len(body[name]) > limit:
            errors.append(entry(501, f"{name} must be at most {limit} characters", [name]))
    return errors


def _length(body: Mapping[str, Any], name: str, low: int, high: int) -> dict[str, Any] | None:
    value = body.get(name)
    if _blank(value):
        return None
    if not isinstance(value, str) or not low <= len(value) <= high:
        return entry(501, f"{name} must be between {low} and {high} characters", [name])
    return None


def mno_id_errors(mno_ids: Any) -> list[dict[str, Any]]:
    """``mnoIds``: a list of integer network ids TCR knows."""
    if mno_ids is None:
        return []
    if not isinstance(mno_ids, list) or any(isinstance(m, bool) or not isinstance(m, int) for m in mno_ids):
        return [entry(501, "mnoIds must be a list of integer MNO network ids", ["mnoIds"])]
    unknown = [m for m in mno_ids if str(m) not in MNOS]
    if unknown:
        return [entry(501, f"Unknown MNO network id(s) {unknown}", ["mnoIds"])]
    return []


def text_errors(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Length and keyword rules shared by create and update."""
    errors = [p for p in (_length(body, n, 40, 4096) for n in ("description", "messageFlow")) if p]
    names = [f"sample{i}" for i in range(1, 6)] + ["helpMessage", "optoutMessage", "optinMessage"]
    errors += [p for p in (_length(body, n, 20, 1024) for n in names) if p]
    for name in ("optinKeywords", "optoutKeywords", "helpKeywords"):
        value = body.get(name)
        if not _blank(value) and (not isinstance(value, str) or re.search(r"\s", value) or len(value) > 255):
            errors.append(entry(501, f"{name} must be comma separated without spaces", [name]))
    return errors


def campaign_errors(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every problem with a ``CampaignRequest`` (the brand itself is checked by the caller)."""
    required = ("brandId", "usecase", "resellerId", "description", "messageFlow")
    errors = [entry(501, f"{f} is required", [f]) for f in required if _blank(body.get(f))]
    usecase = body.get("usecase")
    info = USECASES.get(str(usecase)) if not _blank(usecase) else None
    if not _blank(usecase) and info is None:
        errors.append(entry(501, f"Unknown usecase {usecase!r}", ["usecase"]))
    errors += text_errors(body)
    samples = [f"sample{i}" for i in range(1, 6) if not _blank(body.get(f"sample{i}"))]
    needed = int(info["minMsgSamples"]) if info else 1
    if len(samples) < needed:
        errors.append(entry(501, f"This use case needs at least {needed} message samples", ["sample1"]))
    for flag, message in (("subscriberHelp", "helpMessage"), ("subscriberOptout", "optoutMessage")):
        if body.get(flag) and _blank(body.get(message)):
            errors.append(entry(501, f"{message} is required when {flag} is true", [message]))
    if info is not None and info["maxSubUsecases"]:
        subs = body.get("subUsecases") or []
        low, high = info["minSubUsecases"], info["maxSubUsecases"]
        if not isinstance(subs, list) or not low <= len(subs) <= high:
            errors.append(entry(501, f"{usecase} needs between {low} and {high} sub-usecases", ["subUsecases"]))
        elif any(s not in info["validSubUsecase"] for s in subs):
            errors.append(entry(501, "subUsecases contains an invalid sub-usecase", ["subUsecases"]))
    reference = body.get("referenceId")
    if not _blank(reference) and len(str(reference)) > 50:
        errors.append(entry(501, "referenceId must be at most 50 characters", ["referenceId"]))
    reseller = body.get("resellerId")
    if not _blank(reseller) and len(str(reseller)) > 8:
        errors.append(entry(501, "resellerId must be at most 8 characters", ["resellerId"]))
    errors += mno_id_errors(body.get("mnoIds"))
    return errors
