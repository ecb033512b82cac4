"""The review queue and the review page: frozen revision, findings, acknowledgements, diff, decision."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from forms.reviews import ReviewForm, ack_name
from registry.auth.permissions import Permission, has_permission
from registry.db import get_session
from registry.errors import PermissionDenied, RegistryError
from registry.records import get_owned
from registry.revisions.diff import diff_snapshots
from registry.revisions.models import Revision
from registry.rules import CATALOG
from registry.states import RevisionStatus
from registry.web.context import current_actor

from . import operations as ops
from .queries import recent_decisions, review_queue

bp = Blueprint("reviews", __name__)


@bp.route("/reviews")
def index():
    db = get_session()
    return render_template("reviews/index.html", queue=review_queue(db, g.organization.id),
                           recent=recent_decisions(db, g.organization.id))


@bp.route("/reviews/<id:revision_id>", methods=["GET", "POST"])
def show(revision_id: int):
    db = get_session()
    revision = get_owned(db, Revision, g.organization.id, revision_id)
    form = ReviewForm()
    status = 200
    if form.validate_on_submit():
        try:
            _decide(revision, form)
        except RegistryError as exc:
            db.rollback()
            form.attach_error(exc)
            status = exc.status_code if exc.status_code in (403, 409) else 422
        else:
            return redirect(url_for(".index"))
    elif form.is_submitted():
        status = 422
    return _render(revision, form), status


def _decide(revision: Revision, form: ReviewForm) -> None:
    role = g.membership.role
    if not has_permission(role, Permission.REVIEW):
        raise PermissionDenied(f"Only a compliance officer or admin can review submissions; your role is "
                               f"{role.label}.")
    decision = request.form.get("decision")
    if decision == "approve":
        acks = [ops.Acknowledged(w["rule"], w["field"] or "", request.form.get(ack_name(w["rule"], w["field"]), ""))
                for w in ops.warnings_to_acknowledge(revision)]
        ops.approve(get_session(), revision, actor=current_actor(), acknowledgements=acks,
                    comment=form.comment.data or "")
        flash(f"Approved revision {revision.number}: it is queued for submission.", "success")
    elif decision == "send_back":
        ops.send_back(get_session(), revision, actor=current_actor(), comment=form.comment.data or "")
        flash(f"Revision {revision.number} was sent back to its author.", "success")
    else:
        raise RegistryError("Choose to approve or to send back.")


def _render(revision: Revision, form: ReviewForm):
    db = get_session()
    subject = revision.brand if revision.subject == "brand" else revision.campaign
    previous = ops.last_rejected(db, revision)
    diff = (diff_snapshots(previous.snapshot, revision.snapshot, reasons=ops.rejection_reasons(previous))
            if previous else None)
    warnings = ops.warnings_to_acknowledge(revision)
    can_decide = (revision.status == RevisionStatus.AWAITING_REVIEW
                  and has_permission(g.membership.role, Permission.REVIEW)
                  and revision.author_id != current_user.id)
    return render_template("reviews/show.html", revision=revision, subject=subject, form=form, previous=previous,
                           diff=diff, warnings=warnings,
                           errors=[f for f in revision.findings if f["severity"] == "error"],
                           infos=[f for f in revision.findings if f["severity"] == "info"], ack_name=ack_name,
                           entered={k: v for k, v in request.form.items() if k.startswith("ack-")},
                           can_decide=can_decide, catalog=CATALOG)
