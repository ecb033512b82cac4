"""Heuristic content rules: realistic near misses must stay silent, clear cases must fire."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from registry.rules import lint

BASE = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "lint" / "_base.json").read_text())
TODAY = date(2026, 11, 27)


def with_sample(text: str, **campaign) -> set[str]:
    """Rules (error or warning) raised when sample2 is ``Acme Dental: <text> Reply STOP to opt out.``."""
    c = (
        copy.deepcopy(BASE["campaign"])
        | {"sample2": f"Acme Dental: {text} Reply STOP to opt out."}
        | campaign
    )
    report = lint(copy.deepcopy(BASE["brand"]), c, today=TODAY)
    return {f.rule for f in report.findings if f.severity != "info"}


CONTENT_RULES = {
    "CONTENT-SHAFT",
    "CONTENT-CANNABIS-CBD",
    "CONTENT-HIGH-RISK-FINANCE",
    "CONTENT-LEAD-GEN-GAMBLING",
    "CONTENT-PHISHING-PATTERNS",
    "CAMPAIGN-AGE-GATE",
    "CAMPAIGN-DIRECT-LENDING-FLAG",
}


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Gunther Sexton now sees patients at our Essex office.",
        "Send a screenshot of your flu shot card at check-in.",
        "Your cleaning and exam are due; reserve a time this week.",
        "Our landscaper's weed control crew is on site Monday.",
        "Your prescription for the mouth rinse is ready for pickup.",
        "Your loaner night guard is ready for pickup.",
        "Try our alcohol-free mouthwash at the front desk.",
        "Root beer floats at our open house on Saturday!",
        "Ask about our tobacco cessation program at your visit.",
        "Bring a glue gun to the kids' craft day.",
        "Your best bet for a bright smile: time slots open Saturday.",
        "Students get a free whitening touch-up with a valid ID.",
        "Your payment of [amount] is due on [date]; pay at the front desk.",
        "We now accept all major credit cards and payment plans.",
        "Your account statement is ready in the patient portal.",
        "Reply YES to confirm your appointment on [date].",
        "We welcome same-sex couples and families at every location.",
        "Our office is closed Friday for the city housing lottery event.",
        "Your lab test results are ready in the patient portal.",
    ],
)
def test_near_misses_raise_no_content_rule(text):
    assert with_sample(text).isdisjoint(CONTENT_RULES)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Relax before your visit with our CBD gummies.", "CONTENT-CANNABIS-CBD"),
        ("Pain pills shipped overnight, no prescription needed.", "CONTENT-CANNABIS-CBD"),
        ("Short on cash? Payday loans approved in minutes.", "CONTENT-HIGH-RISK-FINANCE"),
        ("Ask about our credit repair program.", "CONTENT-HIGH-RISK-FINANCE"),
        ("Casino night: poker and blackjack on Friday.", "CONTENT-LEAD-GEN-GAMBLING"),
        ("Enter to win a free electric toothbrush.", "CONTENT-LEAD-GEN-GAMBLING"),
        ("Adult content and nude photos tonight.", "CONTENT-SHAFT"),
        ("Reply with your PIN and card number to keep your slot.", "CONTENT-PHISHING-PATTERNS"),
        ("Your account has been suspended. Verify now at [link]", "CONTENT-PHISHING-PATTERNS"),
        ("Join our wine tasting night on Friday.", "CAMPAIGN-AGE-GATE"),
        ("New vape flavors are in store now.", "CAMPAIGN-AGE-GATE"),
        ("Braces from $99/month with a personal loan.", "CAMPAIGN-DIRECT-LENDING-FLAG"),
    ],
)
def test_clear_cases_fire(text, rule):
    assert rule in with_sample(text)


def test_sweepstakes_wording_is_fine_in_a_sweepstake_campaign():
    assert "CONTENT-LEAD-GEN-GAMBLING" not in with_sample(
        "Enter to win a free toothbrush.", usecase="SWEEPSTAKE"
    )


def test_crypto_is_only_a_warning_for_account_notices():
    c = copy.deepcopy(BASE["campaign"]) | {
        "usecase": "ACCOUNT_NOTIFICATION",
        "sample2": "Acme Dental: Your bitcoin payment was received. Reply STOP to opt out.",
    }
    report = lint(copy.deepcopy(BASE["brand"]), c, today=TODAY)
    assert {f.severity.value for f in report.findings if f.rule == "CONTENT-HIGH-RISK-FINANCE"} == {"warning"}


def test_impersonation_needs_a_lure_or_a_link():
    assert "CONTENT-PHISHING-PATTERNS" in with_sample("USPS: your package could not be delivered, see [link]")
    assert "CONTENT-PHISHING-PATTERNS" not in with_sample("We ship retainers with USPS Priority Mail.")


@pytest.mark.parametrize(
    ("flow_tail", "fires"),
    [
        (" We may share your mobile number with our marketing partners.", True),
        (
            " No mobile information will be shared with third parties or affiliates for marketing purposes.",
            False,
        ),
        (" We do not sell or share your phone number with third parties.", False),
        (" We do not share your mobile number with third parties except with your consent.", True),
    ],
)
def test_privacy_sharing_clauses_respect_negation(flow_tail, fires):
    c = copy.deepcopy(BASE["campaign"])
    c["messageFlow"] += flow_tail
    report = lint(copy.deepcopy(BASE["brand"]), c, today=TODAY)
    assert any(f.rule == "CAMPAIGN-PRIVACY-POLICY" for f in report.findings) is fires


@pytest.mark.parametrize(
    ("flow_tail", "fires"),
    [
        (" The box is pre-checked for convenience.", True),
        (" The box is never pre-checked.", False),
        (" Texts are a condition of purchase.", True),
        (" Consent is not a condition of purchase.", False),
        (" Customers must tick the SMS box to complete checkout.", True),
    ],
)
def test_consent_must_be_optional_and_unticked(flow_tail, fires):
    c = copy.deepcopy(BASE["campaign"])
    c["messageFlow"] += flow_tail
    report = lint(copy.deepcopy(BASE["brand"]), c, today=TODAY)
    assert (
        any(f.rule == "CAMPAIGN-MESSAGEFLOW-VERIFIABLE" and f.severity == "error" for f in report.findings)
        is fires
    )


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("Hola [nombre], su limpieza es la próxima semana. Responda STOP para cancelar los mensajes.", True),
        ("Su limpieza es la próxima semana (your cleaning is next week, reply to book a time).", False),
        ("Our new office at Plaza de la Fuente opens on Monday for all patients.", False),
        ("您的洗牙预约在下周。请回复确认或致电我们的诊所。", True),
    ],
)
def test_english_detection(text, fires):
    assert ("CAMPAIGN-ENGLISH" in with_sample(text)) is fires


def test_order_numbers_are_not_embedded_phones():
    assert "CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY" not in with_sample(
        "Order 3125550199 for your night guard shipped."
    )
    assert "CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY" in with_sample("Call 312-555-0199 to book your cleaning.")


def test_help_number_in_a_sample_is_not_an_embedded_phone():
    assert "CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY" not in with_sample("Questions? Call +1 312 555 0142.")


def test_glued_keywords_are_found_but_capitals_and_declared_keywords_are_not():
    assert "CAMPAIGN-KEYWORD-FORMAT" in with_sample("Text STOP2END to end texts.")
    assert "CAMPAIGN-KEYWORD-FORMAT" not in with_sample("OUR WEEKEND HELPLINE is open.")
    assert "CAMPAIGN-KEYWORD-FORMAT" not in with_sample(
        "Reply STOPALL to end all.", optoutKeywords="STOP,STOPALL"
    )
