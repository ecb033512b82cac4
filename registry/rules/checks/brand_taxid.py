"""Brand tax id rules: the US EIN's shape and IRS prefix, and foreign tax ids entered the way TCR asks.

Payload-only. ``einIssuingCountry`` defaults to US, as in TCR. Prefixes come from python-stdnum (the IRS list
of valid EIN prefixes); Canadian Business Numbers and VAT numbers are checked with python-stdnum too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from stdnum import vatin
from stdnum.ca import bn

from ..engine import finding
from ..report import Finding
from .brand_values import EIN_PREFIXES, payload_check, text

_SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")
_US_EIN_SHAPE = re.compile(r"\d{2}-\d{7}")
_CA_PROGRAM_ACCOUNT = re.compile(r"\d{9}[A-Z]{2}\d{4}")
_CA_REGISTRY = re.compile(r"[A-Z]{0,3}\d{5,10}")
_TAX_ID_CHARS = re.compile(r"[A-Za-z0-9 .\-/]+")
#: VAT prefixes that differ from the ISO country code
_VAT_PREFIX = {"GR": "EL"}


@payload_check("BRAND-EIN-FORMAT", "BRAND-EIN-VALID-PREFIX")
def us_ein(b: Mapping[str, Any], today: date) -> list[Finding]:
    """A US EIN is 9 digits, starts with a prefix the IRS assigns and is not written like an SSN."""
    ein = text(b, "ein")
    if ein is None or (text(b, "einIssuingCountry") or "US").upper() != "US":
        return []
    digits = ein.replace("-", "")
    if len(digits) != 9 or not digits.isdigit():
        why = (f"has {len(digits)} digits" if digits.isdigit()
               else "contains characters other than digits and a hyphen")
        return [finding("BRAND-EIN-FORMAT", "ein", f"ein '{ein}' {why}; a US EIN has exactly 9 digits.")]
    if _SSN_SHAPE.fullmatch(ein):
        return [finding("BRAND-EIN-VALID-PREFIX", "ein",
                        f"ein '{ein}' is written like a Social Security number (3-2-4 digits); an EIN is "
                        "written 12-3456789. A business without an EIN may only register as "
                        "SOLE_PROPRIETOR.")]
    if digits[:2] not in EIN_PREFIXES:
        return [finding("BRAND-EIN-VALID-PREFIX", "ein",
                        f"ein '{ein}' starts with {digits[:2]}, a prefix the IRS does not assign: check the "
                        "number against the IRS letter.")]
    return []


@lru_cache(maxsize=4096)
def _foreign_problem(country: str, ein: str) -> str | None:
    """What is wrong with a tax id issued by ``country``, or ``None``."""
    compact = re.sub(r"[\s\-.]", "", ein).upper()
    if country == "CA":
        if compact.isdigit() and len(compact) == 9:
            return None if bn.is_valid(compact) else (
                f"ein '{ein}' has 9 digits but fails the Canada Revenue Agency check digit: check the "
                "Business Number.")
        if _CA_PROGRAM_ACCOUNT.fullmatch(compact):
            return (f"ein '{ein}' is a CRA program account number; TCR asks for the 9-digit Business Number "
                    f"only ({compact[:9]}).")
        if _CA_REGISTRY.fullmatch(compact):
            return None  # a corporation or registry number, which TCR also accepts
        return f"ein '{ein}' is neither a 9-digit Business Number nor a corporation/registry number."
    if _US_EIN_SHAPE.fullmatch(ein):
        return (f"ein '{ein}' is written like a US EIN but einIssuingCountry is {country}: if the IRS issued "
                "it, set einIssuingCountry to US.")
    prefix = _VAT_PREFIX.get(country, country)
    if compact.startswith(prefix) and len(compact) > len(prefix) + 3 and vatin.is_valid(compact):
        return (f"ein '{ein}' is a VAT number with its country prefix; TCR asks for the part after "
                f"'{prefix}' ({compact[len(prefix):]}).")
    if _TAX_ID_CHARS.fullmatch(ein) is None:
        return f"ein '{ein}' contains characters that do not occur in tax or registration numbers."
    if sum(c.isalnum() for c in ein) < 5:
        return f"ein '{ein}' is too short for a national tax or registration number."
    return None


@payload_check("BRAND-EIN-FOREIGN-FORMAT")
def foreign_tax_id(b: Mapping[str, Any], today: date) -> list[Finding]:
    """A non-US tax id looks like what TCR asks for in that country."""
    ein = text(b, "ein")
    country = (text(b, "einIssuingCountry") or "US").upper()
    if ein is None or country == "US":
        return []
    problem = _foreign_problem(country, ein)
    return [finding("BRAND-EIN-FOREIGN-FORMAT", "ein", problem)] if problem else []
