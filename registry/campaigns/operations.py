"""Creating, changing and deleting campaigns. Flushes, never commits; every change is audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.audit import Actor
from registry.auth.models import Organization
from registry.brands.models import Brand
from registry.compliance import refresh_lint_counts
from registry.errors import UserValueError
from registry.records import create_record, delete_record, ensure_unique_reference, payload_to_attrs, update_record
from registry.states import RegistrationStatus

from .models import Campaign

EDITABLE_STATES = frozenset({RegistrationStatus.DRAFT, RegistrationStatus.REJECTED,
                             RegistrationStatus.ACTION_REQUIRED, RegistrationStatus.FAILED})


def create_campaign(session: Session, org: Organization, brand: Brand, payload: dict[str, Any], *,
                    actor: Actor) -> Campaign:
    """A new draft campaign under ``brand`` (``usecase`` and ``referenceId`` needed)."""
    if brand.organization_id != org.id:
        raise UserValueError("The brand belongs to another organization.", field="brandId")
    values = payload_to_attrs(Campaign, payload)
    if not values.get("usecase"):
        raise UserValueError("Choose the campaign's use case.", field="usecase")
    ensure_unique_reference(session, Campaign, org.id, values.get("reference"))
    values.setdefault("reseller_id", "R000000")
    campaign = Campaign(organization_id=org.id, brand=brand, created_by_id=actor.user_id, **values)
    return create_record(session, campaign, actor=actor, entity_type="campaign",
                         label=f"Campaign {campaign.reference}", derive=refresh_lint_counts)


def update_campaign(session: Session, campaign: Campaign, payload: dict[str, Any], *, actor: Actor,
                    expected_version: int | None = None) -> dict[str, list[Any]]:
    """Change a draft (or a campaign sent back or rejected); returns the audited diff."""
    if campaign.status not in EDITABLE_STATES:
        raise UserValueError(f"The campaign is {campaign.status.label.lower()}; it cannot be edited now.")
    values = payload_to_attrs(Campaign, payload)
    if "usecase" in values and not values["usecase"]:
        raise UserValueError("A campaign needs a use case.", field="usecase")
    if "reference" in values:
        ensure_unique_reference(session, Campaign, campaign.organization_id, values["reference"],
                                exclude_id=campaign.id)
    return update_record(session, campaign, values, actor=actor, entity_type="campaign",
                         label=campaign.reference, expected_version=expected_version, derive=refresh_lint_counts)


def set_campaign_status(session: Session, campaign: Campaign, status: RegistrationStatus, *, actor: Actor,
                        reason: str = "", source: str = "workflow") -> None:
    from registry.lifecycle.operations import change_status

    change_status(session, campaign, status, actor=actor, source=source, note=reason)


def delete_campaign(session: Session, campaign: Campaign, *, actor: Actor) -> None:
    """Delete a draft campaign without numbers; registered campaigns are deactivated, never deleted."""
    if campaign.status != RegistrationStatus.DRAFT:
        raise UserValueError("Only draft campaigns can be deleted; this one has been submitted.")
    if campaign.numbers:
        raise UserValueError("Unassign the campaign's numbers first.")
    delete_record(session, campaign, actor=actor, entity_type="campaign", label=f"Campaign {campaign.reference}")
