"""Test fixtures shared by the whole suite.

Database tests run once per database: SQLite and PostgreSQL (``--db`` chooses; ``make test`` runs both
against a throwaway server started by ``scripts/pg-throwaway``). Each test gets a freshly migrated, empty
database: SQLite copies a migrated template file, PostgreSQL truncates every table afterwards. The app commits
for real, exactly as in production.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from registry import migrate
from registry.db import create_db_engine

pytest_plugins = ["tests.factories"]

DATABASES = ("sqlite", "postgresql")
PG_URL_VAR = "REGISTRY_TEST_POSTGRESQL_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default=",".join(DATABASES),
                     help="databases to run database tests on: sqlite, postgresql or both (default)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_kind" in metafunc.fixturenames:
        kinds = [k.strip() for k in metafunc.config.getoption("--db").split(",") if k.strip()]
        unknown = set(kinds) - set(DATABASES)
        if unknown:
            raise pytest.UsageError(f"--db: unknown database(s) {', '.join(sorted(unknown))}")
        metafunc.parametrize("db_kind", kinds, scope="session")


@pytest.fixture(autouse=True, scope="session")
def _isolated_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Never touch the developer's ``instance/``: secret keys and SQLite files go to a temp dir."""
    old = os.environ.get("REGISTRY_INSTANCE")
    os.environ["REGISTRY_INSTANCE"] = str(tmp_path_factory.mktemp("instance"))
    yield
    if old is None:
        os.environ.pop("REGISTRY_INSTANCE", None)
    else:
        os.environ["REGISTRY_INSTANCE"] = old


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at production cost takes ~50 ms and 64 MiB per hash; tests use the same code with tiny costs."""
    from registry.auth import passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


# --- no network but loopback (issue #5): every test, every thread --------------------------------------

class NonLoopbackConnection(OSError):
    """A test tried to reach an address outside 127.0.0.0/8 and ::1."""


def _is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@dataclass
class NetworkGuard:
    """Records attempts to leave the machine; the test fails at teardown if there were any."""

    violations: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Fail any test that opens a connection to a non-loopback address (checked before connecting)."""
    guard = NetworkGuard()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_create = socket.create_connection

    def check(family: int, address: Any) -> None:
        if family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            guard.violations.append(str(address))
            raise NonLoopbackConnection(f"test tried to connect to {address!r}: only loopback is allowed")

    def connect(self: socket.socket, address: Any) -> None:
        check(self.family, address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(self.family, address)
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        check(socket.AF_INET, address)
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield guard
    if guard.violations:
        pytest.fail(f"non-loopback connection attempted: {guard.violations}")


def _worker_suffix() -> str:
    return re.sub(r"\W", "", os.environ.get("PYTEST_XDIST_WORKER", "main"))


@pytest.fixture(scope="session")
def database_template(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database per kind: a template file (SQLite) or a database (PostgreSQL)."""
    if db_kind == "sqlite":
        path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
        engine = create_db_engine(f"sqlite:///{path}")
        migrate.upgrade(engine)
        engine.dispose()
        yield str(path)
        return
    admin_url = os.environ.get(PG_URL_VAR)
    if not admin_url:
        pytest.fail(f"{PG_URL_VAR} is not set: run the suite with `make test` (it starts a throwaway "
                    "PostgreSQL), or pass --db=sqlite to run only the SQLite half", pytrace=False)
    name = f"registry_test_{_worker_suffix()}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def db_url(db_kind: str, database_template: str, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database for one test."""
    if db_kind == "sqlite":
        path = tmp_path / "registry.db"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"
        return
    yield database_template
    engine = create_db_engine(database_template)
    tables = ", ".join(f'"{t}"' for t in _tables())
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()


def _tables() -> list[str]:
    from registry.models import Base

    return [t.name for t in Base.metadata.sorted_tables]


@pytest.fixture
def app(db_url: str):
    from registry.app import create_app

    application = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test-secret",
                              "SERVER_NAME": "registry.test"})
    yield application
    from registry.db import get_database

    get_database(application).engine.dispose()


@pytest.fixture
def db(app):
    """A session for arranging data and checking results (outside any app context: requests made by the test
    client must get their own app context, ``g`` and session, as in production).

    On SQLite it runs in autocommit mode: a read in the test never holds a snapshot or a lock that would block
    (or be invalidated by) the request under test. Call ``db.rollback()`` before re-reading what a request
    changed, so objects loaded earlier are refreshed.
    """
    from sqlalchemy.orm import Session

    from registry.db import get_database

    engine = get_database(app).engine
    if engine.dialect.name == "sqlite":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    with Session(engine) as session:
        yield session


@pytest.fixture
def engine(app):
    from registry.db import get_database

    return get_database(app).engine


@pytest.fixture
def public_route(app):
    """Register a throwaway view reachable without login."""
    from registry.web import context

    added = []

    def register(rule, view):
        app.add_url_rule(rule, view.__name__, view)
        added.append(view.__name__)
        context.PUBLIC_ENDPOINTS = context.PUBLIC_ENDPOINTS | {view.__name__}

    yield register
    context.PUBLIC_ENDPOINTS = context.PUBLIC_ENDPOINTS - set(added)


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class WebClient:
    """A test client that logs in through the real form and sends CSRF tokens like a web does."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def token(self, page: str = "/") -> str:
        return csrf_from(self.client.get(page).text)

    def post(self, url: str, data: dict | None = None, *, token_page: str = "/", **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_page))
        return self.client.post(url, data=data, **kw)

    def login(self, email: str, password: str = "correct horse battery"):
        token = csrf_from(self.client.get("/login").text)
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def web(app) -> WebClient:
    return WebClient(app.test_client())


@pytest.fixture
def make_web(app):
    return lambda: WebClient(app.test_client())
