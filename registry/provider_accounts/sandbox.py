"""The embedded sandbox provider of ``make run``: a local simulator speaking Telnyx's wire format, and the
``sandbox`` provider account of the demo organization pointing at it. The key and the webhook signing seed are
published demo values (like the demo password): the sandbox only ever holds fictional data."""

from __future__ import annotations

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
