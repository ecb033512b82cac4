"""Sending one outbox row: claim, call the provider outside any transaction, apply the outcome.

Never two creates: a create that may have reached the provider (a timeout, a dropped connection, a worker
that died mid-call) leaves ``maybe_committed`` set, and the next attempt looks the object up by ``client_ref``
before it creates anything (``create_brand_once``/``create_campaign_once``).

Outcomes: success stores the provider's ids, links the object for the sync, moves the registration to
SUBMITTED and on to what the provider reports, and the revision to SUBMITTED; a refusal of our data fails the
step with the provider's field messages as the revision's rejection reasons (registration FAILED); retryable
errors reschedule with backoff honouring Retry-After; credentials/account problems and too many attempts stop
at ``needs_attention`` for a person; a campaign waits (without spending attempts) until its brand is
registered and verified.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from registry.audit import Actor, record
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.claims import claim_rows, holds_claim, worker_id
from registry.db import get_database, unit_of_work, utcnow
from registry.errors import RegistryError
from registry.lifecycle.operations import change_status
from registry.numbers.models import PhoneNumber
from registry.provider_accounts.adapters import build_provider, calls_for
from registry.provider_accounts.models import ProviderAccount, ProviderName
from registry.provider_accounts.operations import default_account
from registry.providers.base import (
    AssignmentRecord,
    BrandRecord,
    CampaignRecord,
    Lifecycle,
    OtpRecord,
    ProviderError,
    ProviderErrorKind,
)
from registry.providers.reconcile import create_brand_once, create_campaign_once
from registry.revisions.models import Revision
from registry.states import AssignmentStatus, IdentityStatus, RegistrationStatus, RevisionStatus
from registry.submissions.deactivation import DEACTIVATABLE, audit_deactivation
from registry.submissions.otp import OTP_STEPS, audit_otp
from registry.submissions.otp import WAITING as OTP_WAITING
from registry.sync.apply import LOCAL, apply_assignment, apply_brand, apply_campaign, reject
from registry.sync.models import Priority, SyncState
from registry.sync.schedule import backoff, next_due, priority_for, setting
from registry.tasks import enqueue_submission

from . import reasons as rs
from .models import Submission, SubmissionStatus, SubmissionStep
from .operations import brand_ref_at, linked_account, linked_ref, open_submission, queue_brand_step, subject_of

log = logging.getLogger(__name__)
ACTOR = Actor.system("submission")
S = SubmissionStatus
K = ProviderErrorKind
VERIFIED = frozenset({IdentityStatus.VERIFIED, IdentityStatus.VETTED_VERIFIED})


#: the number status a number step expects when its turn comes (else it is cancelled: nothing to send)
WAITING = {
    SubmissionStep.NUMBERS: AssignmentStatus.PENDING,
    SubmissionStep.UNASSIGN: AssignmentStatus.PENDING_UNASSIGNMENT,
}


@dataclass
class Job:
    """What the call needs, copied out of the claim transaction."""

    id: int
    step: SubmissionStep
    client_ref: str
    previously_attempted: bool
    account: ProviderAccount
    payload: dict[str, Any]
    existing_ref: str | None = None  # the subject is already at the provider (a resubmission)
    brand_ref: str | None = None  # campaign step: the brand's provider id
    campaign_ref: str | None = None  # numbers step
    e164: str | None = None
    appeal_reason: str = ""
    otp_pin: str | None = None  # otp_verify


@dataclass
class Outcome:
    record: BrandRecord | CampaignRecord | AssignmentRecord | None = None
    error: ProviderError | RegistryError | None = None
    feedback: tuple[Any, ...] = ()
    action: str = "create"


def process_submission(app: Any, submission_id: int, *, now: datetime | None = None, worker: str | None = None) -> str:
    """Claim and process one submission; returns what happened (``done``, ``waiting``, ``skipped`` ...)."""
    factory = get_database(app).sessionmaker
    now = now or utcnow()
    worker = worker or worker_id("outbox")
    with unit_of_work(factory) as session:
        job = _claim(session, app.config, submission_id, worker, now)
    if isinstance(job, str):
        return job
    outcome = _call(app, job)
    for attempt in (1, 2):
        try:
            with unit_of_work(factory) as session:
                return _apply(session, app.config, job, outcome, worker, now)
        except (StaleDataError, IntegrityError, DBAPIError) as exc:
            log.warning("submission %s: applying the outcome failed (%s), attempt %s", job.id, exc, attempt)
    with unit_of_work(factory) as session:  # keep what we know: a created object must be found, not re-created
        _release(
            session,
            job.id,
            worker,
            now + timedelta(seconds=5),
            "could not store the provider's answer; retrying",
            maybe_committed=outcome.record is not None,
        )
    return "retry"


# --- claim --------------------------------------------------------------------------------------------------


def _claim(session: Session, config: Any, submission_id: int, worker: str, now: datetime) -> Job | str:
    lease = timedelta(seconds=float(setting(config, "SYNC_LEASE_SECONDS")))
    due = [
        Submission.id == submission_id,
        Submission.status.in_([S.PENDING, S.IN_PROGRESS]),
        sa.or_(Submission.next_attempt_at.is_(None), Submission.next_attempt_at <= now),
    ]
    if not claim_rows(session, Submission, due, [Submission.id], worker=worker, now=now, lease=lease, limit=1):
        return "skipped"
    sub = session.get(Submission, submission_id, populate_existing=True)
    assert sub is not None
    reclaimed = sub.status is S.IN_PROGRESS  # a worker died holding it: its call may have gone through
    subject = subject_of(session, sub)
    if sub.account_id is None:
        default = default_account(session, sub.organization_id)
        sub.account_id = default.id if default else None
    account = session.get(ProviderAccount, sub.account_id) if sub.account_id else None
    if sub.step is SubmissionStep.DEACTIVATE:
        assert isinstance(subject, Campaign)
        if subject.status not in DEACTIVATABLE:
            return _finish(
                session,
                sub,
                S.CANCELLED,
                now,
                f"{subject.reference} was {subject.status.label.lower()} when its turn came: nothing to deactivate",
            )
    elif sub.step in OTP_STEPS:
        assert isinstance(subject, Brand)
        if subject.status not in OTP_WAITING:
            return _finish(
                session,
                sub,
                S.CANCELLED,
                now,
                f"{subject.reference} was {subject.status.label.lower()} when its turn came: no PIN is awaited",
            )
    elif (
        isinstance(subject, Brand | Campaign)
        and subject.status is not RegistrationStatus.QUEUED
        and not _adopting(session, sub, subject, account)
    ):
        return _finish(
            session,
            sub,
            S.CANCELLED,
            now,
            f"{subject.reference} was {subject.status.label.lower()} when its turn came, not queued: nothing was sent",
        )
    if isinstance(subject, PhoneNumber) and (
        subject.assignment_status is not WAITING[sub.step] or subject.campaign_id != sub.campaign_id
    ):
        what = "release" if sub.step is SubmissionStep.UNASSIGN else "assignment"
        return _finish(
            session, sub, S.CANCELLED, now, f"{subject.e164} is no longer waiting for this {what}: nothing was sent"
        )
    if account is None or not account.is_active:
        return _attention(
            session,
            sub,
            now,
            "No active provider account is configured for the organization: add one, then retry the submission.",
        )
    job = Job(
        id=sub.id,
        step=sub.step,
        client_ref=sub.client_ref,
        account=account,
        previously_attempted=sub.maybe_committed or reclaimed,
        payload=dict(sub.revision.snapshot) if sub.revision is not None else {},
    )
    if sub.step is SubmissionStep.DEACTIVATE:
        job.existing_ref = linked_ref(session, "campaign", sub.campaign_id, account.id)  # type: ignore[arg-type]
        if job.existing_ref is None:
            return _attention(session, sub, now, f"the campaign is not registered with {account.label}")
    elif sub.step in OTP_STEPS:
        job.existing_ref = linked_ref(session, "brand", sub.brand_id, account.id)  # type: ignore[arg-type]
        job.otp_pin = sub.otp_pin
        if job.existing_ref is None:
            return _attention(session, sub, now, f"the brand is not registered with {account.label}: no PIN to send")
    elif sub.step is SubmissionStep.BRAND:
        job.existing_ref = linked_ref(session, "brand", sub.brand_id, account.id)  # type: ignore[arg-type]
    elif sub.step is SubmissionStep.CAMPAIGN:
        assert isinstance(subject, Campaign)
        brand = subject.brand
        job.brand_ref = brand_ref_at(session, brand.id, account.id)
        ready = brand.status is RegistrationStatus.APPROVED or (
            brand.status in LOCAL and brand.identity_status in VERIFIED
        )
        if (
            job.brand_ref is None
            and brand.status not in LOCAL
            and open_submission(session, SubmissionStep.BRAND, brand_id=brand.id) is None
        ):
            return _unlinked_brand(session, sub, config, now, brand, account)
        if job.brand_ref is None or not ready:
            why = (
                "registered with the provider"
                if job.brand_ref is None
                else f"verified (it is {brand.status.label.lower()})"
            )
            return _wait(session, sub, config, now, f"waiting for the brand {brand.reference} to be {why}")
        job.existing_ref = linked_ref(session, "campaign", subject.id, account.id)
        job.appeal_reason = _appeal_reason(sub)
    else:
        assert isinstance(subject, PhoneNumber)
        job.e164 = subject.e164
        job.campaign_ref = linked_ref(session, "campaign", sub.campaign_id)  # type: ignore[arg-type]
        if job.campaign_ref is None and sub.step is SubmissionStep.NUMBERS:
            return _wait(session, sub, config, now, "waiting for the campaign to be registered with the provider")
    sub.status = S.IN_PROGRESS
    sub.attempts += 1
    if reclaimed:
        sub.maybe_committed = True
    return job


def _adopting(session: Session, sub: Submission, subject: Brand | Campaign, account: ProviderAccount | None) -> bool:
    """A brand step registering a brand that is past review here with an account it is not registered with:
    a re-file (the brand is registered with another account, and an officer chose to file with this one), or,
    at the sandbox only, a brand approved here that exists at no provider (demo data whose provider outcome was
    preset). Never otherwise: that would be a second billable brand for one that may well exist already."""
    if sub.step is not SubmissionStep.BRAND or not isinstance(subject, Brand) or account is None:
        return False
    if subject.status in (RegistrationStatus.DRAFT, RegistrationStatus.AWAITING_REVIEW):
        return False
    if brand_ref_at(session, subject.id, account.id) is not None:
        return False
    elsewhere = linked_account(session, "brand", subject.id)
    if elsewhere is not None:
        return elsewhere != account.id
    return account.provider is ProviderName.SANDBOX and subject.status is RegistrationStatus.APPROVED


def _unlinked_brand(
    session: Session, sub: Submission, config: Any, now: datetime, brand: Brand, account: ProviderAccount
) -> str:
    """The campaign's brand is past review here but registered with no provider account."""
    if account.provider is ProviderName.SANDBOX:
        revision = session.scalar(
            sa.select(Revision)
            .where(
                Revision.brand_id == brand.id, Revision.status.in_([RevisionStatus.APPROVED, RevisionStatus.SUBMITTED])
            )
            .order_by(Revision.number.desc())
            .limit(1)
        )
        if revision is not None:
            queue_brand_step(session, revision)
            return _wait(
                session, sub, config, now, f"registering the brand {brand.reference} with {account.label} first"
            )
    return _attention(
        session,
        sub,
        now,
        f"The brand {brand.reference} is {brand.status.label.lower()} here but "
        f"not registered with {account.label}: send the brand for review and approval again, so it "
        "is submitted to this provider first.",
    )


def _appeal_reason(sub: Submission) -> str:
    revision = sub.revision
    comment = (revision.review_comment or "").strip() if revision else ""
    base = f"Corrected and re-reviewed as revision {revision.number if revision else '?'}"
    return f"{base}: {comment}"[:1000] if comment else f"{base}; the carriers' feedback has been addressed."


def _finish(session: Session, sub: Submission, status: SubmissionStatus, now: datetime, note: str | None) -> str:
    sub.status, sub.finished_at, sub.last_error = status, now, (note[:1000] if note else None)
    sub.claimed_by = sub.claimed_at = None
    return status.value


def _wait(
    session: Session, sub: Submission, config: Any, now: datetime, why: str, retry_after: float | None = None
) -> str:
    sub.status = S.PENDING
    sub.claimed_by = sub.claimed_at = None
    sub.last_error = why[:1000]
    wait = float(setting(config, "SUBMISSION_WAIT_SECONDS"))
    sub.next_attempt_at = now + timedelta(seconds=max(wait, retry_after or 0.0))
    return "waiting"


def _attention(session: Session, sub: Submission, now: datetime, why: str) -> str:
    first = sub.status is not S.NEEDS_ATTENTION
    sub.status, sub.last_error = S.NEEDS_ATTENTION, why[:1000]
    sub.claimed_by = sub.claimed_at = None
    if first:
        session.flush()
        record(
            session,
            organization_id=sub.organization_id,
            actor=ACTOR,
            action="needs_attention",
            entity_type="submission",
            entity_id=sub.id,
            summary=f"{sub.audit_label}: {why}"[:500],
            changes={"status": [None, S.NEEDS_ATTENTION.value]},
        )
    return S.NEEDS_ATTENTION.value


def _release(
    session: Session, submission_id: int, worker: str, when: datetime, why: str, *, maybe_committed: bool
) -> None:
    sub = session.get(Submission, submission_id, populate_existing=True)
    if not holds_claim(sub, worker):
        return
    assert sub is not None
    sub.status, sub.next_attempt_at, sub.last_error = S.PENDING, when, why
    sub.maybe_committed = sub.maybe_committed or maybe_committed
    sub.claimed_by = sub.claimed_at = None


# --- the call -------------------------------------------------------------------------------------------------


def _call(app: Any, job: Job) -> Outcome:
    try:
        provider = build_provider(app, job.account)
    except RegistryError as exc:  # credentials unreadable with the configured key
        return Outcome(error=exc)
    try:
        with calls_for(f"submission:{job.id}"):
            return _send(provider, job)
    except ProviderError as exc:
        return Outcome(error=exc)
    finally:
        provider.close()  # type: ignore[attr-defined]


def _send(provider: Any, job: Job) -> Outcome:
    if job.step is SubmissionStep.DEACTIVATE:
        return Outcome(provider.deactivate_campaign(job.existing_ref), action="deactivate")
    if job.step is SubmissionStep.OTP_SEND:
        return Outcome(provider.send_brand_otp(job.existing_ref), action="otp_send")
    if job.step is SubmissionStep.OTP_VERIFY:
        return Outcome(provider.verify_brand_otp(job.existing_ref, job.otp_pin or ""), action="otp_verify")
    if job.step is SubmissionStep.BRAND:
        if job.existing_ref is None:
            return Outcome(
                create_brand_once(
                    provider, job.payload, client_ref=job.client_ref, previously_attempted=job.previously_attempted
                )
            )
        provider.update_brand(job.existing_ref, job.payload)
        try:
            provider.revet_brand(job.existing_ref)
        except ProviderError as exc:
            if exc.retryable:
                raise
            log.info("revet of %s refused (%s); the update stands", job.existing_ref, exc.message)
        return Outcome(provider.get_brand(job.existing_ref), action="update")
    if job.step is SubmissionStep.CAMPAIGN:
        assert job.brand_ref is not None
        if job.existing_ref is not None:
            current = provider.get_campaign(job.existing_ref)
            if current.lifecycle is Lifecycle.REJECTED:
                provider.update_campaign(job.existing_ref, job.payload)
                provider.appeal_campaign(job.existing_ref, job.appeal_reason)
                return Outcome(provider.get_campaign(job.existing_ref), action="appeal")
            if current.lifecycle not in (Lifecycle.FAILED, Lifecycle.DEACTIVATED):
                return Outcome(provider.update_campaign(job.existing_ref, job.payload), action="update")
        return Outcome(
            create_campaign_once(
                provider,
                job.brand_ref,
                job.payload,
                client_ref=job.client_ref,
                previously_attempted=job.previously_attempted,
            )
        )
    assert job.e164 is not None
    if job.step is SubmissionStep.UNASSIGN:
        try:
            return Outcome(provider.unassign_number(job.e164), action="release")
        except ProviderError as exc:
            if exc.kind is not K.NOT_FOUND:
                raise
            # the provider has no assignment for it (a repeat after a lost answer, or removed in its console)
            return Outcome(
                AssignmentRecord(provider.name, job.e164, None, Lifecycle.DEACTIVATED, "NOT_FOUND"), action="release"
            )
    assert job.campaign_ref is not None
    return Outcome(provider.assign_number(job.campaign_ref, job.e164), action="assign")


# --- apply ----------------------------------------------------------------------------------------------------


def _apply(session: Session, config: Any, job: Job, outcome: Outcome, worker: str, now: datetime) -> str:
    sub = session.get(Submission, job.id, populate_existing=True)
    if not holds_claim(sub, worker):
        log.warning("submission %s: claim lost before the outcome was applied; the next attempt reconciles", job.id)
        return "lost"
    assert sub is not None
    if outcome.error is not None:
        return _failed(session, config, sub, job, outcome.error, now)
    subject = subject_of(session, sub)
    source_label = rs.source_label(job.account.provider.value)
    rec = outcome.record
    assert rec is not None
    if isinstance(rec, OtpRecord):
        assert isinstance(subject, Brand)
        return _otp_done(session, sub, subject, rec, source_label, now)
    if sub.step is SubmissionStep.DEACTIVATE:
        assert isinstance(subject, Campaign) and isinstance(rec, CampaignRecord)
        return _deactivated(session, config, sub, subject, rec, source_label, now)
    ref = rec.phone_number if isinstance(rec, AssignmentRecord) else rec.provider_id
    sub.provider_id = ref[:100]
    sub.registry_id = getattr(rec, "registry_id", None) or getattr(rec, "registry_campaign_id", None)
    state = link(session, sub, subject, ref, parent_ref=job.campaign_ref, now=now)
    if isinstance(subject, Brand | Campaign):
        revision = sub.revision
        if revision is not None and revision.status is RevisionStatus.APPROVED:
            revision.status = RevisionStatus.SUBMITTED
        session.flush()
        record(
            session,
            organization_id=sub.organization_id,
            actor=ACTOR,
            action="submit",
            entity_type=sub.step.value,
            entity_id=subject.id,
            summary=f"{subject.reference}: revision {revision.number if revision else '?'} "
            f"{'sent' if outcome.action == 'create' else outcome.action + 'd'} to {job.account.label} "
            f"({ref})",
            changes={
                "client_ref": [None, sub.client_ref],
                "provider_id": [None, ref],
                "action": [None, outcome.action],
            },
        )
        change_status(
            session,
            subject,
            RegistrationStatus.SUBMITTED,
            actor=ACTOR,
            source="provider",
            note=f"{outcome.action} at {source_label}: {ref}",
        )
        if isinstance(subject, Brand):
            assert isinstance(rec, BrandRecord)
            apply_brand(session, state, subject, rec, actor=ACTOR, source="provider", now=now, config=config)
        else:
            assert isinstance(rec, CampaignRecord)
            apply_campaign(session, state, subject, rec, actor=ACTOR, source="provider", now=now, config=config)
        status: Any = subject.status
    else:
        assert isinstance(rec, AssignmentRecord) and isinstance(subject, PhoneNumber)
        record(
            session,
            organization_id=sub.organization_id,
            actor=ACTOR,
            action="submit",
            entity_type="phone_number",
            entity_id=subject.id,
            summary=f"{subject.e164}: {'release' if job.step is SubmissionStep.UNASSIGN else 'assignment'} sent to "
            f"{job.account.label}",
            changes={"client_ref": [None, sub.client_ref], "campaign": [None, job.campaign_ref]},
        )
        apply_assignment(session, state, subject, rec, actor=ACTOR, source="provider", now=now)
        status = subject.assignment_status
    schedule(state, config, status, now)
    _finish(session, sub, S.DONE, now, None)
    sub.maybe_committed = False
    if sub.step is SubmissionStep.BRAND:
        poke_campaigns(session, sub.brand_id, now)  # type: ignore[arg-type]
    return S.DONE.value


def _otp_done(session: Session, sub: Submission, brand: Brand, rec: OtpRecord, source: str, now: datetime) -> str:
    """Record what the provider said of the PIN and make the brand due for a re-read (a verified PIN moves
    it on at the next sync)."""
    sub.otp_pin = None
    if sub.step is SubmissionStep.OTP_SEND:
        summary = f"{brand.reference}: one-time PIN texted by {source}" + (
            f" (delivery {rec.delivery_status})" if rec.delivery_status else ""
        )
        outcome = "sent"
    elif rec.lifecycle is Lifecycle.APPROVED:
        summary, outcome = f"{brand.reference}: the owner's mobile is verified ({source})", "verified"
    else:
        summary, outcome = f"{brand.reference}: {source} has not confirmed the owner's mobile yet", "not verified"
    audit_otp(session, sub.organization_id, brand.id, ACTOR, outcome, summary)
    session.execute(
        sa.update(SyncState)
        .where(SyncState.subject == "brand", SyncState.subject_id == brand.id)
        .values(priority=Priority.URGENT, next_due_at=now, trigger="submission")
    )
    _finish(session, sub, S.DONE, now, None if outcome != "not verified" else summary)
    sub.maybe_committed = False
    return S.DONE.value


def _deactivated(
    session: Session, config: Any, sub: Submission, campaign: Campaign, rec: CampaignRecord, source: str, now: datetime
) -> str:
    """The provider took the deactivation: apply what it reports (deactivated, or still winding down: the sync
    follows) and audit the call."""
    state = session.scalar(
        sa.select(SyncState).where(SyncState.subject == "campaign", SyncState.subject_id == campaign.id)
    )
    audit_deactivation(
        session, sub.organization_id, campaign.id, ACTOR, "sent", f"{campaign.reference}: deactivation sent to {source}"
    )
    if state is not None:
        apply_campaign(session, state, campaign, rec, actor=ACTOR, source="provider", now=now, config=config)
        schedule(state, config, campaign.status, now)
    _finish(session, sub, S.DONE, now, None)
    sub.maybe_committed = False
    return S.DONE.value


def schedule(state: SyncState, config: Any, status: Any, now: datetime) -> None:
    """Set the item's priority and next look from the status it is now in."""
    state.priority = int(priority_for(status))
    state.next_due_at = next_due(config, state.priority, now)
    state.trigger = "schedule"


def link(
    session: Session, sub: Submission, subject: Any, ref: str, *, parent_ref: str | None, now: datetime
) -> SyncState:
    """Create or update the sync item linking ``subject`` to its provider object."""
    kind = sub.step.subject
    state = session.scalar(sa.select(SyncState).where(SyncState.subject == kind, SyncState.subject_id == subject.id))
    if state is None:
        state = SyncState(
            organization_id=sub.organization_id,
            account_id=sub.account_id,
            subject=kind,
            subject_id=subject.id,
            provider_ref=ref,
            priority=Priority.ACTIVE,
            attempts=0,
            trigger="submission",
        )
        session.add(state)
    elif state.provider_ref != ref or state.account_id != sub.account_id:  # a new object replaced a failed one
        state.provider_ref, state.account_id, state.last_observed_at = ref, sub.account_id, None  # type: ignore[assignment]
    state.parent_ref = parent_ref
    state.attempts, state.last_error = 0, None
    session.flush()
    return state


def poke_campaigns(session: Session, brand_id: int, now: datetime) -> None:
    """Campaign steps waiting for this brand look again now."""
    waiting = session.scalars(
        sa.select(Submission).where(
            Submission.brand_id == brand_id, Submission.step == SubmissionStep.CAMPAIGN, Submission.status == S.PENDING
        )
    ).all()
    for sub in waiting:
        sub.next_attempt_at = now
        enqueue_submission(session, sub.id)


def _failed(session: Session, config: Any, sub: Submission, job: Job, error: Exception, now: datetime) -> str:
    if not isinstance(error, ProviderError):
        return _attention(session, sub, now, getattr(error, "message", str(error)))
    sub.maybe_committed = sub.maybe_committed or error.maybe_committed
    message = f"{error.kind.value}: {error.message}"[:1000]
    if error.kind is K.VALIDATION:
        return _refused(session, sub, job, error, now)
    if error.kind is K.PRECONDITION:
        sub.attempts = max(0, sub.attempts - 1)  # waiting on someone else's state is not a failed attempt
        return _wait(session, sub, config, now, f"the provider is not ready: {error.message}", error.retry_after)
    if error.retryable or error.kind is K.MALFORMED:
        if sub.attempts >= int(setting(config, "SUBMISSION_MAX_ATTEMPTS")):
            return _attention(session, sub, now, f"gave up after {sub.attempts} attempts; last: {message}")
        sub.status, sub.last_error = S.PENDING, message
        sub.next_attempt_at = now + backoff(config, sub.attempts, error.retry_after)
        sub.claimed_by = sub.claimed_at = None
        return "retry"
    return _attention(session, sub, now, message)  # auth, forbidden, not found, unresolved conflict


def _refused(session: Session, sub: Submission, job: Job, error: ProviderError, now: datetime) -> str:
    """The provider refused our data: the step fails, the revision carries the field messages."""
    subject = subject_of(session, sub)
    source = rs.source_label(job.account.provider.value)
    if sub.step in OTP_STEPS:  # a wrong or expired PIN: the brand stays as it is, the officer sees why
        sub.otp_pin = None
        audit_otp(
            session,
            sub.organization_id,
            sub.brand_id,
            ACTOR,
            "refused",
            f"one-time PIN refused by {source}: {error.message}",
        )
    elif sub.step is SubmissionStep.DEACTIVATE:  # the campaign stays as it is; the officer sees why
        audit_deactivation(
            session,
            sub.organization_id,
            sub.campaign_id,
            ACTOR,
            "refused",
            f"deactivation refused by {source}: {error.message}",
        )
    elif isinstance(subject, PhoneNumber) and sub.step is SubmissionStep.UNASSIGN:
        change_status(
            session,
            subject,
            AssignmentStatus.ASSIGNED,
            actor=ACTOR,
            source="provider",
            note=f"{source} refused to release it: {error.message}",
        )
    elif isinstance(subject, PhoneNumber):
        change_status(
            session, subject, AssignmentStatus.FAILED, actor=ACTOR, source="provider", note=f"{source}: {error.message}"
        )
    else:
        kind = "brand" if isinstance(subject, Brand) else "campaign"
        reject(
            session,
            subject,
            rs.from_error(kind, error, source=source),
            status=RegistrationStatus.FAILED,
            actor=ACTOR,
            source="provider",
            raw_status=error.provider_code,
            revision=sub.revision,
        )
    return _finish(session, sub, S.FAILED, now, f"refused by {source}: {error.message}")
