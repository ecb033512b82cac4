"""The organization's audit log and chain check."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from registry.auth.permissions import Permission, requires
from registry.db import get_session

from .chain import verify_organization
from .models import AuditChainHead
from .queries import organization_log

bp = Blueprint("audit", __name__)


@bp.route("/audit")
def log():
    page = max(request.args.get("page", 1, type=int), 1)
    per_page = current_app.config["PAGE_SIZE"]
    events, total = organization_log(get_session(), g.organization.id, page=page, per_page=per_page)
    head = get_session().get(AuditChainHead, g.organization.id)
    return render_template("audit/log.html", events=events, total=total, page=page, per_page=per_page,
                           head=head)


@bp.route("/audit/verify", methods=["POST"])
@requires(Permission.REVIEW)
def verify():
    problem = verify_organization(get_session(), g.organization.id)
    if problem:
        flash(f"The audit chain is broken: {problem}", "error")
    else:
        flash("The audit chain is intact: every event matches its hash and links to the one before.", "success")
    return redirect(url_for(".log"))
