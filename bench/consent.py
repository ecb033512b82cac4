"""Consent import benchmark (issue #6): 1,000,000 generated events into SQLite and PostgreSQL.

Prints per database: events/s of ``registry consent import``'s code path (validation, idempotency check, hash
chain, subscriptions, daily counts), the importing process's peak memory, the time of the proof lookup
(``consent show``) for one number among them, and the raw load speed of the same rows (plain ``executemany`` on
SQLite, ``COPY`` on PostgreSQL, into a table with the same indexes) so the ratio is visible; on PostgreSQL also
into one with the same foreign keys, which every imported row is checked against (docs/decisions.md 25).
Targets: ≥ 100,000 events/s on PostgreSQL and a lookup ≤ 10 ms.

    .venv/bin/python bench/consent.py [--events N] [--only sqlite|postgresql]

PostgreSQL comes from REGISTRY_TEST_POSTGRESQL_URL or a throwaway server started with scripts/pg-throwaway.
Each measurement runs in its own process so that peak memory is that of the import alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["phone", "event", "occurred_at", "method", "source", "campaign", "disclosure_text", "ip", "user_agent"]
CTA = ("Yes, text me appointment reminders from Acme Dental. Msg frequency varies. Msg & data rates may apply. "
       "Reply HELP for help, STOP to cancel. Terms: https://www.acmedental.com/sms-terms "
       "Privacy: https://www.acmedental.com/privacy")
FLOW = f"Patients opt in on https://www.acmedental.com/reminders by ticking an unchecked box next to: \"{CTA}\""
PROBE = "+13125550142"


def generate(path: Path, n: int) -> None:
    """``n`` events over 200 days for n/4 numbers and two campaigns; the probe number gets a few of them."""
    rng = random.Random(6)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    numbers = max(n // 4, 1)
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(n):
            area = rng.choice((312, 415, 646, 702, 917))
            phone = PROBE if i % 200_000 == 0 else f"+1{area}{2000000 + rng.randrange(numbers):07d}"
            roll = rng.random()
            kind = "opt_in" if roll < 0.85 else "opt_out" if roll < 0.95 else "help" if roll < 0.98 else "re_opt_in"
            when = (start + timedelta(seconds=i * 17 + rng.randrange(17))).isoformat()
            web = kind == "opt_in"
            out.writerow([phone, kind, when, "web_form" if web else "keyword",
                          "https://www.acmedental.com/reminders" if web else "STOP to +13125550100",
                          "reminders" if i % 3 else "CABC123", CTA if web else "",
                          f"198.51.{rng.randrange(256)}.{rng.randrange(256)}" if web else "",
                          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)" if web else ""])


def setup(url: str) -> int:
    """A migrated, empty database with one organization and a registered campaign; the organization id."""
    from registry import migrate
    from registry.audit import Actor
    from registry.auth.operations import create_organization
    from registry.brands.operations import create_brand
    from registry.campaigns.operations import create_campaign
    from registry.db import create_db_engine, make_sessionmaker, unit_of_work
    from registry.revisions.operations import freeze
    from registry.states import RegistrationStatus, RevisionStatus

    engine = create_db_engine(url)
    migrate.upgrade(engine)
    actor = Actor.system("bench")
    with unit_of_work(make_sessionmaker(engine)) as session:
        org = create_organization(session, "Bench Dental", actor=actor)
        brand = create_brand(session, org, {"referenceId": "acme", "entityType": "PRIVATE_PROFIT",
                                            "displayName": "Acme Dental", "companyName": "Acme Dental Group LLC",
                                            "country": "US", "email": "support@acmedental.com",
                                            "website": "https://www.acmedental.com", "vertical": "HEALTHCARE"},
                             actor=actor)
        campaign = create_campaign(session, org, brand, {"referenceId": "reminders", "usecase": "ACCOUNT_NOTIFICATION",
                                                         "messageFlow": FLOW}, actor=actor)
        session.flush()
        revision = freeze(session, campaign, actor=actor)
        revision.status = RevisionStatus.SUBMITTED
        campaign.status, campaign.tcr_campaign_id = RegistrationStatus.APPROVED, "CABC123"
        org_id = org.id
    engine.dispose()
    return org_id


def run_import(url: str, csv_path: str, org_id: int) -> dict:
    from registry.audit import Actor
    from registry.consent.imports import import_csv
    from registry.consent.proof import proof
    from registry.db import create_db_engine, make_sessionmaker

    engine = create_db_engine(url)
    factory = make_sessionmaker(engine)
    with factory() as session, open(csv_path, "rb") as fh:
        started = time.perf_counter()
        report = import_csv(session, org_id, fh, filename="bench.csv", actor=Actor.system("bench"),
                            errors_path=Path(csv_path + ".errors.csv"), commit=session.commit)
        elapsed = time.perf_counter() - started
    lookups = []
    with factory() as session:
        for _ in range(21):
            t = time.perf_counter()
            found = proof(session, org_id, PROBE)
            lookups.append(time.perf_counter() - t)
            session.rollback()
    engine.dispose()
    return {"imported": report.imported, "rejected": report.rejected, "seconds": elapsed,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "lookup_ms": statistics.median(lookups) * 1000, "probe_events": len(found.entries)}


COLUMNS = ("organization_id", "seq", "campaign_id", "phone", "kind", "occurred_at", "recorded_at", "method", "source",
           "disclosure_id", "ip", "user_agent", "evidence_sha256", "evidence_name", "message_text", "reply_text",
           "inbound_id", "import_id", "recorded_by_id", "recorded_by", "dedupe_key", "prev_hash", "hash")


def run_raw(url: str) -> dict:
    """Load the rows the import wrote into an empty copy of consent_event (same indexes), the plain way."""
    import sqlalchemy as sa

    from registry.db import create_db_engine

    engine = create_db_engine(url)
    cols = ", ".join(COLUMNS)
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        if engine.dialect.name == "postgresql":
            dump = tempfile.NamedTemporaryFile(suffix=".copy", delete=False)  # noqa: SIM115
            with raw.cursor() as cur, cur.copy(f"COPY (SELECT {cols} FROM consent_event) TO STDOUT") as copy:
                for chunk in copy:
                    dump.write(chunk)
            dump.close()
            with raw.cursor() as cur:
                cur.execute("CREATE TABLE raw_event (LIKE consent_event INCLUDING ALL)")
                raw.commit()
                started = time.perf_counter()
                with open(dump.name, "rb") as fh, cur.copy(f"COPY raw_event ({cols}) FROM STDIN") as copy:
                    while block := fh.read(1 << 20):
                        copy.write(block)
                raw.commit()
                elapsed = time.perf_counter() - started
                cur.execute("SELECT count(*) FROM raw_event")
                count = cur.fetchone()[0]
                # LIKE … INCLUDING ALL copies the indexes but not the foreign keys, which the import's rows are
                # checked against: load once more into a copy that has them too
                cur.execute("CREATE TABLE raw_event_fk (LIKE consent_event INCLUDING ALL)")
                cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                            "WHERE conrelid = 'consent_event'::regclass AND contype = 'f'")
                for name, definition in cur.fetchall():
                    cur.execute(f"ALTER TABLE raw_event_fk ADD CONSTRAINT raw_{name} {definition}")
                raw.commit()
                started = time.perf_counter()
                with open(dump.name, "rb") as fh, cur.copy(f"COPY raw_event_fk ({cols}) FROM STDIN") as copy:
                    while block := fh.read(1 << 20):
                        copy.write(block)
                raw.commit()
                fk_seconds = time.perf_counter() - started
            os.unlink(dump.name)
        else:
            rows = conn.exec_driver_sql(f"SELECT {cols} FROM consent_event").fetchall()
            ddl = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'consent_event'").scalar()
            indexes = [r[0] for r in conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'consent_event' "
                "AND sql IS NOT NULL")]
            cur = raw.cursor()
            cur.execute(ddl.replace("consent_event", "raw_event", 1))
            for index in indexes:
                cur.execute(index.replace("ON consent_event", "ON raw_event").replace("INDEX ix_", "INDEX raw_ix_"))
            raw.commit()
            started = time.perf_counter()
            cur.execute("BEGIN")
            cur.executemany(f"INSERT INTO raw_event ({cols}) VALUES ({', '.join('?' * len(COLUMNS))})", rows)
            raw.commit()
            elapsed = time.perf_counter() - started
            count = len(rows)
            fk_seconds = None
    engine.dispose()
    del sa
    return {"rows": count, "seconds": elapsed, "fk_seconds": fk_seconds}


def child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(kind: str, url: str, csv_path: Path, n: int) -> None:
    org_id = setup(url)
    result = child(["--child-import", url, str(csv_path), str(org_id)])
    raw = child(["--child-raw", url])
    rate, raw_rate = result["imported"] / result["seconds"], raw["rows"] / raw["seconds"]
    print(f"{kind:10s} import  {result['imported']:>9,} events in {result['seconds']:6.1f} s = {rate:>9,.0f} events/s"
          f"  peak memory {result['peak_mb']:,.0f} MB")
    print(f"{kind:10s} raw     {raw['rows']:>9,} rows   in {raw['seconds']:6.1f} s = {raw_rate:>9,.0f} rows/s"
          f"  ({'COPY, same indexes, no foreign keys' if kind == 'postgresql' else 'executemany, same table'})  "
          f"import/raw = {rate / raw_rate:.2f}")
    if raw.get("fk_seconds"):
        fk_rate = raw["rows"] / raw["fk_seconds"]
        print(f"{kind:10s} raw+FK  {raw['rows']:>9,} rows   in {raw['fk_seconds']:6.1f} s = {fk_rate:>9,.0f} rows/s"
              f"  (COPY, same indexes and foreign keys)  import/raw+FK = {rate / fk_rate:.2f}")
    print(f"{kind:10s} consent show {PROBE}: {result['lookup_ms']:.2f} ms (median of 21, {result['probe_events']} "
          f"events)")
    if kind == "postgresql":
        print(f"{kind:10s} targets: ≥ 100,000 events/s {'met' if rate >= 100_000 else 'NOT met'}; lookup ≤ 10 ms "
              f"{'met' if result['lookup_ms'] <= 10 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--child-import", nargs=3)
    parser.add_argument("--child-raw", nargs=1)
    args = parser.parse_args()
    if args.child_import:
        url, path, org = args.child_import
        print(json.dumps(run_import(url, path, int(org))))
        return
    if args.child_raw:
        print(json.dumps(run_raw(args.child_raw[0])))
        return
    pg_admin = os.environ.get("REGISTRY_TEST_POSTGRESQL_URL")
    if args.only != "sqlite" and not pg_admin:
        script = str(ROOT / "scripts" / "pg-throwaway")  # re-run this script under a throwaway PostgreSQL
        os.execvp(script, [script, sys.executable, __file__, *sys.argv[1:]])  # noqa: S606
    with tempfile.TemporaryDirectory(prefix="consent-bench-") as tmp:
        csv_path = Path(tmp) / "events.csv"
        t = time.perf_counter()
        generate(csv_path, args.events)
        print(f"generated {args.events:,} events ({csv_path.stat().st_size / 1e6:,.0f} MB CSV) in "
              f"{time.perf_counter() - t:.1f} s")
        if args.only != "postgresql":
            measure("sqlite", f"sqlite:///{tmp}/bench.db", csv_path, args.events)
        if args.only != "sqlite":
            import sqlalchemy as sa

            admin = sa.create_engine(pg_admin, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql("DROP DATABASE IF EXISTS registry_bench_consent WITH (FORCE)")
                conn.exec_driver_sql("CREATE DATABASE registry_bench_consent")
            url = sa.make_url(pg_admin).set(database="registry_bench_consent").render_as_string(hide_password=False)
            try:
                measure("postgresql", url, csv_path, args.events)
            finally:
                with admin.connect() as conn:
                    conn.exec_driver_sql("DROP DATABASE IF EXISTS registry_bench_consent WITH (FORCE)")
                admin.dispose()


if __name__ == "__main__":
    main()
