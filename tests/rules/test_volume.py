"""Number assignment (state) and message-volume rules."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from registry.rules import lint

BASE = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "lint" / "_base.json").read_text())
TODAY = date(2026, 11, 27)
NUMBER_RULES = {
    "NUMBER-ONE-CAMPAIGN",
    "NUMBER-POOL-THRESHOLD",
    "NUMBER-PER-CAMPAIGN-LIMITS",
    "NUMBER-NOT-SHARED",
    "NUMBER-CAMPAIGN-NONUSE",
}
SP_BRAND = {
    "entityType": "SOLE_PROPRIETOR",
    "displayName": "Maria's Dog Grooming",
    "firstName": "Maria",
    "lastName": "Gonzalez",
    "mobilePhone": "+13125550199",
    "phone": "+13125550199",
    "street": "12 Oak St",
    "city": "Chicago",
    "state": "IL",
    "postalCode": "60614",
    "country": "US",
    "email": "maria@gmail.com",
}


def campaign(**patch):
    return {**copy.deepcopy(BASE["campaign"]), **patch}


def hits(rule, brand=None, camp=None, state=None):
    report = lint(brand, camp, today=TODAY, state=state)
    return [f for f in report.findings if f.rule == rule]


def test_number_rules_are_silent_without_state():
    assert NUMBER_RULES.isdisjoint(lint(BASE["brand"], campaign(), today=TODAY).rules())


@pytest.mark.parametrize(
    ("count", "pool", "fires"), [(51, False, True), (50, False, False), (500, True, False)]
)
def test_number_pool_threshold(count, pool, fires):
    found = hits("NUMBER-POOL-THRESHOLD", None, campaign(numberPool=pool), {"number_count": count})
    assert bool(found) is fires


def test_numbers_per_campaign_limits():
    sp_campaign = campaign(usecase="SOLE_PROPRIETOR")
    assert (
        hits("NUMBER-PER-CAMPAIGN-LIMITS", SP_BRAND, sp_campaign, {"number_count": 2})[0].severity == "error"
    )
    assert hits("NUMBER-PER-CAMPAIGN-LIMITS", SP_BRAND, sp_campaign, {"number_count": 1}) == []
    franchises = campaign(usecase="AGENTS_FRANCHISES", numberPool=True)
    assert hits("NUMBER-PER-CAMPAIGN-LIMITS", None, franchises, {"number_count": 5001})
    assert hits("NUMBER-PER-CAMPAIGN-LIMITS", None, franchises, {"number_count": 5000}) == []
    assert hits("NUMBER-PER-CAMPAIGN-LIMITS", None, campaign(), {"number_count": 40}) == []


def test_one_campaign_per_number():
    links = {"+13125550100": "C2", "+13125550101": None, "+13125550102": "C1"}
    found = hits("NUMBER-ONE-CAMPAIGN", None, campaign(campaignId="C1"), {"number_links": links})
    assert len(found) == 1
    assert "+13125550100 (C2)" in found[0].message
    assert "0102" not in found[0].message
    assert hits("NUMBER-ONE-CAMPAIGN", None, campaign(), {"number_links": {"+13125550100": None}}) == []
    # a new campaign (no id yet): any existing link is another campaign's
    assert hits("NUMBER-ONE-CAMPAIGN", None, campaign(), {"number_links": {"+13125550100": "C9"}})


def test_number_not_shared_between_brands():
    brand = dict(BASE["brand"], brandId="B1")
    state = {"number_brands": {"+13125550100": ["B1"], "+13125550101": ["B1", "B7"]}}
    found = hits("NUMBER-NOT-SHARED", brand, campaign(), state)
    assert [f.severity for f in found] == ["warning"]
    assert "+13125550101" in found[0].message
    assert hits("NUMBER-NOT-SHARED", brand, campaign(), {"number_brands": {"+13125550100": ["B1"]}}) == []
    assert (
        hits(
            "NUMBER-NOT-SHARED",
            BASE["brand"],
            campaign(),
            {"brand_id": "B1", "number_brands": {"+13125550100": ["B1"]}},
        )
        == []
    )


def test_campaign_nonuse_reminder():
    found = hits(
        "NUMBER-CAMPAIGN-NONUSE", None, campaign(), {"campaign_approved_on": "2026-10-28", "number_count": 0}
    )
    assert [f.severity for f in found] == ["info"]
    assert "in 30 days (on 2026-12-27)" in found[0].message
    late = hits(
        "NUMBER-CAMPAIGN-NONUSE", None, campaign(), {"campaign_approved_on": "2026-08-01", "number_count": 0}
    )
    assert "since 2026-09-30" in late[0].message
    assert (
        hits(
            "NUMBER-CAMPAIGN-NONUSE",
            None,
            campaign(),
            {"campaign_approved_on": "2026-08-01", "number_count": 3},
        )
        == []
    )


# ------------------------------------------------------------------------------------------------ volume


def test_volume_rules_are_silent_without_a_forecast_on_standard_use_cases():
    report = lint(BASE["brand"], campaign(), today=TODAY)
    assert {"VOLUME-TMO-DAILY-CAP", "VOLUME-ATT-TPM", "VOLUME-LOW-VOLUME-LIMITS"}.isdisjoint(report.rules())


def test_sole_proprietor_caps_apply_by_entity():
    camp = campaign(usecase="SOLE_PROPRIETOR", forecastDailyVolume=900, forecastPeakTpm=20)
    found = hits("VOLUME-LOW-VOLUME-LIMITS", SP_BRAND, camp)
    assert [f.field for f in found] == ["forecastPeakTpm"]
    # the general rules leave sole proprietors to the fixed caps
    assert (
        hits("VOLUME-TMO-DAILY-CAP", SP_BRAND, campaign(usecase="SOLE_PROPRIETOR", forecastDailyVolume=5000))
        == []
    )


def test_tmobile_cap_counts_the_eins_other_campaigns():
    brand = dict(BASE["brand"], vettings=[])
    assert hits("VOLUME-TMO-DAILY-CAP", brand, campaign(forecastDailyVolume=1500)) == []
    found = hits(
        "VOLUME-TMO-DAILY-CAP", brand, campaign(forecastDailyVolume=1500), {"ein_daily_volume": 1000}
    )
    assert found
    assert "2,500 messages a day (with the EIN's other campaigns)" in found[0].message


def test_political_campaign_with_political_vet_is_uncapped_on_tmobile():
    vets = [{"evpId": "CV", "vettingClass": "POLITICAL", "vettingStatus": "ACTIVE"}]
    brand = dict(BASE["brand"], entityType="NON_PROFIT", vettings=vets)
    assert hits("VOLUME-TMO-DAILY-CAP", brand, campaign(usecase="POLITICAL", forecastDailyVolume=90000)) == []


def test_att_per_number_class_needs_the_number_count():
    camp = campaign(usecase="PROXY", forecastPeakTpm=100)
    assert hits("VOLUME-ATT-TPM", None, camp)[0].severity == "info"
    assert hits("VOLUME-ATT-TPM", None, camp, {"number_count": 2}) == []
    assert hits("VOLUME-ATT-TPM", None, camp, {"number_count": 1})[0].severity == "warning"


def test_att_live_tpm_per_phone_number():
    live = {"mno_metadata": {10017: {"tpm": 60, "tpmScope": "PHONE_NUMBER"}}, "number_count": 10}
    assert hits("VOLUME-ATT-TPM", None, campaign(forecastPeakTpm=500), live) == []
    assert hits("VOLUME-ATT-TPM", None, campaign(forecastPeakTpm=700), live)
