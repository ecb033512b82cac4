"""The provider accounts page: every member sees the organization's accounts (never their credentials) and the
calls made with each; admins add accounts, choose the default, (de)activate them and replace credentials.
Also the Retry button of the provider panel on brand and campaign pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from forms.providers import ProviderAccountForm, ReplaceCredentialsForm
from registry.auth.permissions import Permission, has_permission, requires
from registry.db import get_session
from registry.errors import PermissionDenied, RegistryError, StaleState
from registry.records import get_owned
from registry.submissions.models import Submission, SubmissionStep
from registry.web.context import current_actor

from . import operations as ops
from .adapters import webhook_url
from .crypto import app_fernet
from .models import ProviderAccount, ProviderCall, ProviderName

bp = Blueprint("provider_accounts", __name__)

#: the call log shows the newest calls of an account, at most this many
CALL_LOG_LIMIT = 50


def admin_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Like ``@requires(Permission.ADMIN)``, with a message about provider accounts rather than members."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        role = g.membership.role if g.get("membership") else None
        if not has_permission(role, Permission.ADMIN):
            raise PermissionDenied("Only an admin of this organization can add or change provider accounts; your "
                                   f"role is {role.label if role else 'none'}.")
        return view(*args, **kwargs)

    return wrapper


# --- pages -----------------------------------------------------------------------------------------------------


@bp.route("/providers")
@requires(Permission.VIEW)
def index():
    return _render_index(ProviderAccountForm())


@bp.route("/providers/<id:account_id>")
@requires(Permission.VIEW)
def detail(account_id: int):
    account = get_owned(get_session(), ProviderAccount, g.organization.id, account_id)
    return _render_detail(account, ReplaceCredentialsForm())


def _accounts() -> list[ProviderAccount]:
    return list(get_session().scalars(
        sa.select(ProviderAccount).where(ProviderAccount.organization_id == g.organization.id)
        .order_by(ProviderAccount.is_active.desc(), ProviderAccount.is_default.desc(), ProviderAccount.id)))


def endpoint_of(account: ProviderAccount) -> dict[str, Any]:
    """Where the provider must send this account's webhooks: absolute when the app knows its public address."""
    absolute = webhook_url(current_app, account)
    path = url_for("webhooks.receive", provider=account.provider.value, account=account.public_id)
    return {"url": absolute or path, "absolute": absolute is not None}


def _render_index(form: ProviderAccountForm, status: int = 200):
    accounts = _accounts()
    return render_template("providers/index.html", form=form, accounts=accounts,
                           endpoints={a.id: endpoint_of(a) for a in accounts}), status


#: what the credential fields are called, by provider
CREDENTIAL_LABELS = {
    ProviderName.TWILIO: ("New account SID (or API key SID)", "New auth token (or API key secret)"),
    ProviderName.TCR: ("New API key", "New API secret"),
}


def _render_detail(account: ProviderAccount, form: ReplaceCredentialsForm, status: int = 200):
    key_label, secret_label = CREDENTIAL_LABELS.get(account.provider, ("New API key", ""))
    form.api_key.label.text, form.api_secret.label.text = key_label, secret_label
    calls = get_session().scalars(
        sa.select(ProviderCall).where(ProviderCall.account_id == account.id,
                                      ProviderCall.organization_id == g.organization.id)
        .order_by(ProviderCall.started_at.desc(), ProviderCall.id.desc()).limit(CALL_LOG_LIMIT)).all()
    return render_template("providers/detail.html", account=account, endpoint=endpoint_of(account), calls=calls,
                           limit=CALL_LOG_LIMIT, form=form, needs_secret=account.provider in ops.NEEDS_SECRET), status


# --- changes (admins) --------------------------------------------------------------------------------------------


@bp.route("/providers", methods=["POST"])
@admin_only
def add():
    form = ProviderAccountForm()
    db = get_session()
    if form.validate_on_submit():
        try:
            account = ops.create_account(
                db, g.organization, app_fernet(), provider=form.provider.data, label=form.label.data,
                api_key=form.api_key.data, api_secret=form.api_secret.data or None,
                base_url=form.base_url.data or None, webhook_public_key=form.webhook_public_key.data or None,
                settings=form.settings(), rate=form.rate.data, burst=form.burst.data,
                is_default=True if form.is_default.data else None, actor=current_actor())
        except RegistryError as exc:
            db.rollback()
            form.attach_error(exc)
        else:
            flash(f"{account.label} ({account.provider.display}) added"
                  + (" as the default account." if account.is_default else ".")
                  + " Its credentials are stored encrypted and will not be shown again.", "success")
            return redirect(url_for(".detail", account_id=account.id))
    return _render_index(form, 422)


@bp.route("/providers/<id:account_id>/default", methods=["POST"])
@admin_only
def make_default(account_id: int):
    return _account_action(account_id, lambda db, account, version: (
        ops.set_default(db, account, actor=current_actor(), expected_version=version),
        f"{account.label} is now the default account: new submissions go to it."))


@bp.route("/providers/<id:account_id>/deactivate", methods=["POST"])
@admin_only
def deactivate(account_id: int):
    def action(db, account: ProviderAccount, version: int | None) -> tuple[bool, str]:
        was_default = account.is_default
        changed = ops.set_active(db, account, False, actor=current_actor(), expected_version=version)
        message = f"{account.label} is deactivated: it sends nothing and accepts no webhooks."
        if was_default:
            message += " It is no longer the default: make another account the default, or new submissions wait."
        return changed, message

    return _account_action(account_id, action)


@bp.route("/providers/<id:account_id>/activate", methods=["POST"])
@admin_only
def activate(account_id: int):
    return _account_action(account_id, lambda db, account, version: (
        ops.set_active(db, account, True, actor=current_actor(), expected_version=version),
        f"{account.label} is active again."))


def _account_action(account_id: int, action: Callable[..., tuple[bool, str]]):
    """Run a per-account change with the version the page showed. A stale page re-renders the list with the
    message (409) and changes nothing; another organization's id is a 404."""
    db = get_session()
    account = get_owned(db, ProviderAccount, g.organization.id, account_id)
    back_to_detail = request.form.get("back") == "detail"
    version = request.form.get("version", type=int)
    try:
        changed, message = action(db, account, version)
    except RegistryError as exc:
        db.rollback()
        flash(exc.message, "error")
        status = 409 if isinstance(exc, StaleState) else 422
        if back_to_detail:
            return _render_detail(account, ReplaceCredentialsForm(formdata=None), status)
        return _render_index(ProviderAccountForm(formdata=None), status)
    flash(message if changed else f"Nothing to change: {account.label} already is as requested.",
          "success" if changed else "info")
    return redirect(url_for(".detail", account_id=account.id) if back_to_detail else url_for(".index"))


@bp.route("/providers/<id:account_id>/credentials", methods=["POST"])
@admin_only
def replace_credentials(account_id: int):
    db = get_session()
    account = get_owned(db, ProviderAccount, g.organization.id, account_id)
    form = ReplaceCredentialsForm()
    status = 422
    if form.validate_on_submit():
        try:
            ops.replace_credentials(db, account, app_fernet(), api_key=form.api_key.data,
                                    api_secret=form.api_secret.data or None, actor=current_actor(),
                                    expected_version=request.form.get("version", type=int))
        except RegistryError as exc:
            db.rollback()
            if isinstance(exc, StaleState):
                flash(exc.message, "error")
                status = 409
            else:
                form.attach_error(exc)
        else:
            flash(f"The credentials of {account.label} were replaced; the old ones are gone and the new ones will "
                  "not be shown again.", "success")
            return redirect(url_for(".detail", account_id=account.id))
    return _render_detail(account, form, status)


# --- the provider panel's Retry ------------------------------------------------------------------------------


@bp.route("/providers/submissions/<id:submission_id>/retry", methods=["POST"])
@requires(Permission.REVIEW)
def retry(submission_id: int):
    """Send a submission that needs attention again (after its account or credentials were fixed)."""
    from registry.submissions.operations import retry_submission

    db = get_session()
    submission = get_owned(db, Submission, g.organization.id, submission_id)
    back = _subject_page(submission)
    try:
        retry_submission(db, submission, actor=current_actor())
    except RegistryError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(back)
    flash(f"The {submission.step.value} submission {submission.client_ref} is queued to be sent again.", "success")
    return redirect(back)


def _subject_page(submission: Submission) -> str:
    if submission.step is SubmissionStep.BRAND and submission.brand_id:
        return url_for("brands.detail", brand_id=submission.brand_id) + "#provider-h"
    if submission.step in (SubmissionStep.OTP_SEND, SubmissionStep.OTP_VERIFY) and submission.brand_id:
        return url_for("brands.detail", brand_id=submission.brand_id) + "#otp-h"
    if submission.step is SubmissionStep.CAMPAIGN and submission.campaign_id:
        return url_for("campaigns.detail", campaign_id=submission.campaign_id) + "#provider-h"
    return url_for("numbers.index")

