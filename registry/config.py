"""Configuration: defaults here, then the environment, then overrides passed to ``create_app`` (tests).

Everything the embedded default needs lives in ``instance/`` (``REGISTRY_INSTANCE`` moves it): the SQLite
database and a SECRET_KEY generated on first start and kept there.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: variables read from the environment (string values)
ENVIRONMENT_KEYS = ("DATABASE_URL", "SECRET_KEY", "REDIS_URL", "SESSION_COOKIE_SECURE", "PREFERRED_URL_SCHEME")


def instance_path() -> Path:
    return Path(os.environ.get("REGISTRY_INSTANCE", PROJECT_ROOT / "instance")).resolve()


def defaults(instance: Path) -> dict[str, Any]:
    return {
        "DATABASE_URL": f"sqlite:///{instance / 'registry.db'}",
        "SECRET_KEY": None,
        "REDIS_URL": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": 50 * 1024 * 1024,
        "PAGE_SIZE": 50,
    }


def from_environment() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in ENVIRONMENT_KEYS:
        if key in os.environ:
            values[key] = os.environ[key]
    if "SESSION_COOKIE_SECURE" in values:
        values["SESSION_COOKIE_SECURE"] = values["SESSION_COOKIE_SECURE"].lower() in ("1", "true", "yes")
    return values


def load_secret_key(instance: Path) -> str:
    """The key kept in ``instance/secret_key``, generated once (mode 0600)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def build_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    instance = instance_path()
    config = defaults(instance) | from_environment() | (overrides or {})
    if config["DATABASE_URL"].startswith("sqlite:///"):
        Path(config["DATABASE_URL"].removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = load_secret_key(instance)
    config["INSTANCE_PATH"] = str(instance)
    return config
