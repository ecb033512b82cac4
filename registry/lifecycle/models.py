"""Status history and per-carrier campaign state."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, UTCDateTime, enum_column, utcnow
from registry.states import CarrierState


class StatusChange(Base):
    """One transition of a brand, campaign, number or carrier state, in the order it was applied."""

    __tablename__ = "status_change"
    __table_args__ = (sa.Index("ix_status_change_subject", "subject", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    #: ``brand``, ``campaign`` or ``phone_number``
    subject: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int] = mapped_column(sa.Integer)
    #: MNO network id (``10017`` AT&T …) for a per-carrier change; empty for the overall state
    carrier: Mapped[str | None] = mapped_column(sa.String(10))
    #: previous normalized state (empty for the first)
    from_status: Mapped[str | None] = mapped_column(sa.String(30))
    #: new normalized state
    to_status: Mapped[str] = mapped_column(sa.String(30))
    #: the provider's own status string, kept beside the normalized one
    raw_status: Mapped[str | None] = mapped_column(sa.String(100))
    #: where the change came from: ``workflow``, ``provider``, ``webhook``, ``sync``, ``demo``
    source: Mapped[str] = mapped_column(sa.String(20))
    #: why, in words (review comment, rejection reason, provider message)
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    #: when it happened at the source (UTC)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when we recorded it (UTC)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CarrierStatus(Base):
    """A campaign's current state at one carrier (MNO), as the provider last reported it."""

    __tablename__ = "carrier_status"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "carrier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    #: MNO network id: 10017 AT&T, 10035 T-Mobile, 10037 US Cellular, 10038 Verizon, 10631 ClearSky, 10901 Interop
    carrier: Mapped[str] = mapped_column(sa.String(10))
    #: normalized per-carrier state
    state: Mapped[CarrierState] = enum_column(CarrierState, "state", default=CarrierState.UNKNOWN)
    #: the provider's own status string
    raw_status: Mapped[str | None] = mapped_column(sa.String(100))
    #: the carrier's reason when it rejected or suspended
    reason: Mapped[str | None] = mapped_column(sa.String(1000))
    #: when this state was reported (UTC)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
