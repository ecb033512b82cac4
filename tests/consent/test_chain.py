"""The consent chain: canonical hashing, and verification catching rows altered, deleted, inserted or reordered
with raw SQL; ``registry audit verify`` names the first broken consent event."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from registry.audit.chain import canonical
from registry.consent.chain import (
    CONTENT_FIELDS,
    LINK_FIELDS,
    content_digest,
    content_digester,
    link_hash,
    link_hasher,
    verify_consent_organization,
)
from registry.consent.writer import NewEvent, Recorder, append_events
from registry.db import unit_of_work

from .conftest import CTA, events


def test_time_text_is_the_audit_chains_time_format():
    from zoneinfo import ZoneInfo

    from registry.audit.chain import format_time
    from registry.consent.chain import time_text

    for moment in (datetime(2026, 1, 5, 19, 3, tzinfo=UTC), datetime.fromisoformat("2026-01-01T00:00:15+00:00"),
                   datetime(2026, 1, 5, 19, 3, 0, 5, tzinfo=timezone(timedelta(hours=-5))),
                   datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("America/Chicago"))):
        assert time_text(moment) == format_time(moment)


def test_fast_serializers_equal_canonical_json():
    values = ["a", None, 'quote " back\\slash', "ünï ✓ 📵", "tab\tnew\nline\x01", "x" * 300]
    for i, value in enumerate(values):
        content = dict(zip(CONTENT_FIELDS, [7, value, value, None, value, "opt_in", value, "web_form",
                                            "2026-01-05T19:03:00.000000Z", 3, "+13125550142", value, value, value],
                           strict=True))
        assert content_digest(*[content[k] for k in ("organization_id", "campaign_id", "phone", "kind", "occurred_at",
                                                     "method", "source", "disclosure_sha256", "ip", "user_agent",
                                                     "evidence_sha256", "evidence_name", "message_text",
                                                     "reply_text")]) == hashlib.sha256(canonical(content)).hexdigest()
        link = dict(zip(LINK_FIELDS, ["c" * 64, "d" * 64, i or None, None, "0" * 64, "2026-01-05T19:03:00.000000Z",
                                      value or "system", 12, 1000 + i], strict=True))
        assert link_hash(**link) == hashlib.sha256(canonical(link)).hexdigest()
        # the bulk import's serializers: the batch's shared fields bound once, the same bytes
        hasher = link_hasher(link["import_id"], link["recorded_at"], link["recorded_by"], link["recorded_by_id"])
        assert hasher(link["content"], link["dedupe_key"], link["inbound_id"], link["prev_hash"], link["seq"]) == \
            hashlib.sha256(canonical(link)).hexdigest()
        assert hasher(value or "c", value or "d", 5, value or "p", 1) == link_hash(
            value or "c", value or "d", link["import_id"], 5, value or "p", link["recorded_at"], link["recorded_by"],
            link["recorded_by_id"], 1)
        imported = content | {"evidence_name": None, "evidence_sha256": None, "message_text": None,
                              "reply_text": None}
        assert content_digester(imported["organization_id"])(*[imported[k] for k in (
            "campaign_id", "phone", "kind", "occurred_at", "method", "source", "disclosure_sha256", "ip",
            "user_agent")]) == hashlib.sha256(canonical(imported)).hexdigest()


@pytest.fixture
def chain(consent, session_factory):
    start = datetime(2026, 1, 5, tzinfo=UTC)
    with unit_of_work(session_factory) as session:
        from registry.audit import Actor
        from registry.campaigns.models import Campaign
        from registry.consent.disclosures import disclosure_for

        disclosure = disclosure_for(session, session.get(Campaign, consent.campaign.id), CTA,
                                    actor=Actor.system("tests"))
        append_events(session, consent.org.id, [
            NewEvent(campaign_id=consent.campaign.id, phone=f"+1312555014{i}", kind="opt_in",
                     occurred_at=start + timedelta(minutes=i), method="web_form", source="https://x.example/f",
                     disclosure_id=disclosure.id, disclosure_sha256=disclosure.sha256, ip="203.0.113.9")
            for i in range(5)], Recorder("tests"))
    return consent


def tamper(engine, *statements):
    with engine.begin() as conn:
        for table in ("consent_event", "consent_disclosure"):
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
            else:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_update")
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        for statement in statements:
            conn.exec_driver_sql(statement)
        if engine.dialect.name == "postgresql":  # the PostgreSQL test database outlives the test: re-arm the guard
            for table in ("consent_event", "consent_disclosure"):
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")


def check(db, org_id):
    db.rollback()
    return verify_consent_organization(db, org_id)


def test_intact_chain_verifies(chain, db):
    assert [e.seq for e in events(db, chain.org.id)] == [1, 2, 3, 4, 5]
    assert check(db, chain.org.id) is None


@pytest.mark.parametrize("assignment", ["phone = '+13125550199'", "kind = 'opt_out'", "ip = NULL",
                                        "occurred_at = occurred_at - interval '1 hour'", "recorded_by = 'someone'",
                                        "disclosure_id = NULL"])
def test_altered_rows_are_detected(chain, db, engine, assignment):
    if engine.dialect.name == "sqlite":
        assignment = assignment.replace("occurred_at - interval '1 hour'", "'2025-01-01 00:00:00.000000'")
    target_id, target_seq = (lambda e: (e.id, e.seq))(events(db, chain.org.id)[2])
    tamper(engine, f"UPDATE consent_event SET {assignment} WHERE id = {target_id}")
    problem = check(db, chain.org.id)
    assert problem.seq == target_seq and "altered" in problem.problem
    assert f"consent event #{target_seq} (id {target_id})" in str(problem)


def test_deleted_inserted_and_reordered_rows_are_detected(chain, db, engine):
    rows = events(db, chain.org.id)
    tamper(engine, f"DELETE FROM consent_event WHERE id = {rows[1].id}")
    assert "missing" in check(db, chain.org.id).problem


def test_reordered_rows_are_detected(chain, db, engine):
    (a_id, a_seq), (b_id, b_seq) = [(e.id, e.seq) for e in events(db, chain.org.id)[1:3]]
    tamper(engine, f"UPDATE consent_event SET seq = -1 WHERE id = {a_id}",
           f"UPDATE consent_event SET seq = {a_seq} WHERE id = {b_id}",
           f"UPDATE consent_event SET seq = {b_seq} WHERE id = {a_id}")
    assert check(db, chain.org.id).seq == a_seq


def test_inserted_row_and_truncated_tail_are_detected(chain, db, engine):
    rows = events(db, chain.org.id)
    last = rows[-1]
    columns = [c.name for c in last.__table__.columns if c.name != "id"]
    tamper(engine, f"INSERT INTO consent_event ({', '.join(columns)}) SELECT "
           + ", ".join("seq + 1" if c == "seq" else f"'{last.hash}'" if c == "prev_hash" else c for c in columns)
           + f" FROM consent_event WHERE id = {last.id}")
    problem = check(db, chain.org.id)  # a copy of the last row slipped in after it: its hash cannot match
    assert problem.seq == 6 and "altered" in problem.problem
    tamper(engine, f"DELETE FROM consent_event WHERE seq > 4 AND organization_id = {chain.org.id}")
    problem = check(db, chain.org.id)
    assert problem.seq is None and "head records event #5" in problem.problem


def test_altered_disclosure_text_is_detected(chain, db, engine):
    tamper(engine, "UPDATE consent_disclosure SET text = 'Text us anything'")
    problem = check(db, chain.org.id)
    assert "consent disclosure v1" in str(problem) and "altered" in problem.problem


def test_append_only_triggers_refuse_changes(chain, engine):
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        conn.exec_driver_sql("UPDATE consent_event SET phone = '+13125550199'")
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM consent_disclosure")


def test_registry_audit_verify_names_the_first_broken_consent_event(chain, db, engine, db_url):
    from registry.cli import cli

    runner = CliRunner()
    assert runner.invoke(cli, ["audit", "verify"], env={"DATABASE_URL": db_url}).exit_code == 0
    target_id, target_seq = (lambda e: (e.id, e.seq))(events(db, chain.org.id)[3])
    tamper(engine, f"UPDATE consent_event SET source = 'https://forged.example' WHERE id = {target_id}")
    result = runner.invoke(cli, ["audit", "verify"], env={"DATABASE_URL": db_url})
    assert result.exit_code == 1
    assert f"consent event #{target_seq} (id {target_id})" in result.output and "altered" in result.output


def test_bulk_batches_fold_like_single_events(consent, session_factory, db):
    """The bulk path (COPY + staging table on PostgreSQL, for batches of many subscriptions) leaves the same
    subscriptions and daily counts as small appends: same events into two campaigns, one in 2 large batches,
    the other in batches of 40 (back-dated events, opt-out ties and re-opt-ins included)."""
    import random

    from registry.audit import Actor
    from registry.consent.models import ConsentDaily, ConsentSubscription

    rng = random.Random(6)
    start = datetime(2026, 1, 5, tzinfo=UTC)
    plan = [(f"+1312555{rng.randrange(400):04d}", rng.choice(("opt_in", "opt_in", "opt_out", "help", "re_opt_in")),
             start + timedelta(hours=rng.randrange(24 * 6))) for _ in range(1600)]

    def batch(campaign_id, rows):
        return [NewEvent(campaign_id=campaign_id, phone=phone, kind=kind, occurred_at=when, method="keyword",
                         source="STOP to +13125550100") for phone, kind, when in rows]

    for campaign_id, size in ((consent.campaign.id, 800), (consent.other.id, 40)):
        for i in range(0, len(plan), size):
            with unit_of_work(session_factory) as session:
                append_events(session, consent.org.id, batch(campaign_id, plan[i:i + size]),
                              Recorder(Actor.system("tests").label))
    db.rollback()

    def state(campaign_id):
        subs = {s.phone: (s.state, s.state_at, s.state_kind, s.state_method) for s in
                db.scalars(sa.select(ConsentSubscription).where(ConsentSubscription.campaign_id == campaign_id))}
        days = {d.day: (d.opt_ins, d.opt_outs, d.helps, d.gained, d.lost) for d in
                db.scalars(sa.select(ConsentDaily).where(ConsentDaily.campaign_id == campaign_id))}
        return subs, days

    bulk, single = state(consent.campaign.id), state(consent.other.id)
    assert len(bulk[0]) > 300 and bulk == single
    assert verify_consent_organization(db, consent.org.id) is None
