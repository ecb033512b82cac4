"""The proof for one number: every consent event across the organization's campaigns, the disclosure text
shown at each opt-in, and the current state per campaign (``registry consent show`` and ``/consent/<e164>``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.campaigns.models import Campaign

from .models import CONSENTING, ConsentDisclosure, ConsentEvent, ConsentSubscription, Method, SubscriptionState
from .phones import to_e164


@dataclass(frozen=True)
class TimelineEntry:
    event: ConsentEvent
    campaign_reference: str
    disclosure: ConsentDisclosure | None
    #: what a complete record would also hold (CONSENT-RECORD-COMPLETE)
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class CurrentState:
    campaign_id: int
    campaign_reference: str
    state: SubscriptionState
    since: datetime
    method: Method


@dataclass
class Proof:
    phone: str
    entries: list[TimelineEntry] = field(default_factory=list)
    current: list[CurrentState] = field(default_factory=list)

    @property
    def campaign_ids(self) -> list[int]:
        return sorted({e.event.campaign_id for e in self.entries})


def gaps(event: ConsentEvent) -> tuple[str, ...]:
    """What CONSENT-RECORD-COMPLETE expects of an opt-in that this one lacks."""
    if event.kind not in CONSENTING:
        return ()
    missing = []
    if not event.source:
        missing.append("source")
    if event.disclosure_id is None and event.method is not Method.KEYWORD:
        missing.append("disclosure text")
    if event.method is Method.WEB_FORM:
        missing += [name for name, value in (("IP address", event.ip), ("user agent", event.user_agent))
                    if not value]
    return tuple(missing)


def proof(session: Session, organization_id: int, phone: str) -> Proof:
    """The whole timeline of ``phone`` (raises ``UserValueError`` for a malformed number)."""
    e164 = to_e164(phone)
    result = Proof(e164)
    rows = session.execute(
        sa.select(ConsentEvent, Campaign.reference, ConsentDisclosure)
        .join(Campaign, Campaign.id == ConsentEvent.campaign_id)
        .outerjoin(ConsentDisclosure, ConsentDisclosure.id == ConsentEvent.disclosure_id)
        .where(ConsentEvent.phone == e164, ConsentEvent.organization_id == organization_id)
        .order_by(ConsentEvent.occurred_at, ConsentEvent.seq)).all()
    result.entries = [TimelineEntry(event, reference, disclosure, gaps(event)) for event, reference, disclosure in rows]
    result.current = [CurrentState(s.campaign_id, reference, s.state, s.state_at, s.state_method)
                      for s, reference in session.execute(
                          sa.select(ConsentSubscription, Campaign.reference)
                          .join(Campaign, Campaign.id == ConsentSubscription.campaign_id)
                          .where(ConsentSubscription.phone == e164,
                                 ConsentSubscription.organization_id == organization_id)
                          .order_by(Campaign.reference))]
    return result
