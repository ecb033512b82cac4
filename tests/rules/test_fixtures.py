"""Run every example payload in ``fixtures/lint/``: each *trip* case must raise its rule, each *pass* case
(a near miss) must not.

Fixture format (``fixtures/lint/<RULE-ID>.json``)::

    {"rule": "BRAND-EIN-FORMAT", "source": "where the rule comes from (URL or document)",
     "cases": [{"name": "...", "expect": "trip" | "pass",
                "brand": {patch}, "campaign": {patch},   # merged onto _base.json; null removes a key
                "omit": ["campaign"],                    # lint without that object
                "state": {...}, "today": "YYYY-MM-DD",   # optional
                "severity": "error", "field": "ein"}]}   # optional expectations for trip cases
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from registry.rules import CATALOG, lint

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lint"
BASE = json.loads((FIXTURES / "_base.json").read_text())


def _patched(base: dict, patch: dict | None) -> dict:
    result = copy.deepcopy(base)
    for key, value in (patch or {}).items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def _cases():
    for path in sorted(FIXTURES.glob("*.json")):
        if path.name.startswith("_"):
            continue
        spec = json.loads(path.read_text())
        for case in spec["cases"]:
            yield pytest.param(spec["rule"], case, id=f"{spec['rule']}-{case['expect']}-{case['name']}")


def run_case(case: dict):
    omit = set(case.get("omit", ()))
    brand = None if "brand" in omit else _patched(BASE["brand"], case.get("brand"))
    campaign = None if "campaign" in omit else _patched(BASE["campaign"], case.get("campaign"))
    today = date.fromisoformat(case["today"]) if "today" in case else date(2026, 11, 27)
    return lint(brand, campaign, today=today, state=case.get("state"))


def test_base_payload_is_clean():
    report = lint(BASE["brand"], BASE["campaign"], today=date(2026, 11, 27))
    assert [f for f in report.findings if f.severity != "info"] == []


@pytest.mark.parametrize(("rule_id", "case"), list(_cases()))
def test_fixture_case(rule_id: str, case: dict):
    assert rule_id in CATALOG
    report = run_case(case)
    hits = [f for f in report.findings if f.rule == rule_id]
    if case["expect"] == "trip":
        assert hits, f"{rule_id} did not fire; findings: {[f.to_dict() for f in report.findings]}"
        if "severity" in case:
            assert case["severity"] in {f.severity.value for f in hits}
        if "field" in case:
            assert case["field"] in {f.field for f in hits}
    else:
        assert case["expect"] == "pass"
        assert not hits, f"{rule_id} fired on a near miss: {[f.to_dict() for f in hits]}"


def test_every_payload_rule_has_a_tripping_and_a_passing_fixture():
    seen: dict[str, set[str]] = {}
    for param in _cases():
        rule_id, case = param.values
        seen.setdefault(rule_id, set()).add(case["expect"])
    missing = [r.id for r in CATALOG.values()
               if r.scope in ("payload", "live") and seen.get(r.id) != {"trip", "pass"}]
    assert missing == []
