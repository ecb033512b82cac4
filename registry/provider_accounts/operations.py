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
from registry.locking import check_version

from .crypto import decrypt, encrypt
from .models import ProviderAccount, ProviderName

DEFAULT_BASE_URLS = {
    ProviderName.TELNYX: "https://api.telnyx.com/v2",
    ProviderName.TWILIO: "https://{service}.twilio.com",
    ProviderName.TCR: "https://csp-api.campaignregistry.com/v2",
}
#: providers that authenticate with a key *and* a secret (HTTP basic): Twilio account SID + auth token, TCR
#: API key + secret
NEEDS_SECRET = frozenset({ProviderName.TWILIO, ProviderName.TCR})
#: settings an account may carry, by provider (see ``ProviderAccount.settings``)
SETTINGS = {ProviderName.TCR: frozenset({"upstream_cnp_id", "mno_ids"})}


def _credentials(provider: ProviderName, api_key: str | None, api_secret: str | None) -> dict[str, str]:
    if not api_key or not api_key.strip():
        label = "account SID" if provider is ProviderName.TWILIO else "API key"
        raise UserValueError(f"Enter the {label}.", field="api_key")
    credentials = {"api_key": api_key.strip()}
    if provider in NEEDS_SECRET:
        if not api_secret or not api_secret.strip():
            label = "auth token" if provider is ProviderName.TWILIO else "API secret"
            raise UserValueError(f"Enter the {label}.", field="api_secret")
        credentials["api_secret"] = api_secret.strip()
    if provider is ProviderName.TWILIO and not credentials["api_key"].startswith(("AC", "SK")):
        raise UserValueError("A Twilio account SID starts with AC (or an API key SID with SK).", field="api_key")
    return credentials


def _settings(provider: ProviderName, settings: dict[str, Any] | None) -> dict[str, Any]:
    settings = {k: v for k, v in (settings or {}).items() if v not in (None, "", [])}
    unknown = set(settings) - SETTINGS.get(provider, frozenset())
    if unknown:
        raise UserValueError(
            f"{provider.display} accounts take no setting {', '.join(sorted(unknown))}.", field="settings"
        )
    mno_ids = settings.get("mno_ids")
    if mno_ids is not None and (
        not isinstance(mno_ids, list) or not all(isinstance(m, str) and m.isdigit() for m in mno_ids)
    ):
        raise UserValueError("MNO ids are TCR network ids such as 10017 (AT&T).", field="mno_ids")
    return settings


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
    api_secret: str | None = None,
    base_url: str | None = None,
    webhook_public_key: str | None = None,
    webhook_secret: str | None = None,
    settings: dict[str, Any] | None = None,
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
    credentials = _credentials(provider, api_key, api_secret)
    options = _settings(provider, settings)
    base_url = (base_url or DEFAULT_BASE_URLS.get(provider) or "").strip().rstrip("/")
    if not base_url.startswith(("https://", "http://")):
        raise UserValueError("The API base URL must start with https://.", field="base_url")
    if provider is ProviderName.TWILIO and "{service}" not in base_url:
        raise UserValueError(
            "Twilio's base URL is a template over its hosts, e.g. https://{service}.twilio.com.", field="base_url"
        )
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
        credentials=encrypt(fernet, json.dumps(credentials)),
        settings=options,
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
            "settings": [None, options],
            "rate": [None, rate],
            "burst": [None, burst],
            "is_default": [None, make_default],
        },
    )
    return account


def replace_credentials(
    session: Session,
    account: ProviderAccount,
    fernet: MultiFernet,
    *,
    api_key: str,
    actor: Actor,
    api_secret: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Store new credentials (the old ones are overwritten, never shown)."""
    check_version(account, expected_version, what=f"The provider account {account.label}")
    account.credentials = encrypt(fernet, json.dumps(_credentials(account.provider, api_key, api_secret)))
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


def set_default(
    session: Session, account: ProviderAccount, *, actor: Actor, expected_version: int | None = None
) -> bool:
    """Make ``account`` the organization's default (new submissions use it); False when it already was."""
    check_version(account, expected_version, what=f"The provider account {account.label}")
    if not account.is_active:
        raise UserValueError(
            f"{account.label} is inactive: activate it before making it the default.", field="is_default"
        )
    if account.is_default:
        return False
    previous = session.scalar(
        sa.select(ProviderAccount).where(
            ProviderAccount.organization_id == account.organization_id,
            ProviderAccount.is_default.is_(True),
            ProviderAccount.id != account.id,
        )
    )
    if previous is not None:
        previous.is_default = False
        session.flush()  # the old default is cleared before the new one is set (one default per organization)
    account.is_default = True
    session.flush()
    record(
        session,
        organization_id=account.organization_id,
        actor=actor,
        action="update",
        entity_type="provider_account",
        entity_id=account.id,
        summary=f"Provider account {account.audit_label} made the default"
        + (f" instead of {previous.audit_label}" if previous is not None else ""),
        changes={"is_default": [False, True]} | ({"previous_default": [previous.label, None]} if previous else {}),
    )
    return True


def set_active(
    session: Session, account: ProviderAccount, active: bool, *, actor: Actor, expected_version: int | None = None
) -> bool:
    """Activate or deactivate ``account``; an inactive account is neither used for submissions nor accepts
    webhooks, and stops being the default. False when it already was in that state."""
    check_version(account, expected_version, what=f"The provider account {account.label}")
    if account.is_active == active:
        return False
    changes: dict[str, Any] = {"is_active": [account.is_active, active]}
    account.is_active = active
    if not active and account.is_default:
        account.is_default = False
        changes["is_default"] = [True, False]
    session.flush()
    record(
        session,
        organization_id=account.organization_id,
        actor=actor,
        action="update",
        entity_type="provider_account",
        entity_id=account.id,
        summary=f"Provider account {account.audit_label} {'activated' if active else 'deactivated'}",
        changes=changes,
    )
    return True


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
