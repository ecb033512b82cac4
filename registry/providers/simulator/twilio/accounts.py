"""Twilio credentials of sandbox accounts: account SID and auth token, derived from the sandbox key seed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..wire import Request

if TYPE_CHECKING:
    from ..sandbox import Sandbox


def account_sid(sandbox: Sandbox, key: str) -> str:
    """The Twilio account SID (``AC`` + 32 hex) of sandbox account ``key``."""
    return "AC" + sandbox.secret(key, "twilio-account-sid")


def auth_token(sandbox: Sandbox, key: str) -> str:
    """The auth token of sandbox account ``key`` (signs its webhooks too)."""
    return sandbox.secret(key, "twilio-auth-token")


def login(sandbox: Sandbox, request: Request) -> str | None:
    """The sandbox key whose account SID and auth token the request's basic auth carries."""
    credentials = request.basic()
    if credentials is None:
        return None
    user, password = credentials
    for key in sandbox.accounts:
        if account_sid(sandbox, key) == user and auth_token(sandbox, key) == password:
            return key
    return None
