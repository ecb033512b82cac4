"""Creating, changing and deleting brands. Flushes, never commits; every change is audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.audit import Actor
from registry.auth.models import Organization
from registry.compliance import refresh_lint_counts
from registry.errors import UserValueError
from registry.records import create_record, delete_record, ensure_unique_reference, payload_to_attrs, update_record
from registry.states import RegistrationStatus

from .models import Brand

#: entity types TCR accepts (``GET /enum/entityType``); full validation is the rule engine's job
ENTITY_TYPES = ("PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT", "SOLE_PROPRIETOR")
EDITABLE_STATES = frozenset({RegistrationStatus.DRAFT, RegistrationStatus.REJECTED,
                             RegistrationStatus.ACTION_REQUIRED, RegistrationStatus.FAILED})


def create_brand(session: Session, org: Organization, payload: dict[str, Any], *, actor: Actor) -> Brand:
    """A new draft brand from a TCR-field payload (``entityType``, ``displayName`` and ``referenceId`` needed)."""
    values = payload_to_attrs(Brand, payload)
    _require_identity(values)
    ensure_unique_reference(session, Brand, org.id, values.get("reference"))
    brand = Brand(organization_id=org.id, created_by_id=actor.user_id, **values)
    return create_record(session, brand, actor=actor, entity_type="brand", label=f"Brand {brand.display_name}",
                         derive=refresh_lint_counts)


def update_brand(session: Session, brand: Brand, payload: dict[str, Any], *, actor: Actor,
                 expected_version: int | None = None) -> dict[str, list[Any]]:
    """Change a draft (or a brand sent back by review or rejected); returns the audited diff."""
    if brand.status not in EDITABLE_STATES:
        raise UserValueError(f"The brand is {brand.status.label.lower()}; it cannot be edited now.")
    values = payload_to_attrs(Brand, payload)
    _require_identity({**{"entity_type": brand.entity_type, "display_name": brand.display_name}, **values})
    if "reference" in values:
        ensure_unique_reference(session, Brand, brand.organization_id, values["reference"], exclude_id=brand.id)
    changes = update_record(session, brand, values, actor=actor, entity_type="brand", label=brand.display_name,
                            expected_version=expected_version, derive=refresh_lint_counts)
    if changes:
        for campaign in brand.campaigns:  # campaign checks read the brand (its name in samples, entity rules)
            refresh_lint_counts(campaign)
    return changes


def set_brand_status(session: Session, brand: Brand, status: RegistrationStatus, *, actor: Actor,
                     reason: str = "", source: str = "workflow") -> None:
    from registry.lifecycle.operations import change_status

    change_status(session, brand, status, actor=actor, source=source, note=reason)


def delete_brand(session: Session, brand: Brand, *, actor: Actor) -> None:
    """Delete a draft brand that has no campaigns; registered brands are deactivated, never deleted."""
    if brand.status != RegistrationStatus.DRAFT:
        raise UserValueError("Only draft brands can be deleted; this one has been submitted.")
    if brand.campaigns:
        raise UserValueError("Delete the brand's draft campaigns first.")
    delete_record(session, brand, actor=actor, entity_type="brand", label=f"Brand {brand.display_name}")


def _require_identity(values: dict[str, Any]) -> None:
    if values.get("entity_type") not in ENTITY_TYPES:
        raise UserValueError("Choose the entity type: " + ", ".join(ENTITY_TYPES) + ".", field="entityType")
    if not values.get("display_name"):
        raise UserValueError("The brand needs a display name (the name customers know it by).",
                             field="displayName")
