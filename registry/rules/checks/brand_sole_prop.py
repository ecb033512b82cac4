"""Sole proprietor rules: who may register as SOLE_PROPRIETOR, the owner's mobile phone, and names that pass
TCR's obfuscation check.

Payload rules; ``BRAND-SP-MOBILE`` also reads, when the caller knows it,

- ``state["contact_usage"]["mobilePhone"]`` (int, or a list of brand ids): how many *other* brands already use
  this mobile number (TCR's duplicate threshold; Telnyx documents 3 sole proprietor brands per number).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from phonenumbers import PhoneNumberType

from ..engine import BRAND, LintContext, check, finding
from ..report import Finding, Severity
from ..text import wordlist
from .brand_values import (
    COUNTRIES,
    MOBILE_TYPES,
    company_designators,
    count,
    has_words,
    norm,
    parse_phone,
    payload_check,
    phone_type,
    phone_type_name,
    text,
)

#: US (with its territories in the North American plan) and Canada
SP_COUNTRIES = frozenset({"US", "CA", "PR", "GU", "VI", "AS", "MP"})
#: whole-field placeholder values ("test", "N/A", "first name")
_PLACEHOLDERS = frozenset(t.strip() for t in wordlist("placeholder_names").terms)
#: sole proprietor brands per mobile number (Telnyx sole proprietor guide)
SP_MOBILE_REUSE_LIMIT = 3


@payload_check("BRAND-SP-ELIGIBILITY")
def eligibility(b: Mapping[str, Any], today: date) -> list[Finding]:
    """A sole proprietor is in the US or Canada and has no EIN and no company form."""
    if text(b, "entityType") != "SOLE_PROPRIETOR":
        return []
    out: list[Finding] = []
    country = text(b, "country")
    if country is not None and country.upper() not in SP_COUNTRIES:
        out.append(finding("BRAND-SP-ELIGIBILITY", "country",
                           f"country is {country}: TCR accepts sole proprietors only in the US and Canada "
                           "(555)."))
    ein = text(b, "ein")
    if ein is not None:
        out.append(finding("BRAND-SP-ELIGIBILITY", "ein",
                           f"ein '{ein}' is given: a business with an EIN or tax id is not a sole proprietor "
                           "in TCR's sense; register it as PRIVATE_PROFIT with its legal name."))
    company = text(b, "companyName")
    if company is not None:
        forms = company_designators(company)
        if forms:
            out.append(finding("BRAND-SP-ELIGIBILITY", "companyName",
                               f"companyName '{company}' names a company ({forms[0].upper()}); an LLC or "
                               "corporation has an EIN and registers as PRIVATE_PROFIT."))
    return out


@payload_check("BRAND-SP-MOBILE")
def sole_prop_mobile(b: Mapping[str, Any], today: date) -> list[Finding]:
    """The owner's mobile phone is a US or Canadian wireless number."""
    raw = text(b, "mobilePhone")
    if raw is None or text(b, "entityType") != "SOLE_PROPRIETOR":
        return []
    region = (text(b, "country") or "US").upper()
    p = parse_phone(raw, region if region in COUNTRIES else "US")
    if not p.valid or not p.formatted:
        return []  # BRAND-PHONE-E164 reports it
    if p.region not in SP_COUNTRIES:
        return [finding("BRAND-SP-MOBILE", "mobilePhone",
                        f"mobilePhone '{raw}' is not a US or Canadian number ({p.region}); TCR sends the "
                        "sole proprietor PIN only to US or Canadian mobile numbers (551).")]
    kind = phone_type(p.formatted)
    if kind not in MOBILE_TYPES and kind != PhoneNumberType.UNKNOWN:
        return [finding("BRAND-SP-MOBILE", "mobilePhone",
                        f"mobilePhone '{raw}' is a {phone_type_name(kind)} number, not a wireless number "
                        "that can receive TCR's PIN by text (551).")]
    return []


@check("BRAND-SP-MOBILE", needs=BRAND, state=("contact_usage",))
def sole_prop_mobile_reuse(ctx: LintContext) -> list[Finding]:
    """The owner's mobile phone is not used by more sole proprietor brands than TCR's threshold."""
    usage = ctx.state.get("contact_usage") if ctx.state else None
    b = ctx.brand
    if not isinstance(usage, Mapping) or text(b, "entityType") != "SOLE_PROPRIETOR":
        return []
    raw = text(b, "mobilePhone")
    others = count(usage.get("mobilePhone"))
    if raw is None or others < SP_MOBILE_REUSE_LIMIT:
        return []
    return [finding("BRAND-SP-MOBILE", "mobilePhone",
                    f"mobilePhone '{raw}' is already used by {others} other brands; TCR refuses it beyond "
                    f"its duplicate threshold (550; Telnyx: {SP_MOBILE_REUSE_LIMIT}).")]


def _name_problem(field: str, value: str) -> tuple[str, Severity] | None:
    n = norm(value)
    if not n or n in _PLACEHOLDERS:
        return f"{field} '{value}' is a placeholder, not a real name.", Severity.ERROR
    if field != "displayName":
        if any(c.isdigit() for c in value) or "@" in value or "://" in value or "www." in value.lower():
            why = "contains digits or an address; enter the owner's name only"
            return f"{field} '{value}' {why}.", Severity.ERROR
        letters = n.replace(" ", "")
        if len(letters) >= 3 and len(set(letters)) == 1:
            return f"{field} '{value}' is not a real name.", Severity.ERROR
    forms = company_designators(value)
    if forms:
        return (f"{field} '{value}' contains the company designator {forms[0].upper()}; a sole proprietor "
                "registers under a person's name, and a company is not a sole proprietor."), Severity.ERROR
    orgs = has_words("org_words", value)
    if orgs:
        return (f"{field} '{value}' looks like an organisation ('{orgs[0]}'); churches, schools, clubs and "
                "associations are not sole proprietors."), Severity.WARNING
    if field != "displayName" and len(n.replace(" ", "")) == 1:
        return f"{field} '{value}' is an initial; TCR's name check expects the full name.", Severity.WARNING
    return None


@payload_check("BRAND-SP-REAL-NAMES")
def real_names(b: Mapping[str, Any], today: date) -> list[Finding]:
    """First, last and display names of a sole proprietor look like a real person and business name."""
    if text(b, "entityType") != "SOLE_PROPRIETOR":
        return []
    out: list[Finding] = []
    for field in ("firstName", "lastName", "displayName"):
        value = text(b, field)
        if value is None:
            continue
        problem = _name_problem(field, value)
        if problem:
            out.append(finding("BRAND-SP-REAL-NAMES", field, problem[0], severity=problem[1]))
    return out
