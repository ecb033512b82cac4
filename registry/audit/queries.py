"""Reading the audit trail for display."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .models import AuditEvent


def entity_history(session: Session, organization_id: int, entity_type: str, entity_id: int | str,
                   *, limit: int = 200) -> list[AuditEvent]:
    """The events of one record, newest first."""
    stmt = (sa.select(AuditEvent)
            .where(AuditEvent.organization_id == organization_id, AuditEvent.entity_type == entity_type,
                   AuditEvent.entity_id == str(entity_id))
            .order_by(AuditEvent.seq.desc()).limit(limit))
    return list(session.scalars(stmt))


def organization_log(session: Session, organization_id: int, *, page: int = 1,
                     per_page: int = 50) -> tuple[list[AuditEvent], int]:
    """One page of the organization's events, newest first, with the total count."""
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                           .where(AuditEvent.organization_id == organization_id)) or 0
    stmt = (sa.select(AuditEvent).where(AuditEvent.organization_id == organization_id)
            .order_by(AuditEvent.seq.desc()).offset((page - 1) * per_page).limit(per_page))
    return list(session.scalars(stmt)), total
