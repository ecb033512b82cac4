"""Web latency under load: dashboard and list pages with 10,000 campaigns and 100,000 numbers.

Seeds a fresh database (SQLite by default; DATABASE_URL to use another), serves the app with gunicorn (2
workers), and loads each page with 20 concurrent logged-in clients, then prints p50/p95/p99 latency and
throughput per page. Target: p95 ≤ 100 ms on this machine.

The load comes from `wrk` (a C load generator, Debian package `wrk`) when it is installed, so the client does
not eat the CPU the server is measured on; otherwise from Python threads (the figures then include the
client's own cost, and the script says so).

    .venv/bin/python bench/web.py [--seconds 30] [--clients 20] [--campaigns 10000] [--numbers-per 10]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["/", "/brands", "/campaigns", "/campaigns?status=in_review", "/numbers", "/numbers?page=50", "/reviews"]
STATUSES = ["draft", "awaiting_review", "queued", "submitted", "in_review", "approved", "approved", "approved",
            "rejected", "suspended"]
USECASES = ["MARKETING", "ACCOUNT_NOTIFICATION", "MIXED", "2FA", "CUSTOMER_CARE", "DELIVERY_NOTIFICATION"]
EMAIL, PASSWORD = "bench@bench.example", "benchmark-password"


def seed(url: str, campaigns: int, numbers_per: int) -> None:
    from registry import migrate
    from registry.auth.passwords import hash_password
    from registry.db import create_db_engine
    from registry.models import Base

    engine = create_db_engine(url)
    migrate.upgrade(engine)
    t = Base.metadata.tables
    now = datetime.now(UTC)
    started = time.perf_counter()
    with engine.begin() as conn:
        org_id = conn.execute(t["organization"].insert().values(name="Bench Platform", slug="bench",
                              timezone="America/Chicago", created_at=now, updated_at=now)).inserted_primary_key[0]
        user_id = conn.execute(t["user_account"].insert().values(
            email=EMAIL, full_name="Bench Officer", password_hash=hash_password(PASSWORD), session_token="bench",
            is_active=True, created_at=now, updated_at=now)).inserted_primary_key[0]
        conn.execute(t["membership"].insert().values(user_id=user_id, organization_id=org_id,
                                                     role="compliance_officer", created_at=now, updated_at=now,
                                                     version=1))
        brands = campaigns // 10
        conn.execute(t["brand"].insert(), [dict(
            organization_id=org_id, reference=f"brand-{i}", status="approved", identity_status="verified",
            entity_type="PRIVATE_PROFIT", display_name=f"Brand {i:05d}", company_name=f"Brand {i:05d} LLC",
            tags=[], lint_errors=0, lint_warnings=0, created_at=now - timedelta(minutes=i),
            updated_at=now - timedelta(minutes=i), version=1) for i in range(brands)])
        brand_ids = [r[0] for r in conn.execute(sa.select(t["brand"].c.id).order_by(t["brand"].c.id))]
        rows = [dict(organization_id=org_id, brand_id=brand_ids[i % brands], reference=f"campaign-{i}",
                     status=STATUSES[i % len(STATUSES)], usecase=USECASES[i % len(USECASES)], sub_usecases=[],
                     subscriber_optin=True, subscriber_optout=True, subscriber_help=True, embedded_link=False,
                     embedded_phone=False, number_pool=False, age_gated=False, direct_lending=False,
                     terms_and_conditions=True, auto_renewal=True, mno_ids=[], tags=[],
                     lint_errors=(i % 7 == 0) * 2, lint_warnings=i % 3, created_at=now - timedelta(seconds=i),
                     updated_at=now - timedelta(seconds=i), version=1) for i in range(campaigns)]
        for chunk in range(0, len(rows), 5000):
            conn.execute(t["campaign"].insert(), rows[chunk:chunk + 5000])
        campaign_ids = [r[0] for r in conn.execute(sa.select(t["campaign"].c.id).order_by(t["campaign"].c.id))]
        total = campaigns * numbers_per
        for chunk in range(0, total, 20000):
            conn.execute(t["phone_number"].insert(), [dict(
                organization_id=org_id, e164=f"+1312{n:07d}", label="", campaign_id=campaign_ids[n // numbers_per],
                assignment_status="assigned", created_at=now, updated_at=now, version=1)
                for n in range(chunk, min(chunk + 20000, total))])
    engine.dispose()
    print(f"seeded {brands:,} brands, {campaigns:,} campaigns, {total:,} numbers in "
          f"{time.perf_counter() - started:.1f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = session.post(f"{base}/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.status_code
    return session


def run_load(base: str, clients: int, seconds: float) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {p: [] for p in PAGES}
    errors: list[str] = []
    sessions = [login(base) for _ in range(clients)]
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def client(n: int) -> None:
        i = n
        while time.monotonic() < deadline:
            path = PAGES[i % len(PAGES)]
            i += 1
            start = time.perf_counter()
            response = sessions[n].get(base + path, timeout=30)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if response.status_code != 200:
                    errors.append(f"{path}: {response.status_code}")
                timings[path].append(elapsed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"{len(errors)} errors, first: {errors[0]}")
    return timings


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def run_wrk(base: str, clients: int, seconds: float, tmp: str) -> dict[str, tuple[int, int, float, float, float]]:
    """Per page: (requests, errors, p50, p95, p99) with `clients` connections for seconds/len(PAGES) each."""
    cookie = "; ".join(f"{k}={v}" for k, v in login(base).cookies.items())
    script = Path(tmp) / "report.lua"
    script.write_text(WRK_SCRIPT)
    per_page = max(seconds / len(PAGES), 2)
    results = {}
    for path in PAGES:
        out = subprocess.run(["wrk", "-t", "2", "-c", str(clients), "-d", f"{per_page:.0f}s", "--timeout", "10s",
                              "-H", f"Cookie: {cookie}", "-s", str(script), base + path],
                             capture_output=True, text=True, check=True).stdout
        line = next(line for line in out.splitlines() if line.startswith("RESULT"))
        n, errors, p50, p95, p99 = line.split()[1:]
        results[path] = (int(n), int(errors), float(p50), float(p95), float(p99))
    return results


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--numbers-per", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        seed(url, args.campaigns, args.numbers_per)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "REGISTRY_INSTANCE": tmp, "SECRET_KEY": "bench"}
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b",
                                   f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    requests.get(f"{base}/health", timeout=5)
                    break
                except requests.RequestException:
                    time.sleep(0.1)
            for _ in range(2):  # warm both workers
                run_load(base, 2, 1)
            if shutil.which("wrk"):
                wrk = run_wrk(base, args.clients, args.seconds, tmp)
            else:
                wrk, timings = None, run_load(base, args.clients, args.seconds)
        finally:
            server.terminate()
            server.wait(10)
    engine = url.split(":")[0]
    client = "wrk" if wrk else "Python threads (install wrk for a client that does not compete for the CPU)"
    print(f"\nweb latency, {args.clients} concurrent clients, {args.seconds:.0f} s, gunicorn 2 sync workers, "
          f"{engine}, load from {client}")
    print(f"{'page':32} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    if wrk:
        total = sum(r[0] for r in wrk.values())
        for path, (n, errors, p50, p95, p99) in wrk.items():
            print(f"{path:32} {n:>8} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f}" + (f"  {errors} errors" if errors else ""))
        worst = max(r[3] for r in wrk.values())
        print(f"throughput: {total / max(args.seconds, 2 * len(PAGES)):.0f} requests/s; worst page p95 {worst:.1f} ms "
              f"(target: p95 <= 100 ms)")
        return
    everything: list[float] = []
    for path, values in timings.items():
        everything += values
        print(f"{path:32} {len(values):>8} {percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f} "
              f"{percentile(values, 99):>8.1f}")
    print(f"{'all pages':32} {len(everything):>8} {percentile(everything, 50):>8.1f} "
          f"{percentile(everything, 95):>8.1f} {percentile(everything, 99):>8.1f}")
    print(f"throughput: {len(everything) / args.seconds:.0f} requests/s (target: p95 <= 100 ms)")


if __name__ == "__main__":
    main()
