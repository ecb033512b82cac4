"""Reading campaigns for lists and pages (a bounded number of queries each)."""

from __future__ import annotations

import sqlalchemy as sa

from registry.brands.models import Brand
from registry.numbers.models import PhoneNumber
from registry.states import RegistrationStatus

from .models import Campaign


def campaign_list(organization_id: int, *, q: str = "", status: str = "", usecase: str = "",
                  brand: str = "") -> sa.Select:
    """Campaigns with their brand name and number count, filtered; newest changes first."""
    numbers = (sa.select(sa.func.count(PhoneNumber.id)).where(PhoneNumber.campaign_id == Campaign.id)
               .correlate(Campaign).scalar_subquery())
    stmt = (sa.select(Campaign, Brand.display_name, numbers.label("number_count"))
            .join(Brand, Campaign.brand_id == Brand.id)
            .where(Campaign.organization_id == organization_id))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(sa.or_(sa.func.lower(Campaign.reference).like(like),
                                 sa.func.lower(Brand.display_name).like(like),
                                 sa.func.lower(sa.func.coalesce(Campaign.tcr_campaign_id, "")).like(like)))
    if status in {s.value for s in RegistrationStatus}:
        stmt = stmt.where(Campaign.status == RegistrationStatus(status))
    if usecase:
        stmt = stmt.where(Campaign.usecase == usecase)
    if brand.isdigit():
        stmt = stmt.where(Campaign.brand_id == int(brand))
    return stmt.order_by(Campaign.updated_at.desc(), Campaign.id.desc())
