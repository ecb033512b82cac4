"""Credentials at rest: Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``.

The key comes from ``REGISTRY_FERNET_KEY`` (the app config key ``FERNET_KEY`` overrides it in tests), else from
``instance/fernet_key``, generated once with mode 0600 like the secret key. Several comma-separated keys rotate:
the first encrypts, all decrypt (``MultiFernet``). Plain text never leaves this module except to the adapter
that sends it; it is never logged, audited or shown again after entry.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from registry.errors import RegistryError

ENV_VAR = "REGISTRY_FERNET_KEY"
KEY_FILE = "fernet_key"


class CredentialsUnreadable(RegistryError):
    """Stored credentials cannot be decrypted with the configured key(s)."""

    status_code = 500
    title = "Stored provider credentials cannot be read"


def load_key_text(instance: Path, configured: str | None = None) -> str:
    """The key text: configured value, then the environment, then ``instance/fernet_key`` (created once)."""
    text = configured or os.environ.get(ENV_VAR)
    if text:
        return text.strip()
    path = instance / KEY_FILE
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def make_fernet(key_text: str) -> MultiFernet:
    """A MultiFernet over the comma-separated keys (first one encrypts)."""
    keys = [k.strip() for k in key_text.split(",") if k.strip()]
    if not keys:
        raise ValueError(f"{ENV_VAR} is empty")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ValueError(f"{ENV_VAR} must be url-safe base64 Fernet keys (Fernet.generate_key())") from exc


def app_fernet(app: object | None = None) -> MultiFernet:
    """The Fernet of the current (or given) app, built once per app."""
    from flask import current_app

    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    cached = app.extensions.get("registry.fernet")  # type: ignore[attr-defined]
    if cached is None:
        config = app.config  # type: ignore[attr-defined]
        cached = make_fernet(load_key_text(Path(config["INSTANCE_PATH"]), config.get("FERNET_KEY")))
        app.extensions["registry.fernet"] = cached  # type: ignore[attr-defined]
    return cached


def encrypt(fernet: MultiFernet, plain: str) -> str:
    """The token to store."""
    return fernet.encrypt(plain.encode()).decode()


def decrypt(fernet: MultiFernet, token: str) -> str:
    """The plain text of a stored token; CredentialsUnreadable when the key changed."""
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        raise CredentialsUnreadable(
            "The provider credentials were encrypted with a different key: set REGISTRY_FERNET_KEY to the key "
            "they were stored with (or enter the credentials again)."
        ) from None


def current_fernet() -> MultiFernet:
    """The app's Fernet inside an app context, else the one the environment / ``instance/`` configures."""
    from flask import has_app_context

    if has_app_context():
        return app_fernet()
    from registry.config import instance_path

    return make_fernet(load_key_text(instance_path()))
