"""Migrations are the only way the schema changes: prove they build exactly what the models describe."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from registry import migrate
from registry.db import create_db_engine
from registry.models import Base


def _diff(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, Base.metadata)


@pytest.fixture
def migrated(db_url):
    engine = create_db_engine(db_url)
    yield engine
    engine.dispose()


def test_migrated_schema_matches_the_models(migrated):
    assert _diff(migrated) == []


def test_downgrade_to_base_then_upgrade_round_trips(migrated):
    migrate.downgrade(migrated, "base")
    assert set(sa.inspect(migrated).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(migrated)
    assert migrate.current(migrated) is not None
    assert _diff(migrated) == []


def test_every_constraint_has_a_deterministic_name(migrated):
    inspector = sa.inspect(migrated)
    for table in Base.metadata.sorted_tables:
        for uq in inspector.get_unique_constraints(table.name):
            assert uq["name"].startswith("uq_"), (table.name, uq)
        for fk in inspector.get_foreign_keys(table.name):
            assert fk["name"].startswith("fk_"), (table.name, fk)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET summary = 'rewritten'",
    "DELETE FROM audit_event",
])
def test_audit_events_cannot_be_updated_or_deleted(migrated, statement):
    from registry.audit import Actor
    from registry.auth.operations import create_organization
    from registry.db import make_sessionmaker, unit_of_work

    with unit_of_work(make_sessionmaker(migrated)) as session:
        create_organization(session, "Append Only Inc", actor=Actor.system("tests"))
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), migrated.begin() as conn:
        conn.exec_driver_sql(statement)
