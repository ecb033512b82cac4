"""Report benchmark (issue #7).

1. The registration dossier of a campaign with 1,000,000 consent events behind it (plus 1,000 assigned numbers
   and their audit trail, 2,000 provider calls, carriers' decisions): wall time of the generation and peak memory
   of the whole process tree. Targets: ≤ 5 s and ≤ 500 MB. The PDF summarises the consent trail from #6's
   derived tables; the detail tables are streamed to CSV and embedded without being held in memory.
2. A 10,000-row appendix rendered our way (monospace ledger pages laid out in Python, rendered in chunks by
   one process per CPU and merged with pypdf) against the same rows as one
   WeasyPrint document with an HTML table, in the same run, each in its own process. Target: ≥ 3× faster. The
   ledger in one process is printed too, so the share of the parallelism is visible.

    .venv/bin/python bench/reports.py [--events N] [--rows N] [--skip-naive] [--db URL [--reuse]]

The database is a fresh SQLite file (or ``--db``, e.g. the URL scripts/pg-throwaway exports); the consent events
are written through #6's own writer (``registry.consent.writer.append_events``: the hash chain and the derived
tables it keeps), so seeding takes a while and is timed separately. Memory is the sum of the proportional set
size (PSS) of the measured process and every process it started (the forkserver and its workers), sampled
every 200 ms (reading PSS is not free: sampling faster slows what is measured). The load average is printed
with each figure: on a shared machine, parallel rendering cannot beat one process when the cores are busy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CTA = ("Yes, text me appointment reminders from Acme Dental. Msg frequency varies. Msg & data rates may apply. "
       "Reply HELP for help, STOP to cancel. Terms: https://www.acmedental.com/sms-terms "
       "Privacy: https://www.acmedental.com/privacy")
FIELDS = {
    "referenceId": "bench-reminders", "usecase": "ACCOUNT_NOTIFICATION",
    "description": "Acme Dental reminds patients of upcoming appointments booked on acmedental.com.",
    "sample1": "Acme Dental: your appointment is on [date] at [time]. Reply STOP to opt out, HELP for help.",
    "messageFlow": f"Patients opt in on https://www.acmedental.com/reminders by ticking an unchecked box next to: "
                   f"\"{CTA}\"",
    "optinKeywords": "JOIN", "optoutKeywords": "STOP,QUIT", "helpKeywords": "HELP",
    "optinMessage": "Acme Dental: you are subscribed to reminders. Msg frequency varies. Msg & data rates may apply. "
                    "Reply HELP for help, STOP to cancel.",
    "optoutMessage": "Acme Dental: you are unsubscribed and will get no more messages.",
    "helpMessage": "Acme Dental: appointment reminders. Call (312) 555-0142 for help. Reply STOP to cancel.",
}
BRAND = {"referenceId": "bench-brand", "entityType": "PRIVATE_PROFIT", "displayName": "Acme Dental",
         "companyName": "Acme Dental Group LLC", "ein": "36-4123456", "phone": "+13125550142",
         "street": "233 South Wacker Drive", "city": "Chicago", "state": "IL", "postalCode": "60606",
         "country": "US", "email": "support@acmedental.com", "website": "https://www.acmedental.com",
         "vertical": "HEALTHCARE", "brandRelationship": "SMALL_ACCOUNT", "altBusinessIdType": "NONE"}


# --- memory of a process tree ---------------------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakMemory:
    """Samples the PSS of this process and its descendants until stopped; ``peak_mb`` is the highest sum."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(me)))
            self._stop.wait(0.2)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


# --- seeding ----------------------------------------------------------------------------------------------

def seed(url: str, events: int, numbers: int, calls: int) -> dict:
    """A registered campaign with ``numbers`` numbers, ``calls`` provider calls and ``events`` consent events."""
    from registry import migrate
    from registry.audit import Actor
    from registry.auth.operations import create_organization
    from registry.brands.operations import create_brand
    from registry.campaigns.operations import create_campaign
    from registry.consent.disclosures import disclosure_for
    from registry.consent.writer import NewEvent, Recorder, append_events
    from registry.db import create_db_engine, make_sessionmaker, unit_of_work
    from registry.lifecycle.models import CarrierStatus, StatusChange
    from registry.lifecycle.operations import change_status
    from registry.numbers.models import PhoneNumber
    from registry.provider_accounts.models import ProviderAccount, ProviderCall, ProviderName
    from registry.revisions.operations import freeze
    from registry.states import AssignmentStatus, CarrierState, RegistrationStatus, RevisionStatus

    started = time.perf_counter()
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    factory = make_sessionmaker(engine)
    actor = Actor.system("bench")
    day0 = datetime(2026, 1, 1, tzinfo=UTC)
    with unit_of_work(factory) as session:
        org = create_organization(session, "Bench Dental", actor=actor)
        brand = create_brand(session, org, BRAND, actor=actor)
        brand.status = RegistrationStatus.APPROVED
        campaign = create_campaign(session, org, brand, FIELDS, actor=actor)
        revision = freeze(session, campaign, actor=actor)
        revision.status = RevisionStatus.SUBMITTED
        for status in (RegistrationStatus.SUBMITTED, RegistrationStatus.IN_REVIEW, RegistrationStatus.APPROVED):
            change_status(session, campaign, status, actor=actor, source="provider")
        for carrier in ("10017", "10035", "10038"):
            session.add(StatusChange(organization_id=org.id, subject="campaign", subject_id=campaign.id,
                                     carrier=carrier, to_status="registered", source="sync", note=""))
            session.add(CarrierStatus(campaign_id=campaign.id, carrier=carrier, state=CarrierState.REGISTERED))
        account = ProviderAccount(organization_id=org.id, public_id="bench", provider=ProviderName.SANDBOX,
                                  label="Sandbox", base_url="http://127.0.0.1:9/v2", credentials="x",
                                  is_default=True)
        session.add(account)
        session.flush()
        disclosure = disclosure_for(session, campaign, CTA, actor=actor)
        org_id, campaign_id, account_id, disclosure_id, sha = (org.id, campaign.id, account.id, disclosure.id,
                                                              disclosure.sha256)
        for i in range(numbers):
            number = PhoneNumber(organization_id=org_id, e164=f"+1312555{i:04d}", label=f"pool {i}",
                                 campaign_id=campaign_id, assignment_status=AssignmentStatus.ASSIGNED,
                                 assigned_at=day0)
            session.add(number)
            session.flush()
            change_status(session, number, AssignmentStatus.PENDING, actor=actor)
            change_status(session, number, AssignmentStatus.ASSIGNED, actor=actor, source="provider")
        for i in range(calls):
            session.add(ProviderCall(organization_id=org_id, account_id=account_id, provider="sandbox", method="GET",
                                     path="/10dlc/campaign/bench", query={}, request_body=None,
                                     status=200 if i % 50 else 503, response_body={"status": "ACTIVE"},
                                     duration_ms=40.0, attempt=1, started_at=day0 + timedelta(hours=i),
                                     context=f"sync:campaign:{campaign_id}"))
    rng = random.Random(7)
    phones = max(events // 4, 1)
    recorder = Recorder("system: bench")
    batch: list = []
    for i in range(events):
        roll = rng.random()
        kind = "opt_in" if roll < 0.85 else "opt_out" if roll < 0.95 else "help" if roll < 0.98 else "re_opt_in"
        web = kind == "opt_in"
        batch.append(NewEvent(campaign_id=campaign_id, phone=f"+1646{2000000 + rng.randrange(phones):07d}",
                              kind=kind, occurred_at=day0 + timedelta(seconds=i * 17), method="web_form" if web
                              else "keyword", source="https://www.acmedental.com/reminders" if web
                              else "STOP to +13125550000", disclosure_id=disclosure_id if web else None,
                              disclosure_sha256=sha if web else None, ip="198.51.100.7" if web else None))
        if len(batch) == 20_000 or i == events - 1:
            with unit_of_work(factory) as session:
                append_events(session, org_id, batch, recorder)
            batch = []
    engine.dispose()
    return {"seconds": time.perf_counter() - started}


# --- measurements (each in its own process) -----------------------------------------------------------------

def run_dossier(url: str, out: str) -> dict:
    from registry.app import create_app
    from registry.db import get_database
    from registry.reports.service import ReportRequest, generate

    app = create_app({"DATABASE_URL": url})
    request = ReportRequest(kind="dossier", organization_id=1, campaign="bench-reminders", generated_by="bench")
    with PeakMemory() as memory:
        started = time.perf_counter()
        produced = generate(get_database(app).sessionmaker, request, app.config, pdf=Path(out) / "dossier.pdf",
                            csv=Path(out) / "dossier.csv")
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": memory.peak_mb, "pages": produced.pages,
            "attachments": [(a.name, a.rows, a.appendix or "-") for a in produced.attachments],
            "pdf_mb": (Path(out) / "dossier.pdf").stat().st_size / 1e6}


def appendix_rows(n: int) -> list[tuple[str, ...]]:
    rng = random.Random(3)
    actions = ("audit:assign", "audit:status", "provider_call", "audit:update", "field")
    rows = []
    for i in range(n):
        action = actions[i % len(actions)]
        summary = (f"+1312555{i % 10000:04d} assigned to campaign bench-reminders" if i % 3
                   else f"GET /10dlc/campaign/bench → 200 ({rng.randrange(20, 400)} ms, attempt 1); the provider "
                        "reported every carrier's decision and nothing changed")
        rows.append((f"2026-02-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00.000000Z", action,
                     f"phone_number {i}", "officer@acme.example", summary))
    return rows


def run_appendix(mode: str, n: int, out: str) -> dict:
    import html

    from registry.reports.model import Built, Detail, Meta, Row
    from registry.reports.pdf import RenderOptions, produce
    from registry.reports.render import render

    rows = appendix_rows(n)
    columns = ("time_utc", "kind", "subject", "actor", "summary")
    meta = Meta(kind="appendix", title="Appendix benchmark", subject=f"{n:,} rows", organization="Bench Dental",
                timezone="America/New_York", generated_utc="2026-03-01 17:00:00 UTC",
                generated_local="2026-03-01 12:00:00 EST", generated_iso="2026-03-01T17:00:00Z",
                generated_by="bench", chain_seq=1, chain_hash="0" * 64)
    with PeakMemory() as memory:
        started = time.perf_counter()
        if mode == "naive":  # the obvious way: one document, one HTML table (the report's own table styles)
            body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in rows)
            source = ('<html><head><link rel="stylesheet" href="print.css"></head><body><h2>Appendix A</h2>'
                      "<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr></thead><tbody>"
                      + body + "</tbody></table></body></html>")
            rendered = render(source)
            Path(out, "naive.pdf").write_bytes(rendered.pdf)
            pages = rendered.pages
        else:
            built = Built(meta=meta, template="reports/pdf/detail.html", context=(Row("Rows", f"{n:,}"),),
                          details=(Detail("appendix", "Appendix", columns, lambda: rows, formatted=True,
                                          printed=((0, 20), (1, 13), (2, 18), (3, 20), (4, 47))),),
                          csv_detail="appendix")
            workers = int(mode.split("-")[1]) if "-" in mode else 0  # "ledger": as the reports do (per CPU)
            produced = produce(built, pdf_path=Path(out, f"{mode}.pdf"),
                               options=RenderOptions(appendix_max_rows=n, workers=workers))
            pages, processes = produced.pages, produced.processes
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": memory.peak_mb, "pages": pages,
            "processes": processes if mode != "naive" else 1}


def child(*args: str) -> dict:
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["load"] = f"load {load:.1f}/{os.cpu_count()} cores"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--numbers", type=int, default=1_000)
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    parser.add_argument("--reuse", action="store_true", help="--db is already seeded by an earlier run")
    parser.add_argument("--skip-naive", action="store_true", help="skip the one-document baseline (minutes)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = run_dossier(*rest) if kind == "dossier" else run_appendix(kind, int(rest[0]), rest[1])
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        os.environ.setdefault("REGISTRY_INSTANCE", str(Path(tmp) / "instance"))
        url = args.db or f"sqlite:///{tmp}/bench.db"
        if not (args.reuse and args.db):
            seeded = seed(url, args.events, args.numbers, args.calls)
            print(f"seeded {args.events:,} consent events (through #6's writer), {args.numbers:,} numbers, "
                  f"{args.calls:,} provider calls in {seeded['seconds']:.1f} s ({url.split(':')[0]})")
        d = child("dossier", url, tmp)
        ok = d["seconds"] <= 5 and d["peak_mb"] <= 500
        print(f"dossier of a campaign with {args.events:,} consent events: {d['seconds']:.2f} s, peak memory "
              f"{d['peak_mb']:.0f} MB (process tree, PSS), {d['pages']} pages, {d['pdf_mb']:.1f} MB PDF "
              f"({d['load']}); "
              f"target ≤ 5 s and ≤ 500 MB: {'met' if ok else 'NOT met'}")
        print("  attached: " + ", ".join(f"{name} ({rows:,} rows, appendix {a})" for name, rows, a in d["attachments"]))
        mine = child("ledger", str(args.rows), tmp)
        print(f"{args.rows:,}-row appendix, ours (ledger pages, {mine['processes']} processes, merged): "
              f"{mine['seconds']:.1f} s, {mine['peak_mb']:.0f} MB, {mine['pages']} pages ({mine['load']})")
        other = 1 if mine["processes"] > 1 else (os.cpu_count() or 2)
        if other != mine["processes"]:
            alt = child(f"ledger-{other}", str(args.rows), tmp)
            print(f"{args.rows:,}-row appendix, ledger pages forced to {other} process(es): {alt['seconds']:.1f} s, "
                  f"{alt['peak_mb']:.0f} MB ({alt['load']})")
        if not args.skip_naive:
            naive = child("naive", str(args.rows), tmp)
            ratio = naive["seconds"] / mine["seconds"]
            print(f"{args.rows:,}-row appendix as one WeasyPrint document (HTML table): {naive['seconds']:.1f} s, "
                  f"{naive['peak_mb']:.0f} MB, {naive['pages']} pages ({naive['load']})")
            print(f"ours is {ratio:.1f}× faster; target ≥ 3×: {'met' if ratio >= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
