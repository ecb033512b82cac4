"""State-scope campaign rules fire only with the ``state`` keys the workflow gates pass (documented in
``registry/rules/checks/campaign_state.py`` and ``campaign_structure.py``)."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from registry.rules import lint

BASE = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "lint" / "_base.json").read_text())
TODAY = date(2026, 11, 27)
STATE_RULES = (
    "CAMPAIGN-REFERENCEID",
    "CAMPAIGN-IMMUTABLE-FIELDS",
    "CAMPAIGN-EXPIRED-READONLY",
    "CAMPAIGN-LIMIT-PER-BRAND",
    "CAMPAIGN-NUDGE-RULES",
)


def run(state=None, campaign=None, brand=None):
    c = copy.deepcopy(BASE["campaign"]) | (campaign or {})
    b = copy.deepcopy(BASE["brand"]) | (brand or {})
    return lint(b, c, today=TODAY, state=state)


def hits(report, rule):
    return [f for f in report.findings if f.rule == rule]


def test_state_rules_are_silent_without_state():
    report = run()
    assert report.rules().isdisjoint(STATE_RULES)


def test_reference_id_duplicate_is_case_insensitive():
    report = run({"campaign_reference_ids": ["ACME-SPRING", "other"]}, {"referenceId": "acme-spring"})
    [f] = hits(report, "CAMPAIGN-REFERENCEID")
    assert f.severity == "error"
    assert f.field == "referenceId"
    assert not hits(
        run({"campaign_reference_ids": ["other"]}, {"referenceId": "acme-spring"}), "CAMPAIGN-REFERENCEID"
    )


def test_reference_id_required_for_sole_proprietor_at_the_gate():
    report = run({"campaign_reference_ids": []}, {"usecase": "SOLE_PROPRIETOR"})
    assert hits(report, "CAMPAIGN-REFERENCEID")


def test_immutable_fields_flag_each_changed_field():
    previous = copy.deepcopy(BASE["campaign"]) | {"mnoIds": [10035, 10017], "tag": ["spring"]}
    edited = {
        "usecase": "MIXED",
        "subscriberHelp": False,
        "mnoIds": [10017, 10035],
        "description": BASE["campaign"]["description"] + " Updated.",
    }
    report = run({"previous_campaign": previous}, edited)
    assert {f.field for f in hits(report, "CAMPAIGN-IMMUTABLE-FIELDS")} == {"usecase", "subscriberHelp"}


def test_immutable_fields_accept_an_unchanged_campaign():
    previous = copy.deepcopy(BASE["campaign"])
    assert not hits(run({"previous_campaign": previous}), "CAMPAIGN-IMMUTABLE-FIELDS")


def test_expired_campaign_is_read_only():
    assert hits(run({"campaign_status": "EXPIRED"}), "CAMPAIGN-EXPIRED-READONLY")
    assert not hits(run({"campaign_status": "ACTIVE"}), "CAMPAIGN-EXPIRED-READONLY")


@pytest.mark.parametrize(
    ("state", "campaign", "brand", "fires"),
    [
        ({"brand_campaign_count": 49}, None, None, False),
        ({"brand_campaign_count": 50}, None, None, True),
        ({"brand_campaign_count": 60, "brand_campaign_limit": 100}, None, None, False),
        (
            {"brand_campaign_count": 1},
            {"usecase": "SOLE_PROPRIETOR"},
            {"entityType": "SOLE_PROPRIETOR"},
            True,
        ),
        (
            {"brand_campaign_count": 0},
            {"usecase": "SOLE_PROPRIETOR"},
            {"entityType": "SOLE_PROPRIETOR"},
            False,
        ),
        ({"pft_campaign_count": 1}, {"usecase": "TRIAL"}, None, True),
        ({"pft_campaign_count": 0}, {"usecase": "TRIAL"}, None, False),
    ],
)
def test_campaign_limits(state, campaign, brand, fires):
    assert bool(hits(run(state, campaign, brand), "CAMPAIGN-LIMIT-PER-BRAND")) is fires


@pytest.mark.parametrize(
    ("nudge", "messages"),
    [
        ({"intent": "REVIEW", "by_owner": True}, 0),
        ({"intent": "APPEAL_REJECTION", "by_owner": True, "edited_since_rejection": True}, 0),
        ({"intent": "APPEAL_REJECTION", "by_owner": True, "edited_since_rejection": False}, 1),
        ({"intent": "ESCALATE", "by_owner": True}, 1),
        ({"intent": "REVIEW", "by_owner": False}, 1),
    ],
)
def test_nudge_rules(nudge, messages):
    assert len(hits(run({"nudge": nudge}), "CAMPAIGN-NUDGE-RULES")) == messages


def test_nudge_description_length_is_a_field_length_finding():
    report = run({"nudge": {"intent": "REVIEW", "by_owner": True, "description": "x" * 1025}})
    assert [f.field for f in hits(report, "CAMPAIGN-FIELD-LENGTHS")] == ["nudgeDescription"]


def test_csp_enablement_is_info_without_state_and_error_with_it():
    [info] = hits(run(campaign={"usecase": "UCAAS_LOW"}), "CAMPAIGN-USECASE-CSP-ENABLEMENT")
    assert info.severity == "info"
    [error] = hits(
        run({"csp_enabled_usecases": []}, {"usecase": "UCAAS_LOW"}), "CAMPAIGN-USECASE-CSP-ENABLEMENT"
    )
    assert error.severity == "error"


def test_qualify_state_supplies_live_bounds():
    qualify = {
        "minSubUsecases": 0,
        "maxSubUsecases": 0,
        "mnoMetadata": {
            "10017": {
                "mno": "AT&T",
                "qualify": True,
                "minMsgSamples": 2,
                "reqSubscriberHelp": True,
                "noEmbeddedLink": True,
            },
            "10035": {"mno": "T-Mobile", "qualify": True, "minMsgSamples": 3},
        },
    }
    report = run({"qualify": qualify}, {"subscriberHelp": False})
    assert [f.severity for f in hits(report, "CAMPAIGN-SAMPLE-COUNT")] == ["error"]
    assert [f.severity for f in hits(report, "CAMPAIGN-SUBSCRIBER-FLAGS")] == ["error"]
    assert [f.severity for f in hits(report, "CAMPAIGN-MNO-EMBED-RESTRICTION")] == ["warning"]
    only_att = run({"qualify": qualify}, {"subscriberHelp": False, "mnoIds": [10017]})
    assert not hits(only_att, "CAMPAIGN-SAMPLE-COUNT")


def test_reseller_change_rules_read_the_previous_campaign():
    def reseller(before, after):
        return hits(
            run({"previous_campaign": {"resellerId": before}}, {"resellerId": after}), "CAMPAIGN-RESELLER"
        )

    assert reseller("R1A2B3C", "R000000") == []
    assert reseller("R1A2B3C", "R1A2B3C") == []
    assert reseller("R1A2B3C", "R9Z8Y7X")
    assert reseller("R000000", "R1A2B3C")
