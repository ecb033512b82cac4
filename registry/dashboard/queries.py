"""What the dashboard shows, in a fixed number of queries whatever the size of the organization."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from registry.audit.models import AuditEvent
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.numbers.models import PhoneNumber
from registry.revisions.models import Revision
from registry.states import AssignmentStatus, RegistrationStatus, RevisionStatus

#: days ahead the dashboard lists campaign terms ending (``DASHBOARD_TERM_DAYS``)
TERM_DAYS = 30
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
    #: live campaigns whose term (as the provider reports it) ends within ``term_days``: soonest first, at most 5
    terms_ending: list[Campaign]
    #: how many terms end in the window, and how many of them expire (auto-renewal off)
    terms_ending_total: int
    expiring_total: int
    term_days: int


def dashboard(session: Session, organization_id: int, user_id: int, *, can_review: bool, today: date,
              term_days: int = TERM_DAYS) -> Dashboard:
    to_review, to_review_total = [], 0
    if can_review:
        waiting = sa.select(Revision).where(Revision.organization_id == organization_id,
                                            Revision.status == RevisionStatus.AWAITING_REVIEW,
                                            sa.or_(Revision.author_id.is_(None), Revision.author_id != user_id))
        rows = session.execute(waiting.add_columns(sa.func.count().over())
                               .options(selectinload(Revision.brand), selectinload(Revision.campaign))
                               .order_by(Revision.created_at).limit(5)).all()
        to_review, to_review_total = [row[0] for row in rows], (rows[0][1] if rows else 0)
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
        **_terms_ending(session, organization_id, today, term_days),
    )


def _terms_ending(session: Session, organization_id: int, today: date, days: int) -> dict:
    """Campaigns still registered whose term ends between ``today`` and ``days`` later: the first five (what
    expires before what renews, then soonest) and, by window, how many in all and how many expire (one query)."""
    ending = sa.and_(Campaign.organization_id == organization_id, Campaign.term_ends_on.is_not(None),
                     Campaign.term_ends_on >= today, Campaign.term_ends_on <= today + timedelta(days=days),
                     Campaign.status.not_in((RegistrationStatus.DEACTIVATED,)))
    expires = sa.case((Campaign.auto_renewal.is_(False), 1), else_=0)
    rows = session.execute(sa.select(Campaign, sa.func.count().over(), sa.func.sum(expires).over()).where(ending)
                           .order_by(Campaign.auto_renewal, Campaign.term_ends_on, Campaign.id).limit(5)).all()
    listed = [row[0] for row in rows]
    total, expiring = (rows[0][1], rows[0][2]) if rows else (0, 0)
    return {"terms_ending": listed, "terms_ending_total": int(total), "expiring_total": int(expiring or 0),
            "term_days": days}


def _recent(session: Session, organization_id: int, where, limit: int = 5) -> list[Brand | Campaign]:
    found: list[Brand | Campaign] = []
    for model in (Brand, Campaign):
        found += session.scalars(sa.select(model).where(model.organization_id == organization_id, where(model))
                                 .order_by(model.updated_at.desc()).limit(limit))
    return sorted(found, key=lambda o: o.updated_at, reverse=True)[:limit]


def _counts(session: Session, column, where) -> dict:
    return dict(session.execute(sa.select(column, sa.func.count()).where(where).group_by(column)).all())
