"""Twilio's ``X-Twilio-Signature`` (provider-apis.md §3.8, the official ``twilio/request_validator.py``).

- Form requests: HMAC-SHA1, keyed with the account's auth token, over the full URL Twilio called followed by
  every POST parameter sorted by name (values sorted), name and value concatenated; base64.
- JSON requests (Event Streams): the URL carries ``bodySHA256`` = hex SHA-256 of the raw body; the signature
  covers the URL alone and the hash must match the body.

Both compare in constant time and accept the URL with or without an explicit default port (:443 / :80), as
the official validator does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qs, urlsplit, urlunsplit


def twilio_signature(url: str, params: Mapping[str, Sequence[str]], auth_token: str) -> str:
    """The signature Twilio sends for a form POST to ``url`` with ``params`` (name -> values)."""
    data = url + "".join(name + value for name in sorted(params) for value in sorted(params[name]))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def port_variants(url: str) -> list[str]:
    """``url`` as given plus the same URL with the default port added or removed."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    if parts.port is None and default:
        with_port = parts._replace(netloc=f"{parts.netloc}:{default}")
        return [url, urlunsplit(with_port)]
    if parts.port == default and parts.hostname:
        return [url, urlunsplit(parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]))]
    return [url]


def twilio_valid(
    urls: Sequence[str], params: Mapping[str, Sequence[str]], auth_token: str, signature: str | None
) -> bool:
    """Whether ``signature`` signs these form params for one of ``urls`` (the request URL and the public one)."""
    if not signature or not auth_token:
        return False
    for url in urls:
        for variant in port_variants(url):
            if hmac.compare_digest(twilio_signature(variant, params, auth_token), signature):
                return True
    return False


def body_hash_valid(url: str, raw_body: bytes, auth_token: str, signature: str | None) -> bool:
    """The JSON variant: ``bodySHA256`` in ``url`` matches the body and ``signature`` signs ``url`` alone."""
    if not signature or not auth_token:
        return False
    claimed = parse_qs(urlsplit(url).query).get("bodySHA256")
    if not claimed:
        return False
    if not hmac.compare_digest(claimed[0].lower(), hashlib.sha256(raw_body).hexdigest()):
        return False
    return any(hmac.compare_digest(twilio_signature(v, {}, auth_token), signature) for v in port_variants(url))
