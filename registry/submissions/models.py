"""The Submission model: one step of sending an approved revision (or a number assignment) to a provider."""

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
    from registry.revisions.models import Revision


class SubmissionStep(enum.StrEnum):
    """What the step does at the provider; brand steps run before campaign steps. ``numbers`` assigns a number
    to its campaign, ``unassign`` releases it; ``otp_send`` texts a sole proprietor's mobile the one-time PIN
    and ``otp_verify`` submits the PIN the owner received; ``deactivate`` ends a registered campaign for good."""

    BRAND = "brand"
    CAMPAIGN = "campaign"
    NUMBERS = "numbers"
    UNASSIGN = "unassign"
    OTP_SEND = "otp_send"
    OTP_VERIFY = "otp_verify"
    DEACTIVATE = "deactivate"

    @property
    def subject(self) -> str:
        """What the step is about, as sync items name it: ``brand``, ``campaign`` or ``phone_number``."""
        return _SUBJECTS[self]


_SUBJECTS = {
    SubmissionStep.BRAND: "brand",
    SubmissionStep.OTP_SEND: "brand",
    SubmissionStep.OTP_VERIFY: "brand",
    SubmissionStep.CAMPAIGN: "campaign",
    SubmissionStep.DEACTIVATE: "campaign",
    SubmissionStep.NUMBERS: "phone_number",
    SubmissionStep.UNASSIGN: "phone_number",
}


class SubmissionStatus(LabeledEnum):
    """Where an outbox row stands."""

    PENDING = "pending"  # waiting for its next attempt (next_attempt_at)
    IN_PROGRESS = "in_progress"  # claimed by a worker (claimed_by/claimed_at)
    DONE = "done"
    FAILED = "failed"  # the provider refused the data: the revision carries the reasons
    NEEDS_ATTENTION = "needs_attention"  # stopped retrying (credentials, no account, too many attempts)
    CANCELLED = "cancelled"  # the registration was no longer queued when its turn came: nothing was sent

    __labels__ = {"needs_attention": "Needs attention", "in_progress": "Sending"}


#: statuses of a submission that may still send something
OPEN = frozenset({SubmissionStatus.PENDING, SubmissionStatus.IN_PROGRESS, SubmissionStatus.NEEDS_ATTENTION})


class Submission(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "submission"
    __table_args__ = (
        sa.UniqueConstraint("client_ref"),
        sa.Index("ix_submission_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    #: the approved revision being sent (None for number assignments)
    revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revision.id"), index=True)
    #: the provider account it goes to (the organization's default when queued); None: none configured yet
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provider_account.id"), index=True)
    step: Mapped[SubmissionStep] = enum_column(SubmissionStep, "step")
    status: Mapped[SubmissionStatus] = enum_column(SubmissionStatus, "status", default=SubmissionStatus.PENDING)
    brand_id: Mapped[int | None] = mapped_column(sa.ForeignKey("brand.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    phone_number_id: Mapped[int | None] = mapped_column(sa.ForeignKey("phone_number.id"), index=True)
    #: our idempotency key, sent as the provider's reference id (campaign ``referenceId``; the brand's tagged
    #: webhook URL); stable across retries, at most 50 characters
    client_ref: Mapped[str] = mapped_column(sa.String(50))
    #: attempts started so far
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: when the next attempt is due (UTC)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: why the last attempt did not finish, for the officer
    last_error: Mapped[str | None] = mapped_column(sa.String(1000))
    #: an earlier attempt may have created the object although we saw no success: look it up before creating
    maybe_committed: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    #: the provider's id of what was created (Telnyx brand/campaign UUID, or the E.164 number)
    provider_id: Mapped[str | None] = mapped_column(sa.String(100))
    #: the registry's id (TCR ``B…``/``C…``) once known
    registry_id: Mapped[str | None] = mapped_column(sa.String(20))
    #: the worker holding the item, and since when (a claim older than the lease may be taken over)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when it reached done/failed/cancelled (UTC)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: ``otp_verify``: the PIN the owner received, kept only until the call is made (then cleared)
    otp_pin: Mapped[str | None] = mapped_column(sa.String(12))

    revision: Mapped[Revision | None] = relationship()
    account: Mapped[ProviderAccount | None] = relationship()

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.step.value} {self.status.value}>"

    @property
    def audit_label(self) -> str:
        return f"{self.step.value} submission {self.client_ref}"
