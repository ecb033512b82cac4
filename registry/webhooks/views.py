"""``POST /webhooks/<provider>/<account>``: public (no login, no CSRF), authenticated by the provider's
signature instead. 401 for a missing/bad signature or a stale timestamp, 404 for an unknown endpoint, 400 for
a body that is not an event, 413 for an oversized body; 200 for every authentic event, new or duplicate."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request

from registry.db import get_session, utcnow
from registry.errors import NotFound
from registry.provider_accounts.adapters import public_url, webhook_verifier
from registry.provider_accounts.operations import account_by_public_id
from registry.providers.base import ProviderError

from .operations import body_summary, receive_events

log = logging.getLogger(__name__)
bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
#: real 10DLC events are a few hundred bytes
MAX_BODY = 256 * 1024


def _called_urls() -> list[str]:
    """The URLs the provider may have signed (Twilio signs the URL it called): the one this request arrived at
    and, behind a proxy, the public one (``PUBLIC_URL`` + path and query)."""
    urls = [request.url]
    base = public_url(current_app)
    if base:
        public = base + request.full_path.rstrip("?")
        if public != request.url:
            urls.append(public)
    return urls


@bp.route("/<provider>/<account>", methods=["POST"])
def receive(provider: str, account: str):
    if len(provider) > 20 or len(account) > 32:
        return jsonify(error="unknown webhook endpoint"), 404
    if (request.content_length or 0) > MAX_BODY:
        return jsonify(error="body too large"), 413
    session = get_session()
    try:
        stored = account_by_public_id(session, provider, account)
    except NotFound:
        return jsonify(error="unknown webhook endpoint"), 404
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        return jsonify(error="body too large"), 413
    headers = {k: v for k, v in request.headers.items()}
    try:
        verifier = webhook_verifier(current_app, stored)
    except ValueError:
        log.error("provider account %s has an unusable webhook public key", stored.id)
        return jsonify(error="signature cannot be verified"), 401
    check = getattr(verifier, "check_webhook", None)
    try:
        if check is not None:
            check(headers, raw)
        elif not any(verifier.verify_webhook(url, headers, raw) for url in _called_urls()):
            raise ProviderError("auth", "signature does not verify")
    except ProviderError as exc:
        log.info("webhook for account %s rejected: %s (%s)", stored.id, exc.message, body_summary(raw))
        return jsonify(error="invalid signature or timestamp"), 401
    try:
        events = verifier.parse_webhook(headers, raw)
    except ProviderError as exc:
        log.info("webhook for account %s not understood: %s", stored.id, exc.message)
        return jsonify(error=exc.message), 400
    received = receive_events(session, stored, events, raw, now=utcnow())
    return jsonify(received=len(events), new=received.new, duplicates=received.duplicates, queued=received.queued), 200
