"""Text helpers of the rule engine: normalisation, brand names, URLs, phone numbers, placeholders, word
lists."""

from __future__ import annotations

import pytest

from registry.rules.text import (
    Doc,
    WordList,
    brand_names,
    contains_any,
    domainlist,
    find_phones,
    find_placeholders,
    find_urls,
    host_in,
    join,
    mentions,
    normalise,
    registrable_domain,
    wordlist,
)


def test_normalise_lowercases_strips_punctuation_and_pads():
    assert normalise("Acme Dental's  “Spring” sale—20% off!") == " acme dental s spring sale 20 off "
    assert normalise("") == " "
    assert normalise("Line\none\ttab") == " line one tab "


def test_normalise_folds_unicode_compatibility_forms():
    assert normalise("Ｃａｆé") == " café "


BRAND = {"displayName": "Acme Dental", "companyName": "Acme Dental Group, L.L.C."}


@pytest.mark.parametrize(
    "text",
    [
        "Acme Dental: your visit is due",
        "ACME-DENTAL // your visit",
        "acme dental's new office",
        "Acme Dental Group, LLC: hello",
        "Thanks from AcmeDental",
    ],
)
def test_brand_is_found_leniently(text):
    assert mentions(Doc(text), brand_names(BRAND))


@pytest.mark.parametrize(
    "text",
    [
        "Book at https://www.acmedental.com/book",
        "Write to support@acmedental.com",
        "Acme can help",
        "Dental care for all",
    ],
)
def test_brand_is_not_found_in_urls_emails_or_partial_names(text):
    assert not mentions(Doc(text), brand_names(BRAND))


def test_brand_names_drop_legal_suffixes_and_handle_ampersands():
    names = brand_names({"displayName": "Smith & Sons Co.", "companyName": "The Smith and Sons Company"})
    assert " smith and sons " in names
    assert " smith sons " in names
    assert brand_names(None) == ()
    assert brand_names({"displayName": "  "}) == ()


def test_brand_names_of_a_sole_proprietor_include_the_owner():
    names = brand_names({"displayName": "Maria's Bakery", "firstName": "Maria", "lastName": "Gonzalez"})
    assert mentions(Doc("Hi, it's Maria Gonzalez from the bakery"), names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Book at https://www.acmedental.com/book Reply STOP", [("https", "www.acmedental.com", "/book")]),
        ("see acmedental.com/x or bit.ly/abc.", [("", "acmedental.com", "/x"), ("", "bit.ly", "/abc")]),
        ("(https://acme.com/a?b=1).", [("https", "acme.com", "/a?b=1")]),
        (
            "Terms:https://acme.com/t, then http://acme.com.",
            [("https", "acme.com", "/t"), ("http", "acme.com", "")],
        ),
        ("go to www.acme.co.uk/x!", [("", "www.acme.co.uk", "/x")]),
        ("https://user@acme.com:8443/p", [("https", "acme.com", "/p")]),
    ],
)
def test_find_urls(text, expected):
    assert [(u.scheme, u.host, u.path) for u in find_urls(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Write to support@acme.com",
        "e.g. St.Louis at 9 a.m. in the U.S.",
        "Acme Inc. opens at 9.30",
        "No links here.",
    ],
)
def test_find_urls_ignores_emails_and_abbreviations(text):
    assert find_urls(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call (312) 555-0142 now", ("3125550142",)),
        ("+1 312 555 0142.", ("3125550142",)),
        ("312.555.0142", ("3125550142",)),
        ("text 3125550142 today", ("3125550142",)),
        ("1-800-555-0142", ("8005550142",)),
        ("call 555-0142", ("5550142",)),
    ],
)
def test_find_phones_by_shape(text, expected):
    assert find_phones(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Order 3125550142 has shipped",
        "Tracking #3125550142",
        "UPS 1Z999AA10123456784",
        "Order #555-0142",
        "ZIP 60606-1234",
        "on 2025-05-31 at 10:30",
        "20% off until May 31",
        "price 3.1255501421",
        "Your code is 847291",
    ],
)
def test_find_phones_ignores_identifiers_dates_and_codes(text):
    assert find_phones(text) == ()


def test_find_placeholders_classifies_links_and_phones():
    found = {
        p.name: p.kind
        for p in find_placeholders(
            "Hi [first name], track at [tracking link] or call [phone-number]; {{code}} [order number] []"
        )
    }
    assert found == {
        "first name": "other",
        "tracking link": "link",
        "phone-number": "phone",
        "code": "other",
        "order number": "other",
        "": "other",
    }
    assert find_placeholders("no placeholders") == ()


def test_registrable_domain():
    assert registrable_domain("www.shop.acme.com") == "acme.com"
    assert registrable_domain("a.acme.co.uk") == "acme.co.uk"
    assert registrable_domain("ACME.COM.") == "acme.com"


def test_domain_list_matches_subdomains():
    shorteners = domainlist("shorteners")
    assert host_in("bit.ly", shorteners) == "bit.ly"
    assert host_in("www.tinyurl.com", shorteners) == "tinyurl.com"
    assert host_in("go.acmedental.com", shorteners) is None


def test_word_list_matches_whole_words_only():
    firearms = wordlist("firearms")
    assert firearms.find(Doc("Dr. Gunther's kids' craft day")) == []
    assert firearms.find(Doc("Send a screenshot of your flu shot")) == []
    assert firearms.find(Doc("New guns and ammo in store")) == ["ammo", "guns"]


def test_word_list_exclusion_phrases_neutralise_a_term():
    firearms = wordlist("firearms")
    assert firearms.find(Doc("Bring a glue gun to craft day")) == []
    assert firearms.find(Doc("Bring a glue gun, not a real gun")) == ["gun"]
    assert wordlist("alcohol").find(Doc("Try our alcohol-free mouthwash")) == []


def test_word_list_phrases_and_file_format():
    wl = WordList("demo", ["# source: a test", "gun", "glue gun x", "payday loan", "-glue gun"])
    assert wl.source == "source: a test"
    assert wl.find(Doc("No payday loans, one payday loan")) == ["payday loan"]
    assert wl.regex.search(normalise("a payday loan")) is not None
    assert len(wl) == 3


def test_word_list_within_draws_candidates_from_a_larger_text():
    docs = [Doc("Casino night on Friday"), Doc("Your cleaning is due")]
    joined = join(docs)
    gambling = wordlist("gambling")
    assert gambling.find(docs[0], joined.words) == ["casino"]
    assert gambling.find(docs[1], joined.words) == []
    assert gambling.any(joined)
    assert contains_any(docs[1], frozenset({"cleaning"}), joined.words)
    assert not contains_any(docs[0], frozenset({"cleaning"}), joined.words)


def test_every_word_list_names_its_source():
    from importlib import resources

    folder = resources.files("registry.rules") / "data" / "wordlists"
    for entry in folder.iterdir():
        if entry.name.endswith(".txt"):
            assert entry.read_text(encoding="utf-8").lstrip().startswith("#"), entry.name
