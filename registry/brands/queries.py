"""Reading brands for lists and pages (a bounded number of queries each)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.campaigns.models import Campaign
from registry.states import RegistrationStatus

from .models import Brand


def brand_list(organization_id: int, *, q: str = "", status: str = "", entity_type: str = "") -> sa.Select:
    """Brands with their campaign count, filtered; newest changes first."""
    campaigns = (sa.select(sa.func.count(Campaign.id)).where(Campaign.brand_id == Brand.id)
                 .correlate(Brand).scalar_subquery())
    stmt = sa.select(Brand, campaigns.label("campaign_count")).where(Brand.organization_id == organization_id)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(Brand.display_name).like(like),
                                 sa.func.lower(Brand.reference).like(like),
                                 sa.func.lower(sa.func.coalesce(Brand.company_name, "")).like(like)))
    if status in {s.value for s in RegistrationStatus}:
        stmt = stmt.where(Brand.status == RegistrationStatus(status))
    if entity_type:
        stmt = stmt.where(Brand.entity_type == entity_type)
    return stmt.order_by(Brand.updated_at.desc(), Brand.id.desc())


def brand_choices(session: Session, organization_id: int) -> list[Brand]:
    return list(session.scalars(sa.select(Brand).where(Brand.organization_id == organization_id)
                                .order_by(Brand.display_name)))
