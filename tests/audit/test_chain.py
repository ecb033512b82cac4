"""The audit chain: appends link up, concurrent writers never fork it, and tampering behind the application's
back (altered, deleted, inserted, reordered rows, a truncated tail) is detected and named."""

from __future__ import annotations

import itertools
import threading

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from registry.audit import Actor, record
from registry.audit.chain import GENESIS, event_hash, verify_organization
from registry.audit.models import AuditEvent
from registry.db import make_sessionmaker, unit_of_work

ACTOR = Actor.system("tests")


@pytest.fixture
def org(create_org):
    return create_org("Chain Co")


def _append(db, org, n: int) -> None:
    for i in range(n):
        record(db, organization_id=org.id, actor=ACTOR, action="update", entity_type="brand", entity_id=1,
               summary=f"change {i}", changes={"displayName": [f"old {i}", f"new {i}"]})
    db.commit()


def _events(db, org) -> list[AuditEvent]:
    db.rollback()
    return list(db.scalars(sa.select(AuditEvent).where(AuditEvent.organization_id == org.id)
                           .order_by(AuditEvent.seq)))


def tamper(engine: sa.Engine, *statements: str) -> None:
    """What an operator with database access could do: disable the append-only guard, then change rows."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        else:
            conn.exec_driver_sql("DROP TRIGGER audit_event_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_event_no_delete")
        for statement in statements:
            conn.exec_driver_sql(statement)


def check(db, org):
    db.rollback()  # a fresh snapshot: see what the tampering connection committed
    return verify_organization(db, org.id)


def test_events_link_into_a_chain(db, org):
    _append(db, org, 3)
    events = _events(db, org)
    assert [e.seq for e in events] == [1, 2, 3, 4]  # 1 = the organization's own creation
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert all(event_hash(e) == e.hash for e in events)
    assert check(db, org) is None


def test_hash_covers_every_field_and_values_round_trip(db, org):
    record(db, organization_id=org.id, actor=ACTOR, action="update", entity_type="campaign", entity_id=7,
           summary="unicode ✓ — ok", changes={"sample1": ["é", "ü"], "mnoIds": [[], [10017, 10035]],
                                              "numberPool": [False, True]})
    db.commit()
    event = _events(db, org)[-1]
    assert event_hash(event) == event.hash
    assert event.changes["mnoIds"] == [[], [10017, 10035]]


def test_altered_row_is_detected(db, org, engine):
    _append(db, org, 4)
    target = _events(db, org)[2]
    tamper(engine, f"UPDATE audit_event SET summary = 'nothing happened' WHERE id = {target.id}")
    problem = check(db, org)
    assert problem is not None and problem.seq == target.seq
    assert "altered" in problem.problem


def test_altered_change_values_are_detected(db, org, engine):
    _append(db, org, 2)
    target = _events(db, org)[1]
    new = '{"displayName": ["old 0", "forged"]}'
    tamper(engine, f"UPDATE audit_event SET changes = '{new}' WHERE id = {target.id}")
    assert check(db, org).seq == target.seq


def test_deleted_row_is_detected(db, org, engine):
    _append(db, org, 4)
    target_id, target_seq = (lambda e: (e.id, e.seq))(_events(db, org)[2])
    tamper(engine, f"DELETE FROM audit_event WHERE id = {target_id}")
    problem = check(db, org)
    assert problem.seq == target_seq + 1
    assert "missing" in problem.problem


def test_deleted_tail_is_detected_through_the_chain_head(db, org, engine):
    _append(db, org, 3)
    last = _events(db, org)[-1]
    tamper(engine, f"DELETE FROM audit_event WHERE id = {last.id}")
    problem = check(db, org)
    assert problem.seq is None and "deleted from" in problem.problem


def test_inserted_row_is_detected(db, org, engine):
    _append(db, org, 3)
    events = _events(db, org)
    middle = events[1]
    # make room after event 2 and slip in a forged event that copies its neighbour's links
    tamper(engine,
           f"UPDATE audit_event SET seq = seq + 1000 WHERE organization_id = {org.id} AND seq > {middle.seq}",
           f"UPDATE audit_event SET seq = seq - 999 WHERE organization_id = {org.id} AND seq > 1000",
           "INSERT INTO audit_event (organization_id, seq, occurred_at, actor, action, entity_type, entity_id,"
           " summary, changes, prev_hash, hash) VALUES "
           f"({org.id}, {middle.seq + 1}, '2026-01-01 00:00:00', 'intruder', 'update', 'brand', '1',"
           f" 'forged', '{{}}', '{middle.hash}', '{'f' * 64}')")
    problem = check(db, org)
    assert problem.seq == middle.seq + 1


def test_reordered_rows_are_detected(db, org, engine):
    _append(db, org, 4)
    (a_id, a_seq), (b_id, b_seq) = [(e.id, e.seq) for e in _events(db, org)[2:4]]
    tamper(engine,
           f"UPDATE audit_event SET seq = -1 WHERE id = {a_id}",
           f"UPDATE audit_event SET seq = {a_seq} WHERE id = {b_id}",
           f"UPDATE audit_event SET seq = {b_seq} WHERE id = {a_id}")
    problem = check(db, org)
    assert problem.seq == a_seq
    assert "link" in problem.problem or "altered" in problem.problem


def test_chains_are_per_organization(db, create_org):
    first, second = create_org("One"), create_org("Two")
    _append(db, first, 2)
    _append(db, second, 1)
    assert [e.seq for e in _events(db, second)] == [1, 2]
    assert check(db, first) is None and check(db, second) is None


def test_concurrent_appends_never_fork_the_chain(app, engine, org, db):
    factory = make_sessionmaker(engine)
    org_id = org.id  # read once here: the test's own session must not be used from the writer threads
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                with unit_of_work(factory) as session:
                    record(session, organization_id=org_id, actor=ACTOR, action="update", entity_type="brand",
                           entity_id=n, summary=f"writer {n} change {i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    events = _events(db, org)
    assert [e.seq for e in events] == list(range(1, 62))
    assert len({e.prev_hash for e in events}) == 61
    assert check(db, org) is None


def test_cli_verify_passes_then_names_the_broken_event(db, org, engine, db_url):
    from registry.cli import cli

    _append(db, org, 3)
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", "verify"], env={"DATABASE_URL": db_url})
    assert result.exit_code == 0, result.output
    assert "every chain intact" in result.output
    target = _events(db, org)[1]
    tamper(engine, f"UPDATE audit_event SET actor = 'someone else' WHERE id = {target.id}")
    result = runner.invoke(cli, ["audit", "verify"], env={"DATABASE_URL": db_url})
    assert result.exit_code == 1
    assert f"event #{target.seq} (id {target.id})" in result.output
    assert "altered" in result.output
