"""Consent import benchmark (issue #6): 1,000,000 generated events into SQLite and PostgreSQL.

Prints per database:

- events/s of ``registry consent import``'s code path (validation, idempotency check, hash chain,
  subscriptions, daily counts, one transaction per batch), the import's CPU time split between this process
  and the database server (PostgreSQL, when the server runs on this machine: wall time on a shared machine
  says little on its own), and the importing process's peak memory;
- the raw load speed of the same event rows, the plain way (``executemany`` on SQLite, binary ``COPY`` on
  PostgreSQL, in transactions of the import's batch size), three times: into a bare table (the columns
  only: no index, constraint or trigger — the database's load speed), into one with ``consent_event``'s
  indexes and checks, and into one like ``consent_event`` as the import writes it (indexes, checks and the
  foreign keys; its append-only triggers fire on UPDATE and DELETE only), with the import's rate as a share
  of each;
- the time of the proof lookup (``consent show``) for one number among them.

Targets: ≥ 100,000 events/s on PostgreSQL and a lookup ≤ 10 ms.

    .venv/bin/python bench/consent.py [--events N] [--only sqlite|postgresql]

PostgreSQL comes from REGISTRY_TEST_POSTGRESQL_URL or a throwaway server started with scripts/pg-throwaway.
Each measurement runs in its own process so that peak memory is that of the import alone.
"""

from __future__ import annotations

import argparse
import contextlib
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
        server = ServerCPU(session.connection())
        started, cpu, server_started = time.perf_counter(), time.process_time(), server.seconds()
        report = import_csv(session, org_id, fh, filename="bench.csv", actor=Actor.system("bench"),
                            errors_path=Path(csv_path + ".errors.csv"), commit=session.commit)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        server_cpu = server.seconds() - server_started if server.known else None
    lookups = []
    with factory() as session:
        for _ in range(21):
            t = time.perf_counter()
            found = proof(session, org_id, PROBE)
            lookups.append(time.perf_counter() - t)
            session.rollback()
    engine.dispose()
    return {"imported": report.imported, "rejected": report.rejected, "seconds": elapsed, "cpu": cpu,
            "server_cpu": server_cpu, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "lookup_ms": statistics.median(lookups) * 1000, "probe_events": len(found.entries)}


class ServerCPU:
    """CPU seconds of this connection's PostgreSQL backend process, when the server runs on this machine (the
    import holds one connection throughout; autovacuum, WAL writer and checkpointer are not counted)."""

    def __init__(self, connection) -> None:
        self.path = None
        if connection.dialect.name == "postgresql":
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/comm").read_text().startswith("postgres"):
                    self.path = Path(f"/proc/{pid}/stat")
        self.known = self.seconds() is not None

    def seconds(self) -> float | None:
        try:
            fields = self.path.read_text().rsplit(")", 1)[1].split()  # type: ignore[union-attr]
        except (AttributeError, OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


COLUMNS = ("id", "organization_id", "seq", "campaign_id", "phone", "kind", "occurred_at", "recorded_at", "method",
           "source", "disclosure_id", "ip", "user_agent", "evidence_sha256", "evidence_name", "message_text",
           "reply_text", "inbound_id", "import_id", "recorded_by_id", "recorded_by", "dedupe_key", "prev_hash", "hash")
#: what each raw load writes into: (label, description)
RAW_TARGETS = (("bare", "a bare table: the columns only, no index, constraint or trigger"),
               ("indexed", "a table with consent_event's indexes and checks, no foreign keys"),
               ("as imported", "a table like consent_event: its indexes, checks and foreign keys"))


def run_raw(url: str, batch: int) -> dict:
    """Load the event rows the import wrote, the plain way, into a bare table, into one with the same indexes
    and into one like ``consent_event`` (indexes and foreign keys), ``batch`` rows per transaction as the
    import commits. PostgreSQL: binary COPY of dumps prepared beforehand (the timed loop only sends bytes);
    SQLite: ``executemany`` of the rows as tuples."""
    from registry.db import create_db_engine

    engine = create_db_engine(url)
    cols = ", ".join(COLUMNS)
    tables = ("raw_bare", "raw_indexed", "raw_as_imported")
    loads = []
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        count = conn.exec_driver_sql("SELECT count(*) FROM consent_event").scalar()
        if engine.dialect.name == "postgresql":
            with raw.cursor() as cur, tempfile.TemporaryFile() as dump:
                cur.execute("SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM consent_event) t "
                            "WHERE n %% %s = 1 ORDER BY id", (batch,))
                starts = [r[0] for r in cur.fetchall()]
                chunks = []
                for i, first in enumerate(starts):
                    offset = dump.tell()
                    bound = f"AND id < {starts[i + 1]}" if i + 1 < len(starts) else ""
                    with cur.copy(f"COPY (SELECT {cols} FROM consent_event WHERE id >= {first} {bound} ORDER BY id) "
                                  "TO STDOUT (FORMAT BINARY)") as copy:
                        for data in copy:
                            dump.write(data)
                    chunks.append((offset, dump.tell() - offset))
                cur.execute("CREATE TABLE raw_bare (LIKE consent_event)")  # the columns and NOT NULL only
                cur.execute("CREATE TABLE raw_indexed (LIKE consent_event INCLUDING ALL)")
                cur.execute("CREATE TABLE raw_as_imported (LIKE consent_event INCLUDING ALL)")
                cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                            "WHERE conrelid = 'consent_event'::regclass AND contype = 'f'")
                for name, definition in cur.fetchall():
                    cur.execute(f"ALTER TABLE raw_as_imported ADD CONSTRAINT raw_{name} {definition}")
                raw.commit()
                for table, what in zip(tables, RAW_TARGETS, strict=True):
                    started = time.perf_counter()
                    for offset, size in chunks:
                        dump.seek(offset)
                        data = dump.read(size)
                        with cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
                            copy.write(data)
                        raw.commit()
                    loads.append((*what, time.perf_counter() - started))
        else:
            rows = conn.exec_driver_sql(f"SELECT {cols} FROM consent_event ORDER BY id").fetchall()
            ddl = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'consent_event'").scalar()
            indexes = [r[0] for r in conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'consent_event' "
                "AND sql IS NOT NULL")]
            conn.commit()
            cur = raw.cursor()
            cur.execute(f"CREATE TABLE raw_bare ({cols})")  # no types, keys or constraints
            for table in tables[1:]:
                cur.execute(ddl.replace("consent_event", table, 1))
                for index in indexes:
                    cur.execute(index.replace("ON consent_event", f"ON {table}")
                                .replace("INDEX ix_", f"INDEX {table}_ix_"))
            raw.commit()
            insert = f"INSERT INTO {{}} ({cols}) VALUES ({', '.join('?' * len(COLUMNS))})"
            for table, what in zip(tables, RAW_TARGETS, strict=True):
                # the foreign keys are declared in the copied DDL and enforced with PRAGMA foreign_keys
                cur.execute(f"PRAGMA foreign_keys={'ON' if table == 'raw_as_imported' else 'OFF'}")
                started = time.perf_counter()
                for i in range(0, len(rows), batch):
                    cur.execute("BEGIN")
                    cur.executemany(insert.format(table), rows[i:i + batch])
                    raw.commit()
                loads.append((*what, time.perf_counter() - started))
    engine.dispose()
    return {"rows": count, "batch": batch, "loads": loads}


def child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=False, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{' '.join(args[:1])} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(kind: str, url: str, csv_path: Path, n: int) -> None:
    from registry.consent.imports import BATCH

    org_id = setup(url)
    result = child(["--child-import", url, str(csv_path), str(org_id)])
    raw = child(["--child-raw", url, str(BATCH)])
    rate = result["imported"] / result["seconds"]
    cpu = f"this process {result['cpu']:.1f} s"
    if result["server_cpu"] is not None:
        cpu += f", its database backend {result['server_cpu']:.1f} s"
    print(f"{kind:10s} import       {result['imported']:>9,} events in {result['seconds']:6.1f} s = {rate:>9,.0f} "
          f"events/s  (CPU: {cpu}; peak memory {result['peak_mb']:,.0f} MB)")
    how = "binary COPY" if kind == "postgresql" else "executemany"
    print(f"{kind:10s} raw load of the same {raw['rows']:,} event rows ({how}, {raw['batch']:,} rows per "
          f"transaction; subscriptions and daily counts not included):")
    for label, what, seconds in raw["loads"]:
        raw_rate = raw["rows"] / seconds
        print(f"{kind:10s}   {label:11s} {seconds:6.1f} s = {raw_rate:>9,.0f} rows/s  import/raw = "
              f"{rate / raw_rate:4.2f}  into {what}")
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
    parser.add_argument("--child-raw", nargs=2)
    args = parser.parse_args()
    if args.child_import:
        url, path, org = args.child_import
        print(json.dumps(run_import(url, path, int(org))))
        return
    if args.child_raw:
        print(json.dumps(run_raw(args.child_raw[0], int(args.child_raw[1]))))
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
