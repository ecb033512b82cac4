"""Authenticating inbound messages: Twilio's ``X-Twilio-Signature`` and the JSON endpoint's per-organization keys.

Telnyx signs with Ed25519; that check is ``registry.providers.telnyx_webhooks.check_signature``.

Twilio (provider-apis.md §3.8, the official ``RequestValidator``): HMAC-SHA1, keyed with the account's auth
token, over the full URL Twilio called followed by every POST parameter sorted by name (values sorted), name
and value concatenated; base64; compared in constant time. Validators accept the URL with or without an
explicit default port.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.db import utcnow
from registry.errors import UserValueError

# the Twilio signature code lives with the Twilio adapter; consent keeps importing it from here
from registry.providers.twilio_signature import twilio_signature, twilio_valid  # noqa: F401 (re-exported)

from .models import ConsentInboundKey

TOKEN_PREFIX = "rci_"  # noqa: S105 (a prefix that marks our tokens, not a secret)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_key(session: Session, organization_id: int, label: str, *, actor: Actor) -> str:
    """A new secret for the JSON endpoint; the token is returned once and only its hash is kept."""
    label = (label or "").strip()[:100]
    if not label:
        raise UserValueError("Give the key a label (which integration uses it).", field="label")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    key = ConsentInboundKey(organization_id=organization_id, label=label, token_sha256=_token_hash(token),
                            created_by=actor.label[:254])
    session.add(key)
    session.flush()
    record(session, organization_id=organization_id, actor=actor, action="create", entity_type="consent_inbound_key",
           entity_id=key.id, summary=f"Inbound message key {label!r} created",
           changes={"label": [None, label], "token": [None, "(shown once, not stored)"]})
    return token


def organization_for_token(session: Session, token: str | None) -> int | None:
    """The organization a bearer token belongs to (``None`` if unknown or revoked)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    key = session.scalar(sa.select(ConsentInboundKey).where(ConsentInboundKey.token_sha256 == _token_hash(token)))
    if key is None or key.revoked_at is not None:
        return None
    return key.organization_id


def revoke_key(session: Session, key: ConsentInboundKey, *, actor: Actor) -> None:
    key.revoked_at = utcnow()
    record(session, organization_id=key.organization_id, actor=actor, action="revoke",
           entity_type="consent_inbound_key", entity_id=key.id, summary=f"Inbound message key {key.label!r} revoked")
