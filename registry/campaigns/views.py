"""Campaign pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, g, render_template

from registry.audit.queries import entity_history
from registry.db import get_session
from registry.records import get_owned
from registry.revisions.models import Revision
from registry.tcr import tcr_fields

from .models import Campaign

bp = Blueprint("campaigns", __name__)


@bp.route("/campaigns/<id:campaign_id>")
def detail(campaign_id: int):
    db = get_session()
    campaign = get_owned(db, Campaign, g.organization.id, campaign_id)
    revisions = db.scalars(sa.select(Revision).where(Revision.campaign_id == campaign.id)
                           .order_by(Revision.number.desc())).all()
    return render_template("campaigns/detail.html", campaign=campaign, fields=tcr_fields(Campaign),
                           revisions=revisions,
                           history=entity_history(db, g.organization.id, "campaign", campaign.id))
