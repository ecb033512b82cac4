"""Brand field values parsed once: phone numbers, e-mail addresses, website hosts, EIN prefixes, country and
state codes, and the domain lists the brand rules match against.

Parsing goes through the libraries (``phonenumbers``, ``email-validator``, ``python-stdnum``, ``pycountry``,
``urllib.parse``); each parser is wrapped in an ``lru_cache`` because bulk lints repeat the same brand values
across many campaigns, and the few hot paths (E.164 shape, plain ASCII e-mail addresses) are screened with a
precompiled regex first. No checks live here.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import email_validator
import phonenumbers
import pycountry
from phonenumbers import PhoneNumberType
from stdnum.exceptions import ValidationError as _StdnumError
from stdnum.us import ein as _ein

from ..catalog import get_rule
from ..report import Finding
from ..text import Doc, normalise, registrable_domain, wordlist

#: entries per findings cache or cache of values brands share (names, mailbox names): a bulk lint repeats each
#: brand across its campaigns, anywhere in the file, and bounded caches keep memory flat
CACHE_SIZE = 65536
_CACHE = CACHE_SIZE
#: entries per cache of values one brand owns (its phone numbers, e-mail addresses, website): read by several
#: rules of one brand in a row, and again only when that brand's findings are no longer cached, so a few
#: suffice; their parsed forms (named tuples) would stay in the garbage collector's sight
_OWN = 1024


def text(payload: Mapping[str, Any] | None, key: str) -> str | None:
    """The stripped string value of ``key``, or ``None`` when absent, empty or not a string."""
    if not payload:
        return None
    value = payload.get(key)
    if value.__class__ is not str:
        return None
    value = value.strip()
    return value or None


def present(payload: Mapping[str, Any], key: str) -> bool:
    """True when ``key`` holds something other than ``None``, an empty string or an empty list."""
    value = payload.get(key)
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict)):
        return bool(value)
    return True


# ------------------------------------------------------------------------------------------ codes and lists

#: ISO 3166-1 alpha-2 country codes
COUNTRIES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries)
#: US states, DC and territories (ISO 3166-2:US, the codes USPS uses); TCR ``/enum/usState`` has territories
US_STATES: frozenset[str] = frozenset(
    s.code.split("-", 1)[1] for s in pycountry.subdivisions.get(country_code="US")
)
#: ISO codes of the US territories, which some payloads give as the country instead of US
US_TERRITORIES: frozenset[str] = frozenset({"PR", "GU", "VI", "AS", "MP", "UM"})


def _has_campus(prefix: str) -> bool:
    try:
        _ein.get_campus(prefix + "0000000")
    except _StdnumError:
        return False
    return True


#: EIN prefixes the IRS assigns (python-stdnum ``us/ein.dat``, from the IRS list of valid EIN prefixes)
EIN_PREFIXES: frozenset[str] = frozenset(p for p in (f"{i:02d}" for i in range(100)) if _has_campus(p))


def _domains(name: str) -> frozenset[str]:
    path = resources.files("registry.rules") / "data" / "wordlists" / f"{name}.txt"
    lines = (line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


DISPOSABLE_DOMAINS = _domains("disposable_email_domains")
FREEMAIL_DOMAINS = _domains("freemail_domains")
SOCIAL_HOSTS = _domains("social_hosts")
_RESERVED = _domains("reserved_email_domains")
RESERVED_TLDS = frozenset(d[1:] for d in _RESERVED if d.startswith("."))
RESERVED_DOMAINS = frozenset(d for d in _RESERVED if not d.startswith("."))
ROLE_MAILBOXES = _domains("role_mailboxes")


def domain_in(domain: str, domains: frozenset[str]) -> bool:
    """True when ``domain`` or a parent domain is in ``domains`` (``m.facebook.com`` -> ``facebook.com``)."""
    if domain in domains:
        return True
    i = domain.find(".")
    while i != -1:
        if domain[i + 1 :] in domains:
            return True
        i = domain.find(".", i + 1)
    return False


def is_reserved_domain(domain: str) -> bool:
    """True for example/test/placeholder domains that cannot receive mail (RFC 2606, 6761)."""
    return domain.rsplit(".", 1)[-1] in RESERVED_TLDS or domain_in(domain, RESERVED_DOMAINS)


def same_site(a: str, b: str) -> bool:
    """True when two host names share their registrable domain (``mail.acme.com`` and ``www.acme.com``)."""
    return a == b or registrable_domain(a) == registrable_domain(b)


@lru_cache(maxsize=_CACHE)
def has_words(list_name: str, value: str) -> tuple[str, ...]:
    """The terms of word list ``list_name`` that occur as whole words in ``value`` (case and punctuation
    ignored)."""
    return tuple(wordlist(list_name).find(Doc(value)))


#: designators that make a name a company's, never a person's (a subset of legal_suffixes.txt without words
#: that are also surnames or ordinary words)
COMPANY_DESIGNATORS = frozenset({
    "inc", "incorporated", "corp", "corporation", "company", "companies", "llc", "l l c",
    "limited liability company", "ltd", "limited", "llp", "l l p", "lllp", "pllc", "p l l c", "plc", "gmbh",
    "professional corporation",
})


def company_designators(value: str) -> tuple[str, ...]:
    """The company designators (LLC, Inc, Corp, Ltd, ...) in ``value`` as whole words."""
    return tuple(t for t in has_words("legal_suffixes", value) if t in COMPANY_DESIGNATORS)


@lru_cache(maxsize=_CACHE)
def norm(value: str) -> str:
    """``value`` lower-cased with punctuation as single spaces and no padding: ``"N/A"`` -> ``"n a"``."""
    return normalise(value).strip()


# -------------------------------------------------------------------------------------------- phone numbers

_E164 = re.compile(r"\+[1-9]\d{1,14}")


class Phone(NamedTuple):
    """A phone number as TCR sees it."""

    #: written in E.164 (``+13125550142``)
    e164: bool
    #: the numbering plan allows a number of this length
    possible: bool
    #: the numbering plan knows the number (area code and exchange exist)
    valid: bool
    #: ISO region of the number (``US``, ``CA``) or ``None``
    region: str | None
    #: the E.164 form when the text could be parsed, else ``None``
    formatted: str | None


@lru_cache(maxsize=_CACHE)
def _us_exchange(npa_nxx: str) -> bool:
    """True when +1 numbers starting with this area code and exchange are valid US numbers.

    phonenumbers' US patterns decide on the first six national digits (every alternative ends in free digits
    after at most NPA-NXX), so one lookup per exchange stands for all 10,000 numbers in it;
    tests/rules/test_brand_values.py compares it with ``phonenumbers.is_valid_number`` on random numbers.
    """
    number = phonenumbers.PhoneNumber(country_code=1, national_number=int(npa_nxx + "0000"))
    return phonenumbers.region_code_for_number(number) == "US"


@lru_cache(maxsize=_OWN)
def parse_phone(raw: str, default_region: str = "US") -> Phone:
    """Parse ``raw`` as TCR would read it; a number not written in E.164 is parsed in ``default_region`` to
    suggest its E.164 form."""
    e164 = _E164.fullmatch(raw) is not None
    try:
        if e164 and len(raw) == 12 and raw.startswith("+1"):
            if _us_exchange(raw[2:8]):
                return Phone(True, True, True, "US", raw)
            # built directly: phonenumbers.parse would do the same, several times slower
            number = phonenumbers.PhoneNumber(country_code=1, national_number=int(raw[2:]))
        else:
            number = phonenumbers.parse(raw, None if e164 else default_region)
    except phonenumbers.NumberParseException:
        return Phone(e164, False, False, None, None)
    possible = phonenumbers.is_possible_number(number)
    region = phonenumbers.region_code_for_number(number) if possible else None
    # phonenumbers picks US (no leading digits in its metadata) only when the number has a US type, so a US
    # answer is already a validity check; other regions are picked by leading digits and checked here
    valid = region is not None and (region == "US" or phonenumbers.is_valid_number_for_region(number, region))
    if e164:
        formatted = raw if possible else None
    else:
        formatted = (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if possible
                     else None)
    return Phone(e164, possible, valid, region if valid else None, formatted)


#: number types a US/Canadian wireless number can have in the metadata (NANP numbers are mostly ambiguous)
MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


@lru_cache(maxsize=_OWN)
def phone_type(raw: str) -> int:
    """The ``phonenumbers.PhoneNumberType`` of an E.164 number (``UNKNOWN`` when it cannot be parsed)."""
    try:
        return phonenumbers.number_type(phonenumbers.parse(raw, None))
    except phonenumbers.NumberParseException:
        return PhoneNumberType.UNKNOWN


def phone_type_name(kind: int) -> str:
    """A readable name for a ``PhoneNumberType``: ``TOLL_FREE`` -> ``toll-free``."""
    for name, value in vars(PhoneNumberType).items():
        if value == kind and name.isupper():
            return name.lower().replace("_", "-")
    return "unknown"


# ----------------------------------------------------------------------------------------- e-mail addresses

# a strict subset of what email-validator accepts (plain ASCII, no quoting, no IDNA): such addresses skip the
# library; anything else goes through it. tests/rules/test_brand_values.py checks the subset property.
_PLAIN_EMAIL = re.compile(
    r"([A-Za-z0-9_%+-]{1,64}(?:\.[A-Za-z0-9_%+-]+)*)@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63})"
)
_SPECIAL_TLDS = frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES)


class Email(NamedTuple):
    """An e-mail address checked offline (no DNS)."""

    #: syntactically valid
    ok: bool
    #: email-validator's reason when not valid
    error: str | None
    #: the part before the @ (as written)
    local: str
    #: the domain, lower-cased ASCII
    domain: str


@lru_cache(maxsize=_OWN)
def parse_email(raw: str) -> Email:
    """Check ``raw`` with email-validator (``check_deliverability=False``: no DNS here)."""
    m = _PLAIN_EMAIL.fullmatch(raw)
    if m and len(raw) <= 254 and len(m.group(1)) <= 64 and "--" not in m.group(2):
        domain = m.group(2).lower()
        if domain.rsplit(".", 1)[-1] not in _SPECIAL_TLDS:
            return Email(True, None, m.group(1), domain)
    try:
        info = email_validator.validate_email(raw, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        local, _, domain = raw.rpartition("@")
        return Email(False, str(exc), local, domain.lower())
    return Email(True, None, info.local_part, info.ascii_domain.lower())


@lru_cache(maxsize=_CACHE)
def mailbox_name(local: str) -> str:
    """The mailbox name behind a local part: ``Customer.Service+sms2`` -> ``customerservice``."""
    name = local.split("+", 1)[0].lower()
    for sep in ".-_":
        name = name.replace(sep, "")
    return name.rstrip("0123456789")


# -------------------------------------------------------------------------------------------------- website


class Website(NamedTuple):
    """A brand website address."""

    #: ``https``, ``http`` or ``""`` when no scheme was written
    scheme: str
    #: host name, lower-cased, without ``www.`` and port; ``""`` when none could be read
    host: str
    #: the host is a plausible public domain name (labels, a dot, an alphabetic top-level domain)
    ok: bool


_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


@lru_cache(maxsize=_OWN)
def parse_website(raw: str) -> Website:
    """Split a website address into scheme and host (``www.acme.com/x`` has no scheme)."""
    has_scheme = "://" in raw
    try:
        parts = urlsplit(raw if has_scheme else "//" + raw)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return Website("", "", False)
    scheme = parts.scheme.lower() if has_scheme else ""
    if host.startswith("www."):
        host = host[4:]
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return Website(scheme, host, False)
    return Website(scheme, host, _HOST.fullmatch(host) is not None and " " not in raw)


# --------------------------------------------------------------------------------------------- state values


def as_date(value: Any) -> date | None:
    """A ``date`` from a date, a datetime or an ISO string (``None`` when it is none of these)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def as_datetime(value: Any) -> datetime | None:
    """An aware ``datetime`` (UTC when no zone is given) from a datetime or an ISO string."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of the month (31 Jan + 1 -> 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def count(value: Any) -> int:
    """A count given as an int, or as a collection whose size is the count (``None`` and bools are 0)."""
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return len(value)
    return 0


# ------------------------------------------------------------------------------------ payload rule registry

#: a payload rule: a pure function of the brand payload and the day, run through ``brand_payload``'s cache
PayloadRule = Callable[[Mapping[str, Any], date], Iterable[Finding]]
#: every payload rule with the rule IDs it reports, in registration order
PAYLOAD_RULES: list[tuple[tuple[str, ...], PayloadRule]] = []


def payload_check(*rule_ids: str) -> Callable[[PayloadRule], PayloadRule]:
    """Register a brand check that reads only the brand payload and the day (no state, no campaign).

    ``brand_payload`` runs all of them as one engine check whose results are cached per distinct brand, so a
    brand repeated across many campaigns in a bulk lint is checked once.
    """
    for rule_id in rule_ids:
        get_rule(rule_id)  # fail at import time on a typo

    def register(fn: PayloadRule) -> PayloadRule:
        PAYLOAD_RULES.append((rule_ids, fn))
        return fn

    return register
