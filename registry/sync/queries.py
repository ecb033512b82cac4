"""What the brand, campaign and number pages show about the provider side, in two queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.numbers.models import PhoneNumber
from registry.provider_accounts.models import ProviderAccount
from registry.submissions.models import Submission

from .models import Lever, SyncState

SUBJECT = {Brand: "brand", Campaign: "campaign", PhoneNumber: "phone_number"}
FOREIGN_KEY = {Brand: Submission.brand_id, Campaign: Submission.campaign_id, PhoneNumber: Submission.phone_number_id}
STEP = {Brand: "brand", Campaign: "campaign", PhoneNumber: "numbers"}


@dataclass
class ProviderView:
    """The provider side of one registration."""

    #: the account it is registered with, and the provider's id for it (None: not sent yet)
    account: ProviderAccount | None = None
    provider_id: str | None = None
    raw_status: str | None = None
    last_synced_at: datetime | None = None
    next_sync_at: datetime | None = None
    sync_attempts: int = 0
    sync_error: str | None = None
    #: stuck in review: since when it has been in review, when it was flagged, the lever and why
    review_since: datetime | None = None
    stuck_at: datetime | None = None
    stuck_lever: Lever | None = None
    stuck_note: str | None = None
    #: its outbox rows, newest first
    submissions: list[Submission] = field(default_factory=list)

    @property
    def stuck(self) -> bool:
        return self.stuck_at is not None

    @property
    def needs_attention(self) -> list[Submission]:
        return [s for s in self.submissions if s.status.value == "needs_attention"]


def provider_view(session: Session, obj: Any) -> ProviderView:
    kind = type(obj)
    state = session.scalar(
        sa.select(SyncState)
        .where(SyncState.subject == SUBJECT[kind], SyncState.subject_id == obj.id)
        .options(sa.orm.joinedload(SyncState.account))
    )
    submissions = list(
        session.scalars(
            sa.select(Submission)
            .where(FOREIGN_KEY[kind] == obj.id, Submission.step == STEP[kind])
            .order_by(Submission.id.desc())
            .limit(20)
            .options(sa.orm.selectinload(Submission.account))
        )
    )
    if state is None:
        return ProviderView(submissions=submissions)
    return ProviderView(
        account=state.account,
        provider_id=state.provider_ref,
        raw_status=state.raw_status,
        last_synced_at=state.last_synced_at,
        next_sync_at=state.next_due_at,
        sync_attempts=state.attempts,
        sync_error=state.last_error,
        review_since=state.review_since,
        stuck_at=state.stuck_at,
        stuck_lever=state.stuck_lever,
        stuck_note=state.stuck_note,
        submissions=submissions,
    )
