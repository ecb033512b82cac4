"""The WebhookEvent model: every authentic provider event, stored raw, once per event id."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, UTCDateTime, enum_column, utcnow
from registry.jsontype import JSONType


class WebhookResult(enum.StrEnum):
    """What receiving the event led to."""

    QUEUED = "queued"  # the entity it names was marked due for a re-fetch
    UNMATCHED = "unmatched"  # no object of ours has that provider id (yet): kept for the record
    IGNORED = "ignored"  # an event kind we do not sync (e.g. vetting): kept for the record


class WebhookEvent(Base):
    __tablename__ = "webhook_event"
    __table_args__ = (sa.UniqueConstraint("dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("provider_account.id"), index=True)
    provider: Mapped[str] = mapped_column(sa.String(20))
    #: ``<provider>:<event id>``: a redelivery of the same event is recognized by it
    dedupe_key: Mapped[str] = mapped_column(sa.String(200))
    #: provider event type (``10dlc.campaign.update:MNO_REVIEW``)
    event_type: Mapped[str] = mapped_column(sa.String(100))
    #: ``brand``, ``campaign``, ``number`` or ``vetting``
    entity: Mapped[str] = mapped_column(sa.String(20))
    #: the provider's id of the entity (UUID, or E.164 for numbers)
    provider_ref: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    #: what the event claims (lifecycle, carrier, carrier_state, description): a hint, never applied as state
    hint: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    #: the request body exactly as received (UTF-8 text)
    body: Mapped[str] = mapped_column(sa.Text)
    #: when the provider says it happened
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when we received it
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: delivery attempt number the provider reported
    attempt: Mapped[int | None] = mapped_column(sa.Integer)
    result: Mapped[WebhookResult] = enum_column(WebhookResult, "result", default=WebhookResult.QUEUED)
    #: the sync item it marked due
    sync_state_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sync_state.id"), index=True)
    #: when that re-fetch was applied (UTC)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
