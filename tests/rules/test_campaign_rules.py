"""Campaign rules on whole, realistic campaigns: clean programs of each common use case raise no error or
warning from the campaign, content and MMS families; cross-object rules degrade without the brand."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from registry.rules import CATALOG, lint

BASE = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "lint" / "_base.json").read_text())
TODAY = date(2026, 11, 27)
FAMILIES = ("CAMPAIGN-", "CONTENT-", "MMS-")
CTA = (
    "Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to cancel. "
    "Terms: https://www.acmedental.com/terms Privacy: https://www.acmedental.com/privacy"
)

CLEAN = {
    "2FA": {
        "usecase": "2FA",
        "description": "Acme Dental sends one-time login pa"
        "sscodes to patients who sign in to the Acme Dental "
        "patient portal at acmedental.com.",
        "messageFlow": "Patients enter their mobile number on the portal login page at "
        f"https://www.acmedental.com/login and tick an unchecked box: 'Text me login codes from "
        f"Acme Dental. {CTA}'.",
        "sample1": "Acme Dental: Your login code is 482910. It expires in 10 minutes. Do not share it with "
        "anyone.",
        "sample2": "Acme Dental: 771204 is your Acme Dental verification code. Reply STOP to opt out.",
        "optinKeywords": None,
        "optinMessage": "Acme Dental: You will get login code"
        "s when you sign in. Msg frequency varies. Msg & data "
        "rates may apply. Reply HELP for help, STOP to cancel.",
        "embeddedLink": False,
        "embeddedLinkSample": None,
    },
    "delivery": {
        "usecase": "DELIVERY_NOTIFICATION",
        "description": "Acme Dental notifies patients by text "
        "when their custom aligners and night guards ship and "
        "when they are delivered to the office.",
        "sample1": "Acme Dental: Your aligner order #A12345 has shipped. Track it at "
        "https://www.acmedental.com/track/A12345 Reply STOP to opt out.",
        "sample2": "Acme Dental: Your night guard was delive"
        "red to our Wacker Dr office. Pick it up any weekday "
        "9-5. Reply STOP to opt out.",
        "embeddedLinkSample": "https://www.acmedental.com/track/A12345",
    },
    "account": {
        "usecase": "ACCOUNT_NOTIFICATION",
        "description": "Acme Dental sends appointment reminde"
        "rs, billing notices and payment receipts to patients "
        "who opted in at the front desk or on acmedental.com.",
        "sample1": "Acme Dental: Reminder: your appointment with Dr. Lee is tomorrow at 3:00 PM. Reply C to "
        "confirm or call (312) 555-0142 to reschedule. Reply STOP to opt out.",
        "sample2": "Acme Dental: We received your payment o"
        "f $120.00 for invoice 10023. Thank you! View it at "
        "https://www.acmedental.com/billing Reply STOP to opt out.",
        "embeddedLinkSample": "https://www.acmedental.com/billing",
    },
    "mixed": {
        "usecase": "MIXED",
        "subUsecases": ["MARKETING", "ACCOUNT_NOTIFICATION"],
        "description": "Acme Dental sends appointment remind"
        "ers and occasional whitening promotions to patients "
        "who opted in on acmedental.com or by texting JOIN.",
        "sample1": "Acme Dental: Hi [first name], your cleaning is tomorrow at [time]. Reply C to confirm. "
        "Reply STOP to opt out.",
        "sample2": "Acme Dental: Whitening is 20% off throu"
        "gh May 31. Book at https://www.acmedental.com/book "
        "Reply STOP to opt out.",
    },
    "customer care": {
        "usecase": "CUSTOMER_CARE",
        "description": "Acme Dental answers patient question"
        "s by text about insurance, billing and appointments "
        "after patients text us first at our office number.",
        "messageFlow": "Patients start the conversation by "
        "texting our office number (312) 555-0142, which is "
        f"listed on https://www.acmedental.com/contact with the notice '{CTA}'. Acme Dental "
        "replies only to their messages.",
        "sample1": "Acme Dental: Thanks for your message! Yo"
        "ur insurance covers two cleanings a year. Anything "
        "else we can help with? Reply STOP to opt out.",
        "sample2": "Acme Dental: Hi [first name], your claim "
        "[claim number] was approved. Questions? Reply here. "
        "Reply STOP to opt out.",
        "optinKeywords": None,
        "optinMessage": None,
        "embeddedLink": False,
        "embeddedLinkSample": None,
    },
    "mms marketing": {
        "mmsMedia": [{"filename": "spring-whitening.jpg", "contentType": "image/jpeg", "sizeBytes": 180_000}],
    },
}


def campaign(patch: dict) -> dict:
    c = copy.deepcopy(BASE["campaign"])
    for key, value in patch.items():
        if value is None:
            c.pop(key, None)
        else:
            c[key] = value
    return c


@pytest.mark.parametrize("name", list(CLEAN))
def test_clean_programs_raise_nothing(name):
    report = lint(copy.deepcopy(BASE["brand"]), campaign(CLEAN[name]), today=TODAY)
    problems = [f.to_dict() for f in report.findings if f.rule.startswith(FAMILIES) and f.severity != "info"]
    assert problems == []


def test_cross_object_rules_are_silent_without_the_brand():
    c = campaign(
        {
            "sample1": "Spring whitening is 20% off until May 31. Reply STOP to opt out.",
            "sample2": "Your cleaning is due. Reply STOP to opt out.",
            "usecase": "CHARITY",
        }
    )
    rules = lint(None, c, today=TODAY).rules()
    assert "CAMPAIGN-SAMPLE-BRAND-NAME" not in rules
    assert "CAMPAIGN-USECASE-ENTITY" not in rules
    assert "CAMPAIGN-POLITICAL-VET" not in rules


def test_unknown_eligibility_is_info_not_a_guess():
    brand = copy.deepcopy(BASE["brand"]) | {"entityType": "NON_PROFIT"}
    report = lint(brand, campaign({"usecase": "CHARITY"}), today=TODAY)
    [f] = [f for f in report.findings if f.rule == "CAMPAIGN-USECASE-ENTITY"]
    assert f.severity == "info"
    assert "unknown until registered" in f.message


def test_brand_only_payload_runs_no_campaign_rule():
    report = lint(copy.deepcopy(BASE["brand"]), None, today=TODAY)
    assert not any(f.rule.startswith(FAMILIES) for f in report.findings)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"description": 42}, "description"),
        ({"subUsecases": {"a": 1}}, "subUsecases"),
        ({"mnoIds": "all"}, "mnoIds"),
        ({"optoutKeywords": ["STOP"]}, "optoutKeywords"),
        ({"mmsMedia": "photo.jpg"}, "mmsMedia"),
    ],
)
def test_wrong_types_are_reported_not_raised(value, field):
    report = lint(copy.deepcopy(BASE["brand"]), campaign(value), today=TODAY)
    assert any(f.field == field and f.severity == "error" for f in report.findings)


def test_every_rule_of_these_families_has_hint_source_and_explanation():
    rules = [r for r in CATALOG.values() if r.id.startswith(FAMILIES)]
    assert len(rules) == 46
    for rule in rules:
        assert all((rule.hint, rule.source, rule.explanation, rule.title)), rule.id


def test_scopes_of_these_families():
    scopes = {}
    for r in CATALOG.values():
        if r.id.startswith(FAMILIES):
            scopes.setdefault(r.scope, set()).add(r.id)
    assert scopes["state"] == {
        "CAMPAIGN-REFERENCEID",
        "CAMPAIGN-IMMUTABLE-FIELDS",
        "CAMPAIGN-EXPIRED-READONLY",
        "CAMPAIGN-LIMIT-PER-BRAND",
        "CAMPAIGN-NUDGE-RULES",
    }
    assert scopes["live"] == {"CAMPAIGN-USECASE-CSP-ENABLEMENT", "CAMPAIGN-MNO-EMBED-RESTRICTION"}
    assert len(scopes["payload"]) == 39
