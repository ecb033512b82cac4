"""Logging in and out, switching organization, managing members."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from forms.auth import AddMemberForm, ChangeRoleForm, LoginForm
from registry.audit import Actor
from registry.db import get_session
from registry.errors import RegistryError
from registry.states import Role

from . import operations as ops
from .permissions import Permission, requires

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths: never redirect a user to another host after login."""
    if not target:
        return url_for("dashboard.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("dashboard.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = ops.authenticate(get_session(), form.email.data, form.password.data)
        if user is not None:
            session.clear()  # no session fixation: a fresh session for the logged-in user
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append("The e-mail or password is not correct, or the account is deactivated.")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/organization", methods=["POST"])
def switch_organization():
    org_id = request.form.get("org_id", type=int)
    if org_id not in {m.organization_id for m in g.memberships}:
        abort(404)
    session["org_id"] = org_id
    return redirect(url_for("dashboard.index"))


@bp.route("/members")
@requires(Permission.VIEW)
def members():
    return render_template("auth/members.html", form=AddMemberForm(), memberships=_org_memberships(),
                           roles=list(Role))


@bp.route("/members", methods=["POST"])
@requires(Permission.ADMIN)
def add_member():
    form = AddMemberForm()
    db = get_session()
    if form.validate_on_submit():
        try:
            _add_member(form)
        except RegistryError as exc:
            db.rollback()
            form.attach_error(exc)
        else:
            flash(f"{form.email.data} added as {Role(form.role.data).label}.", "success")
            return redirect(url_for(".members"))
    return render_template("auth/members.html", form=form, memberships=_org_memberships(),
                           roles=list(Role)), 422


def _add_member(form: AddMemberForm) -> None:
    db = get_session()
    actor = Actor.of(current_user)
    user = ops.find_user(db, form.email.data)
    if user is None:
        if not form.password.data:
            raise RegistryError("This person has no account yet: set an initial password for them.",
                                field="password")
        user = ops.create_user(db, form.email.data, form.password.data, full_name=form.full_name.data or "")
    ops.add_member(db, g.organization, user, Role(form.role.data), actor=actor)


@bp.route("/members/<id:membership_id>/role", methods=["POST"])
@requires(Permission.ADMIN)
def change_role(membership_id: int):
    db = get_session()
    membership = ops.get_membership(db, g.organization, membership_id)
    form = ChangeRoleForm()
    if not form.validate_on_submit():
        abort(400, "Choose a valid role.")
    ops.change_role(db, membership, Role(form.role.data), actor=Actor.of(current_user),
                    expected_version=request.form.get("version", type=int))
    flash(f"{membership.user.email} is now {membership.role.label}.", "success")
    return redirect(url_for(".members"))


@bp.route("/members/<id:membership_id>/remove", methods=["POST"])
@requires(Permission.ADMIN)
def remove_member(membership_id: int):
    db = get_session()
    membership = ops.get_membership(db, g.organization, membership_id)
    email = membership.user.email
    ops.remove_member(db, membership, actor=Actor.of(current_user))
    flash(f"{email} was removed from {g.organization.name}.", "success")
    return redirect(url_for(".members"))


def _org_memberships():
    import sqlalchemy as sa

    from .models import Membership

    return get_session().scalars(
        sa.select(Membership).where(Membership.organization_id == g.organization.id)
        .options(sa.orm.joinedload(Membership.user)).order_by(Membership.id)).all()
