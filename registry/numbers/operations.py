"""Adding numbers and assigning them to campaigns. Flushes, never commits; every change is audited."""

from __future__ import annotations

import phonenumbers
import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor
from registry.auth.models import Organization
from registry.campaigns.models import Campaign
from registry.db import utcnow
from registry.errors import IntegrityViolation, UserValueError
from registry.lifecycle.models import StatusChange
from registry.lifecycle.operations import change_status
from registry.records import create_record, delete_record, update_record
from registry.states import AssignmentStatus, RegistrationStatus

from .models import PhoneNumber


def normalize_number(raw: str) -> str:
    """``raw`` as E.164; US numbers may be written without +1. Only valid US/CA numbers are 10DLC."""
    try:
        parsed = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        raise UserValueError(f"{raw!r} is not a phone number.", field="e164") from None
    if not phonenumbers.is_valid_number(parsed):
        raise UserValueError(f"{raw!r} is not a valid phone number.", field="e164")
    if phonenumbers.region_code_for_number(parsed) not in ("US", "CA", "PR", "VI", "GU", "AS", "MP"):
        raise UserValueError(f"{raw!r} is not a US or Canadian number; 10DLC covers North American long "
                             "codes only.", field="e164")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def find_number(session: Session, org: Organization, raw: str) -> PhoneNumber | None:
    """The organization's number ``raw`` (any notation), if it has it."""
    e164 = normalize_number(raw)
    return session.scalar(sa.select(PhoneNumber).where(PhoneNumber.organization_id == org.id,
                                                       PhoneNumber.e164 == e164))


def add_number(session: Session, org: Organization, raw: str, *, actor: Actor, label: str = "") -> PhoneNumber:
    e164 = normalize_number(raw)
    if find_number(session, org, e164) is not None:
        raise IntegrityViolation(f"{e164} is already in your organization's numbers.", field="e164")
    number = PhoneNumber(organization_id=org.id, e164=e164, label=label.strip())
    return create_record(session, number, actor=actor, entity_type="phone_number", label=f"Number {e164}")


def assign_number(session: Session, number: PhoneNumber, campaign: Campaign, *, actor: Actor,
                  expected_version: int | None = None) -> None:
    """Link the number to an approved campaign (pending until the provider confirms)."""
    if campaign.organization_id != number.organization_id:
        raise UserValueError("The campaign belongs to another organization.", field="campaign")
    if campaign.status != RegistrationStatus.APPROVED:
        raise UserValueError(f"Numbers can only be assigned to an approved campaign; {campaign.reference} is "
                             f"{campaign.status.label.lower()}.", field="campaign")
    if number.campaign_id not in (None, campaign.id):
        raise UserValueError(f"{number.e164} is assigned to another campaign; unassign it first "
                             "(a number serves one campaign at a time).", field="campaign")
    update_record(session, number, {"campaign_id": campaign.id}, actor=actor, entity_type="phone_number",
                  label=number.e164, expected_version=expected_version, action="assign",
                  summary=f"{number.e164} assigned to campaign {campaign.reference}")
    change_status(session, number, AssignmentStatus.PENDING, actor=actor,
                  note=f"waiting for the provider to register it for {campaign.reference}")
    from registry.submissions.operations import queue_number_assignment

    queue_number_assignment(session, number, actor=actor)


def retry_assignment(session: Session, number: PhoneNumber, *, actor: Actor) -> None:
    """Send a failed assignment to the provider again (after fixing what the failure named, e.g. the campaign's
    numbers limit or a number not yet in the provider account)."""
    if number.assignment_status is not AssignmentStatus.FAILED or number.campaign is None:
        raise UserValueError(f"Only a failed assignment can be retried; {number.e164} is "
                             f"{number.assignment_status.label.lower()}.")
    change_status(session, number, AssignmentStatus.PENDING, actor=actor,
                  note=f"retry: waiting for the provider to register it for {number.campaign.reference}")
    from registry.submissions.operations import queue_number_assignment

    queue_number_assignment(session, number, actor=actor)


def failure_reasons(session: Session, numbers: list[PhoneNumber]) -> dict[int, str]:
    """Why each failed number among ``numbers`` failed: the note of its latest move to FAILED (one query)."""
    ids = [n.id for n in numbers if n.assignment_status is AssignmentStatus.FAILED]
    if not ids:
        return {}
    latest = (sa.select(StatusChange.subject_id, sa.func.max(StatusChange.id).label("last"))
              .where(StatusChange.subject == "phone_number", StatusChange.subject_id.in_(ids),
                     StatusChange.to_status == AssignmentStatus.FAILED.value)
              .group_by(StatusChange.subject_id).subquery())
    return dict(session.execute(sa.select(StatusChange.subject_id, StatusChange.note)
                                .join(latest, StatusChange.id == latest.c.last)).all())


def mark_assigned(session: Session, number: PhoneNumber, *, actor: Actor, source: str = "provider",
                  note: str = "") -> None:
    """The provider confirmed the assignment."""
    number.assigned_at = utcnow()
    change_status(session, number, AssignmentStatus.ASSIGNED, actor=actor, source=source, note=note)


def release_number(session: Session, number: PhoneNumber, *, actor: Actor) -> None:
    """Take the number off its campaign: through the provider when the assignment reached it (the number is
    PENDING_UNASSIGNMENT until the provider confirms), at once when it never did or the provider refused it."""
    from registry.submissions.operations import linked_ref, queue_number_release

    if number.campaign is None:
        raise UserValueError(f"{number.e164} is not assigned to a campaign.")
    if number.assignment_status is AssignmentStatus.PENDING_UNASSIGNMENT:
        raise UserValueError(f"{number.e164} is already being released from {number.campaign.reference}.")
    at_provider = linked_ref(session, "phone_number", number.id) is not None
    if at_provider and number.assignment_status in (AssignmentStatus.ASSIGNED, AssignmentStatus.PENDING):
        change_status(session, number, AssignmentStatus.PENDING_UNASSIGNMENT, actor=actor,
                      note=f"waiting for the provider to release it from {number.campaign.reference}")
        queue_number_release(session, number)
    else:  # nothing registered at a provider: an unsent assignment is cancelled by the worker when its turn comes
        unassign_number(session, number, actor=actor)


def unassign_number(session: Session, number: PhoneNumber, *, actor: Actor, source: str = "workflow",
                    note: str = "") -> None:
    """Clear the number's campaign here (see :func:`release_number` for the provider's side)."""
    update_record(session, number, {"campaign_id": None, "assigned_at": None}, actor=actor,
                  entity_type="phone_number", label=number.e164, expected_version=None, action="unassign",
                  summary=f"{number.e164} unassigned")
    change_status(session, number, AssignmentStatus.UNASSIGNED, actor=actor, source=source, note=note)


def delete_number(session: Session, number: PhoneNumber, *, actor: Actor) -> None:
    if number.campaign_id is not None:
        raise UserValueError(f"Unassign {number.e164} from its campaign before removing it.")
    delete_record(session, number, actor=actor, entity_type="phone_number", label=f"Number {number.e164}")
