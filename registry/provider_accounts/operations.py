"""Adding and changing provider accounts. Flushes, never commits; audited without any secret."""

from __future__ import annotations

import json
import secrets
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import MultiFernet
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.auth.models import Organization
from registry.errors import NotFound, UserValueError

from .crypto import decrypt, encrypt
from .models import ProviderAccount, ProviderName

DEFAULT_BASE_URLS = {ProviderName.TELNYX: "https://api.telnyx.com/v2"}


def _check_public_key(provider: ProviderName, key: str | None) -> None:
    if not key or provider not in (ProviderName.TELNYX, ProviderName.SANDBOX):
        return
    from registry.providers.telnyx_webhooks import load_public_key

    try:
        load_public_key(key)
    except ValueError as exc:
        raise UserValueError(f"The webhook public key is not usable: {exc}.", field="webhook_public_key") from None


def create_account(
    session: Session,
    org: Organization,
    fernet: MultiFernet,
    *,
    provider: ProviderName | str,
    label: str,
    api_key: str,
    actor: Actor,
    base_url: str | None = None,
    webhook_public_key: str | None = None,
    webhook_secret: str | None = None,
    rate: float = 10.0,
    burst: int = 5,
    is_default: bool | None = None,
) -> ProviderAccount:
    """Store a provider account; its credentials are encrypted and never shown again."""
    try:
        provider = ProviderName(provider)
    except ValueError:
        raise UserValueError(
            f"Unknown provider {provider!r}; choose one of {', '.join(p.value for p in ProviderName)}.",
            field="provider",
        ) from None
    if not api_key or not api_key.strip():
        raise UserValueError("Enter the API key.", field="api_key")
    base_url = (base_url or DEFAULT_BASE_URLS.get(provider) or "").strip().rstrip("/")
    if not base_url.startswith(("https://", "http://")):
        raise UserValueError("The API base URL must start with https://.", field="base_url")
    if not 0 < rate <= 1000 or not 1 <= burst <= 1000:
        raise UserValueError(
            "The request rate must be between 0 and 1000 per second and the burst 1–1000.", field="rate"
        )
    _check_public_key(provider, webhook_public_key)
    has_default = session.scalar(
        sa.select(ProviderAccount.id).where(
            ProviderAccount.organization_id == org.id, ProviderAccount.is_default.is_(True)
        )
    )
    make_default = (has_default is None) if is_default is None else is_default
    if make_default and has_default is not None:
        session.execute(
            sa.update(ProviderAccount)
            .where(ProviderAccount.id == has_default)
            .values(is_default=False, version=ProviderAccount.version + 1)
            .execution_options(synchronize_session="fetch")
        )
    account = ProviderAccount(
        organization_id=org.id,
        public_id=secrets.token_urlsafe(18)[:24],
        provider=provider,
        label=label.strip()[:100] or provider.value,
        base_url=base_url,
        credentials=encrypt(fernet, json.dumps({"api_key": api_key.strip()})),
        webhook_public_key=(webhook_public_key or "").strip() or None,
        webhook_secret=encrypt(fernet, webhook_secret) if webhook_secret else None,
        rate=rate,
        burst=burst,
        is_default=make_default,
        created_by_id=actor.user_id,
    )
    session.add(account)
    session.flush()
    record(
        session,
        organization_id=org.id,
        actor=actor,
        action="create",
        entity_type="provider_account",
        entity_id=account.id,
        summary=f"Provider account {account.audit_label} added",
        changes={
            "provider": [None, provider.value],
            "label": [None, account.label],
            "base_url": [None, base_url],
            "credentials": [None, "(encrypted, not shown)"],
            "webhook_public_key": [None, account.webhook_public_key],
            "rate": [None, rate],
            "burst": [None, burst],
            "is_default": [None, make_default],
        },
    )
    return account


def replace_credentials(
    session: Session, account: ProviderAccount, fernet: MultiFernet, *, api_key: str, actor: Actor
) -> None:
    """Store new credentials (the old ones are overwritten, never shown)."""
    if not api_key or not api_key.strip():
        raise UserValueError("Enter the API key.", field="api_key")
    account.credentials = encrypt(fernet, json.dumps({"api_key": api_key.strip()}))
    session.flush()
    record(
        session,
        organization_id=account.organization_id,
        actor=actor,
        action="update",
        entity_type="provider_account",
        entity_id=account.id,
        summary=f"Provider account {account.audit_label}: credentials replaced",
        changes={"credentials": ["(encrypted)", "(encrypted, not shown)"]},
    )


def credentials_of(account: ProviderAccount, fernet: MultiFernet) -> dict[str, Any]:
    """The decrypted credentials (for the adapter only)."""
    value = json.loads(decrypt(fernet, account.credentials))
    return value if isinstance(value, dict) else {}


def default_account(session: Session, organization_id: int) -> ProviderAccount | None:
    """The organization's active default account."""
    return session.scalar(
        sa.select(ProviderAccount).where(
            ProviderAccount.organization_id == organization_id,
            ProviderAccount.is_default.is_(True),
            ProviderAccount.is_active.is_(True),
        )
    )


def account_by_public_id(session: Session, provider: str, public_id: str) -> ProviderAccount:
    """The active account a webhook URL names; NotFound otherwise (never says which part was wrong)."""
    account = session.scalar(sa.select(ProviderAccount).where(ProviderAccount.public_id == public_id))
    if account is None or account.provider.value != provider or not account.is_active:
        raise NotFound("No such webhook endpoint.")
    return account
