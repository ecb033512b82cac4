"""Receiving verified events: store each once, mark the entity it names due for a re-fetch (never applying the
body: events arrive late, duplicated and out of order; the provider's current state is the truth)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.provider_accounts.models import ProviderAccount
from registry.providers.base import EventEntity, NormalizedEvent
from registry.sync.models import Priority, SyncState
from registry.tasks import enqueue_sync

from .models import WebhookEvent, WebhookResult

SUBJECT = {
    EventEntity.BRAND: "brand",
    EventEntity.VETTING: "brand",
    EventEntity.CAMPAIGN: "campaign",
    EventEntity.NUMBER: "phone_number",
}


@dataclass
class Received:
    new: int = 0
    duplicates: int = 0
    queued: int = 0


def find_state(session: Session, account: ProviderAccount, event: NormalizedEvent) -> SyncState | None:
    """The sync item an event is about (by the provider's id, within the account)."""
    if not event.provider_id:
        return None
    return session.scalar(
        sa.select(SyncState).where(
            SyncState.account_id == account.id,
            SyncState.subject == SUBJECT[event.entity],
            SyncState.provider_ref == event.provider_id,
        )
    )


def _hint(event: NormalizedEvent) -> dict[str, object]:
    return {
        "lifecycle": event.lifecycle.value if event.lifecycle else None,
        "carrier": event.carrier,
        "carrier_state": event.carrier_state.value if event.carrier_state else None,
        "raw_status": event.raw_status,
        "registry_id": event.registry_id,
        "client_ref": event.client_ref,
        "description": (event.description or "")[:1000] or None,
    }


def receive_events(
    session: Session, account: ProviderAccount, events: Sequence[NormalizedEvent], body: bytes, *, now: datetime
) -> Received:
    """Store new events and mark their entities due now; duplicates change nothing."""
    result = Received()
    text = body.decode("utf-8", errors="replace")
    for event in events:
        if session.scalar(sa.select(WebhookEvent.id).where(WebhookEvent.dedupe_key == event.dedupe_key[:200])):
            result.duplicates += 1
            continue
        state = find_state(session, account, event)
        row = WebhookEvent(
            organization_id=account.organization_id,
            account_id=account.id,
            provider=event.provider,
            dedupe_key=event.dedupe_key[:200],
            event_type=event.raw_type[:100],
            entity=event.entity.value,
            provider_ref=(event.provider_id or "")[:100] or None,
            hint=_hint(event),
            body=text,
            occurred_at=event.occurred_at,
            received_at=now,
            attempt=event.attempt,
            result=(
                WebhookResult.QUEUED
                if state is not None
                else WebhookResult.IGNORED
                if event.entity not in SUBJECT
                else WebhookResult.UNMATCHED
            ),
            sync_state_id=state.id if state is not None else None,
        )
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # the same event, delivered twice at the same moment: the other one won
            result.duplicates += 1
            continue
        result.new += 1
        if state is not None:
            # a plain UPDATE (no optimistic-lock bump): a worker applying this item right now keeps its
            # version, then sees this newer event and looks again (registry.sync.runner)
            session.execute(
                sa.update(SyncState)
                .where(SyncState.id == state.id)
                .values(priority=Priority.URGENT, next_due_at=now, trigger="webhook")
                .execution_options(synchronize_session=False)
            )
            enqueue_sync(session, state.id)
            result.queued += 1
    return result


def body_summary(body: bytes) -> str:
    """A short description of a body for logs (never the full body: it may carry personal data)."""
    try:
        data = json.loads(body)
    except ValueError:
        return f"{len(body)} bytes, not JSON"
    event_type = data.get("data", {}).get("event_type") if isinstance(data, dict) else None
    return f"{len(body)} bytes, {event_type or 'unknown type'}"
