"""Ending a registered campaign: TCR ``DELETE /campaign/{id}`` (EXPIRED for good, out of the number registry),
Telnyx ``DELETE /10dlc/campaign/{id}``, Twilio ``DELETE .../Usa2p/{QE}``. Irreversible, and it stops the
monthly campaign fee, so a compliance officer asks for it with a written reason; the call goes through the
outbox to the account the campaign is registered with, and the status moves when the provider answers.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.campaigns.models import Campaign
from registry.errors import UserValueError
from registry.numbers.models import PhoneNumber
from registry.provider_accounts.models import ProviderAccount
from registry.states import AssignmentStatus, RegistrationStatus

from .models import Submission, SubmissionStep
from .operations import add_submission, linked_account, open_submission

#: the shortest reason accepted (the audit trail must say why a campaign was ended)
MIN_REASON = 15
#: statuses a campaign can be deactivated from: it exists at the provider and is not being sent
DEACTIVATABLE = frozenset({RegistrationStatus.PENDING, RegistrationStatus.IN_REVIEW, RegistrationStatus.APPROVED,
                           RegistrationStatus.REJECTED, RegistrationStatus.SUSPENDED,
                           RegistrationStatus.ACTION_REQUIRED})


def numbers_on(session: Session, campaign: Campaign) -> int:
    """Numbers still assigned, being assigned or being released on the campaign."""
    return session.scalar(sa.select(sa.func.count()).select_from(PhoneNumber).where(
        PhoneNumber.campaign_id == campaign.id,
        PhoneNumber.assignment_status.in_((AssignmentStatus.ASSIGNED, AssignmentStatus.PENDING,
                                           AssignmentStatus.PENDING_UNASSIGNMENT)))) or 0


def can_deactivate(session: Session, campaign: Campaign) -> bool:
    """Whether the campaign page offers deactivation."""
    return (campaign.status in DEACTIVATABLE and linked_account(session, "campaign", campaign.id) is not None
            and open_submission(session, SubmissionStep.DEACTIVATE, campaign_id=campaign.id) is None)


def request_deactivation(session: Session, campaign: Campaign, reason: str, *, actor: Actor) -> Submission:
    """Queue the deactivation of ``campaign`` at the account it is registered with."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise UserValueError(f"Say why the campaign ends (at least {MIN_REASON} characters): the audit trail keeps "
                             "it.", field="reason")
    if open_submission(session, SubmissionStep.DEACTIVATE, campaign_id=campaign.id) is not None:
        raise UserValueError(f"{campaign.reference} is being deactivated already.")
    account_id = linked_account(session, "campaign", campaign.id)
    if campaign.status not in DEACTIVATABLE or account_id is None:
        raise UserValueError(f"{campaign.reference} is {campaign.status.label.lower()}: only a campaign registered "
                             "with a provider can be deactivated (a draft is deleted instead).")
    on = numbers_on(session, campaign)
    if on:
        raise UserValueError(f"{on} number(s) are still on {campaign.reference}: unassign them first (Numbers), so "
                             "none is left sending under an ended campaign.")
    sub = add_submission(session, None, SubmissionStep.DEACTIVATE, campaign.organization_id,
                         account=session.get(ProviderAccount, account_id), campaign_id=campaign.id)
    audit_deactivation(session, campaign.organization_id, campaign.id, actor, "requested",
                       f"{campaign.reference}: deactivation requested: {reason}", reason=[None, reason])
    return sub


def audit_deactivation(session: Session, organization_id: int, campaign_id: int | None, actor: Actor, outcome: str,
                       summary: str, **changes: list[object]) -> None:
    """The audit event of one step of a deactivation (requested, sent, refused)."""
    record(session, organization_id=organization_id, actor=actor, action="deactivate", entity_type="campaign",
           entity_id=campaign_id, summary=summary[:500], changes={"deactivation": [None, outcome], **changes})
