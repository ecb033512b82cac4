"""The database layer: engine, session ownership, declarative base and the column types every model uses.

Decisions (see docs/decisions.md):
- plain SQLAlchemy 2 (no Flask-SQLAlchemy): the web app, the CLI and the worker all need sessions, and one
  small module owning them is easier to reason about than an extension;
- one session per unit of work, owned by the edge (a request, a CLI command, a work item); code below the edge
  flushes but never commits;
- a metadata naming convention, so every constraint has the same name on SQLite and PostgreSQL;
- datetimes are stored in UTC and always come back timezone-aware;
- status enums are stored as their string values with a named CHECK constraint (no native PG enum types).
"""

from __future__ import annotations

import contextvars
import enum
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A datetime stored as UTC; naive values are refused, values read back are always aware (UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
        value = value.astimezone(UTC)
        # SQLite stores text; keep it naive-UTC there so string comparison stays chronological
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum], name: str, **kw: Any) -> Any:
    """A string column holding ``enum_cls`` values with a CHECK constraint named ``ck_<table>_<name>``."""
    length = max(len(str(m.value)) for m in enum_cls)
    return mapped_column(
        sa.Enum(
            enum_cls,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=max(length, 20),
            validate_strings=True,
            values_callable=lambda cls: [str(m.value) for m in cls],
        ),
        **kw,
    )


class TimestampMixin:
    #: when the row was created (UTC)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the row was last changed (UTC)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic locking: SQLAlchemy adds ``WHERE version = :old`` to every UPDATE and raises
    ``StaleDataError`` when another transaction changed the row first; forms also carry the version they
    were loaded with, so a save based on an old page is refused with a clear message (see operations)."""

    #: optimistic-lock counter, incremented on every UPDATE
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)

    @sa.orm.declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


# --- engine and sessions --------------------------------------------------------------------------------

#: how SQLite transactions begin: ``IMMEDIATE`` takes the write lock up front, so two writers queue instead of
#: failing on lock upgrade; read-only requests use ``DEFERRED``. An engine's ``sqlite_begin`` execution option
#: overrides it. PostgreSQL ignores both.
sqlite_begin: contextvars.ContextVar[str] = contextvars.ContextVar("sqlite_begin", default="IMMEDIATE")


def create_db_engine(url: str, **kw: Any) -> Engine:
    """Create the engine for ``url`` with the settings this app relies on."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kw)
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, **kw)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # let SQLAlchemy (not pysqlite) emit BEGIN, so we choose its mode
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        conn.exec_driver_sql(f"BEGIN {options.get('sqlite_begin') or sqlite_begin.get()}")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction owned by the caller: commit on success, roll back on any exception."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# --- Flask glue: one session per application context, committed by the edge --------------------------

_EXTENSION = "registry.db"


class Database:
    """The engine and session factory of one app, stored in ``app.extensions``."""

    def __init__(self, url: str, **engine_kw: Any) -> None:
        self.url = url
        self.engine = create_db_engine(url, **engine_kw)
        self.sessionmaker = make_sessionmaker(self.engine)

    def init_app(self, app: Any) -> None:
        app.extensions[_EXTENSION] = self
        app.teardown_appcontext(_close_session)


def get_database(app: Any = None) -> Database:
    from flask import current_app

    return (app or current_app).extensions[_EXTENSION]


def get_session() -> Session:
    """The session of the current request/CLI command/work item (created on first use)."""
    from flask import g

    session = g.get("_db_session")
    if session is None:
        session = g._db_session = get_database().sessionmaker()
    return session


def peek_session() -> Session | None:
    """The current session if one was opened, without opening one."""
    from flask import g

    return g.get("_db_session")


def _close_session(_exc: BaseException | None) -> None:
    from flask import g

    session = g.pop("_db_session", None)
    if session is not None:
        session.rollback()  # anything the edge did not commit is discarded
        session.close()
