"""The numbers page: list, add one, upload a CSV with a per-row error report."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for

from forms.numbers import AddNumberForm, UploadNumbersForm
from registry.auth.permissions import Permission, requires
from registry.campaigns.models import Campaign
from registry.db import get_session
from registry.errors import NotFound, RegistryError
from registry.records import get_owned
from registry.states import AssignmentStatus
from registry.web.context import current_actor, page_arg
from registry.web.pagination import paginate

from . import operations as ops
from .bulk import BulkResult, import_numbers, read_csv
from .models import PhoneNumber

bp = Blueprint("numbers", __name__)


def _campaign(key: str) -> Campaign:
    """A campaign of this organization by reference or TCR campaign id."""
    found = get_session().scalar(sa.select(Campaign).where(
        Campaign.organization_id == g.organization.id,
        sa.or_(Campaign.reference == key, Campaign.tcr_campaign_id == key)))
    if found is None:
        raise NotFound(f"No campaign with reference or TCR id {key!r}.", field="campaign")
    return found


def _listing(add_form: AddNumberForm, upload_form: UploadNumbersForm, result: BulkResult | None = None):
    db = get_session()
    args = {k: request.args.get(k, "").strip() for k in ("q", "campaign", "status")}
    stmt = (sa.select(PhoneNumber, Campaign.reference).outerjoin(Campaign, PhoneNumber.campaign_id == Campaign.id)
            .where(PhoneNumber.organization_id == g.organization.id))
    if args["q"]:
        stmt = stmt.where(PhoneNumber.e164.contains(args["q"].replace(" ", "")) | PhoneNumber.label.contains(args["q"]))
    if args["campaign"]:
        stmt = stmt.where(sa.or_(Campaign.reference == args["campaign"], Campaign.tcr_campaign_id == args["campaign"]))
    if args["status"] in {s.value for s in AssignmentStatus}:
        stmt = stmt.where(PhoneNumber.assignment_status == AssignmentStatus(args["status"]))
    page = paginate(db, stmt.order_by(PhoneNumber.e164), page=page_arg(), per_page=current_app.config["PAGE_SIZE"],
                    scalars=False)
    failures = ops.failure_reasons(db, [n for n, _ in page.items])
    return render_template("numbers/index.html", page=page, filters=args, add_form=add_form,
                           upload_form=upload_form, result=result, statuses=list(AssignmentStatus),
                           failures=failures)


@bp.route("/numbers")
def index():
    return _listing(AddNumberForm(formdata=None), UploadNumbersForm(formdata=None))


@bp.route("/numbers", methods=["POST"])
@requires(Permission.EDIT)
def add():
    form = AddNumberForm()
    db = get_session()
    if form.validate_on_submit():
        try:
            number = ops.find_number(db, g.organization, form.phone.data) if form.campaign.data else None
            existing = number is not None and number.campaign_id is None  # a free number of ours: assign it
            if not existing:
                number = ops.add_number(db, g.organization, form.phone.data, actor=current_actor(),
                                        label=form.label.data or "")
            if form.campaign.data:
                ops.assign_number(db, number, _campaign(form.campaign.data), actor=current_actor())
        except RegistryError as exc:
            db.rollback()
            exc.field = "phone" if exc.field == "e164" else exc.field
            form.attach_error(exc)
        else:
            done = "assigned to" if existing else "added" + (" and assigned to" if form.campaign.data else "")
            flash(f"{number.e164} {done}" + (f" {form.campaign.data}." if form.campaign.data else "."), "success")
            return redirect(url_for(".index"))
    return _listing(form, UploadNumbersForm(formdata=None)), 422


@bp.route("/numbers/<id:number_id>/retry", methods=["POST"])
@requires(Permission.EDIT)
def retry(number_id: int):
    """Send a failed assignment to the provider again."""
    return _act_on(number_id, ops.retry_assignment, lambda n: f"{n.e164}: assignment sent to the provider again.")


@bp.route("/numbers/<id:number_id>/release", methods=["POST"])
@requires(Permission.EDIT)
def release(number_id: int):
    """Take the number off its campaign (through the provider when it is registered there)."""
    return _act_on(number_id, ops.release_number, lambda n: (
        f"{n.e164}: the provider is asked to release it; it stays on its campaign until it confirms."
        if n.assignment_status is AssignmentStatus.PENDING_UNASSIGNMENT else f"{n.e164} is no longer assigned."))


def _act_on(number_id: int, action: Callable[..., None], done: Callable[[PhoneNumber], str]):
    """Run ``action`` on one of our numbers; flash what came of it and go back to the list."""
    db = get_session()
    number = get_owned(db, PhoneNumber, g.organization.id, number_id)
    try:
        action(db, number, actor=current_actor())
    except RegistryError as exc:
        db.rollback()
        flash(exc.message, "error")
    else:
        flash(done(number), "success")
    return redirect(url_for(".index"))


@bp.route("/numbers/upload", methods=["POST"])
@requires(Permission.EDIT)
def upload():
    form = UploadNumbersForm()
    db = get_session()
    upload_file = request.files.get("file")
    if not form.validate_on_submit() or upload_file is None or not upload_file.filename:
        form.file.errors = ["Choose a CSV file."]
        return _listing(AddNumberForm(formdata=None), form), 422
    try:
        result = import_numbers(db, g.organization, read_csv(upload_file.read()), actor=current_actor())
    except RegistryError as exc:
        db.rollback()
        form.attach_error(exc)
        return _listing(AddNumberForm(formdata=None), form), 422
    if not result.ok:
        db.rollback()
        return _listing(AddNumberForm(formdata=None), form, result), 422
    flash(f"Uploaded: {result.added} number(s) added, {result.assigned} assigned.", "success")
    return redirect(url_for(".index"))


@bp.route("/numbers/errors.csv", methods=["POST"])
@requires(Permission.EDIT)
def error_report():
    """The row errors of an upload as CSV (posted back from the report shown on the page)."""
    rows = zip(request.form.getlist("row"), request.form.getlist("phone"), request.form.getlist("reason"),
               strict=False)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "phone", "reason"])
    writer.writerows(rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=number-upload-errors.csv"})
