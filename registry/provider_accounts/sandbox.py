"""The embedded sandbox provider of ``make run``: a local simulator speaking Telnyx's, Twilio's and TCR's wire
formats, and the demo organization's provider accounts pointing at it (the ``sandbox`` one, Telnyx format, is the
default; a Twilio and a TCR one are there to try re-filing with another provider). The key and the seed the
webhook key and the Twilio/TCR secrets derive from are published demo values (like the demo password): the
sandbox only ever holds fictional data."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from cryptography.fernet import MultiFernet
from sqlalchemy.orm import Session

from registry.audit import Actor
from registry.auth.models import Organization

from .models import ProviderAccount, ProviderName
from .operations import create_account

SANDBOX_PORT = 5055
SANDBOX_API_KEY = "KEYSANDBOXDEMO0000000000000000000"
SANDBOX_KEY_SEED = "registry-sandbox-demo"
SANDBOX_LABEL = "Sandbox (local Telnyx simulator)"


def sandbox_base_url(port: int = SANDBOX_PORT, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{port}/v2"


def sandbox_public_key() -> str:
    """The Ed25519 public key the sandbox signs webhooks with (derived from the published seed)."""
    from registry.providers.simulator.webhooks import keypair, public_key_b64

    return public_key_b64(keypair(SANDBOX_KEY_SEED))


class _PublishedSecrets:
    """The demo sandbox's secrets, derived from the published seed as the running sandbox derives them."""

    def secret(self, key: str, purpose: str) -> str:
        from registry.providers.simulator.sandbox import derive_secret

        return derive_secret(SANDBOX_KEY_SEED, key, purpose)


def other_sandbox_accounts(port: int = SANDBOX_PORT, host: str = "127.0.0.1") -> list[dict[str, Any]]:
    """create_account() keywords for the demo's Twilio and TCR accounts on the sandbox."""
    from registry.providers.simulator.tcr import DEFAULT_UPSTREAM_CNP, api_secret
    from registry.providers.simulator.twilio.accounts import account_sid, auth_token

    secrets: Any = _PublishedSecrets()
    root = f"http://{host}:{port}"
    return [
        {
            "provider": ProviderName.TWILIO,
            "label": "Sandbox Twilio (local simulator)",
            "api_key": account_sid(secrets, SANDBOX_API_KEY),
            "api_secret": auth_token(secrets, SANDBOX_API_KEY),
            "base_url": root + "/twilio/{service}",
        },
        {
            "provider": ProviderName.TCR,
            "label": "Sandbox TCR (local simulator)",
            "api_key": SANDBOX_API_KEY,
            "api_secret": api_secret(secrets, SANDBOX_API_KEY),
            "base_url": root + "/tcr/v2",
            "settings": {"upstream_cnp_id": DEFAULT_UPSTREAM_CNP},
        },
    ]


def ensure_other_sandbox_accounts(
    session: Session, org: Organization, fernet: MultiFernet, *, actor: Actor, port: int = SANDBOX_PORT
) -> int:
    """Give ``org`` the sandbox's Twilio and TCR accounts (never its default); returns how many were added."""
    added = 0
    for options in other_sandbox_accounts(port):
        exists = session.scalar(
            sa.select(ProviderAccount.id).where(
                ProviderAccount.organization_id == org.id, ProviderAccount.label == options["label"]
            )
        )
        if exists is None:
            create_account(session, org, fernet, rate=20.0, burst=10, is_default=False, actor=actor, **options)
            added += 1
    return added


def ensure_sandbox_account(
    session: Session, org: Organization, fernet: MultiFernet, *, actor: Actor, port: int = SANDBOX_PORT
) -> ProviderAccount | None:
    """Give ``org`` a sandbox account (its default when it has none); None when it already has one."""
    existing = session.scalar(
        sa.select(ProviderAccount).where(
            ProviderAccount.organization_id == org.id, ProviderAccount.provider == ProviderName.SANDBOX
        )
    )
    if existing is not None:
        return None
    return create_account(
        session,
        org,
        fernet,
        provider=ProviderName.SANDBOX,
        label=SANDBOX_LABEL,
        api_key=SANDBOX_API_KEY,
        base_url=sandbox_base_url(port),
        webhook_public_key=sandbox_public_key(),
        rate=20.0,
        burst=10,
        actor=actor,
    )
