"""The dashboard at ``/``."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, g, render_template

from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.db import get_session
from registry.numbers.models import PhoneNumber

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index():
    db = get_session()
    org_id = g.organization.id
    brands = db.execute(
        sa.select(Brand, sa.func.count(Campaign.id))
        .outerjoin(Campaign, Campaign.brand_id == Brand.id)
        .where(Brand.organization_id == org_id)
        .group_by(Brand.id).order_by(Brand.display_name).limit(200)).all()
    campaigns = db.execute(
        sa.select(Campaign, Brand.display_name, sa.func.count(PhoneNumber.id))
        .join(Brand, Campaign.brand_id == Brand.id)
        .outerjoin(PhoneNumber, PhoneNumber.campaign_id == Campaign.id)
        .where(Campaign.organization_id == org_id)
        .group_by(Campaign.id, Brand.display_name).order_by(Campaign.reference).limit(200)).all()
    return render_template("dashboard/index.html", brands=brands, campaigns=campaigns)
