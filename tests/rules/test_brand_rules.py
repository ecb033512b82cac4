"""Brand rules beyond the fixtures: realistic clean brands stay clean, the per-brand cache is safe and
bounded, and the catalog entries are complete."""

from __future__ import annotations

import copy
import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

from registry.rules import CATALOG, lint
from registry.rules.checks import brand_payload
from registry.rules.checks.brand_values import CACHE_SIZE, PAYLOAD_RULES

ROOT = Path(__file__).resolve().parents[2]
BASE = json.loads((ROOT / "fixtures" / "lint" / "_base.json").read_text())
TODAY = date(2026, 11, 27)
MINE = ("BRAND-", "NUMBER-", "VOLUME-", "CONSENT-")

CLEAN_BRANDS = [
    BASE["brand"],
    {
        "entityType": "PUBLIC_PROFIT",
        "displayName": "Northwind",
        "companyName": "Northwind Traders Corporation",
        "ein": "91-1144442",
        "phone": "+12065550187",
        "street": "1 Northwind Plaza",
        "city": "Seattle",
        "state": "WA",
        "postalCode": "98101",
        "country": "US",
        "email": "sms-support@northwind.com",
        "website": "https://northwind.com",
        "vertical": "RETAIL",
        "brandRelationship": "KEY_ACCOUNT",
        "stockSymbol": "NWND",
        "stockExchange": "NYSE",
        "businessContactEmail": "priya.raman@northwind.com",
        "altBusinessIdType": "LEI",
        "altBusinessId": "5493001KJTIIGC8Y1R12",
        "tag": ["Retail", "Q4Launch"],
    },
    {
        "entityType": "NON_PROFIT",
        "displayName": "Friends of Lincoln Park",
        "companyName": "Friends of Lincoln Park",
        "ein": "36-3080451",
        "phone": "+17735550123",
        "street": "2400 N Cannon Drive",
        "city": "Chicago",
        "state": "IL",
        "postalCode": "60614",
        "country": "US",
        "email": "info@lincolnparkfriends.org",
        "website": "https://www.lincolnparkfriends.org",
        "vertical": "NGO",
        "brandRelationship": "BASIC_ACCOUNT",
    },
    {
        "entityType": "GOVERNMENT",
        "displayName": "City of Springfield Utilities",
        "companyName": "City of Springfield",
        "ein": "37-6000001",
        "phone": "+12175550100",
        "street": "800 East Monroe Street",
        "city": "Springfield",
        "state": "IL",
        "postalCode": "62701",
        "country": "US",
        "email": "alerts@springfield.il.us",
        "website": "https://www.springfield.il.us",
        "vertical": "GOVERNMENT",
        "brandRelationship": "MEDIUM_ACCOUNT",
    },
    {
        "entityType": "PRIVATE_PROFIT",
        "displayName": "Maple Leaf Cafe",
        "companyName": "Maple Leaf Cafe Ltd.",
        "ein": "123456782",
        "einIssuingCountry": "CA",
        "phone": "+14165550123",
        "street": "100 King Street West",
        "city": "Toronto",
        "state": "ON",
        "postalCode": "M5X 1A9",
        "country": "CA",
        "email": "hello@mapleleafcafe.ca",
        "website": "https://mapleleafcafe.ca",
        "vertical": "HOSPITALITY",
        "brandRelationship": "SMALL_ACCOUNT",
    },
    {
        "entityType": "PRIVATE_PROFIT",
        "displayName": "Gunther Plumbing",
        "companyName": "Gunther Plumbing & Heating, Inc.",
        "ein": "20-4455667",
        "phone": "+17875550142",
        "street": "One Plaza Las Americas",
        "city": "San Juan",
        "state": "PR",
        "postalCode": "00918",
        "country": "US",
        "email": "office@guntherplumbing.com",
        "website": "https://www.guntherplumbing.com/",
        "vertical": "CONSTRUCTION",
        "brandRelationship": "SMALL_ACCOUNT",
    },
    {
        "entityType": "SOLE_PROPRIETOR",
        "displayName": "Maria's Dog Grooming",
        "firstName": "Maria",
        "lastName": "O'Connor-Nguyen",
        "mobilePhone": "+13125550199",
        "phone": "+13125550199",
        "street": "1550 W Church Street",
        "city": "Evanston",
        "state": "IL",
        "postalCode": "60201",
        "country": "US",
        "email": "maria.grooming@gmail.com",
        "vertical": "RETAIL",
        "referenceId": "sp-000123",
    },
]


@pytest.mark.parametrize("brand", CLEAN_BRANDS, ids=lambda b: b["displayName"])
def test_realistic_clean_brands_get_no_error_or_warning(brand):
    report = lint(brand, None, today=TODAY)
    noisy = [f.to_dict() for f in report.findings if f.rule.startswith(MINE) and f.severity != "info"]
    assert noisy == []


def test_repeated_brand_reuses_its_findings_and_an_edited_copy_does_not():
    brand = dict(BASE["brand"], street="PO Box 12")
    first = lint(brand, None, today=TODAY)
    second = lint(dict(brand), None, today=TODAY)
    ours = [f for f in first.findings if f.rule == "BRAND-ADDRESS-DELIVERABLE"]
    assert ours
    assert ours == [f for f in second.findings if f.rule == "BRAND-ADDRESS-DELIVERABLE"]
    fixed = lint(dict(brand, street="233 South Wacker Drive"), None, today=TODAY)
    assert "BRAND-ADDRESS-DELIVERABLE" not in fixed.rules()


def test_brands_with_lists_and_objects_are_linted_and_cached():
    brand = dict(
        BASE["brand"], tag=["a b"], vettings=[{"vettingClass": "STANDARD"}], optionalAttributes={"x": 1}
    )
    for _ in range(2):
        assert "BRAND-TAGS" in lint(brand, None, today=TODAY).rules()


def test_payload_cache_is_bounded():
    for i in range(CACHE_SIZE + 10):
        brand_payload.brand_payload(
            type("Ctx", (), {"brand": dict(BASE["brand"], displayName=f"B{i}"), "today": TODAY})()
        )
    assert len(brand_payload._memo) <= CACHE_SIZE


def test_payload_rules_cover_exactly_the_registered_ids():
    ids = {rule for rule_ids, _ in PAYLOAD_RULES for rule in rule_ids}
    assert ids == set(brand_payload.RULE_IDS)
    # BRAND-RELATIONSHIP is a state rule whose value check needs no state
    assert {r for r in ids if CATALOG[r].scope != "payload"} == {"BRAND-RELATIONSHIP"}


def test_every_brand_rule_of_the_catalog_has_a_check():
    from registry.rules.engine import discover

    checked = {rule for chk in discover() for rule in chk.rules}
    mine = {r.id for r in CATALOG.values() if r.id.startswith(("BRAND-", "NUMBER-", "VOLUME-"))}
    assert mine <= checked
    assert {r.id for r in CATALOG.values() if r.family == "consent"} == {
        "CONSENT-RECORD-COMPLETE",
        "CONSENT-OPTOUT-KEYWORDS",
        "CONSENT-OPTOUT-DEADLINE",
        "CONSENT-OPTOUT-CONFIRMATION",
        "CONSENT-KEYWORD-RESPONSES",
        "CONSENT-NO-TRANSFER",
        "CONSENT-RETENTION",
    }


@pytest.mark.parametrize("family", ["brand", "numbers", "consent"])
def test_catalog_entries_are_complete(family):
    rules = [r for r in CATALOG.values() if r.family == family]
    assert rules
    for r in rules:
        assert all((r.title, r.hint, r.source, r.explanation)), r.id
        assert r.scope != "payload" or r.fields, r.id


def test_lint_of_generated_payloads_is_sane():
    """Performance sanity without timing: a bulk lint of generated payloads completes, every payload gets a
    verdict, and the caches stay within their bounds."""
    spec = importlib.util.spec_from_file_location("bench_lint", ROOT / "bench" / "lint.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    items, kinds = bench.generate(600, 60, seed=3)
    verdicts = [lint(copy.deepcopy(b) if b else None, c, today=TODAY).verdict.value for b, c in items]
    assert len(verdicts) == 600
    assert set(verdicts) <= {"reject", "warn", "pass"}
    assert sum(kinds.values()) == 600
    assert len(brand_payload._memo) <= CACHE_SIZE
