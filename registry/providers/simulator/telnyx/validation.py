"""Field validation the real API enforces (provider-apis.md §1.3, §1.4, §2.3, §2.4, §8.4).

Brand: SDK-required ``entityType, displayName, country, email, vertical``; by entity type (TCR table):
``companyName`` + 9-digit ``ein`` for all but sole proprietors, ``stockSymbol``/``stockExchange``/
``businessContactEmail`` for PUBLIC_PROFIT, ``firstName``/``lastName``/``mobilePhone`` for SOLE_PROPRIETOR.
Campaign: ``description`` and ``messageFlow`` 40-4096 chars, samples 20-1024 chars and at least the use
case's ``minMsgSamples``, help/opt-out messages >= 20 chars when enabled, opt-in message empty or >= 20,
keyword lists comma-separated without spaces, sub-use-case counts for MIXED/LOW_VOLUME, ``referenceId``
<= 50 chars.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..catalog import ENTITY_TYPES, STOCK_EXCHANGES, USECASES, VERTICALS
from .errors import bad_value, missing

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
US_E164 = re.compile(r"^\+1[2-9]\d{2}[2-9]\d{6}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")

BRAND_REQUIRED = ("entityType", "displayName", "country", "email", "vertical")
BY_ENTITY: Mapping[str, tuple[str, ...]] = {
    "PRIVATE_PROFIT": ("companyName", "ein"),
    "PUBLIC_PROFIT": ("companyName", "ein", "stockSymbol", "stockExchange", "businessContactEmail"),
    "NON_PROFIT": ("companyName", "ein"),
    "GOVERNMENT": ("companyName", "ein"),
    "SOLE_PROPRIETOR": ("firstName", "lastName", "mobilePhone"),
}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def brand_errors(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every problem with a brand create/update body."""
    errors = [missing(f) for f in BRAND_REQUIRED if _blank(body.get(f))]
    entity = body.get("entityType")
    if not _blank(entity) and entity not in ENTITY_TYPES:
        errors.append(bad_value("entityType", f"entityType must be one of {', '.join(ENTITY_TYPES)}."))
    errors += [missing(f) for f in BY_ENTITY.get(str(entity), ()) if _blank(body.get(f))]
    vertical = body.get("vertical")
    if not _blank(vertical) and vertical not in VERTICALS:
        errors.append(bad_value("vertical", f"Unknown vertical {vertical!r}."))
    ein = body.get("ein")
    if not _blank(ein) and body.get("country", "US") == "US" and not re.fullmatch(r"\d{9}", str(ein)):
        errors.append(bad_value("ein", "EIN must be 9 digits in the U.S."))
    for name in ("email", "businessContactEmail"):
        if not _blank(body.get(name)) and not EMAIL.match(str(body[name])):
            errors.append(bad_value(name, f"{name} is not a valid email address."))
    for name in ("phone", "mobilePhone"):
        if not _blank(body.get(name)) and not E164.match(str(body[name])):
            errors.append(bad_value(name, f"{name} must be in +E.164 format.", "10016"))
    country = body.get("country")
    if not _blank(country) and not re.fullmatch(r"[A-Z]{2}", str(country)):
        errors.append(bad_value("country", "country must be an ISO 3166 alpha-2 code."))
    if country == "US":
        if not _blank(body.get("state")) and not re.fullmatch(r"[A-Z]{2}", str(body["state"])):
            errors.append(bad_value("state", "state must be 2 letters for the United States."))
        if not _blank(body.get("postalCode")) and not re.fullmatch(r"\d{5}", str(body["postalCode"])):
            errors.append(bad_value("postalCode", "Use a 5 digit zipcode for the United States."))
    exchange = body.get("stockExchange")
    if not _blank(exchange) and exchange not in STOCK_EXCHANGES:
        errors.append(bad_value("stockExchange", f"Unknown stock exchange {exchange!r}."))
    return errors


def _length(body: Mapping[str, Any], name: str, low: int, high: int) -> dict[str, Any] | None:
    value = body.get(name)
    if _blank(value):
        return None
    if not isinstance(value, str) or not low <= len(value) <= high:
        return bad_value(name, f"{name} must be between {low} and {high} characters.")
    return None


def campaign_errors(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every problem with a campaign submission body (the brand itself is checked by the caller)."""
    errors = [missing(f) for f in ("brandId", "usecase", "description", "messageFlow") if _blank(body.get(f))]
    usecase = body.get("usecase")
    info = USECASES.get(str(usecase)) if not _blank(usecase) else None
    if not _blank(usecase) and info is None:
        errors.append(bad_value("usecase", f"Unknown usecase {usecase!r}; see /10dlc/enum/usecase."))
    for name, low, high in (("description", 40, 4096), ("messageFlow", 40, 4096)):
        problem = _length(body, name, low, high)
        if problem:
            errors.append(problem)
    samples = [f"sample{i}" for i in range(1, 6) if not _blank(body.get(f"sample{i}"))]
    errors += [p for p in (_length(body, s, 20, 1024) for s in samples) if p]
    needed = int(info["minMsgSamples"]) if info else 1
    if len(samples) < needed:
        errors.append(bad_value("sample1", f"This use case needs at least {needed} message samples."))
    for flag, message in (("subscriberHelp", "helpMessage"), ("subscriberOptout", "optoutMessage")):
        if body.get(flag) and (_blank(body.get(message)) or len(str(body[message])) < 20):
            errors.append(bad_value(message, f"{message} must be at least 20 characters when {flag} is true."))
    optin = body.get("optinMessage")
    if not _blank(optin) and len(str(optin)) < 20:
        errors.append(bad_value("optinMessage", "optinMessage must be empty or at least 20 characters."))
    for name in ("optinKeywords", "optoutKeywords", "helpKeywords"):
        value = body.get(name)
        if not _blank(value) and (not isinstance(value, str) or re.search(r"\s", value)):
            errors.append(bad_value(name, f"{name} must be comma separated without spaces."))
    if info is not None and info["maxSubUsecases"]:
        subs = body.get("subUsecases") or []
        low, high = info["minSubUsecases"], info["maxSubUsecases"]
        if not isinstance(subs, list) or not low <= len(subs) <= high:
            errors.append(bad_value("subUsecases", f"{usecase} needs between {low} and {high} sub-usecases."))
        elif any(s not in info["validSubUsecase"] for s in subs):
            errors.append(bad_value("subUsecases", "subUsecases contains a value that is not a valid sub-usecase."))
    reference = body.get("referenceId")
    if not _blank(reference) and len(str(reference)) > 50:
        errors.append(bad_value("referenceId", "referenceId must be at most 50 characters."))
    return errors


def sample_errors(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Problems with the fields a campaign update may change."""
    names = [f"sample{i}" for i in range(1, 6)] + ["messageFlow", "helpMessage"]
    limits = {"messageFlow": (40, 4096), "helpMessage": (20, 255)}
    errors = []
    for name in names:
        if name in body:
            low, high = limits.get(name, (20, 1024))
            problem = _length(body, name, low, high)
            if problem:
                errors.append(problem)
    return errors
