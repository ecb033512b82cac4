"""The bridge between stored registrations and the rule engine: one place builds the payloads and the state
context, so the forms, the review page, the submission gate and the API see the same findings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session, object_session

from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.rule_state import brand_state, campaign_state
from registry.rules import Finding, Report, Severity, lint
from registry.states import IdentityStatus
from registry.tcr import to_tcr_payload


def brand_payload(brand: Brand) -> dict[str, Any]:
    """The brand as TCR would receive it, plus the identity TCR reported once it is known."""
    payload = to_tcr_payload(brand)
    if brand.identity_status not in (None, IdentityStatus.UNKNOWN):
        payload["identityStatus"] = brand.identity_status.value.upper()
    return payload


def campaign_payload(campaign: Campaign) -> dict[str, Any]:
    payload = to_tcr_payload(campaign)
    if campaign.media:
        payload["mmsMedia"] = [{"filename": m.filename, "contentType": m.content_type, "sizeBytes": m.size_bytes}
                               for m in campaign.media]
    return payload


def lint_brand(brand: Brand, *, payload: Mapping[str, Any] | None = None, today: date | None = None) -> Report:
    """The brand (or ``payload``, an unsaved edit of it) with what the database knows (registry/rule_state.py):
    other brands' contacts and reference ids, what TCR holds if it was filed, its campaigns."""
    payload = brand_payload(brand) if payload is None else payload
    session = object_session(brand)
    state = brand_state(session, brand.organization_id, payload, brand) if session is not None else None
    return lint(payload, None, today=today, state=state)


def lint_new_brand(session: Session, organization_id: int, payload: Mapping[str, Any]) -> Report:
    """A brand not saved yet, against the organization's other brands."""
    return lint(payload, None, state=brand_state(session, organization_id, payload))


def lint_campaign(campaign: Campaign, *, payload: Mapping[str, Any] | None = None,
                  today: date | None = None) -> Report:
    """The campaign (or ``payload``, an unsaved edit of it) checked against its brand (brand name in samples,
    entity-type rules), with what the database knows (what TCR holds if it was filed, the brand's campaigns)."""
    payload = campaign_payload(campaign) if payload is None else payload
    session = object_session(campaign)
    state = (campaign_state(session, campaign.organization_id, payload, campaign.brand, campaign)
             if session is not None else None)
    return lint(brand_payload(campaign.brand), payload, today=today, state=state)


def lint_new_campaign(session: Session, brand: Brand, payload: Mapping[str, Any]) -> Report:
    """A campaign not saved yet, against its brand and the brand's other campaigns."""
    return lint(brand_payload(brand), payload, state=campaign_state(session, brand.organization_id, payload, brand))


def campaign_only(report: Report) -> Report:
    """Findings about the campaign itself (the brand's own findings belong on the brand's page)."""
    from registry.rules import CATALOG

    return Report([f for f in report.findings if not CATALOG[f.rule].family.startswith("brand")])


@dataclass(frozen=True)
class StepSummary:
    key: str
    label: str
    errors: int
    warnings: int
    infos: int


def by_field(findings: Iterable[Finding]) -> dict[str | None, list[Finding]]:
    grouped: dict[str | None, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[f.field].append(f)
    return dict(grouped)


def summarize(report: Report, steps: list[tuple[str, str, tuple[str, ...]]]) -> list[StepSummary]:
    """Errors/warnings/infos per wizard step; findings on fields of no step count under "Other"."""
    placed = {name: key for key, _, names in steps for name in names}
    counts: dict[str, dict[Severity, int]] = defaultdict(lambda: defaultdict(int))
    for f in report.findings:
        counts[placed.get(f.field or "", "other")][f.severity] += 1
    rows = [(key, label) for key, label, _ in steps] + [("other", "Other")]
    return [StepSummary(key, label, counts[key][Severity.ERROR], counts[key][Severity.WARNING],
                        counts[key][Severity.INFO]) for key, label in rows
            if key != "other" or counts.get("other")]


def refresh_lint_counts(obj: Brand | Campaign) -> Report:
    """Re-lint a saved brand or campaign and keep its error/warning counts on the row (for lists)."""
    report = lint_brand(obj) if isinstance(obj, Brand) else campaign_only(lint_campaign(obj))
    obj.lint_errors, obj.lint_warnings = len(report.errors), len(report.warnings)
    return report
