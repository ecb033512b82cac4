"""``POST /api/lint``: the rule engine over JSON, for the live checks in the forms and for scripts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify, request

from registry.brands.models import Brand
from registry.compliance import campaign_only, lint_brand, lint_new_campaign
from registry.db import get_session
from registry.records import get_owned
from registry.rule_state import brand_state
from registry.rules import lint
from registry.rules.fields import type_error

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/lint", methods=["POST"])
def lint_payload():
    """Body: ``{"brand": {...}, "campaign": {...}, "brandId": 12}`` (TCR field names; ``brandId`` lints the
    campaign against a stored brand of this organization). Answers ``{"verdict", "findings"}``.

    Payloads are checked as new registrations of this organization: a brand against the other brands' contacts
    and reference ids, a campaign of a stored brand against that brand's campaigns (registry/rule_state.py)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "Send a JSON object with a brand and/or a campaign (TCR field names).")
    brand = _object(body, "brand")
    campaign = _object(body, "campaign")
    session = get_session()
    if brand is None and isinstance(body.get("brandId"), int):
        stored = get_owned(session, Brand, g.organization.id, body["brandId"])
        if campaign is None:
            return jsonify(lint_brand(stored).to_dict())
        return jsonify(campaign_only(lint_new_campaign(session, stored, campaign)).to_dict())
    if brand is None and campaign is None:
        abort(400, "Send a brand and/or a campaign to check.")
    state = brand_state(session, g.organization.id, brand) if brand is not None else None
    return jsonify(lint(brand, campaign, state=state).to_dict())


def _object(body: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = body.get(key)
    if value is None:
        return None
    problem = type_error(key, value)
    if problem:
        abort(400, f"{problem}.")
    return value
