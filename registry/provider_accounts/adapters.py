"""From a stored account to a ready adapter: credentials decrypted, the account's shared rate limit, the
timeouts and retry policy of the app, and a recorder that writes every attempt as a ``ProviderCall`` row."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from registry.db import unit_of_work
from registry.providers.base import TenDlcProvider
from registry.providers.http import DEFAULT_TIMEOUT, CallRecord, Recorder, RetryPolicy
from registry.providers.ratelimit import shared_bucket
from registry.providers.telnyx import TelnyxProvider

from .crypto import app_fernet
from .models import ProviderAccount, ProviderCall, ProviderName
from .operations import credentials_of

log = logging.getLogger(__name__)

#: what the calls being made are for (``submission:12``), stored on each ProviderCall row
call_context: contextvars.ContextVar[str | None] = contextvars.ContextVar("provider_call_context", default=None)


@contextlib.contextmanager
def calls_for(label: str) -> Iterator[None]:
    """Tag the provider calls made inside the block with ``label``."""
    token = call_context.set(label[:80])
    try:
        yield
    finally:
        call_context.reset(token)


#: bodies larger than this (serialized) are stored truncated: list pages of hundreds of records add nothing a
#: person reads and would make the call log the biggest table
MAX_BODY_BYTES = 32 * 1024


def bounded(body: Any) -> Any:
    """``body`` as stored: unchanged when small, else its size, record count and first characters."""
    if body is None or isinstance(body, bool | int | float):
        return body
    text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"), default=str)
    if len(text) <= MAX_BODY_BYTES:
        return body
    summary: dict[str, Any] = {"_truncated": True, "bytes": len(text), "head": text[:4000]}
    if isinstance(body, dict) and isinstance(body.get("records"), list):
        summary |= {"records": len(body["records"]), "page": body.get("page"), "totalRecords": body.get("totalRecords")}
    return summary


def db_recorder(factory: sessionmaker[Session], organization_id: int, account_id: int) -> Recorder:
    """A recorder writing each call in its own short transaction (failed work items still leave a trace)."""

    def record_call(call: CallRecord) -> None:
        with unit_of_work(factory) as session:
            session.add(
                ProviderCall(
                    organization_id=organization_id,
                    account_id=account_id,
                    provider=call.provider,
                    method=call.method,
                    path=call.path[:500],
                    query=dict(call.query or {}),
                    request_body=bounded(call.request_body),
                    status=call.status,
                    response_body=bounded(call.response_body),
                    duration_ms=call.duration_ms,
                    attempt=call.attempt,
                    started_at=call.started_at,
                    error=call.error[:300] if call.error else None,
                    retry_after=call.retry_after,
                    context=call_context.get(),
                )
            )

    return record_call


def public_url(app: Any) -> str | None:
    """Where providers can reach this app (``PUBLIC_URL`` config or ``REGISTRY_PUBLIC_URL``), if anywhere."""
    value = app.config.get("PUBLIC_URL") or os.environ.get("REGISTRY_PUBLIC_URL")
    return value.rstrip("/") if value else None


def webhook_url(app: Any, account: ProviderAccount) -> str | None:
    """The account's webhook endpoint as providers must call it; None when the app is not reachable."""
    base = public_url(app)
    return f"{base}/webhooks/{account.provider.value}/{account.public_id}" if base else None


def build_provider(app: Any, account: ProviderAccount, *, record: bool = True) -> TenDlcProvider:
    """The adapter for ``account``; close it (``provider.close()``) when done."""
    from registry.db import get_database

    config = app.config
    credentials = credentials_of(account, app_fernet(app))
    recorder = db_recorder(get_database(app).sessionmaker, account.organization_id, account.id) if record else None
    retry = config.get("PROVIDER_RETRY") or RetryPolicy()
    timeout = config.get("PROVIDER_TIMEOUT") or DEFAULT_TIMEOUT
    bucket = shared_bucket(f"{account.provider.value}:{account.public_id}", account.rate, account.burst)
    common: dict[str, Any] = {
        "account": str(account.id),
        "base_url": account.base_url,
        "webhook_url": webhook_url(app, account),
        "timeout": timeout,
        "retry": retry,
        "bucket": bucket,
        "recorder": recorder,
    }
    key, secret = str(credentials.get("api_key", "")), str(credentials.get("api_secret", ""))
    if account.provider in (ProviderName.TELNYX, ProviderName.SANDBOX):
        return TelnyxProvider(key, webhook_public_key=account.webhook_public_key, **common)
    if account.provider is ProviderName.TWILIO:
        from registry.providers.twilio import TwilioProvider

        return TwilioProvider(key, secret, **common)
    if account.provider is ProviderName.TCR:
        from registry.providers.tcr import TcrProvider

        settings = account.settings or {}
        return TcrProvider(
            key, secret, upstream_cnp_id=settings.get("upstream_cnp_id"), mno_ids=settings.get("mno_ids"), **common
        )
    raise ValueError(f"no adapter for provider {account.provider!r}")  # pragma: no cover (enum is closed)


def webhook_verifier(app: Any, account: ProviderAccount) -> TenDlcProvider:
    """An adapter that only verifies and parses webhooks (makes no calls). Telnyx verifies with the public key
    alone; Twilio signs with the auth token, which is decrypted for it."""
    if account.provider in (ProviderName.TELNYX, ProviderName.SANDBOX):
        return TelnyxProvider(
            "", account=str(account.id), base_url=account.base_url, webhook_public_key=account.webhook_public_key
        )
    if account.provider is ProviderName.TWILIO:
        from registry.providers.twilio import TwilioProvider

        credentials = credentials_of(account, app_fernet(app))
        return TwilioProvider(
            str(credentials.get("api_key", "")),
            str(credentials.get("api_secret", "")),
            account=str(account.id),
            base_url=account.base_url,
        )
    if account.provider is ProviderName.TCR:
        from registry.providers.tcr import TcrProvider

        return TcrProvider(
            "", "", account=str(account.id), base_url=account.base_url, webhook_url=webhook_url(app, account)
        )
    raise ValueError(f"no adapter for provider {account.provider!r}")  # pragma: no cover
