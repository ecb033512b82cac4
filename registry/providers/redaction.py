"""Redaction of secrets and tax ids from anything we record about a provider call.

Written once, used for headers, query strings, JSON bodies and unparseable body text alike. A key is
sensitive when its name, lower-cased with ``_``/``-``/spaces removed, is in ``SENSITIVE_KEYS``: so ``ein``,
``taxId``, ``tax_id``, ``otpPin``, ``Authorization`` and ``api-key`` all match, while ``pinSms`` (an SMS
template) does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[REDACTED]"

SENSITIVE_KEYS: frozenset[str] = frozenset(
    {
        # credentials
        "authorization",
        "proxyauthorization",
        "apikey",
        "xapikey",
        "apisecret",
        "secret",
        "clientsecret",
        "password",
        "passwd",
        "token",
        "accesstoken",
        "refreshtoken",
        "authtoken",
        "privatekey",
        "vettingtoken",
        "cookie",
        "setcookie",
        # tax ids
        "ein",
        "taxid",
        "universalein",
        "ssn",
        "businessregistrationidentifier",
        "businessregistrationnumber",
        # one-time PINs
        "otppin",
        "pin",
        "otp",
    }
)

_NORMALIZE = re.compile(r"[\s_\-]")
# "key": "value" / "key": 123 pairs inside text we could not parse as JSON
_JSON_PAIR = re.compile(r'"(?P<key>[A-Za-z0-9_\- ]{1,64})"\s*:\s*(?P<value>"(?:[^"\\]|\\.)*"|-?\d[\d.eE+\-]*)')
# key=value pairs in form bodies and query strings
_FORM_PAIR = re.compile(r"(?P<key>[A-Za-z0-9_\-]{1,64})=(?P<value>[^&\s]*)")
# bearer tokens wherever they appear
_BEARER = re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=\-]+")


def is_sensitive(key: str) -> bool:
    """Whether a field or header name holds a secret, a tax id or a PIN."""
    return _NORMALIZE.sub("", key).lower() in SENSITIVE_KEYS


def redact(value: Any) -> Any:
    """A copy of a JSON-like value with every sensitive key's value replaced by ``[REDACTED]``."""
    if isinstance(value, Mapping):
        return {k: (REDACTED if isinstance(k, str) and is_sensitive(k) else redact(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return _BEARER.sub("Bearer " + REDACTED, value)
    return value


def redact_text(text: str) -> str:
    """Redact sensitive ``"key": value`` and ``key=value`` pairs and bearer tokens inside raw text."""

    def _json(match: re.Match[str]) -> str:
        if not is_sensitive(match["key"]):
            return match[0]
        return f'"{match["key"]}": "{REDACTED}"'

    def _form(match: re.Match[str]) -> str:
        return f"{match['key']}={REDACTED}" if is_sensitive(match["key"]) else match[0]

    text = _JSON_PAIR.sub(_json, text)
    text = _FORM_PAIR.sub(_form, text)
    return _BEARER.sub("Bearer " + REDACTED, text)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers with credential headers replaced."""
    return {k: (REDACTED if is_sensitive(k) else v) for k, v in headers.items()}
