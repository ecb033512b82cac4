"""The review queue."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from registry.revisions.models import Revision
from registry.states import RevisionStatus


def review_queue(session: Session, organization_id: int, *, limit: int = 200) -> list[Revision]:
    """Revisions awaiting a decision, oldest first (first in, first reviewed)."""
    return list(session.scalars(
        sa.select(Revision).where(Revision.organization_id == organization_id,
                                  Revision.status == RevisionStatus.AWAITING_REVIEW)
        .options(selectinload(Revision.author), selectinload(Revision.brand), selectinload(Revision.campaign))
        .order_by(Revision.created_at, Revision.id).limit(limit)))


def recent_decisions(session: Session, organization_id: int, *, limit: int = 20) -> list[Revision]:
    return list(session.scalars(
        sa.select(Revision).where(Revision.organization_id == organization_id, Revision.reviewed_at.is_not(None))
        .options(selectinload(Revision.reviewer), selectinload(Revision.brand), selectinload(Revision.campaign))
        .order_by(Revision.reviewed_at.desc()).limit(limit)))
