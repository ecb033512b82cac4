"""The PhoneNumber model: one 10DLC number of an organization and its campaign assignment."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column
from registry.states import AssignmentStatus

if TYPE_CHECKING:
    from registry.auth.models import Organization
    from registry.campaigns.models import Campaign


class PhoneNumber(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "phone_number"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "e164"),
        sa.Index("ix_phone_number_org_status", "organization_id", "assignment_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    #: the number in E.164 (``+13125550142``)
    e164: Mapped[str] = mapped_column(sa.String(16))
    #: what the number is used for, as the organization calls it
    label: Mapped[str] = mapped_column(sa.String(100), default="")
    #: the campaign the number is assigned (or being assigned) to; one campaign at a time (NUMBER-ONE-CAMPAIGN)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    #: assignment state at the provider
    assignment_status: Mapped[AssignmentStatus] = enum_column(
        AssignmentStatus, "assignment_status", default=AssignmentStatus.UNASSIGNED)
    #: when the current assignment was confirmed (UTC)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()
    campaign: Mapped[Campaign | None] = relationship(back_populates="numbers")

    def __repr__(self) -> str:
        return f"<PhoneNumber {self.e164}>"

    @property
    def audit_label(self) -> str:
        return self.e164
