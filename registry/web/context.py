"""The logged-in user's current organization and role, loaded once per request into ``g``."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, abort, g, redirect, request, session, url_for
from flask_login import current_user

from registry.auth.models import Membership
from registry.auth.permissions import Permission, has_permission
from registry.db import get_session
from registry.states import CARRIERS

#: endpoints reachable without logging in
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "health", "webhooks.receive", "webhooks_inbound.json_form",
                              "webhooks_inbound.telnyx", "webhooks_inbound.twilio"})


def load_membership() -> Any:
    """Require a login for every page but the public ones; pick the member's current organization."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        from registry.web.errors import wants_json

        if wants_json():
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    memberships = get_session().scalars(
        sa.select(Membership).where(Membership.user_id == current_user.id)
        .options(sa.orm.joinedload(Membership.organization)).order_by(Membership.id)).all()
    if not memberships:
        abort(403, "Your account is not a member of any organization yet. Ask an administrator to add you.")
    chosen = next((m for m in memberships if m.organization_id == session.get("org_id")), memberships[0])
    session["org_id"] = chosen.organization_id
    g.membership, g.organization, g.memberships = chosen, chosen.organization, memberships
    return None


def template_globals() -> dict[str, Any]:
    membership = g.get("membership")
    return {
        "current_org": g.get("organization"),
        "current_membership": membership,
        "user_memberships": g.get("memberships", []),
        "can": lambda perm: has_permission(membership.role if membership else None, Permission(perm)),
        "carrier_names": CARRIERS,
    }


def init_app(app: Flask) -> None:
    app.before_request(load_membership)
    app.context_processor(template_globals)


def current_actor():
    """The logged-in user as the audit trail's actor."""
    from registry.audit import Actor

    return Actor.of(current_user)


def page_arg() -> int:
    value = request.args.get("page", 1, type=int)
    return value if value and 0 < value < 100_000 else 1
