"""Brand pages: list, the entity-type-first wizard, editing with findings, sending for review, lifecycle."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from forms.brands import (
    ENTITY_ORDER,
    ENTITY_TYPE_HELP,
    STEPS,
    BrandForm,
    EntityTypeForm,
    fields_for,
    required_for,
)
from registry.auth.permissions import Permission, requires
from registry.compliance import by_field, lint_brand, lint_new_brand, summarize
from registry.db import get_session
from registry.errors import UserValueError
from registry.lifecycle.queries import lifecycle
from registry.records import get_owned
from registry.reviews.operations import submit_for_review
from registry.states import RegistrationStatus
from registry.submissions.otp import otp_panel, request_otp, submit_otp
from registry.sync.queries import provider_view
from registry.tcr import to_tcr_payload
from registry.web.context import current_actor, page_arg
from registry.web.drafts import FormSource, flash_saved, loaded_version, save
from registry.web.pagination import paginate

from . import operations as ops
from .models import Brand
from .queries import brand_list

bp = Blueprint("brands", __name__)


@bp.route("/brands")
def index():
    args = {k: request.args.get(k, "").strip() for k in ("q", "status", "entity_type")}
    page = paginate(get_session(), brand_list(g.organization.id, **args), page=page_arg(),
                    per_page=current_app.config["PAGE_SIZE"], scalars=False)
    return render_template("brands/index.html", page=page, filters=args, statuses=list(RegistrationStatus),
                           entity_types=ENTITY_ORDER)


@bp.route("/brands/new", methods=["GET", "POST"])
@requires(Permission.EDIT)
def new():
    entity_type = request.args.get("entityType", "")
    if entity_type not in ENTITY_TYPE_HELP:
        return render_template("brands/entity_type.html", form=EntityTypeForm(formdata=None),
                               choices=[(e, *ENTITY_TYPE_HELP[e]) for e in ENTITY_ORDER])
    form = BrandForm()
    brand, status = save(form, lambda: ops.create_brand(get_session(), g.organization, form.payload(entity_type),
                                                        actor=current_actor()))
    if brand is not None:
        flash_saved(lint_brand(brand))
        return redirect(url_for(".edit", brand_id=brand.id))
    report = None
    if form.is_submitted():
        report = lint_new_brand(get_session(), g.organization.id, form.payload(entity_type))
    return _render_form(form, entity_type, report, brand=None), status


@bp.route("/brands/<id:brand_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT)
def edit(brand_id: int):
    db = get_session()
    brand = get_owned(db, Brand, g.organization.id, brand_id)
    if brand.status not in ops.EDITABLE_STATES:
        flash(f"{brand.display_name} is {brand.status.label.lower()} and cannot be edited now.", "info")
        return redirect(url_for(".detail", brand_id=brand.id))
    entity_type = request.args.get("entityType") or brand.entity_type
    if entity_type not in ENTITY_TYPE_HELP:
        abort(404)
    form = BrandForm(obj=FormSource(brand))
    changes, status = save(form, lambda: ops.update_brand(db, brand, form.payload(entity_type), actor=current_actor(),
                                                          expected_version=loaded_version(form)))
    if changes is not None:
        flash_saved(lint_brand(brand), changed=bool(changes))
        return redirect(url_for(".edit", brand_id=brand.id))
    report = lint_brand(brand, payload=form.payload(entity_type) if form.is_submitted() else None)
    return _render_form(form, entity_type, report, brand=brand), status


@bp.route("/brands/<id:brand_id>/submit", methods=["POST"])
@requires(Permission.EDIT)
def submit(brand_id: int):
    brand = get_owned(get_session(), Brand, g.organization.id, brand_id)
    try:
        revision = submit_for_review(get_session(), brand, actor=current_actor())
    except UserValueError as exc:
        get_session().rollback()
        flash(exc.message, "error")
        return redirect(url_for(".detail", brand_id=brand.id))
    flash(f"Revision {revision.number} of {brand.display_name} is waiting for a compliance officer's review.",
          "success")
    return redirect(url_for(".detail", brand_id=brand.id))


@bp.route("/brands/<id:brand_id>/delete", methods=["POST"])
@requires(Permission.EDIT)
def delete(brand_id: int):
    brand = get_owned(get_session(), Brand, g.organization.id, brand_id)
    name = brand.display_name
    ops.delete_brand(get_session(), brand, actor=current_actor())
    flash(f"The draft brand {name} was deleted.", "success")
    return redirect(url_for(".index"))


@bp.route("/brands/<id:brand_id>")
def detail(brand_id: int):
    db = get_session()
    return _render_detail(db, get_owned(db, Brand, g.organization.id, brand_id))


def _render_detail(db, brand: Brand, *, otp_error: str | None = None):
    report = lint_brand(brand)
    return render_template("brands/detail.html", brand=brand, report=report, by_field=by_field(report.findings),
                           fields=fields_for(brand.entity_type), tcr=to_tcr_payload(brand), life=lifecycle(db, brand),
                           provider=provider_view(db, brand), tcr_id=brand.tcr_brand_id,
                           otp=otp_panel(db, brand), otp_error=otp_error)


@bp.route("/brands/<id:brand_id>/otp/send", methods=["POST"])
@requires(Permission.EDIT)
def otp_send(brand_id: int):
    """Queue the text of the one-time PIN to a sole proprietor's mobile phone."""
    db = get_session()
    brand = get_owned(db, Brand, g.organization.id, brand_id)
    try:
        request_otp(db, brand, actor=current_actor())
    except UserValueError as exc:
        db.rollback()
        flash(exc.message, "error")
    else:
        flash(f"The code is being texted to {brand.mobile_phone}. It is valid for 24 hours.", "success")
    return redirect(url_for(".detail", brand_id=brand.id, _anchor="otp-h"))


@bp.route("/brands/<id:brand_id>/otp/verify", methods=["POST"])
@requires(Permission.EDIT)
def otp_verify(brand_id: int):
    """Queue the PIN the owner received (Twilio: a check whether the owner replied)."""
    db = get_session()
    brand = get_owned(db, Brand, g.organization.id, brand_id)
    try:
        submit_otp(db, brand, request.form.get("otp_pin", ""), actor=current_actor())
    except UserValueError as exc:
        db.rollback()
        if exc.field == "otp_pin":
            return _render_detail(db, brand, otp_error=exc.message), 422
        flash(exc.message, "error")
    else:
        flash("The code is on its way to the provider; this page shows its answer in a moment.", "success")
    return redirect(url_for(".detail", brand_id=brand.id, _anchor="otp-h"))


def _render_form(form: BrandForm, entity_type: str, report, *, brand: Brand | None):
    return render_template("brands/form.html", form=form.for_entity(entity_type), brand=brand,
                           entity_type=entity_type,
                           entity_label=ENTITY_TYPE_HELP[entity_type][0], steps=STEPS,
                           shown=set(fields_for(entity_type)), required=required_for(entity_type),
                           report=report, by_field=by_field(report.findings) if report else {},
                           summary=summarize(report, STEPS) if report else [])
