"""Campaign pages: list, the use-case-first wizard, editing with findings, MMS samples, review, lifecycle."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for

from forms.campaigns import STEPS, USECASE_HELP, CampaignForm, MediaForm, usecase_cards
from registry.auth.permissions import Permission, requires
from registry.brands.models import Brand
from registry.brands.queries import brand_choices
from registry.compliance import (
    by_field,
    campaign_only,
    campaign_payload,
    lint_campaign,
    lint_new_campaign,
    summarize,
)
from registry.db import get_session
from registry.errors import RegistryError, UserValueError
from registry.lifecycle.queries import lifecycle
from registry.provider_accounts.models import ProviderAccount
from registry.records import get_owned
from registry.reviews.operations import submit_for_review
from registry.rules.vocabulary import USECASES
from registry.states import RegistrationStatus
from registry.submissions.deactivation import can_deactivate, numbers_on, request_deactivation
from registry.submissions.refile import REFILABLE, refile_campaign, refile_targets
from registry.sync.queries import provider_view
from registry.web.context import current_actor, page_arg
from registry.web.drafts import FormSource, flash_saved, loaded_version, save
from registry.web.pagination import paginate

from . import media as media_ops
from . import operations as ops
from .models import Campaign
from .queries import campaign_list

bp = Blueprint("campaigns", __name__)


@bp.route("/campaigns")
def index():
    args = {k: request.args.get(k, "").strip() for k in ("q", "status", "usecase", "brand")}
    page = paginate(get_session(), campaign_list(g.organization.id, **args), page=page_arg(),
                    per_page=current_app.config["PAGE_SIZE"], scalars=False)
    brand = (get_owned(get_session(), Brand, g.organization.id, int(args["brand"]))
             if args["brand"].isdigit() else None)
    return render_template("campaigns/index.html", page=page, filters=args, statuses=list(RegistrationStatus),
                           usecases=sorted(USECASES), brand=brand)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@requires(Permission.EDIT)
def new():
    db = get_session()
    usecase = request.args.get("usecase", "")
    brand_id = request.args.get("brand", "")
    brand = get_owned(db, Brand, g.organization.id, int(brand_id)) if brand_id.isdigit() else None
    if brand is None or usecase not in USECASES:
        brands = brand_choices(db, g.organization.id)
        if not brands:
            flash("Create the brand first: every campaign is registered under a brand.", "info")
            return redirect(url_for("brands.new"))
        return render_template("campaigns/usecase.html", brands=brands, selected_brand=brand,
                               cards=usecase_cards(), selected=usecase)
    form = CampaignForm()
    campaign, status = save(form, lambda: ops.create_campaign(db, g.organization, brand, form.payload(usecase),
                                                              actor=current_actor()))
    if campaign is not None:
        flash_saved(campaign_only(lint_campaign(campaign)))
        return redirect(url_for(".edit", campaign_id=campaign.id))
    report = campaign_only(lint_new_campaign(db, brand, form.payload(usecase))) if form.is_submitted() else None
    return _render_form(form, usecase, brand, report, campaign=None), status


@bp.route("/campaigns/<id:campaign_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT)
def edit(campaign_id: int):
    db = get_session()
    campaign = get_owned(db, Campaign, g.organization.id, campaign_id)
    if campaign.status not in ops.EDITABLE_STATES:
        flash(f"{campaign.reference} is {campaign.status.label.lower()} and cannot be edited now.", "info")
        return redirect(url_for(".detail", campaign_id=campaign.id))
    form = CampaignForm(obj=FormSource(campaign))
    changes, status = save(form, lambda: ops.update_campaign(
        db, campaign, form.payload(campaign.usecase), actor=current_actor(), expected_version=loaded_version(form)))
    if changes is not None:
        flash_saved(campaign_only(lint_campaign(campaign)), changed=bool(changes))
        return redirect(url_for(".edit", campaign_id=campaign.id))
    payload = form.payload(campaign.usecase) if form.is_submitted() else None
    report = campaign_only(lint_campaign(campaign, payload=payload))
    return _render_form(form, campaign.usecase, campaign.brand, report, campaign=campaign), status


@bp.route("/campaigns/<id:campaign_id>/submit", methods=["POST"])
@requires(Permission.EDIT)
def submit(campaign_id: int):
    campaign = get_owned(get_session(), Campaign, g.organization.id, campaign_id)
    try:
        revision = submit_for_review(get_session(), campaign, actor=current_actor())
    except UserValueError as exc:
        get_session().rollback()
        flash(exc.message, "error")
        return redirect(url_for(".detail", campaign_id=campaign.id))
    flash(f"Revision {revision.number} of {campaign.reference} is waiting for a compliance officer's review.",
          "success")
    return redirect(url_for(".detail", campaign_id=campaign.id))


@bp.route("/campaigns/<id:campaign_id>/delete", methods=["POST"])
@requires(Permission.EDIT)
def delete(campaign_id: int):
    campaign = get_owned(get_session(), Campaign, g.organization.id, campaign_id)
    reference = campaign.reference
    ops.delete_campaign(get_session(), campaign, actor=current_actor())
    flash(f"The draft campaign {reference} was deleted.", "success")
    return redirect(url_for(".index"))


@bp.route("/campaigns/<id:campaign_id>/media", methods=["POST"])
@requires(Permission.EDIT)
def upload_media(campaign_id: int):
    db = get_session()
    campaign = get_owned(db, Campaign, g.organization.id, campaign_id)
    form = MediaForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None:
        abort(400, "Choose a file to upload.")
    try:
        item = media_ops.add_media(db, campaign, upload.filename or "", upload.read(), actor=current_actor())
    except RegistryError as exc:
        db.rollback()
        flash(exc.message, "error")
    else:
        flash(f"{item.filename} ({item.content_type}, {item.size_bytes:,} bytes) attached.", "success")
    return redirect(url_for(".detail", campaign_id=campaign.id) + "#media-h")


@bp.route("/campaigns/<id:campaign_id>/media/<id:media_id>/delete", methods=["POST"])
@requires(Permission.EDIT)
def delete_media(campaign_id: int, media_id: int):
    db = get_session()
    campaign = get_owned(db, Campaign, g.organization.id, campaign_id)
    item = next((m for m in campaign.media if m.id == media_id), None)
    if item is None:
        abort(404)
    if campaign.status not in ops.EDITABLE_STATES:
        abort(409, f"{campaign.reference} is {campaign.status.label.lower()}; its samples cannot change.")
    media_ops.remove_media(db, item, actor=current_actor())
    flash(f"{item.filename} removed.", "success")
    return redirect(url_for(".detail", campaign_id=campaign.id) + "#media-h")


@bp.route("/campaigns/<id:campaign_id>")
def detail(campaign_id: int):
    db = get_session()
    return _render_detail(db, get_owned(db, Campaign, g.organization.id, campaign_id))


def _render_detail(db, campaign: Campaign, *, deactivate_error: str | None = None, reason: str = ""):
    report = campaign_only(lint_campaign(campaign))
    refile = None
    if campaign.status in REFILABLE:
        refile = {"targets": refile_targets(db, campaign), "version": campaign.version,
                  "action": url_for(".refile", campaign_id=campaign.id)}
    return render_template("campaigns/detail.html", campaign=campaign, report=report,
                           by_field=by_field(report.findings), tcr=campaign_payload(campaign),
                           fields=[n for _, _, names in STEPS for n in names], life=lifecycle(db, campaign),
                           media_form=MediaForm(), usecase_label=USECASE_HELP.get(campaign.usecase, ("",))[0],
                           refile=refile, provider=provider_view(db, campaign), tcr_id=campaign.tcr_campaign_id,
                           deactivation={"error": deactivate_error, "reason": reason,
                                         "numbers": numbers_on(db, campaign)}
                           if can_deactivate(db, campaign) else None)


@bp.route("/campaigns/<id:campaign_id>/deactivate", methods=["POST"])
@requires(Permission.REVIEW)
def deactivate(campaign_id: int):
    """End a registered campaign for good (compliance officers; a written reason)."""
    db = get_session()
    campaign = get_owned(db, Campaign, g.organization.id, campaign_id)
    reason = request.form.get("reason", "")
    try:
        request_deactivation(db, campaign, reason, actor=current_actor())
    except UserValueError as exc:
        db.rollback()
        if exc.field == "reason":
            return _render_detail(db, campaign, deactivate_error=exc.message, reason=reason), 422
        flash(exc.message, "error")
    else:
        flash(f"{campaign.reference} is being deactivated at the provider; its status follows the answer.", "success")
    return redirect(url_for(".detail", campaign_id=campaign.id) + "#deactivate-h")


@bp.route("/campaigns/<id:campaign_id>/refile", methods=["POST"])
@requires(Permission.REVIEW)
def refile(campaign_id: int):
    """Re-file the campaign's reviewed revision with another provider account of the organization."""
    db = get_session()
    campaign = get_owned(db, Campaign, g.organization.id, campaign_id)
    back = redirect(url_for(".detail", campaign_id=campaign.id) + "#filings-h")
    if request.form.get("version", "") != str(campaign.version):
        flash(f"{campaign.reference} changed while you were looking at it; check it and re-file again.", "error")
        return back
    account_id = request.form.get("account", "")
    account = db.get(ProviderAccount, int(account_id)) if account_id.isdigit() else None
    if account is None or account.organization_id != g.organization.id:
        flash("Choose one of the organization's provider accounts.", "error")
        return back
    try:
        made = refile_campaign(db, campaign, account, actor=current_actor())
    except UserValueError as exc:
        db.rollback()
        flash(exc.message, "error")
        return back
    flash(f"{campaign.reference} is queued for {account.label}"
          + (" (its brand is registered there first)." if len(made) == 2 else "."), "success")
    return back


def _render_form(form: CampaignForm, usecase: str, brand: Brand, report, *, campaign: Campaign | None):
    uc = USECASES[usecase]
    return render_template("campaigns/form.html", form=form, campaign=campaign, brand=brand, usecase=usecase,
                           usecase_label=USECASE_HELP[usecase][0], usecase_help=USECASE_HELP[usecase][1],
                           min_samples=uc.min_samples, show_sub=uc.max_sub > 0, steps=STEPS, report=report,
                           by_field=by_field(report.findings) if report else {},
                           summary=summarize(report, STEPS) if report else [])
