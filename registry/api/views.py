"""``POST /api/lint``: the rule engine over JSON, for the live checks in the forms and for scripts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify, request

from registry.brands.models import Brand
from registry.compliance import brand_payload, campaign_only
from registry.db import get_session
from registry.records import get_owned
from registry.rules import lint
from registry.rules.fields import type_error

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/lint", methods=["POST"])
def lint_payload():
    """Body: ``{"brand": {...}, "campaign": {...}, "brandId": 12}`` (TCR field names; ``brandId`` lints the
    campaign against a stored brand of this organization). Answers ``{"verdict", "findings"}``."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "Send a JSON object with a brand and/or a campaign (TCR field names).")
    brand = _object(body, "brand")
    campaign = _object(body, "campaign")
    only_campaign = False
    if brand is None and isinstance(body.get("brandId"), int):
        brand = brand_payload(get_owned(get_session(), Brand, g.organization.id, body["brandId"]))
        only_campaign = campaign is not None
    if brand is None and campaign is None:
        abort(400, "Send a brand and/or a campaign to check.")
    report = lint(brand, campaign)
    return jsonify((campaign_only(report) if only_campaign else report).to_dict())


def _object(body: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = body.get(key)
    if value is None:
        return None
    problem = type_error(key, value)
    if problem:
        abort(400, f"{problem}.")
    return value
