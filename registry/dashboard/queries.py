"""What the dashboard shows, in a fixed number of queries whatever the size of the organization."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from registry.audit.models import AuditEvent
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.numbers.models import PhoneNumber
from registry.revisions.models import Revision
from registry.states import AssignmentStatus, RegistrationStatus, RevisionStatus

ATTENTION = (RegistrationStatus.REJECTED, RegistrationStatus.ACTION_REQUIRED, RegistrationStatus.FAILED,
             RegistrationStatus.SUSPENDED)


@dataclass
class Dashboard:
    to_review: list[Revision]
    to_review_total: int
    drafts_with_errors: list[Brand | Campaign]
    attention: list[Brand | Campaign]
    brand_counts: dict[RegistrationStatus, int]
    campaign_counts: dict[RegistrationStatus, int]
    number_counts: dict[AssignmentStatus, int]
    recent: list[AuditEvent]


def dashboard(session: Session, organization_id: int, user_id: int, *, can_review: bool) -> Dashboard:
    to_review, to_review_total = [], 0
    if can_review:
        waiting = sa.select(Revision).where(Revision.organization_id == organization_id,
                                            Revision.status == RevisionStatus.AWAITING_REVIEW,
                                            sa.or_(Revision.author_id.is_(None), Revision.author_id != user_id))
        to_review_total = session.scalar(sa.select(sa.func.count()).select_from(waiting.subquery())) or 0
        to_review = list(session.scalars(waiting.options(selectinload(Revision.brand), selectinload(Revision.campaign))
                                         .order_by(Revision.created_at).limit(5)))
    return Dashboard(
        to_review=to_review, to_review_total=to_review_total,
        drafts_with_errors=_recent(session, organization_id, lambda m: sa.and_(m.status == RegistrationStatus.DRAFT,
                                                                               m.lint_errors > 0)),
        attention=_recent(session, organization_id, lambda m: m.status.in_(ATTENTION)),
        brand_counts=_counts(session, Brand.status, Brand.organization_id == organization_id),
        campaign_counts=_counts(session, Campaign.status, Campaign.organization_id == organization_id),
        number_counts=_counts(session, PhoneNumber.assignment_status, PhoneNumber.organization_id == organization_id),
        recent=list(session.scalars(sa.select(AuditEvent).where(AuditEvent.organization_id == organization_id)
                                    .order_by(AuditEvent.seq.desc()).limit(8))),
    )


def _recent(session: Session, organization_id: int, where, limit: int = 5) -> list[Brand | Campaign]:
    found: list[Brand | Campaign] = []
    for model in (Brand, Campaign):
        found += session.scalars(sa.select(model).where(model.organization_id == organization_id, where(model))
                                 .order_by(model.updated_at.desc()).limit(limit))
    return sorted(found, key=lambda o: o.updated_at, reverse=True)[:limit]


def _counts(session: Session, column, where) -> dict:
    return dict(session.execute(sa.select(column, sa.func.count()).where(where).group_by(column)).all())
