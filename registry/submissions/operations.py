"""Writing outbox rows (in the caller's transaction) and the officer's levers on them."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.db import utcnow
from registry.errors import UserValueError
from registry.numbers.models import PhoneNumber
from registry.provider_accounts.models import ProviderAccount
from registry.provider_accounts.operations import default_account
from registry.revisions.models import Revision
from registry.states import AssignmentStatus, RegistrationStatus, RevisionStatus
from registry.sync.models import SyncState
from registry.tasks import enqueue_submission

from .models import OPEN, Submission, SubmissionStatus, SubmissionStep

PREFIX = {
    SubmissionStep.BRAND: "b",
    SubmissionStep.CAMPAIGN: "c",
    SubmissionStep.NUMBERS: "n",
    SubmissionStep.UNASSIGN: "u",
    SubmissionStep.OTP_SEND: "o",
    SubmissionStep.OTP_VERIFY: "v",
    SubmissionStep.DEACTIVATE: "d",
}


def new_client_ref(step: SubmissionStep, key: int) -> str:
    """Our idempotency key: step letter, our id, and randomness so two installations sharing one provider
    account never collide (``c42-5f0c9a1b7e2d``, well under the 50 characters providers allow)."""
    return f"{PREFIX[step]}{key}-{secrets.token_hex(6)}"


def linked_ref(session: Session, subject: str, subject_id: int, account_id: int | None = None) -> str | None:
    """The provider id a brand/campaign/number is registered under, once a submission succeeded (with
    ``account_id``: only if that is the account it is registered with)."""
    query = sa.select(SyncState.provider_ref).where(SyncState.subject == subject, SyncState.subject_id == subject_id)
    if account_id is not None:
        query = query.where(SyncState.account_id == account_id)
    return session.scalar(query)


def linked_account(session: Session, subject: str, subject_id: int) -> int | None:
    """The provider account a brand/campaign is currently registered with (synced from), if any."""
    return session.scalar(
        sa.select(SyncState.account_id).where(SyncState.subject == subject, SyncState.subject_id == subject_id)
    )


def brand_ref_at(session: Session, brand_id: int, account_id: int) -> str | None:
    """The brand's id at ``account_id``: its current link, or, when it was since re-filed elsewhere, what the
    last successful brand step with that account created (campaigns still filed there need it)."""
    current = linked_ref(session, "brand", brand_id, account_id)
    if current is not None:
        return current
    return session.scalar(
        sa.select(Submission.provider_id)
        .where(
            Submission.brand_id == brand_id,
            Submission.step == SubmissionStep.BRAND,
            Submission.account_id == account_id,
            Submission.status == SubmissionStatus.DONE,
            Submission.provider_id.is_not(None),
        )
        .order_by(Submission.id.desc())
        .limit(1)
    )


def open_submission(session: Session, step: SubmissionStep, **subject: int) -> Submission | None:
    """An outbox row of this step and subject that may still send something."""
    column = {
        "brand_id": Submission.brand_id,
        "campaign_id": Submission.campaign_id,
        "phone_number_id": Submission.phone_number_id,
    }
    ((name, value),) = subject.items()
    return session.scalar(
        sa.select(Submission)
        .where(Submission.step == step, column[name] == value, Submission.status.in_(OPEN))
        .order_by(Submission.id.desc())
        .limit(1)
    )


def _cancel_older(session: Session, step: SubmissionStep, revision: Revision, **subject: int) -> None:
    older = open_submission(session, step, **subject)
    if older is not None and older.revision_id != revision.id:
        older.status = SubmissionStatus.CANCELLED
        older.finished_at = utcnow()
        older.last_error = f"superseded by revision {revision.number}"


def add_submission(
    session: Session,
    revision: Revision | None,
    step: SubmissionStep,
    organization_id: int,
    *,
    account: ProviderAccount | None = None,
    **subject: int | None,
) -> Submission:
    account = account or default_account(session, organization_id)
    key = revision.id if revision is not None else (
        subject.get("phone_number_id") or subject.get("brand_id") or subject.get("campaign_id") or 0)
    submission = Submission(
        organization_id=organization_id,
        revision_id=revision.id if revision else None,
        account_id=account.id if account else None,
        step=step,
        status=SubmissionStatus.PENDING,
        client_ref=new_client_ref(step, key),
        next_attempt_at=utcnow(),
        attempts=0,
        maybe_committed=False,
        **subject,
    )
    session.add(submission)
    session.flush()
    enqueue_submission(session, submission.id)
    return submission


def queue_submission(session: Session, revision: Revision, *, actor: Actor) -> list[Submission]:
    """Write the outbox rows for an approved revision, in the approving transaction.

    A brand revision: one brand step. A campaign revision: a brand step first when its brand is queued (its
    approved revision waiting) but neither registered nor being sent, then the campaign step (which waits for
    the brand to be registered and verified before it sends).
    """
    made: list[Submission] = []
    if revision.subject == "brand":
        brand = revision.brand
        assert brand is not None
        _cancel_older(session, SubmissionStep.BRAND, revision, brand_id=brand.id)
        made.append(
            add_submission(session, revision, SubmissionStep.BRAND, revision.organization_id, brand_id=brand.id)
        )
        return made
    campaign = revision.campaign
    assert campaign is not None
    brand = campaign.brand
    if (
        brand.status is RegistrationStatus.QUEUED
        and linked_ref(session, "brand", brand.id) is None
        and (open_submission(session, SubmissionStep.BRAND, brand_id=brand.id) is None)
    ):
        waiting = session.scalar(
            sa.select(Revision)
            .where(Revision.brand_id == brand.id, Revision.status == RevisionStatus.APPROVED)
            .order_by(Revision.number.desc())
            .limit(1)
        )
        if waiting is not None:
            made.append(
                add_submission(session, waiting, SubmissionStep.BRAND, revision.organization_id, brand_id=brand.id)
            )
    _cancel_older(session, SubmissionStep.CAMPAIGN, revision, campaign_id=campaign.id)
    made.append(
        add_submission(
            session,
            revision,
            SubmissionStep.CAMPAIGN,
            revision.organization_id,
            campaign_id=campaign.id,
            brand_id=brand.id,
        )
    )
    return made


def queue_brand_step(session: Session, revision: Revision) -> Submission:
    """A brand step for ``revision`` (used when a campaign finds its brand registered nowhere yet)."""
    assert revision.brand_id is not None
    return add_submission(session, revision, SubmissionStep.BRAND, revision.organization_id, brand_id=revision.brand_id)


def queue_number_assignment(session: Session, number: PhoneNumber, *, actor: Actor) -> Submission | None:
    """Send a pending number assignment to the provider (after the commit). Idempotent."""
    if number.assignment_status is not AssignmentStatus.PENDING or number.campaign_id is None:
        return None
    existing = open_submission(session, SubmissionStep.NUMBERS, phone_number_id=number.id)
    if existing is not None:
        return existing
    return add_submission(
        session,
        None,
        SubmissionStep.NUMBERS,
        number.organization_id,
        phone_number_id=number.id,
        campaign_id=number.campaign_id,
    )


def queue_number_release(session: Session, number: PhoneNumber) -> Submission:
    """Release a number from its campaign at the account it is registered with (after the commit). Idempotent."""
    existing = open_submission(session, SubmissionStep.UNASSIGN, phone_number_id=number.id)
    if existing is not None:
        return existing
    account_id = linked_account(session, "phone_number", number.id)
    return add_submission(
        session,
        None,
        SubmissionStep.UNASSIGN,
        number.organization_id,
        account=session.get(ProviderAccount, account_id) if account_id is not None else None,
        phone_number_id=number.id,
        campaign_id=number.campaign_id,
    )


def queue_unsent_numbers(session: Session) -> int:
    """Outbox rows for pending assignments that have none (numbers assigned before the provider was set up,
    or by code that did not queue them): the PENDING status is the durable intent."""
    sent = sa.select(SyncState.subject_id).where(SyncState.subject == "phone_number")
    queued = sa.select(Submission.phone_number_id).where(
        Submission.step == SubmissionStep.NUMBERS,
        Submission.phone_number_id.is_not(None),
        Submission.status.in_([*OPEN, SubmissionStatus.DONE]),
    )
    numbers = session.scalars(
        sa.select(PhoneNumber)
        .where(
            PhoneNumber.assignment_status == AssignmentStatus.PENDING,
            PhoneNumber.campaign_id.is_not(None),
            PhoneNumber.id.not_in(sent),
            PhoneNumber.id.not_in(queued),
        )
        .limit(500)
    ).all()
    for number in numbers:
        queue_number_assignment(session, number, actor=Actor.system("sync"))
    return len(numbers)


def retry_submission(session: Session, submission: Submission, *, actor: Actor) -> None:
    """Send a submission that needs attention again now (after the account or credentials were fixed)."""
    if submission.status is not SubmissionStatus.NEEDS_ATTENTION:
        raise UserValueError(
            f"Submission {submission.client_ref} is {submission.status.label.lower()}; only "
            "submissions that need attention can be retried."
        )
    if submission.account_id is None:
        account = default_account(session, submission.organization_id)
        if account is None:
            raise UserValueError("Add a provider account for the organization first.")
        submission.account_id = account.id
    old_error = submission.last_error
    submission.status = SubmissionStatus.PENDING
    submission.attempts = 0
    submission.next_attempt_at = utcnow()
    submission.claimed_by = submission.claimed_at = None
    session.flush()
    record(
        session,
        organization_id=submission.organization_id,
        actor=actor,
        action="retry",
        entity_type="submission",
        entity_id=submission.id,
        summary=f"{submission.audit_label}: retried",
        changes={"last_error": [old_error, None]},
    )
    enqueue_submission(session, submission.id)


def subject_of(session: Session, submission: Submission) -> Brand | Campaign | PhoneNumber:
    """The brand, campaign or number a submission is about."""
    subject = submission.step.subject
    if subject == "brand":
        return session.get(Brand, submission.brand_id)  # type: ignore[return-value]
    if subject == "campaign":
        return session.get(Campaign, submission.campaign_id)  # type: ignore[return-value]
    return session.get(PhoneNumber, submission.phone_number_id)  # type: ignore[return-value]
