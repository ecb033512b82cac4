"""One sync pass: queue unsent number assignments, send due submissions, then re-fetch due items by priority.

Each item: claimed (short transaction; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), fetched from the provider
outside any transaction, applied in one transaction that first checks the claim is still ours. Failures are
recorded on the item (attempts, last error) and retried with backoff; nothing a failed item did is lost or
half-applied. ``workers`` threads share each account's rate limit (the process-wide token bucket).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from registry.audit import Actor
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.claims import claim_rows, holds_claim, worker_id
from registry.db import get_database, unit_of_work, utcnow
from registry.errors import RegistryError
from registry.numbers.models import PhoneNumber
from registry.provider_accounts.adapters import build_provider, calls_for
from registry.provider_accounts.models import ProviderAccount
from registry.providers.base import AssignmentRecord, Identity, Lifecycle, ProviderError, ProviderErrorKind
from registry.states import RegistrationStatus
from registry.submissions.models import Submission, SubmissionStatus
from registry.submissions.operations import queue_unsent_numbers
from registry.submissions.sender import poke_campaigns, process_submission, schedule
from registry.webhooks.models import WebhookEvent

from .apply import Applied, apply_assignment, apply_brand, apply_campaign
from .models import Priority, SyncState
from .schedule import backoff, setting
from .sweep import sweep

log = logging.getLogger(__name__)
ACTOR = Actor.system("sync")
MODELS: dict[str, Any] = {"brand": Brand, "campaign": Campaign, "phone_number": PhoneNumber}
Clock = Callable[[], datetime]


@dataclass
class PassStats:
    """What a pass did."""

    submissions: int = 0
    numbers_queued: int = 0
    swept_lists: int = 0
    swept_marked: int = 0
    items: int = 0
    changes: int = 0
    carrier_changes: int = 0
    stale: int = 0
    errors: int = 0
    #: items fetched, by what made them due (``webhook``, ``sweep``, ``schedule``, ``submission``)
    triggers: Counter[str] = field(default_factory=Counter)
    last_errors: list[str] = field(default_factory=list)

    def add(self, other: PassStats) -> None:
        for f in fields(self):
            if f.name == "last_errors":
                self.last_errors = (self.last_errors + other.last_errors)[-10:]
            elif f.name == "triggers":
                self.triggers.update(other.triggers)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def __str__(self) -> str:
        return (
            f"{self.submissions} submissions, {self.numbers_queued} number assignments queued, "
            f"{self.swept_lists} campaign lists swept ({self.swept_marked} changed), {self.items} items synced, "
            f"{self.changes} status changes, {self.carrier_changes} carrier changes, {self.stale} stale "
            f"observations skipped, {self.errors} errors"
        )


def run_pass(app: Any, *, clock: Clock = utcnow, workers: int = 1, limit: int | None = None) -> PassStats:
    """Everything due now, once (bounded by ``limit`` items, default ``SYNC_BATCH``)."""
    stats = PassStats()
    factory = get_database(app).sessionmaker
    with unit_of_work(factory) as session:
        stats.numbers_queued = queue_unsent_numbers(session)
    stats.submissions = send_due_submissions(app, clock=clock, limit=limit)
    swept = sweep(app, clock=clock, workers=workers)
    stats.swept_lists, stats.swept_marked, stats.errors = swept.lists, swept.marked, swept.errors
    stats.add(sync_due(app, clock=clock, workers=workers, limit=limit))
    return stats


def send_due_submissions(app: Any, *, clock: Clock = utcnow, limit: int | None = None) -> int:
    """Process due outbox rows (brand steps before campaign steps), each claimed on its own."""
    factory = get_database(app).sessionmaker
    now = clock()
    lease = timedelta(seconds=float(setting(app.config, "SYNC_LEASE_SECONDS")))
    limit = limit or int(setting(app.config, "SYNC_BATCH"))
    with unit_of_work(factory) as session:
        ids = list(
            session.scalars(
                sa.select(Submission.id)
                .where(
                    sa.or_(
                        sa.and_(Submission.status == SubmissionStatus.PENDING, Submission.next_attempt_at <= now),
                        sa.and_(Submission.status == SubmissionStatus.IN_PROGRESS, Submission.claimed_at < now - lease),
                    )
                )
                .order_by(Submission.step, Submission.id)
                .limit(limit)
            )
        )
    done = 0
    for submission_id in ids:
        if process_submission(app, submission_id, now=clock()) != "skipped":
            done += 1
    return done


def sync_due(app: Any, *, clock: Clock = utcnow, workers: int = 1, limit: int | None = None) -> PassStats:
    """Re-fetch due items with ``workers`` threads until none is due or ``limit`` were done."""
    limit = limit or int(setting(app.config, "SYNC_BATCH"))
    budget = {"left": limit}
    lock = threading.Lock()
    batch = max(1, min(20, limit // max(1, workers)))

    def take(n: int) -> int:
        with lock:
            n = min(n, budget["left"])
            budget["left"] -= n
            return n

    def drain() -> PassStats:
        stats = PassStats()
        me = worker_id("sync")
        providers: dict[int, Any] = {}
        factory = get_database(app).sessionmaker
        lease = timedelta(seconds=float(setting(app.config, "SYNC_LEASE_SECONDS")))
        try:
            while True:
                n = take(batch)
                if n == 0:
                    break
                now = clock()
                with unit_of_work(factory) as session:
                    ids = claim_due(session, worker=me, now=now, lease=lease, limit=n)
                if not ids:
                    break
                for state_id in ids:
                    stats.add(process_state(app, state_id, worker=me, clock=clock, providers=providers))
        finally:
            for provider in providers.values():
                provider.close()
        return stats

    total = PassStats()
    if workers <= 1:
        total.add(drain())
        return total
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sync") as pool:
        for result in [pool.submit(drain) for _ in range(workers)]:
            total.add(result.result())
    return total


def claim_due(session: Session, *, worker: str, now: datetime, lease: timedelta, limit: int) -> list[int]:
    """Claim up to ``limit`` due items, most urgent first."""
    due = [SyncState.next_due_at.is_not(None), SyncState.next_due_at <= now]
    return claim_rows(
        session,
        SyncState,
        due,
        [SyncState.priority, SyncState.next_due_at, SyncState.id],
        worker=worker,
        now=now,
        lease=lease,
        limit=limit,
    )


def sync_one(app: Any, state_id: int, *, clock: Clock = utcnow) -> PassStats:
    """Claim and re-fetch one item now (a webhook said it changed); nothing if another worker holds it."""
    me = worker_id("sync")
    now = clock()
    lease = timedelta(seconds=float(setting(app.config, "SYNC_LEASE_SECONDS")))
    with unit_of_work(get_database(app).sessionmaker) as session:
        ids = claim_rows(
            session, SyncState, [SyncState.id == state_id], [SyncState.id], worker=me, now=now, lease=lease, limit=1
        )
    if not ids:
        return PassStats()
    providers: dict[int, Any] = {}
    try:
        return process_state(app, state_id, worker=me, clock=clock, providers=providers)
    finally:
        for provider in providers.values():
            provider.close()


@dataclass
class _Item:
    subject: str
    subject_id: int
    ref: str
    account: ProviderAccount
    needs_feedback: bool


def process_state(app: Any, state_id: int, *, worker: str, clock: Clock, providers: dict[int, Any]) -> PassStats:
    """Fetch and apply one claimed item."""
    stats = PassStats(items=1)
    factory = get_database(app).sessionmaker
    with unit_of_work(factory) as session:
        state = session.get(SyncState, state_id, populate_existing=True)
        if not holds_claim(state, worker):
            return PassStats()
        assert state is not None
        account = session.get(ProviderAccount, state.account_id)
        subject = session.get(MODELS[state.subject], state.subject_id)
        if account is None or subject is None or not account.is_active:
            state.next_due_at = None
            state.last_error = "the provider account or the record is gone; no longer synced"
            state.claimed_by = state.claimed_at = None
            return stats
        stats.triggers[state.trigger] += 1
        item = _Item(
            state.subject,
            state.subject_id,
            state.provider_ref,
            account,
            needs_feedback=isinstance(subject, Brand) and subject.status is not RegistrationStatus.ACTION_REQUIRED,
        )
        seen_event = (
            session.scalar(sa.select(sa.func.max(WebhookEvent.id)).where(WebhookEvent.sync_state_id == state_id)) or 0
        )
    try:
        provider = providers.get(item.account.id)
        if provider is None:
            provider = providers[item.account.id] = build_provider(app, item.account)
        with calls_for(f"sync:{item.subject}:{item.subject_id}"):
            rec, feedback = _fetch(provider, item)
    except (ProviderError, RegistryError) as exc:
        stats.errors += 1
        stats.last_errors.append(f"{item.subject} {item.subject_id}: {exc}")
        _failed(app, state_id, worker, exc, clock())
        return stats
    for attempt in (1, 2):
        try:
            with unit_of_work(factory) as session:
                applied = _apply(session, app.config, state_id, worker, rec, feedback, clock(), seen_event)
            break
        except (StaleDataError, IntegrityError, DBAPIError) as exc:
            log.warning("sync item %s: apply failed (%s), attempt %s", state_id, exc, attempt)
            applied = None
    if applied is None:
        stats.errors += 1
        _failed(app, state_id, worker, RuntimeError("could not store the provider's answer"), clock())
        return stats
    stats.changes, stats.carrier_changes, stats.stale = applied.changes, applied.carrier_changes, int(applied.stale)
    return stats


def _fetch(provider: Any, item: _Item) -> tuple[Any, tuple[Any, ...]]:
    if item.subject == "brand":
        rec = provider.get_brand(item.ref)
        feedback: tuple[Any, ...] = ()
        if rec.identity is Identity.UNVERIFIED and item.needs_feedback:
            feedback = tuple(provider.get_brand_feedback(item.ref))
        return rec, feedback
    if item.subject == "campaign":
        return provider.get_campaign(item.ref), ()
    try:
        return provider.get_assignment(item.ref), ()
    except ProviderError as exc:
        if exc.kind is not ProviderErrorKind.NOT_FOUND:
            raise
        # no assignment at the provider any more (Telnyx once a release completes): deactivated
        return AssignmentRecord(provider.name, item.ref, None, Lifecycle.DEACTIVATED, "NOT_FOUND"), ()


def _apply(
    session: Session,
    config: Any,
    state_id: int,
    worker: str,
    rec: Any,
    feedback: tuple[Any, ...],
    now: datetime,
    seen_event: int,
) -> Applied:
    state = session.get(SyncState, state_id, populate_existing=True)
    if not holds_claim(state, worker):
        return Applied(stale=True, notes=["claim lost"])
    assert state is not None
    subject = session.get(MODELS[state.subject], state.subject_id)
    source = "webhook" if state.trigger == "webhook" else "sync"
    if isinstance(subject, Brand):
        before = subject.status
        applied = apply_brand(
            session, state, subject, rec, actor=ACTOR, source=source, now=now, config=config, feedback=feedback
        )
        if subject.status is RegistrationStatus.APPROVED and before is not RegistrationStatus.APPROVED:
            poke_campaigns(session, subject.id, now)
        status: Any = subject.status
    elif isinstance(subject, Campaign):
        applied = apply_campaign(session, state, subject, rec, actor=ACTOR, source=source, now=now, config=config)
        status = subject.status
    else:
        assert isinstance(subject, PhoneNumber)
        applied = apply_assignment(session, state, subject, rec, actor=ACTOR, source=source, now=now)
        status = subject.assignment_status
    state.last_synced_at = now
    state.attempts = 0
    state.last_error = "; ".join(applied.notes)[:1000] or None
    state.claimed_by = state.claimed_at = None
    if not applied.stale:
        schedule(state, config, status, now)
    session.flush()  # the row is locked from here: a webhook arriving now waits, one that came first is visible
    session.execute(
        sa.update(WebhookEvent)
        .where(
            WebhookEvent.sync_state_id == state.id, WebhookEvent.processed_at.is_(None), WebhookEvent.id <= seen_event
        )
        .values(processed_at=now)
    )
    newer = session.scalar(
        sa.select(sa.func.count())
        .select_from(WebhookEvent)
        .where(WebhookEvent.sync_state_id == state.id, WebhookEvent.id > seen_event)
    )
    if newer:  # events arrived while we were fetching: what we fetched may predate them, look again
        state.priority, state.next_due_at, state.trigger = Priority.URGENT, now, "webhook"
    return applied


def _failed(app: Any, state_id: int, worker: str, exc: Exception, now: datetime) -> None:
    with unit_of_work(get_database(app).sessionmaker) as session:
        state = session.get(SyncState, state_id, populate_existing=True)
        if not holds_claim(state, worker):
            return
        assert state is not None
        state.attempts += 1
        message = (
            f"{exc.kind.value}: {exc.message}" if isinstance(exc, ProviderError) else getattr(exc, "message", str(exc))
        )
        state.last_error = message[:1000]
        retry_after = exc.retry_after if isinstance(exc, ProviderError) else None
        state.next_due_at = now + backoff(app.config, state.attempts, retry_after)
        state.claimed_by = state.claimed_at = None
