"""SyncState: the link between one brand/campaign/number and its object at a provider, plus when to look
again, what we last saw, and whether it is stuck in review."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column
from registry.states import LabeledEnum

if TYPE_CHECKING:
    from registry.provider_accounts.models import ProviderAccount

SUBJECTS = ("brand", "campaign", "phone_number")


class Priority(enum.IntEnum):
    """Lower runs first; also decides how often an item is looked at (see ``registry.sync.schedule``)."""

    URGENT = 0  # a webhook or our own submission says something changed
    ACTIVE = 1  # submitted / pending: automated steps that finish in minutes
    REVIEW = 2  # in review, action required, suspended: days
    SETTLED = 3  # approved: rarely (suspensions, expiry)
    TERMINAL = 9  # rejected, failed, deactivated: never, until resubmitted


class Lever(LabeledEnum):
    """What helps an item stuck in review."""

    TELNYX_APPEAL = "telnyx_appeal"
    TCR_NUDGE = "tcr_nudge"
    PROVIDER_TICKET = "provider_ticket"

    __labels__ = {
        "telnyx_appeal": "Appeal the rejection with the provider (Telnyx appeal)",
        "tcr_nudge": "Ask TCR to nudge the carriers' review (TCR nudge)",
        "provider_ticket": "Open a support ticket with the provider",
    }


class SyncState(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "sync_state"
    __table_args__ = (
        sa.UniqueConstraint("subject", "subject_id"),
        sa.CheckConstraint("subject IN ('brand', 'campaign', 'phone_number')", name="subject"),
        sa.Index("ix_sync_state_due", "priority", "next_due_at"),
        sa.Index("ix_sync_state_ref", "account_id", "provider_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("provider_account.id"))
    #: ``brand``, ``campaign`` or ``phone_number``
    subject: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int] = mapped_column(sa.Integer)
    #: the provider's id: Telnyx brand/campaign UUID, or the E.164 number
    provider_ref: Mapped[str] = mapped_column(sa.String(100))
    #: for a number: the provider id of the campaign it is being assigned to
    parent_ref: Mapped[str | None] = mapped_column(sa.String(100))
    #: ``registry.sync.models.Priority``
    priority: Mapped[int] = mapped_column(sa.Integer, default=Priority.ACTIVE)
    #: when to fetch again (UTC); None: never (terminal) until something re-arms it
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: why it is due: ``schedule``, ``webhook`` or ``submission``
    trigger: Mapped[str] = mapped_column(sa.String(20), default="schedule")
    #: when we last applied a fetch (UTC)
    last_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the provider's ``updatedAt`` of the last state applied: an older observation is never applied over it
    last_observed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the provider's raw status last seen
    raw_status: Mapped[str | None] = mapped_column(sa.String(100))
    #: consecutive failed fetches
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: why the last fetch failed
    last_error: Mapped[str | None] = mapped_column(sa.String(1000))
    #: brands: when the list of the brand's campaigns was last compared with ours (``registry.sync.sweep``)
    swept_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the worker holding the item, and since when
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: since when the item has been in review (UTC), for the stuck check
    review_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set when it has been in review longer than the configured business days
    stuck_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: what helps (``Lever``)
    stuck_lever: Mapped[Lever | None] = enum_column(Lever, "stuck_lever", nullable=True)
    #: the reason in words, for the campaign page
    stuck_note: Mapped[str | None] = mapped_column(sa.String(500))

    account: Mapped[ProviderAccount] = relationship()

    def __repr__(self) -> str:
        return f"<SyncState {self.subject}:{self.subject_id} {self.provider_ref}>"
