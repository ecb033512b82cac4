"""Public endpoints receiving inbound messages (no login, no CSRF; each authenticates its caller):

- ``POST /inbound/telnyx/<account>``: Telnyx ``message.received`` webhooks, Ed25519-signed with the provider
  account's webhook public key; answers JSON with the reply text;
- ``POST /inbound/twilio/<account>``: Twilio's incoming-message webhook (form-encoded ``From``, ``To``, ``Body``,
  ``MessageSid``), signed with the auth token kept as the account's webhook secret; answers TwiML whose
  ``<Message>`` is the reply, so Twilio sends it;
- ``POST /inbound/json``: ``{"from", "to" | "campaign", "text", "message_id"?, "received_at"?}`` with
  ``Authorization: Bearer <key>`` (``registry consent inbound-key``); answers JSON.

The database change is committed by the request edge before the response is sent. 401 bad signature or key,
404 unknown endpoint, 400 unusable body (field named), 413 oversized body; 200 for every authentic message.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, jsonify, request

from registry.db import get_session
from registry.errors import NotFound, UserValueError
from registry.provider_accounts.adapters import public_url
from registry.provider_accounts.crypto import app_fernet, decrypt
from registry.provider_accounts.operations import account_by_public_id
from registry.providers.base import ProviderError
from registry.providers.telnyx_webhooks import check_signature, load_public_key

from .inbound import InboundMessage, handle_inbound
from .signatures import organization_for_token, twilio_valid

log = logging.getLogger(__name__)
bp = Blueprint("webhooks_inbound", __name__, url_prefix="/inbound")  # provider-authenticated, like webhooks
MAX_BODY = 64 * 1024


def _too_large() -> bool:
    return (request.content_length or 0) > MAX_BODY


def _error(message: str, status: int, field: str | None = None):
    body: dict[str, Any] = {"error": message}
    if field:
        body["field"] = field
    return jsonify(body), status


def _account(provider: str, public_id: str):
    if len(public_id) > 32:
        raise NotFound("No such endpoint.")
    return account_by_public_id(get_session(), provider, public_id)


@bp.route("/json", methods=["POST"])
def json_form():
    if _too_large():
        return _error("body too large", 413)
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else None
    organization_id = organization_for_token(get_session(), token)
    if organization_id is None:
        return _error("missing or unknown inbound key (Authorization: Bearer …)", 401)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _error("the body must be a JSON object", 400)
    for name in ("from", "to", "text", "campaign", "message_id", "received_at"):
        if body.get(name) is not None and not isinstance(body[name], str):
            return _error(f"{name} must be a string", 400, name)
    if not body.get("to") and not body.get("campaign"):
        return _error("give the receiving number (to) or the campaign", 400, "to")
    received = _time(body.get("received_at"))
    if isinstance(received, tuple):
        return received
    return _apply(organization_id, InboundMessage("json", body.get("from") or "", body.get("text") or "",
                                                  body.get("to"), body.get("message_id"), received,
                                                  body.get("campaign")))


@bp.route("/telnyx/<account>", methods=["POST"])
def telnyx(account: str):
    if _too_large():
        return _error("body too large", 413)
    try:
        stored = _account("telnyx", account)
    except NotFound:
        try:
            stored = _account("sandbox", account)
        except NotFound:
            return _error("unknown endpoint", 404)
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        return _error("body too large", 413)
    try:
        check_signature(dict(request.headers), raw, load_public_key(stored.webhook_public_key or ""),
                        now=time.time())
    except (ProviderError, ValueError) as exc:
        log.info("inbound message for account %s rejected: %s", stored.id, exc)
        return _error("invalid signature or timestamp", 401)
    try:
        data = json.loads(raw)["data"]
        event_type, payload = data["event_type"], data["payload"]
    except (ValueError, KeyError, TypeError):
        return _error("not a Telnyx webhook", 400)
    if event_type != "message.received":
        return jsonify(action="ignored", reason=f"{event_type} is not an inbound message"), 200
    try:
        sender = payload["from"]["phone_number"]
        receivers = payload.get("to") or []
        to = receivers[0]["phone_number"] if receivers else None
        text = payload.get("text") or ""
    except (KeyError, TypeError, IndexError):
        return _error("message.received without from.phone_number", 400, "from")
    received = _time(payload.get("received_at") or data.get("occurred_at"))
    if isinstance(received, tuple):
        return received
    return _apply(stored.organization_id, InboundMessage("telnyx", sender, text if isinstance(text, str) else "",
                                                         to, str(payload.get("id") or data.get("id") or ""),
                                                         received))


@bp.route("/twilio/<account>", methods=["POST"])
def twilio(account: str):
    if _too_large():
        return _error("body too large", 413)
    try:
        stored = _account_any(account)
    except NotFound:
        return _error("unknown endpoint", 404)
    if not stored.webhook_secret:
        return _error("this account has no auth token for signed messages", 401)
    params = {k: request.form.getlist(k) for k in request.form}
    base = public_url(current_app)
    urls = [request.url] + ([base + request.full_path.rstrip("?")] if base else [])
    if not twilio_valid(urls, params, decrypt(app_fernet(), stored.webhook_secret),
                        request.headers.get("X-Twilio-Signature")):
        log.info("inbound Twilio message for account %s rejected: bad signature", stored.id)
        return _error("invalid signature", 401)
    outcome = handle_inbound(get_session(), stored.organization_id, InboundMessage(
        "twilio", request.form.get("From", ""), request.form.get("Body", ""), request.form.get("To") or None,
        request.form.get("MessageSid")))
    message = f"<Message>{escape(outcome.reply)}</Message>" if outcome.reply else ""
    return Response(f'<?xml version="1.0" encoding="UTF-8"?><Response>{message}</Response>',
                    mimetype="text/xml")


def _account_any(public_id: str):
    for provider in ("telnyx", "sandbox"):
        try:
            return _account(provider, public_id)
        except NotFound:
            continue
    raise NotFound("No such endpoint.")


def _time(value: Any) -> datetime | tuple | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return _error("received_at is not an ISO 8601 time", 400, "received_at")
    if moment.tzinfo is None:
        return _error("received_at needs a time zone", 400, "received_at")
    return moment


def _apply(organization_id: int, message: InboundMessage):
    try:
        outcome = handle_inbound(get_session(), organization_id, message)
    except UserValueError as exc:
        return _error(exc.message, 400, exc.field)
    return jsonify(outcome.to_dict()), 200
