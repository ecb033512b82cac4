"""Brand identity rules: entity type, the fields each entity type needs, lengths, enumerations (vertical,
relationship, alternate id, stock exchange), entity geography, tags and the legal-name heuristic.

Payload-only except ``BRAND-LEGALNAME-MATCHES-EIN`` (live) and ``BRAND-STOCK-EXCHANGE-ENUM``'s approved-list
lookup, which read these optional ``state`` keys when a caller has done the lookup:

- ``state["irs_legal_name"]`` (str): the legal name on record for the EIN (IRS or TIN-matching lookup).
- ``state["approved_public_company"]`` (bool): whether the company is on TCR ``/enum/approvedPublicCompany``.

Without them the rule reports an info finding saying a live check is needed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from stdnum import lei

from ..engine import BRAND, LintContext, check, finding
from ..fields import BRAND_FIELDS
from ..report import Finding, Severity
from .brand_values import CACHE_SIZE, company_designators, has_words, norm, payload_check, present, text

ENTITY_TYPES = frozenset({"PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT", "SOLE_PROPRIETOR"})
ORGANISATIONS = frozenset({"PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT"})
VERTICALS = frozenset({
    "AGRICULTURE", "COMMUNICATION", "CONSTRUCTION", "EDUCATION", "ENERGY", "ENTERTAINMENT", "FINANCIAL",
    "GAMBLING", "GOVERNMENT", "HEALTHCARE", "HOSPITALITY", "HUMAN_RESOURCES", "INSURANCE", "LEGAL",
    "MANUFACTURING", "NGO", "POLITICAL", "POSTAL", "PROFESSIONAL", "REAL_ESTATE", "RETAIL", "TECHNOLOGY",
    "TRANSPORTATION",
})
RELATIONSHIPS = frozenset({"BASIC_ACCOUNT", "SMALL_ACCOUNT", "MEDIUM_ACCOUNT", "LARGE_ACCOUNT",
                           "KEY_ACCOUNT"})
ALT_ID_TYPES = frozenset({"NONE", "DUNS", "GIIN", "LEI"})
STOCK_EXCHANGES = frozenset({
    "NONE", "NASDAQ", "NYSE", "AMEX", "AMX", "ASX", "B3", "BME", "BSE", "FRA", "ICEX", "JPX", "JSE", "KRX",
    "LON", "NSE", "OMX", "SEHK", "SGX", "SSE", "STO", "SWX", "SZSE", "TSX", "TWSE", "VSE", "OTHER",
})
#: Authentication+ (and with it the PUBLIC_PROFIT business contact e-mail) since this day
AUTHPLUS_FROM = date(2024, 10, 17)

#: what each field is, for messages
LABELS = {
    "entityType": "the entity type",
    "displayName": "the brand (display or DBA) name",
    "companyName": "the legal company name",
    "ein": "the EIN or tax id",
    "phone": "the support phone number",
    "street": "the street address",
    "city": "the city",
    "state": "the state or region",
    "postalCode": "the postal code",
    "country": "the country",
    "email": "the support e-mail address",
    "website": "the website",
    "vertical": "the industry vertical",
    "brandRelationship": "the brand relationship",
    "stockSymbol": "the stock symbol",
    "stockExchange": "the stock exchange",
    "businessContactEmail": "the business contact e-mail",
    "firstName": "the owner's first name",
    "lastName": "the owner's last name",
    "mobilePhone": "the owner's mobile phone",
}
_COMMON = ("displayName", "phone", "street", "city", "state", "postalCode", "country", "email")
_ORG = ("companyName", "ein", "vertical", "brandRelationship")
REQUIRED: dict[str, tuple[str, ...]] = {
    "PRIVATE_PROFIT": _COMMON + _ORG,
    "PUBLIC_PROFIT": _COMMON + _ORG + ("stockSymbol", "stockExchange", "website"),
    "NON_PROFIT": _COMMON + _ORG,
    "GOVERNMENT": _COMMON + _ORG,
    "SOLE_PROPRIETOR": (*_COMMON, "firstName", "lastName", "mobilePhone"),
}
_PERSON_FIELDS = ("firstName", "lastName", "mobilePhone")
def _a(word: str) -> str:
    """``word`` with its indefinite article: ``a PRIVATE_PROFIT``, ``an ENTERPRISE``."""
    return f"{'an' if word[:1].upper() in 'AEIOU' else 'a'} {word}"


def _upper_hint(value: str, allowed: frozenset[str]) -> str:
    guess = value.strip().upper().replace("-", "_").replace(" ", "_")
    return f" (write it as {guess})" if guess in allowed and guess != value else ""


@payload_check("BRAND-ENTITY-TYPE-ENUM", "BRAND-REQUIRED-BY-ENTITY")
def entity_and_required(b: Mapping[str, Any], today: date) -> list[Finding]:
    """Entity type is known and every field its column of the TCR entity table requires is present."""
    out: list[Finding] = []
    entity = text(b, "entityType")
    if entity is None:
        out.append(finding("BRAND-REQUIRED-BY-ENTITY", "entityType",
                           "entityType is missing: TCR needs to know what kind of organisation the brand "
                           "is."))
    elif entity not in ENTITY_TYPES:
        out.append(finding("BRAND-ENTITY-TYPE-ENUM", "entityType",
                           f"entityType '{entity}' is not one of TCR's five entity "
                           f"types{_upper_hint(entity, ENTITY_TYPES)}."))
    missing = [name for name in REQUIRED.get(entity or "", _COMMON)
               if (v := b.get(name)) is None or (v.__class__ is str and (not v or v.isspace()))]
    out.extend(finding("BRAND-REQUIRED-BY-ENTITY", name,
                       f"{name} is missing: {_a(entity) if entity else 'every'} brand must give "
                       f"{LABELS[name]}.") for name in missing)
    if entity == "PUBLIC_PROFIT" and today >= AUTHPLUS_FROM and not present(b, "businessContactEmail"):
        out.append(finding("BRAND-REQUIRED-BY-ENTITY", "businessContactEmail",
                           "businessContactEmail is missing: a PUBLIC_PROFIT brand must name a business "
                           "contact who completes TCR's Authentication+ e-mail."))
    if entity == "GOVERNMENT" and not present(b, "website"):
        out.append(finding("BRAND-REQUIRED-BY-ENTITY", "website",
                           "website is missing: the TCR knowledge base requires it for GOVERNMENT brands "
                           "(the API does not), and reviewers use it to confirm the public body.",
                           severity=Severity.WARNING))
    if entity == "SOLE_PROPRIETOR":
        company = text(b, "companyName")
        if company and not company_designators(company):
            out.append(finding("BRAND-REQUIRED-BY-ENTITY", "companyName",
                               f"companyName '{company}' does not apply to a sole proprietor: TCR registers "
                               "the owner's own name, so remove it (a business with a legal name and an EIN "
                               "registers as PRIVATE_PROFIT).", severity=Severity.WARNING))
    elif entity in ORGANISATIONS:
        for name in _PERSON_FIELDS:
            if b.get(name) and present(b, name):
                used = (" (Twilio files it as the authorized representative)" if name != "mobilePhone"
                        else "")
                out.append(finding("BRAND-REQUIRED-BY-ENTITY", name,
                                   f"{name} applies only to sole proprietors in TCR, which ignores it on a "
                                   f"{entity} brand{used}.",
                                   severity=Severity.INFO))
    return out


_MAX_LEN = {name: spec.max_len for name, spec in BRAND_FIELDS.items() if spec.max_len is not None}


@payload_check("BRAND-FIELD-LENGTHS")
def field_lengths(b: Mapping[str, Any], today: date) -> list[Finding]:
    """Every brand string is within its TCR length limit."""
    return [finding("BRAND-FIELD-LENGTHS", name,
                    f"{name} is {len(value)} characters long; TCR allows at most {_MAX_LEN[name]}.")
            for name, value in b.items()
            if value.__class__ is str and len(value) > _MAX_LEN.get(name, 1 << 30)]


@payload_check("BRAND-VERTICAL-ENUM", "BRAND-RELATIONSHIP")
def vertical_and_relationship(b: Mapping[str, Any], today: date) -> list[Finding]:
    """``vertical`` and ``brandRelationship`` are TCR values; a sole proprietor should give a vertical."""
    out: list[Finding] = []
    vertical = text(b, "vertical")
    if vertical is not None and vertical not in VERTICALS:
        out.append(finding("BRAND-VERTICAL-ENUM", "vertical",
                           f"vertical '{vertical}' is not one of TCR's 23 industry "
                           f"segments{_upper_hint(vertical, VERTICALS)}."))
    elif vertical is None and text(b, "entityType") == "SOLE_PROPRIETOR":
        out.append(finding("BRAND-VERTICAL-ENUM", "vertical",
                           "vertical is missing: TCR does not require it for sole proprietors, but some "
                           "providers (Telnyx) refuse a brand without it.", severity=Severity.WARNING))
    relationship = text(b, "brandRelationship")
    if relationship is not None and relationship not in RELATIONSHIPS:
        out.append(finding("BRAND-RELATIONSHIP", "brandRelationship",
                           f"brandRelationship '{relationship}' is not one of TCR's five "
                           f"values{_upper_hint(relationship, RELATIONSHIPS)}."))
    return out


_DUNS = re.compile(r"\d{9}")
_GIIN = re.compile(r"[A-Z0-9]{6}\.[A-Z0-9]{5}\.[A-Z]{2}\.\d{3}")


def _alt_id_fits(kind: str, value: str) -> bool:
    if kind == "DUNS":
        return _DUNS.fullmatch(value.replace("-", "").replace(" ", "")) is not None
    if kind == "LEI":
        return lei.is_valid(value)
    return _GIIN.fullmatch(value.upper()) is not None


@payload_check("BRAND-ALTID-CONSISTENT")
def alt_business_id(b: Mapping[str, Any], today: date) -> list[Finding]:
    """The alternate business id type is known and comes with a matching id (and only then)."""
    kind = text(b, "altBusinessIdType")
    value = text(b, "altBusinessId")
    if kind is None and value is None:
        return []
    if kind is not None and kind not in ALT_ID_TYPES:
        return [finding("BRAND-ALTID-CONSISTENT", "altBusinessIdType",
                        f"altBusinessIdType '{kind}' is not one of NONE, DUNS, GIIN or "
                        f"LEI{_upper_hint(kind, ALT_ID_TYPES)}.")]
    kind = kind or "NONE"
    if kind == "NONE":
        if value is None:
            return []
        return [finding("BRAND-ALTID-CONSISTENT", "altBusinessId",
                        f"altBusinessId '{value}' is given but altBusinessIdType is NONE: say whether it is "
                        "a DUNS, GIIN or LEI number, or remove it.")]
    if value is None:
        return [finding("BRAND-ALTID-CONSISTENT", "altBusinessId",
                        f"altBusinessIdType is {kind} but altBusinessId is empty: enter the {kind} number or "
                        "set the type to NONE.")]
    if not _alt_id_fits(kind, value):
        shape = {"DUNS": "9 digits", "LEI": "20 characters with valid check digits",
                 "GIIN": "19 characters shaped like 98Q96B.00000.LE.840"}[kind]
        return [finding("BRAND-ALTID-CONSISTENT", "altBusinessId",
                        f"altBusinessId '{value}' does not look like a {kind} ({shape}).",
                        severity=Severity.WARNING)]
    return []


_TICKER = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,9}")


def _listed(b: Mapping[str, Any]) -> tuple[str, str] | None:
    """(symbol, exchange) of a brand whose stock fields pass the offline checks, else ``None``."""
    symbol, exchange = text(b, "stockSymbol"), text(b, "stockExchange")
    if symbol is None or exchange is None or exchange == "NONE" or exchange not in STOCK_EXCHANGES:
        return None
    return (symbol, exchange) if _TICKER.fullmatch(symbol) else None


@payload_check("BRAND-STOCK-EXCHANGE-ENUM")
def stock_listing(b: Mapping[str, Any], today: date) -> list[Finding]:
    """Stock exchange is a TCR value, a public company names a real listing, a private one names none."""
    entity = text(b, "entityType")
    exchange = text(b, "stockExchange")
    symbol = text(b, "stockSymbol")
    out: list[Finding] = []
    if exchange is not None and exchange not in STOCK_EXCHANGES:
        out.append(finding("BRAND-STOCK-EXCHANGE-ENUM", "stockExchange",
                           f"stockExchange '{exchange}' is not one of TCR's exchange "
                           f"codes{_upper_hint(exchange, STOCK_EXCHANGES)}."))
    if entity == "PUBLIC_PROFIT":
        if exchange == "NONE":
            out.append(finding("BRAND-STOCK-EXCHANGE-ENUM", "stockExchange",
                               "stockExchange is NONE on a PUBLIC_PROFIT brand: a public company must name "
                               "the exchange its shares trade on."))
        if symbol is not None and _TICKER.fullmatch(symbol) is None:
            out.append(finding("BRAND-STOCK-EXCHANGE-ENUM", "stockSymbol",
                               f"stockSymbol '{symbol}' is not a bare ticker: enter only the symbol (for "
                               "example AAPL), without the exchange, '$' or "
                               "spaces.", severity=Severity.WARNING))
    elif entity is not None and (symbol is not None or exchange not in (None, "NONE")):
        out.append(finding("BRAND-STOCK-EXCHANGE-ENUM", "stockSymbol" if symbol else "stockExchange",
                           f"A stock listing is given on a {entity} brand: if the company is publicly traded "
                           "register it as PUBLIC_PROFIT, otherwise remove stockSymbol and stockExchange.",
                           severity=Severity.WARNING))
    return out


@check("BRAND-STOCK-EXCHANGE-ENUM", needs=BRAND)
def approved_public_company(ctx: LintContext) -> list[Finding]:
    """A public company's listing is on TCR's approved list (known from a lookup, else a live check)."""
    b = ctx.brand
    listing = _listed(b) if text(b, "entityType") == "PUBLIC_PROFIT" else None
    if listing is None:
        return []
    symbol, exchange = listing
    approved = ctx.state.get("approved_public_company")
    if approved is True:
        return []
    if approved is False:
        return [finding("BRAND-STOCK-EXCHANGE-ENUM", "stockSymbol",
                        f"{symbol} on {exchange} is not on TCR's approved public company list: identity "
                        "verification will fail until TCR support adds it.", severity=Severity.WARNING)]
    return [finding("BRAND-STOCK-EXCHANGE-ENUM", "stockSymbol",
                    f"Needs a live check: whether {symbol} on {exchange} is on TCR's "
                    "/enum/approvedPublicCompany list.", severity=Severity.INFO)]


_US_LIKE = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})


@payload_check("BRAND-ENTITY-GEOGRAPHY")
def entity_geography(b: Mapping[str, Any], today: date) -> list[Finding]:
    """GOVERNMENT only for US bodies; NON_PROFIT only with a US EIN."""
    entity = text(b, "entityType")
    if entity not in ("GOVERNMENT", "NON_PROFIT"):
        return []
    out: list[Finding] = []
    issuing = (text(b, "einIssuingCountry") or "US").upper()
    country = (text(b, "country") or "US").upper()
    if entity == "GOVERNMENT" and country not in _US_LIKE:
        out.append(finding("BRAND-ENTITY-GEOGRAPHY", "country",
                           f"A GOVERNMENT brand must be a US public body, but country is {country}: register "
                           "a foreign government body as PRIVATE_PROFIT."))
    if issuing not in _US_LIKE:
        kind = "a US public body" if entity == "GOVERNMENT" else "an organisation with a US EIN"
        out.append(finding("BRAND-ENTITY-GEOGRAPHY", "einIssuingCountry",
                           f"A {entity} brand must be {kind}, but the tax id was issued by {issuing}: "
                           "register it as PRIVATE_PROFIT with that tax id."))
    return out


@payload_check("BRAND-TAGS")
def tags(b: Mapping[str, Any], today: date) -> list[Finding]:
    """At most 10 tags, each 1-50 letters or digits."""
    value = b.get("tag")
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        return [finding("BRAND-TAGS", "tag", "tag must be a list of words, not a single value.")]
    out: list[Finding] = []
    if len(value) > 10:
        out.append(finding("BRAND-TAGS", "tag", f"{len(value)} tags are given; TCR allows at most 10."))
    for item in value:
        if not isinstance(item, str) or not 1 <= len(item) <= 50 or not item.isalnum():
            out.append(finding("BRAND-TAGS", "tag",
                               f"Tag {item!r} is not 1 to 50 letters or digits without spaces or "
                               "punctuation."))
    return out


@lru_cache(maxsize=CACHE_SIZE)
def _legal_name_offline(entity: str, company: str, display: str | None) -> tuple[Finding, ...]:
    out: list[Finding] = []
    if entity in ("PRIVATE_PROFIT", "PUBLIC_PROFIT") and not has_words("legal_suffixes", company):
        why = " and is the same as displayName" if norm(company) == norm(display or "") else ""
        out.append(finding("BRAND-LEGALNAME-MATCHES-EIN", "companyName",
                           f"companyName '{company}' has no legal suffix (Inc, LLC, Corp, ...){why}: it may "
                           "be a brand or trade name rather than the legal name on the IRS record. If the "
                           "EIN belongs to a sole proprietorship or partnership, its legal name is the "
                           "owner's name."))
    out.append(finding("BRAND-LEGALNAME-MATCHES-EIN", "companyName",
                       "Needs a live check: TCR compares companyName with the legal name on record for the "
                       "EIN.",
                       severity=Severity.INFO))
    return tuple(out)


@check("BRAND-LEGALNAME-MATCHES-EIN", needs=BRAND)
def legal_name(ctx: LintContext) -> tuple[Finding, ...]:
    """The legal name should be the IRS name of the EIN: exact with a lookup, a suffix heuristic without."""
    b = ctx.brand
    entity = text(b, "entityType")
    company = text(b, "companyName")
    if entity not in ORGANISATIONS or company is None or not present(b, "ein"):
        return ()
    on_record = ctx.state.get("irs_legal_name")
    if isinstance(on_record, str) and on_record.strip():
        if norm(on_record) == norm(company):
            return ()
        return (finding("BRAND-LEGALNAME-MATCHES-EIN", "companyName",
                        f"companyName '{company}' differs from the legal name on record for the EIN, "
                        f"'{on_record.strip()}'."),)
    return _legal_name_offline(entity, company, text(b, "displayName"))
