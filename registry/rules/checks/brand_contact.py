"""Brand address and phone rules: ISO country codes, US state and ZIP, a deliverable street address, E.164
phone numbers.

Payload-only. Codes come from pycountry (ISO 3166-1, ISO 3166-2:US including DC and the territories), phone
numbers are read with phonenumbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import pycountry

from ..engine import finding
from ..report import Finding, Severity
from .brand_values import COUNTRIES, US_STATES, parse_phone, payload_check, text

#: common non-ISO country spellings and the code to use instead
_COUNTRY_FIXES = {"UK": "GB", "USA": "US", "EN": "GB", "EL": "GR"}
#: US state and territory names (lower case) -> USPS code, for the hint
_STATE_NAMES = {s.name.lower(): s.code.split("-", 1)[1]
                for s in pycountry.subdivisions.get(country_code="US")}
_ZIP5 = re.compile(r"\d{5}")
_ZIP9 = re.compile(r"\d{5}-?\d{4}")

# "PO Box 12", "P.O. Box", "P O Box", "POBox", "POB 12", "Post Office Box": never "Post Office Square"
_PO_BOX = re.compile(
    r"\b(?:p\s*\.?\s*o\s*\.?\s*box\b|pob\s*#?\s*\d|post\s+office\s+box\b|postal\s+box\b)", re.I
)
_PMB = re.compile(r"\b(?:pmb|private\s+mail\s*box)\b", re.I)
_CARE_OF = re.compile(r"^\s*(?:c\s*/\s*o|care\s+of)\b", re.I)
#: a street may start with a spelled-out house number ("One Microsoft Way")
_SPELLED_NUMBER = re.compile(
    r"^\s*(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred)\b",
    re.I,
)


def _code(value: str, field: str) -> list[Finding]:
    upper = value.upper()
    if upper in COUNTRIES:
        if value != upper:
            return [finding("BRAND-ADDRESS-FORMAT", field,
                            f"{field} '{value}' should be written in upper case "
                            f"({upper}).", severity=Severity.INFO)]
        return []
    fix = _COUNTRY_FIXES.get(upper)
    hint = f" (use {fix})" if fix else ""
    return [finding("BRAND-ADDRESS-FORMAT", field,
                    f"{field} '{value}' is not an ISO 3166-1 two-letter country code{hint}.")]


@payload_check("BRAND-ADDRESS-FORMAT")
def address_format(b: Mapping[str, Any], today: date) -> list[Finding]:
    """Country codes are ISO alpha-2; a US address has a USPS state code and a 5-digit ZIP."""
    country, issuing = text(b, "country"), text(b, "einIssuingCountry")
    out: list[Finding] = []
    if country is not None:
        out.extend(_code(country, "country"))
    if issuing is not None:
        out.extend(_code(issuing, "einIssuingCountry"))
    if country is None or country.upper() != "US":
        return out
    state = text(b, "state")
    if state is not None:
        upper = state.upper()
        if upper not in US_STATES:
            code = _STATE_NAMES.get(state.lower())
            hint = f" (use {code})" if code else ""
            out.append(finding("BRAND-ADDRESS-FORMAT", "state",
                               f"state '{state}' is not a two-letter US state or territory code{hint}."))
        elif state != upper:
            out.append(finding("BRAND-ADDRESS-FORMAT", "state",
                               f"state '{state}' should be written in upper case ({upper}).",
                               severity=Severity.INFO))
    zip_code = text(b, "postalCode")
    if zip_code is not None and _ZIP5.fullmatch(zip_code) is None:
        if _ZIP9.fullmatch(zip_code):
            out.append(finding("BRAND-ADDRESS-FORMAT", "postalCode",
                               f"postalCode '{zip_code}' is a ZIP+4; TCR asks for the 5-digit ZIP "
                               f"({zip_code[:5]}).", severity=Severity.WARNING))
        else:
            out.append(finding("BRAND-ADDRESS-FORMAT", "postalCode",
                               f"postalCode '{zip_code}' is not a 5-digit US ZIP code."))
    return out


def _street_problem(street: str) -> Finding | None:
    low = street.lower()
    if ("box" in low or "pob" in low) and _PO_BOX.search(street):
        return finding("BRAND-ADDRESS-DELIVERABLE", "street",
                       f"street '{street}' is a PO box; TCR verifies the physical business address and "
                       "refuses PO boxes.")
    if ("pmb" in low or "mail" in low) and _PMB.search(street):
        return finding("BRAND-ADDRESS-DELIVERABLE", "street",
                       f"street '{street}' is a private mailbox (PMB); TCR verifies the physical business "
                       "address, not a mail drop.")
    if low.lstrip()[:1] == "c" and _CARE_OF.search(street):
        return finding("BRAND-ADDRESS-DELIVERABLE", "street",
                       f"street '{street}' is a care-of address; give the business's own location.",
                       severity=Severity.WARNING)
    if street.isdigit():
        return finding("BRAND-ADDRESS-DELIVERABLE", "street",
                       f"street '{street}' has a number but no street name.", severity=Severity.WARNING)
    if not any(c.isdigit() for c in street) and _SPELLED_NUMBER.match(street) is None:
        return finding("BRAND-ADDRESS-DELIVERABLE", "street",
                       f"street '{street}' has no house number; an address without one often fails TCR's "
                       "postal check (554).", severity=Severity.WARNING)
    return None


@payload_check("BRAND-ADDRESS-DELIVERABLE")
def address_deliverable(b: Mapping[str, Any], today: date) -> list[Finding]:
    """The street is a physical address: no PO box or private mailbox, a house number, a plain city name."""
    out: list[Finding] = []
    street, city = text(b, "street"), text(b, "city")
    problem = _street_problem(street) if street is not None else None
    if problem is not None:
        out.append(problem)
    if city is not None and any(c.isdigit() for c in city):
        out.append(finding("BRAND-ADDRESS-DELIVERABLE", "city",
                           f"city '{city}' contains digits; enter the city name "
                           "only.", severity=Severity.WARNING))
    return out


def _phone_problem(field: str, raw: str, region: str) -> Finding | None:
    p = parse_phone(raw, region)
    if not p.e164:
        suggestion = f" Write it as {p.formatted}." if p.formatted else ""
        return finding("BRAND-PHONE-E164", field,
                       f"{field} '{raw}' is not in E.164 format (+, country code, number, no "
                       f"spaces).{suggestion}")
    if not p.possible:
        return finding("BRAND-PHONE-E164", field,
                       f"{field} '{raw}' has the wrong number of digits for its country code.")
    if not p.valid:
        return finding("BRAND-PHONE-E164", field,
                       f"{field} '{raw}' is not a number the numbering plan knows (check the area code); TCR "
                       "expects a valid phone number.", severity=Severity.WARNING)
    return None


@payload_check("BRAND-PHONE-E164")
def phones(b: Mapping[str, Any], today: date) -> list[Finding]:
    """``phone`` and ``mobilePhone`` are written in E.164 and exist in the numbering plan."""
    out: list[Finding] = []
    region = (text(b, "country") or "US").upper()
    if region not in COUNTRIES:
        region = "US"
    for field in ("phone", "mobilePhone"):
        raw = text(b, field)
        problem = _phone_problem(field, raw, region) if raw is not None else None
        if problem is not None:
            out.append(problem)
    return out
