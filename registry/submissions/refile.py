"""Re-filing a campaign with another provider account from its stored revision, without re-typing.

The revision that passed four-eyes review is sent as it is: a brand step first when the brand is not
registered with that account yet (billable there, so only on an officer's explicit request), then the campaign
step. When they succeed, the campaign's (and the brand's) sync follows the new account; the first filing stays
in the history: its submissions, provider calls and status changes are kept and shown beside the new ones.
The campaign's numbers stay where they are: moving numbers is a port between providers, not a registration.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.campaigns.models import Campaign
from registry.errors import UserValueError
from registry.lifecycle.operations import change_status
from registry.provider_accounts.models import ProviderAccount, ProviderName
from registry.providers.twilio_trusthub import missing_beyond_tcr
from registry.revisions.models import Revision
from registry.states import RegistrationStatus, RevisionStatus

from .models import Submission, SubmissionStep
from .operations import add_submission, brand_ref_at, linked_account, open_submission

#: a campaign in one of these states has been filed somewhere and is not moving right now
REFILABLE = frozenset(
    {
        RegistrationStatus.SUBMITTED,
        RegistrationStatus.PENDING,
        RegistrationStatus.ACTION_REQUIRED,
        RegistrationStatus.IN_REVIEW,
        RegistrationStatus.APPROVED,
        RegistrationStatus.REJECTED,
        RegistrationStatus.FAILED,
        RegistrationStatus.SUSPENDED,
    }
)
#: revisions that passed four-eyes review
REVIEWED = (RevisionStatus.APPROVED, RevisionStatus.SUBMITTED, RevisionStatus.REJECTED)


def filed_revision(session: Session, revision_of: str, subject_id: int) -> Revision | None:
    """The latest revision of a brand or campaign that passed four-eyes review (what may be filed again)."""
    column = Revision.brand_id if revision_of == "brand" else Revision.campaign_id
    return session.scalar(
        sa.select(Revision)
        .where(column == subject_id, Revision.status.in_(REVIEWED))
        .order_by(Revision.number.desc())
        .limit(1)
    )


def refile_targets(session: Session, campaign: Campaign) -> list[ProviderAccount]:
    """The organization's active accounts the campaign could be re-filed with (not the one it is filed with)."""
    current = linked_account(session, "campaign", campaign.id)
    return list(
        session.scalars(
            sa.select(ProviderAccount)
            .where(
                ProviderAccount.organization_id == campaign.organization_id,
                ProviderAccount.is_active.is_(True),
                ProviderAccount.id != (current or -1),
            )
            .order_by(ProviderAccount.label)
        )
    )


def refile_campaign(
    session: Session, campaign: Campaign, account: ProviderAccount, *, actor: Actor
) -> list[Submission]:
    """Queue ``campaign`` (and its brand where needed) for ``account`` from the stored reviewed revisions."""
    if account.organization_id != campaign.organization_id or not account.is_active:
        raise UserValueError("Choose an active provider account of this organization.", field="account")
    if campaign.status not in REFILABLE:
        raise UserValueError(
            f"{campaign.reference} is {campaign.status.label.lower()}: only a campaign that has been filed with a "
            "provider can be re-filed with another one.",
            field="account",
        )
    current = linked_account(session, "campaign", campaign.id)
    if current == account.id:
        raise UserValueError(f"{campaign.reference} is already filed with {account.label}.", field="account")
    if open_submission(session, SubmissionStep.CAMPAIGN, campaign_id=campaign.id) is not None:
        raise UserValueError(f"{campaign.reference} is being sent already; wait for it to finish.", field="account")
    revision = filed_revision(session, "campaign", campaign.id)
    if revision is None:
        raise UserValueError(f"{campaign.reference} has no reviewed revision to file.", field="account")
    brand = campaign.brand
    made: list[Submission] = []
    if (
        brand_ref_at(session, brand.id, account.id) is None
        and open_submission(session, SubmissionStep.BRAND, brand_id=brand.id) is None
    ):
        brand_revision = filed_revision(session, "brand", brand.id)
        if brand_revision is None:
            raise UserValueError(f"The brand {brand.reference} has no reviewed revision to file.", field="account")
        missing = missing_beyond_tcr(brand_revision.snapshot) if account.provider is ProviderName.TWILIO else []
        if missing:  # Twilio would refuse the brand after the call (BRAND-PROVIDER-FIELDS): say so now
            raise UserValueError(
                f"{account.label} (Twilio) needs the brand's authorized representative ({', '.join(missing)}), and "
                f"the reviewed revision of {brand.reference} has none: file it with another account.",
                field="account",
            )
        made.append(
            add_submission(
                session,
                brand_revision,
                SubmissionStep.BRAND,
                campaign.organization_id,
                account=account,
                brand_id=brand.id,
            )
        )
    made.append(
        add_submission(
            session,
            revision,
            SubmissionStep.CAMPAIGN,
            campaign.organization_id,
            account=account,
            campaign_id=campaign.id,
            brand_id=brand.id,
        )
    )
    previous = session.get(ProviderAccount, current) if current else None
    change_status(
        session,
        campaign,
        RegistrationStatus.QUEUED,
        actor=actor,
        note=f"re-filed with {account.label}" + (f" (was filed with {previous.label})" if previous else ""),
    )
    record(
        session,
        organization_id=campaign.organization_id,
        actor=actor,
        action="refile",
        entity_type="campaign",
        entity_id=campaign.id,
        summary=f"{campaign.reference}: revision {revision.number} re-filed with {account.audit_label}"
        + (" (brand registered there first)" if len(made) == 2 else ""),
        changes={
            "account": [previous.audit_label if previous else None, account.audit_label],
            "revision": [None, revision.number],
            "submissions": [None, [s.client_ref for s in made]],
        },
    )
    return made
