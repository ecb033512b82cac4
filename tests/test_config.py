from __future__ import annotations

from registry.config import build_config


def test_secret_key_is_generated_once_and_kept_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = build_config()["SECRET_KEY"]
    assert len(first) >= 48
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert build_config()["SECRET_KEY"] == first


def test_environment_then_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-env.db")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    config = build_config({"SECRET_KEY": "x"})
    assert config["DATABASE_URL"] == "sqlite:///from-env.db"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert build_config({"DATABASE_URL": "sqlite:///override.db"})["DATABASE_URL"] == "sqlite:///override.db"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_INSTANCE", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert build_config()["DATABASE_URL"] == f"sqlite:///{tmp_path / 'registry.db'}"
