"""Brand pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, g, render_template

from registry.audit.queries import entity_history
from registry.db import get_session
from registry.records import get_owned
from registry.revisions.models import Revision
from registry.tcr import tcr_fields

from .models import Brand

bp = Blueprint("brands", __name__)


@bp.route("/brands/<id:brand_id>")
def detail(brand_id: int):
    db = get_session()
    brand = get_owned(db, Brand, g.organization.id, brand_id)
    revisions = db.scalars(sa.select(Revision).where(Revision.brand_id == brand.id)
                           .order_by(Revision.number.desc())).all()
    return render_template("brands/detail.html", brand=brand, fields=tcr_fields(Brand), revisions=revisions,
                           history=entity_history(db, g.organization.id, "brand", brand.id))
