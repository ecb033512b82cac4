"""Consent pages: proof lookup per number, recording an event, CSV upload, disclosures, the review queue."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from wtforms.fields import SelectChoice

from forms.consent import DisclosureForm, ImportConsentForm, RecordEventForm, ReviewForm
from registry.audit import record
from registry.auth.permissions import Permission, requires
from registry.campaigns.models import Campaign
from registry.db import get_session, utcnow
from registry.errors import RegistryError, UserValueError
from registry.records import get_owned
from registry.web.context import current_actor
from registry.web.edge import commit as edge_commit

from .disclosures import disclosure_for, disclosure_status
from .imports import import_csv
from .models import ConsentEvent, ConsentImport, ConsentInbound, ReviewStatus
from .operations import evidence_path, evidence_type, record_event
from .phones import to_e164
from .proof import proof

bp = Blueprint("consent", __name__)


@bp.app_template_global("consent_disclosures")
def consent_disclosures(campaign: Campaign):
    """For ``templates/consent/_campaign_disclosures.html`` on the campaign page."""
    return disclosure_status(get_session(), campaign)


def _campaign_choices() -> list[SelectChoice]:
    return [SelectChoice(str(c.id), c.reference) for c in get_session().scalars(
        sa.select(Campaign).where(Campaign.organization_id == g.organization.id).order_by(Campaign.reference))]


def _index(record_form: RecordEventForm | None = None, import_form: ImportConsentForm | None = None,
           report=None, status: int = 200):
    db = get_session()
    record_form = record_form or RecordEventForm(formdata=None)
    record_form.campaign.choices = _campaign_choices()
    imports = db.scalars(sa.select(ConsentImport).where(ConsentImport.organization_id == g.organization.id)
                         .order_by(ConsentImport.id.desc()).limit(5)).all()
    open_reviews = db.scalar(sa.select(sa.func.count()).select_from(ConsentInbound).where(
        ConsentInbound.organization_id == g.organization.id, ConsentInbound.review_status == ReviewStatus.OPEN))
    return render_template("consent/index.html", record_form=record_form,
                           import_form=import_form or ImportConsentForm(formdata=None), imports=imports,
                           open_reviews=open_reviews, report=report), status


@bp.route("/consent")
def index():
    phone = request.args.get("phone", "").strip()
    if phone:
        try:
            return redirect(url_for(".show", phone=to_e164(phone)))
        except UserValueError as exc:
            flash(exc.message, "error")
    return _index()


@bp.route("/consent/<phone>")
def show(phone: str):
    try:
        found = proof(get_session(), g.organization.id, phone)
    except UserValueError as exc:
        abort(404, exc.message)
    campaigns = get_session().scalars(sa.select(Campaign).where(Campaign.id.in_(found.campaign_ids))).all()
    statuses = {c.id: disclosure_status(get_session(), c) for c in campaigns}
    return render_template("consent/proof.html", proof=found, statuses=statuses)


def _local_time(value: str) -> datetime | str:
    """A ``datetime-local`` style value in the organization's zone, or the text as typed (ISO with a zone)."""
    text = value.strip().replace("T", " ")
    try:
        naive = datetime.fromisoformat(text)
    except ValueError:
        return value
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=ZoneInfo(g.organization.timezone))


@bp.route("/consent/record", methods=["POST"])
@requires(Permission.EDIT)
def record_one():
    form = RecordEventForm()
    form.campaign.choices = _campaign_choices()
    if not form.validate_on_submit():
        return _index(record_form=form, status=422)
    db = get_session()
    campaign = get_owned(db, Campaign, g.organization.id, int(form.campaign.data))
    upload = request.files.get("evidence")
    evidence = (upload.filename, upload.read()) if upload is not None and upload.filename else None
    try:
        result = record_event(db, campaign, kind=form.event.data, phone=form.phone.data,
                              occurred_at=_local_time(form.occurred_at.data), method=form.method.data,
                              actor=current_actor(), source=form.source.data, disclosure_text=form.disclosure_text.data,
                              ip=form.ip.data, user_agent=form.user_agent.data, evidence=evidence)
    except RegistryError as exc:
        db.rollback()
        form.attach_error(exc if exc.field != "event" else UserValueError(exc.message, field="event"))
        return _index(record_form=form, status=422)
    phone = to_e164(form.phone.data)
    if result.duplicate:
        flash("This event was already recorded; nothing was added.", "info")
    else:
        flash(f"Recorded as consent event #{result.seq} for {phone}.", "success")
    return redirect(url_for(".show", phone=phone))


@bp.route("/consent/import", methods=["POST"])
@requires(Permission.EDIT)
def upload():
    form = ImportConsentForm()
    upload_file = request.files.get("file")
    if not form.validate_on_submit() or upload_file is None or not upload_file.filename:
        form.file.errors = ["Choose a CSV file."]
        return _index(import_form=form, status=422)
    db = get_session()
    folder = Path(current_app.config["INSTANCE_PATH"]) / "consent-imports"
    folder.mkdir(parents=True, exist_ok=True)
    errors = folder / f"errors-{uuid.uuid4().hex}.csv"
    try:
        report = import_csv(db, g.organization.id, upload_file.stream, filename=upload_file.filename,
                            actor=current_actor(), errors_path=errors, commit=lambda: edge_commit(db))
    except RegistryError as exc:
        db.rollback()
        form.attach_error(exc)
        return _index(import_form=form, status=422)
    return _index(report=report, status=200 if report.ok else 422)


@bp.route("/consent/imports/<id:import_id>/errors.csv")
@requires(Permission.EDIT)
def import_errors(import_id: int):
    run = get_owned(get_session(), ConsentImport, g.organization.id, import_id)
    if not run.errors_path or not Path(run.errors_path).exists():
        abort(404, "This import has no error report.")
    return send_file(run.errors_path, mimetype="text/csv", as_attachment=True,
                     download_name=f"consent-import-{run.id}-errors.csv")


@bp.route("/consent/evidence/<sha256>")
def evidence(sha256: str):
    db = get_session()
    owned = db.scalar(sa.select(ConsentEvent.evidence_name).where(
        ConsentEvent.organization_id == g.organization.id, ConsentEvent.evidence_sha256 == sha256).limit(1))
    path = evidence_path(sha256) if owned else None
    if path is None or not path.exists():
        abort(404)
    data = path.read_bytes()
    return send_file(path, mimetype=evidence_type(data), as_attachment=True, download_name=owned)


@bp.route("/consent/campaigns/<id:campaign_id>/disclosures", methods=["POST"])
@requires(Permission.EDIT)
def add_disclosure(campaign_id: int):
    db = get_session()
    campaign = get_owned(db, Campaign, g.organization.id, campaign_id)
    form = DisclosureForm()
    if not form.validate_on_submit():
        flash(" ".join(form.text.errors) or "Enter the disclosure text.", "error")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    disclosure = disclosure_for(db, campaign, form.text.data, actor=current_actor())
    flash(f"Disclosure v{disclosure.version} recorded for {campaign.reference}"
          + (f" with {len(disclosure.findings)} finding(s)." if disclosure.findings else "."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.route("/consent/reviews")
def reviews():
    db = get_session()
    items = db.scalars(sa.select(ConsentInbound).where(ConsentInbound.organization_id == g.organization.id,
                                                       ConsentInbound.flagged.is_(True))
                       .order_by(ConsentInbound.review_status.desc(), ConsentInbound.received_at.desc())
                       .limit(200)).all()
    return render_template("consent/reviews.html", items=items, form=ReviewForm(formdata=None))


@bp.route("/consent/reviews/<id:inbound_id>", methods=["POST"])
@requires(Permission.REVIEW)
def review(inbound_id: int):
    db = get_session()
    item = get_owned(db, ConsentInbound, g.organization.id, inbound_id)
    form = ReviewForm()
    if not form.validate_on_submit() or form.decision.data not in ("confirmed", "dismissed"):
        abort(400, "Choose confirm or dismiss.")
    if item.review_status is not ReviewStatus.OPEN:
        flash("This message was reviewed already.", "info")
        return redirect(url_for(".reviews"))
    item.review_status = ReviewStatus(form.decision.data)
    item.reviewed_by_id, item.reviewed_at, item.review_note = current_actor().user_id, utcnow(), form.note.data
    record(db, organization_id=item.organization_id, actor=current_actor(), action="review",
           entity_type="consent_inbound", entity_id=item.id,
           summary=f"Plain-language revocation from {item.from_phone}: {item.review_status.label.lower()}",
           changes={"review_status": ["open", item.review_status.value]})
    flash("Review recorded. The opt-out stands either way; only the subscriber can opt back in "
          "(CONSENT-KEYWORD-RESPONSES).", "success")
    return redirect(url_for(".reviews"))
