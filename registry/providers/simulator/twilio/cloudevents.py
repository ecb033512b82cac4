"""Twilio Event Streams webhook wire format: a JSON array of CloudEvents signed with ``X-Twilio-Signature``.

Body (provider-apis.md §3.7): ``[{"specversion": "1.0", "type": "com.twilio.messaging.compliance....",
"source", "id", "time", "datacontenttype": "application/json", "dataschema", "data": {...}}]``; data keys are
lower-case without separators and dates are epoch milliseconds.

Signature (§3.8, twilio-python ``RequestValidator``, JSON variant): the URL gains ``bodySHA256=<hex SHA-256
of the raw body>`` and ``X-Twilio-Signature`` is base64 HMAC-SHA1 of that full URL alone, keyed with the
account's auth token. ``config.sign_with`` signs with that string instead (bad-signature tests).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..webhooks import WebhookConfig

EVENT_PREFIX = "com.twilio.messaging.compliance."
SCHEMAS = {
    "brand-registration": "A2P.BrandRegistration",
    "campaign-registration": "A2P.CampaignRegistration",
    "number-registration": "A2P.NumberRegistration",
    "number-deregistration": "A2P.NumberDeregistration",
}


def with_body_hash(url: str, body: bytes) -> str:
    """``url`` with ``bodySHA256=<hex>`` added to its query."""
    parts = urlsplit(url)
    digest = hashlib.sha256(body).hexdigest()
    query = f"{parts.query}&bodySHA256={digest}" if parts.query else f"bodySHA256={digest}"
    return urlunsplit(parts._replace(query=query))


def url_signature(url: str, token: str) -> str:
    """base64 HMAC-SHA1(token, url)."""
    return base64.b64encode(hmac.new(token.encode(), url.encode(), hashlib.sha1).digest()).decode()


class TwilioWire:
    """CloudEvents array, bodySHA256 URL, X-Twilio-Signature (module docs)."""

    def __init__(self, auth_token: str, source: str = "/v1/a2p") -> None:
        self.auth_token = auth_token
        self.source = source

    def event(self, event_id: str, event_type: str, occurred_at: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        group = event_type.split(".", 1)[0]
        return {
            "specversion": "1.0",
            "type": EVENT_PREFIX + event_type,
            "source": str(payload.get("_source") or self.source),
            "id": "EZ" + event_id.replace("-", ""),
            "time": occurred_at.replace(".000Z", "Z"),
            "datacontenttype": "application/json",
            "dataschema": f"https://events-schemas.twilio.com/{SCHEMAS.get(group, 'A2P')}/1",
            "data": {k: v for k, v in payload.items() if not k.startswith("_")},
        }

    def encode(
        self, data: Mapping[str, Any], *, attempt: int, url: str, config: WebhookConfig, wall: float
    ) -> tuple[str, bytes, dict[str, str]]:
        body = json.dumps([data], separators=(",", ":")).encode()
        signed_url = with_body_hash(url, body)
        token = config.sign_with or self.auth_token
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Twilio-Event-Streams (registry simulator)",
            "X-Twilio-Signature": url_signature(signed_url, token),
        }
        return signed_url, body, headers
