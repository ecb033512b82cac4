"""The Revision model. The snapshot and its hash never change once written (enforced in ``operations``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampMixin, UTCDateTime, enum_column, utcnow
from registry.jsontype import JSONType
from registry.states import RevisionStatus

if TYPE_CHECKING:
    from registry.auth.models import User
    from registry.brands.models import Brand
    from registry.campaigns.models import Campaign

SUBJECTS = ("brand", "campaign")


class Revision(TimestampMixin, Base):
    __tablename__ = "revision"
    __table_args__ = (
        sa.UniqueConstraint("brand_id", "number"),
        sa.UniqueConstraint("campaign_id", "number"),
        sa.Index("ix_revision_org_status", "organization_id", "status"),
        sa.CheckConstraint("subject IN ('brand', 'campaign')", name="subject"),
        sa.CheckConstraint(
            "(subject = 'brand' AND brand_id IS NOT NULL AND campaign_id IS NULL)"
            " OR (subject = 'campaign' AND campaign_id IS NOT NULL AND brand_id IS NULL)",
            name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    #: ``brand`` or ``campaign``
    subject: Mapped[str] = mapped_column(sa.String(20))
    brand_id: Mapped[int | None] = mapped_column(sa.ForeignKey("brand.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    #: 1, 2, 3 … per brand or campaign
    number: Mapped[int] = mapped_column(sa.Integer)
    #: the TCR payload exactly as it was frozen (TCR field names)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONType)
    #: SHA-256 of the canonical JSON of ``snapshot``
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: where the revision is in review and submission
    status: Mapped[RevisionStatus] = enum_column(RevisionStatus, "status",
                                                 default=RevisionStatus.AWAITING_REVIEW)
    #: who froze it (the author: never its approver)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: who approved or sent it back
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: when the review decision was taken (UTC)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the reviewer's comment (required when sending back)
    review_comment: Mapped[str | None] = mapped_column(sa.Text)
    #: the rule engine's findings when the revision was frozen (``Finding.to_dict()`` each)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    #: why the provider/carriers rejected it: ``[{"code", "message", "field", "rule", "source"}]``
    rejection_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)

    acknowledgements: Mapped[list[Acknowledgement]] = relationship(back_populates="revision",
                                                                    order_by="Acknowledgement.id")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    brand: Mapped[Brand | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()

    @property
    def audit_label(self) -> str:
        return f"{self.subject} revision {self.number}"


class Acknowledgement(Base):
    """A reviewer's written reason for accepting a warning on a revision (four-eyes review)."""

    __tablename__ = "revision_acknowledgement"
    __table_args__ = (sa.UniqueConstraint("revision_id", "rule", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revision.id"), index=True)
    #: the rule ID of the acknowledged warning
    rule: Mapped[str] = mapped_column(sa.String(60))
    #: the TCR field it concerns ("" for payload-wide findings)
    field: Mapped[str] = mapped_column(sa.String(60), default="")
    #: why the risk is accepted, in the reviewer's words
    reason: Mapped[str] = mapped_column(sa.Text)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: when (UTC)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    revision: Mapped[Revision] = relationship(back_populates="acknowledgements")
    user: Mapped[User | None] = relationship()
