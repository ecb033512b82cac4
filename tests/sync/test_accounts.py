"""Provider accounts: credentials encrypted at rest with Fernet, never logged, audited or shown again."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from cryptography.fernet import Fernet

from registry.audit import Actor
from registry.audit.models import AuditEvent
from registry.cli import cli
from registry.errors import UserValueError
from registry.provider_accounts.crypto import CredentialsUnreadable, load_key_text, make_fernet
from registry.provider_accounts.models import ProviderAccount, ProviderName
from registry.provider_accounts.operations import create_account, credentials_of
from registry.provider_accounts.sandbox import SANDBOX_API_KEY, sandbox_public_key

SECRET = "KEY0123456789SECRET"


def test_the_key_is_generated_once_with_owner_only_permissions(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("REGISTRY_FERNET_KEY", raising=False)
    key = load_key_text(tmp_path)
    assert load_key_text(tmp_path) == key
    assert stat.S_IMODE(os.stat(tmp_path / "fernet_key").st_mode) == 0o600
    monkeypatch.setenv("REGISTRY_FERNET_KEY", "from-env")
    assert load_key_text(tmp_path) == "from-env"


def test_credentials_are_encrypted_and_rotate(db, create_org) -> None:
    org = create_org("Crypto Org")
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    account = create_account(
        db, org, make_fernet(old), provider="telnyx", label="Prod", api_key=SECRET, actor=Actor.system("tests")
    )
    db.commit()
    stored = db.scalar(sa.select(ProviderAccount.credentials).where(ProviderAccount.id == account.id))
    assert SECRET not in stored
    assert credentials_of(account, make_fernet(f"{new},{old}")) == {"api_key": SECRET}  # rotation: old decrypts
    with pytest.raises(CredentialsUnreadable):
        credentials_of(account, make_fernet(new))
    audit = " ".join(str(e.changes) + e.summary for e in db.scalars(sa.select(AuditEvent)))
    assert SECRET not in audit and "(encrypted, not shown)" in audit
    assert account.is_default and account.base_url == "https://api.telnyx.com/v2"


def test_bad_account_input_is_refused(db, create_org) -> None:
    org = create_org("Input Org")
    fernet = make_fernet(Fernet.generate_key().decode())
    bad = [
        {"provider": "twilio"},
        {"api_key": " "},
        {"base_url": "ftp://x"},
        {"rate": 0},
        {"webhook_public_key": "not-a-key"},
    ]
    for change in bad:
        kwargs = {"provider": "telnyx", "label": "x", "api_key": SECRET, **change}
        with pytest.raises(UserValueError):
            create_account(db, org, fernet, actor=Actor.system("tests"), **kwargs)


def test_demo_load_gives_the_demo_organization_its_sandbox_accounts_once(db_url: str, db) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "load"], env={"DATABASE_URL": db_url})
    assert first.exit_code == 0 and "3 provider accounts" in first.output  # Telnyx format (default), Twilio, TCR
    assert runner.invoke(cli, ["demo", "load"], env={"DATABASE_URL": db_url}).exit_code == 0
    db.rollback()
    accounts = db.scalars(sa.select(ProviderAccount).order_by(ProviderAccount.id)).all()
    assert [(a.provider, a.is_default) for a in accounts] == [
        (ProviderName.SANDBOX, True),
        (ProviderName.TWILIO, False),
        (ProviderName.TCR, False),
    ]
    account = accounts[0]
    assert (account.provider, account.is_default, account.base_url) == (
        ProviderName.SANDBOX,
        True,
        "http://127.0.0.1:5055/v2",
    )
    assert account.webhook_public_key == sandbox_public_key() and SANDBOX_API_KEY not in account.credentials
