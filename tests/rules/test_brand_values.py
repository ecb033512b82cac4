"""Parsing behind the brand rules: the library fast paths must agree with the libraries, and the data lists
must load and match whole hosts and words."""

from __future__ import annotations

import random
import string
from datetime import date

import email_validator
import phonenumbers
import pytest
from stdnum.us import ein as stdnum_ein

from registry.rules.checks import brand_values as v


def _reference_phone(raw: str) -> tuple[bool, bool, str | None]:
    number = phonenumbers.parse(raw, None)
    valid = phonenumbers.is_valid_number(number)
    return (
        phonenumbers.is_possible_number(number),
        valid,
        phonenumbers.region_code_for_number(number) if valid else None,
    )


def test_phone_fast_path_agrees_with_phonenumbers_on_random_nanp_numbers():
    rng = random.Random(7)
    numbers = [f"+1{rng.randint(2000000000, 9999999999)}" for _ in range(3000)]
    numbers += [
        f"+1{npa}{rng.randint(2, 9)}{rng.randint(0, 999999):06d}"
        for npa in ("312", "416", "787", "876", "242", "800", "900", "500")
        for _ in range(50)
    ]
    v.parse_phone.cache_clear()
    v._us_exchange.cache_clear()
    for raw in numbers:
        p = v.parse_phone(raw)
        assert (p.possible, p.valid, p.region) == _reference_phone(raw), raw


@pytest.mark.parametrize(
    ("raw", "e164", "valid", "formatted"),
    [
        ("+13125550142", True, True, "+13125550142"),
        ("(312) 555-0142", False, True, "+13125550142"),
        ("+1 312 555 0142", False, True, "+13125550142"),
        ("+11235550142", True, False, "+11235550142"),  # area code 123 does not exist
        ("+1312555014", True, False, None),  # a digit short: not even possible
        ("+442079460958", True, True, "+442079460958"),
        ("call me", False, False, None),
    ],
)
def test_parse_phone(raw, e164, valid, formatted):
    p = v.parse_phone(raw)
    assert (p.e164, p.valid, p.formatted) == (e164, valid, formatted)


def test_north_american_numbers_are_often_fixed_line_or_mobile():
    assert v.phone_type("+13125550199") in v.MOBILE_TYPES
    assert v.phone_type_name(v.phone_type("+18005550199")) == "toll-free"


_LOCAL = string.ascii_letters + string.digits + "._%+-!#&'*/=?^`{|}~\"(),:;<>@[\\] "
_DOMAIN = string.ascii_lowercase + string.digits + ".-_"


def test_plain_email_fast_path_accepts_only_what_email_validator_accepts():
    rng = random.Random(11)
    samples = []
    for _ in range(4000):
        local = "".join(rng.choice(_LOCAL) for _ in range(rng.randint(0, 12)))
        domain = "".join(rng.choice(_DOMAIN) for _ in range(rng.randint(0, 14)))
        tld = rng.choice(["com", "co.uk", "test", "io", "c", "123", "xn--p1ai", "local", ""])
        samples.append(f"{local}@{domain}.{tld}")
    samples += [
        "a@b.co",
        "first.last@acme-dental.co.uk",
        "a..b@acme.com",
        ".a@acme.com",
        "a.@acme.com",
        "a@-acme.com",
        "a@acme-.com",
        "a@ac--me.com",
        "x" * 65 + "@acme.com",
        "a@" + "b" * 64 + ".com",
    ]
    v.parse_email.cache_clear()
    for raw in samples:
        ours = v.parse_email(raw)
        try:
            info = email_validator.validate_email(raw, check_deliverability=False)
        except email_validator.EmailNotValidError:
            assert not ours.ok, raw
        else:
            assert ours.ok, raw
            assert ours.domain == info.ascii_domain.lower(), raw


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("sales@acme.com", "sales"),
        ("Customer.Service@acme.com", "customerservice"),
        ("info2@acme.com", "info"),
        ("no-reply+sms@acme.com", "noreply"),
        ("jane.sales@acme.com", "janesales"),
    ],
)
def test_mailbox_name(raw, name):
    assert v.mailbox_name(v.parse_email(raw).local) == name


def test_domain_lists_match_hosts_and_their_subdomains_only():
    assert v.domain_in("mailinator.com", v.DISPOSABLE_DOMAINS)
    assert v.domain_in("x.mailinator.com", v.DISPOSABLE_DOMAINS)
    assert not v.domain_in("mailinator.acme.org", v.DISPOSABLE_DOMAINS)
    assert v.domain_in("m.facebook.com", v.SOCIAL_HOSTS)
    assert not v.domain_in("notfacebook.com", v.SOCIAL_HOSTS)
    assert v.domain_in("gmail.com", v.FREEMAIL_DOMAINS)
    assert not v.FREEMAIL_DOMAINS & v.DISPOSABLE_DOMAINS


@pytest.mark.parametrize(
    ("domain", "reserved"),
    [
        ("example.com", True),
        ("mail.example.org", True),
        ("acme.test", True),
        ("acme.local", True),
        ("exampledental.com", False),
        ("example.co", False),
        ("acmetest.com", False),
    ],
)
def test_reserved_domains(domain, reserved):
    assert v.is_reserved_domain(domain) is reserved


def test_ein_prefixes_are_stdnums():
    for prefix in (f"{i:02d}" for i in range(100)):
        assert (prefix in v.EIN_PREFIXES) == stdnum_ein.is_valid(prefix + "1234567"), prefix
    assert {"07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89"}.isdisjoint(
        v.EIN_PREFIXES
    )


def test_us_states_include_dc_and_territories():
    assert {"IL", "DC", "PR", "GU", "VI", "AS", "MP"} <= v.US_STATES
    assert "ON" not in v.US_STATES


@pytest.mark.parametrize(
    ("raw", "scheme", "host", "ok"),
    [
        ("https://www.acmedental.com", "https", "acmedental.com", True),
        ("www.acmedental.com/book", "", "acmedental.com", True),
        ("http://Shop.Acme.co.uk:8080/x", "http", "shop.acme.co.uk", True),
        ("acmedental", "", "acmedental", False),
        ("https://acme dental.com", "https", "acme dental.com", False),
        ("https://bücher.de", "https", "xn--bcher-kva.de", True),
    ],
)
def test_parse_website(raw, scheme, host, ok):
    site = v.parse_website(raw)
    assert (site.scheme, site.host, site.ok) == (scheme, host, ok)


def test_same_site_compares_registrable_domains():
    assert v.same_site("mail.acmedental.com", "acmedental.com")
    assert v.same_site("acme.co.uk", "shop.acme.co.uk")
    assert not v.same_site("acme-dental.net", "acmedental.com")


@pytest.mark.parametrize(
    ("value", "designators"),
    [
        ("Acme Dental Group LLC", ("llc",)),
        ("Acme, L.L.C.", ("l l c",)),
        ("Apple Inc.", ("inc",)),
        ("Gunther Plumbing", ()),
        ("Cooper Co", ()),
        ("Incorporated Village Bakery", ("incorporated",)),
    ],
)
def test_company_designators_match_whole_words(value, designators):
    assert v.company_designators(value) == designators


def test_add_months_clamps_to_month_end():
    assert v.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert v.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert v.add_months(date(2026, 5, 15), 3) == date(2026, 8, 15)


def test_state_values():
    assert v.as_date("2026-11-27") == date(2026, 11, 27)
    assert v.as_date("2026-11-27T10:00:00Z") == date(2026, 11, 27)
    assert v.as_date("not a date") is None
    assert v.as_datetime("2026-11-27T10:00:00").tzinfo is not None
    assert [v.count(["a", "b"]), v.count(3), v.count(True), v.count(None)] == [2, 3, 0, 0]
