"""The dashboard at ``/``: what needs my action, counts by state, recent activity."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, g, render_template
from flask_login import current_user

from registry.auth.permissions import Permission, has_permission
from registry.consent.metrics import dashboard_metrics
from registry.db import get_session
from registry.rules.vocabulary import USECASES
from registry.states import AssignmentStatus, RegistrationStatus

from .queries import TERM_DAYS, dashboard

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index():
    today = datetime.now(ZoneInfo(g.organization.timezone)).date()
    data = dashboard(get_session(), g.organization.id, current_user.id,
                     can_review=has_permission(g.membership.role, Permission.REVIEW), today=today,
                     term_days=int(current_app.config.get("DASHBOARD_TERM_DAYS", TERM_DAYS)))
    return render_template("dashboard/index.html", d=data, statuses=list(RegistrationStatus),
                           number_statuses=list(AssignmentStatus), usecases=sorted(USECASES),
                           consent_metrics=dashboard_metrics(get_session(), g.organization.id, current_app.config))
