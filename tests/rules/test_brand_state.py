"""Brand rules that need the database's knowledge: silent without their ``state`` keys, precise with them."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from registry.rules import lint

BASE = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "lint" / "_base.json").read_text())
TODAY = date(2026, 11, 27)
STATE_RULES = {
    "BRAND-RELATIONSHIP",
    "BRAND-REFERENCEID-UNIQUE",
    "BRAND-LOCKED-FIELDS",
    "BRAND-DUPLICATE-CONTACTS",
    "BRAND-SP-OTP-WINDOW",
    "BRAND-APPEAL-RULES",
    "BRAND-VET-RULES",
    "BRAND-PROVIDER-FIELDS",
}
SP = {
    "entityType": "SOLE_PROPRIETOR",
    "displayName": "Maria's Dog Grooming",
    "firstName": "Maria",
    "lastName": "Gonzalez",
    "mobilePhone": "+13125550199",
    "phone": "+13125550199",
    "street": "12 Oak Street",
    "city": "Chicago",
    "state": "IL",
    "postalCode": "60614",
    "country": "US",
    "email": "maria@gmail.com",
}


def brand(**patch):
    b = copy.deepcopy(BASE["brand"])
    for key, value in patch.items():
        if value is None:
            b.pop(key, None)
        else:
            b[key] = value
    return b


def hits(rule, b=None, campaign=None, state=None, today=TODAY):
    report = lint(b if b is not None else brand(), campaign, today=today, state=state)
    return [f for f in report.findings if f.rule == rule]


def test_state_rules_are_silent_without_state():
    report = lint(brand(), None, today=TODAY)
    assert STATE_RULES.isdisjoint(report.rules())
    report = lint(dict(SP), None, today=TODAY, state={"unrelated": 1})
    assert STATE_RULES.isdisjoint(report.rules())


# ----------------------------------------------------------------------------------------- BRAND-RELATIONSHIP


def test_relationship_change_within_three_months_is_refused():
    state = {
        "previous_brand": brand(brandRelationship="BASIC_ACCOUNT"),
        "brand_relationship_changed_on": "2026-10-01",
    }
    found = hits("BRAND-RELATIONSHIP", state=state)
    assert [f.severity for f in found] == ["error"]
    assert "2027-01-01" in found[0].message


def test_relationship_change_after_three_months_and_unchanged_value_pass():
    state = {
        "previous_brand": brand(brandRelationship="BASIC_ACCOUNT"),
        "brand_relationship_changed_on": date(2026, 8, 27),
    }
    assert hits("BRAND-RELATIONSHIP", state=state) == []
    state = {"previous_brand": brand(), "brand_relationship_changed_on": "2026-11-01"}
    assert hits("BRAND-RELATIONSHIP", state=state) == []


def test_relationship_value_is_checked_on_every_payload():
    assert hits("BRAND-RELATIONSHIP", brand(brandRelationship="VIP"))[0].severity == "error"


# ----------------------------------------------------------------------------------- BRAND-REFERENCEID-UNIQUE


def test_reference_id_duplicate_ignores_case():
    b = brand(referenceId="acme-001")
    assert hits("BRAND-REFERENCEID-UNIQUE", b, state={"brand_reference_ids": ["X-9", "ACME-001"]})
    assert hits("BRAND-REFERENCEID-UNIQUE", b, state={"brand_reference_ids": ["acme-002"]}) == []
    assert hits("BRAND-REFERENCEID-UNIQUE", brand(), state={"brand_reference_ids": ["acme-001"]}) == []


# ---------------------------------------------------------------------------------------- BRAND-LOCKED-FIELDS


def test_locked_field_edit_with_active_campaigns_is_refused():
    state = {"previous_brand": brand(companyName="Acme Dental LLC"), "active_campaign_count": 2}
    found = hits("BRAND-LOCKED-FIELDS", state=state)
    assert [(f.severity, f.field) for f in found] == [("error", "companyName")]
    assert "2 active or pending campaigns" in found[0].message


def test_locked_field_edit_with_an_open_vet_is_refused():
    vets = [{"evpId": "AEGIS", "vettingClass": "STANDARD", "vettingStatus": "ACTIVE", "vettingScore": 70}]
    state = {"previous_brand": brand(ein="12-3456780", vettings=vets), "active_campaign_count": 0}
    assert [f.severity for f in hits("BRAND-LOCKED-FIELDS", brand(vettings=vets), state=state)] == ["error"]


def test_locked_field_edit_without_blockers_warns_about_the_identity_reset():
    state = {"previous_brand": brand(entityType="NON_PROFIT"), "active_campaign_count": 0}
    found = hits("BRAND-LOCKED-FIELDS", brand(vettings=[]), state=state)
    assert [f.severity for f in found] == ["warning"]
    assert "UNVERIFIED" in found[0].message


def test_locked_fields_unchanged_up_to_formatting_pass():
    previous = brand(ein="123456789", einIssuingCountry=None, companyName="  Acme Dental Group LLC ")
    assert hits("BRAND-LOCKED-FIELDS", state={"previous_brand": previous, "active_campaign_count": 3}) == []


def test_new_mobile_phone_resets_identity():
    state = {"previous_brand": dict(SP, mobilePhone="+13125550100")}
    found = hits("BRAND-LOCKED-FIELDS", dict(SP), state=state)
    assert [(f.severity, f.field) for f in found] == [("warning", "mobilePhone")]


# ----------------------------------------------------------------------------------- BRAND-DUPLICATE-CONTACTS


def test_duplicate_contacts_warn_from_the_threshold():
    state = {"contact_usage": {"phone": ["B1", "B2", "B3"], "email": 2, "street": 5}}
    found = hits("BRAND-DUPLICATE-CONTACTS", state=state)
    assert sorted(f.field for f in found) == ["phone", "street"]
    assert all(f.severity == "warning" for f in found)
    assert "B1, B2, B3" in next(f for f in found if f.field == "phone").message


def test_sole_proprietor_mobile_reuse_is_an_error_of_sp_mobile():
    found = hits("BRAND-SP-MOBILE", dict(SP), state={"contact_usage": {"mobilePhone": 3}})
    assert [f.severity for f in found] == ["error"]
    assert hits("BRAND-DUPLICATE-CONTACTS", dict(SP), state={"contact_usage": {"mobilePhone": 3}}) == []


# ---------------------------------------------------------------------------------------- BRAND-SP-OTP-WINDOW


def test_otp_verified_after_24_hours_is_refused():
    sent = datetime(2026, 11, 25, 9, 0)
    state = {
        "otp": {"action": "verify", "sent_at": sent.isoformat()},
        "now": (sent + timedelta(hours=30)).isoformat(),
    }
    found = hits("BRAND-SP-OTP-WINDOW", dict(SP), state=state)
    assert len(found) == 1
    assert "30 hours" in found[0].message
    state["now"] = (sent + timedelta(hours=23)).isoformat()
    assert hits("BRAND-SP-OTP-WINDOW", dict(SP), state=state) == []


def test_otp_to_verified_brand_and_attempt_limit():
    state = {"otp": {"action": "send", "attempts": 5, "max_attempts": 5}}
    found = hits("BRAND-SP-OTP-WINDOW", dict(SP, identityStatus="VERIFIED"), state=state)
    assert len(found) == 2
    state = {"otp": {"action": "send", "attempts": 1, "max_attempts": 5}}
    assert hits("BRAND-SP-OTP-WINDOW", dict(SP, identityStatus="SELF_DECLARED"), state=state) == []


# ------------------------------------------------------------------------------------- gates (brand+campaign)


def test_identity_gate():
    campaign = BASE["campaign"]
    unknown = hits("BRAND-IDENTITY-GATE", brand(), campaign)
    assert [f.severity for f in unknown] == ["info"]
    assert "unknown until the brand is registered" in unknown[0].message
    assert hits("BRAND-IDENTITY-GATE", brand(identityStatus="VERIFIED"), campaign) == []
    assert hits("BRAND-IDENTITY-GATE", brand(identityStatus="UNVERIFIED"), campaign)[0].severity == "error"
    assert "527" in hits("BRAND-IDENTITY-GATE", brand(identityStatus="PENDING"), campaign)[0].message
    sp = hits("BRAND-IDENTITY-GATE", dict(SP, identityStatus="SELF_DECLARED"), campaign)
    assert "PIN" in sp[0].message
    # an existing campaign is not being created
    assert hits("BRAND-IDENTITY-GATE", brand(), dict(campaign, campaignId="C1A2B3C")) == []
    assert hits("BRAND-IDENTITY-GATE", brand(), None) == []


PUB = {
    "entityType": "PUBLIC_PROFIT",
    "stockSymbol": "ACMD",
    "stockExchange": "NASDAQ",
    "businessContactEmail": "jane.doe@acmedental.com",
    "companyName": "Acme Dental Group Inc.",
}


def test_authplus_gate():
    campaign = BASE["campaign"]
    assert hits("BRAND-AUTHPLUS-GATE", brand(**PUB), campaign)[0].severity == "info"
    done = [{"evpId": "AEGIS", "vettingClass": "AUTHPLUS", "vettingStatus": "ACTIVE"}]
    assert hits("BRAND-AUTHPLUS-GATE", brand(**PUB, vettings=done), campaign) == []
    pending = [
        {
            "evpId": "AEGIS",
            "vettingClass": "AUTHPLUS",
            "vettingStatus": "PENDING",
            "createDate": "2026-09-01T00:00:00Z",
        }
    ]
    found = hits(
        "BRAND-AUTHPLUS-GATE", brand(**PUB, vettings=pending), campaign, state={"now": "2026-11-27T00:00:00Z"}
    )
    assert found[0].severity == "error"
    assert "older than 30 days" in found[0].message
    assert hits("BRAND-AUTHPLUS-GATE", brand(**PUB, vettings=[]), campaign)[0].severity == "error"
    assert hits("BRAND-AUTHPLUS-GATE", brand(vettings=[]), campaign) == []  # PRIVATE_PROFIT
    # not in force before Authentication+
    assert hits("BRAND-AUTHPLUS-GATE", brand(**PUB, vettings=[]), campaign, today=date(2024, 6, 1)) == []


def test_new_business_contact_revokes_authplus():
    state = {"previous_brand": brand(**{**PUB, "businessContactEmail": "old.contact@acmedental.com"})}
    edit = hits("BRAND-AUTHPLUS-GATE", brand(**PUB), state=state)
    assert [f.severity for f in edit] == ["warning"]
    create = hits("BRAND-AUTHPLUS-GATE", brand(**PUB), BASE["campaign"], state=state)
    assert [f.severity for f in create] == ["error"]


# ----------------------------------------------------------------------------------------- BRAND-APPEAL-RULES

GOOD_APPEAL = {
    "kind": "identity",
    "categories": ["Verify Tax ID"],
    "explanation": "IRS letter attached.",
    "attachments": [{"filename": "CP575.pdf", "size": 400_000}],
    "created_on": "2026-11-01",
}


def test_complete_appeal_in_time_passes():
    assert hits("BRAND-APPEAL-RULES", brand(identityStatus="UNVERIFIED"), state={"appeal": GOOD_APPEAL}) == []


@pytest.mark.parametrize(
    ("patch", "status", "needle"),
    [
        ({"created_on": "2026-09-01"}, "UNVERIFIED", "window closed"),
        ({"categories": []}, "UNVERIFIED", "no category"),
        ({"categories": ["Verify Government Status"]}, "UNVERIFIED", "does not apply"),
        ({"explanation": "x" * 1025}, "UNVERIFIED", "1,024"),
        ({"attachments": [{"filename": "proof.exe", "size": 10}]}, "UNVERIFIED", "not an allowed type"),
        ({"attachments": [{"filename": "scan.pdf", "size": 11 * 1048576}]}, "UNVERIFIED", "at most 10 MB"),
        (
            {"attachments": [{"filename": f"p{i}.pdf", "size": 1000} for i in range(11)]},
            "UNVERIFIED",
            "at most 10",
        ),
        ({"locked_fields_edited": True}, "UNVERIFIED", "revet"),
        ({}, "VETTED_VERIFIED", "cannot appeal"),
        ({}, "VERIFIED", "cannot appeal"),
    ],
)
def test_appeal_problems(patch, status, needle):
    found = hits(
        "BRAND-APPEAL-RULES", brand(identityStatus=status), state={"appeal": {**GOOD_APPEAL, **patch}}
    )
    assert any(needle in f.message and f.severity == "error" for f in found), [f.message for f in found]


def test_appeal_status_unknown_is_info_and_verified_non_profit_may_appeal():
    found = hits("BRAND-APPEAL-RULES", brand(), state={"appeal": GOOD_APPEAL})
    assert [f.severity for f in found] == ["info"]
    np = brand(entityType="NON_PROFIT", identityStatus="VERIFIED")
    appeal = dict(GOOD_APPEAL, categories=["Verify Non-Profit Status"])
    assert hits("BRAND-APPEAL-RULES", np, state={"appeal": appeal}) == []


# -------------------------------------------------------------------------------------------- BRAND-VET-RULES


def test_vet_too_soon_after_the_last_one():
    state = {
        "vet_request": {"evpId": "AEGIS", "vettingClass": "STANDARD"},
        "last_vet_completed_on": "2026-11-10",
    }
    assert "549" in hits("BRAND-VET-RULES", state=state)[0].message
    state["last_vet_completed_on"] = "2026-10-20"
    assert hits("BRAND-VET-RULES", state=state) == []


def test_political_vet_entities():
    req = {"vet_request": {"evpId": "AEGIS", "vettingClass": "POLITICAL"}}
    assert hits("BRAND-VET-RULES", state=req)[0].severity == "error"  # PRIVATE_PROFIT
    np = brand(entityType="NON_PROFIT")
    assert hits("BRAND-VET-RULES", np, state=req)[0].severity == "info"  # 501(c) unknown
    assert hits("BRAND-VET-RULES", dict(np, optionalAttributes={}), state=req) == []
    exempt = dict(np, optionalAttributes={"taxExemptStatus": "501c3"})
    assert hits("BRAND-VET-RULES", exempt, state=req)[0].severity == "error"
    cv = {"vet_request": {"evpId": "CV", "vettingClass": "POLITICAL", "import": True}}
    assert hits("BRAND-VET-RULES", dict(SP), state=cv) == []
    assert hits("BRAND-VET-RULES", dict(SP), state={**cv, "active_campaign_count": 1})[0].severity == "error"


def test_vet_provider_and_class_combinations():
    assert hits("BRAND-VET-RULES", state={"vet_request": {"evpId": "WMC", "vettingClass": "ENHANCED"}})
    assert hits(
        "BRAND-VET-RULES",
        state={"vet_request": {"evpId": "AEGIS", "vettingClass": "AUTHPLUS", "import": True}},
    )
    assert hits("BRAND-VET-RULES", state={"vet_request": {"evpId": "CV", "vettingClass": "POLITICAL"}})


# ------------------------------------------------------------------------------------- BRAND-PROVIDER-FIELDS
def test_provider_fields_named_by_the_caller_are_errors_on_those_fields():
    state = {"provider_fields": {"provider": "Twilio", "missing": ["firstName", "lastName"]}}
    found = hits("BRAND-PROVIDER-FIELDS", state=state)
    assert [(f.field, f.severity.value) for f in found] == [("firstName", "error"), ("lastName", "error")]
    assert found[0].message.startswith("Twilio, the account this brand is filed with, needs firstName")


def test_provider_fields_near_miss_nothing_missing_or_malformed_state():
    assert hits("BRAND-PROVIDER-FIELDS", state={"provider_fields": {"provider": "Twilio", "missing": []}}) == []
    assert hits("BRAND-PROVIDER-FIELDS", state={"provider_fields": "firstName"}) == []
