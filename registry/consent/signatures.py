"""Authenticating inbound messages: Twilio's ``X-Twilio-Signature`` and the JSON endpoint's per-organization keys.

Telnyx signs with Ed25519; that check is ``registry.providers.telnyx_webhooks.check_signature``.

Twilio (provider-apis.md §3.8, the official ``RequestValidator``): HMAC-SHA1, keyed with the account's auth
token, over the full URL Twilio called followed by every POST parameter sorted by name (values sorted), name
and value concatenated; base64; compared in constant time. Validators accept the URL with or without an
explicit default port.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.db import utcnow
from registry.errors import UserValueError

from .models import ConsentInboundKey

TOKEN_PREFIX = "rci_"  # noqa: S105 (a prefix that marks our tokens, not a secret)


def twilio_signature(url: str, params: Mapping[str, Sequence[str]], auth_token: str) -> str:
    data = url + "".join(name + value for name in sorted(params) for value in sorted(params[name]))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _port_variants(url: str) -> list[str]:
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    if parts.port is None and default:
        with_port = parts._replace(netloc=f"{parts.netloc}:{default}")
        return [url, urlunsplit(with_port)]
    if parts.port == default and parts.hostname:
        return [url, urlunsplit(parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]))]
    return [url]


def twilio_valid(urls: Sequence[str], params: Mapping[str, Sequence[str]], auth_token: str,
                 signature: str | None) -> bool:
    """Whether ``signature`` signs these params for one of ``urls`` (the request URL and the public one)."""
    if not signature or not auth_token:
        return False
    for url in urls:
        for variant in _port_variants(url):
            if hmac.compare_digest(twilio_signature(variant, params, auth_token), signature):
                return True
    return False


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
