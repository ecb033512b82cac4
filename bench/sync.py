"""Sync benchmark: 10,000 campaigns in carrier review at the simulator, which allows 50 requests/second.

Seeds the simulator in bulk (``POST /_sim/seed``: registered brands whose campaigns are already at MNO_PENDING;
each carrier decides at a random moment within three virtual days, except a fast 2 % whose carriers all decide
within the run; 2 % are rejected by one carrier) and a fresh database with the same campaigns, linked and in
review (SQLite by default; DATABASE_URL for another).
Our app is served on loopback so the simulator delivers its signed webhooks to it, with real-world
misbehaviour: 10 % duplicated, 5 % lost, shuffled. Then virtual time moves in steps; after each step the sync
runs passes (``registry.sync.runner.run_pass``, 8 worker threads, the account's client-side limit set just
under the simulator's 50 req/s) until nothing is due. A last sweep round finds what lost webhooks did not
announce. The simulator runs in its own process, as a provider would.

Prints:
- the request rate achieved while the sync was busy, as a share of the limit (target >= 90 %);
- 429s received;
- transitions applied (status history rows written by the sync) vs transitions the simulator made (target:
  equal);
- how many polling calls webhooks saved: polling alone must fetch every campaign in review at every step to
  notice changes as fast; webhooks (plus the list sweep for lost ones) name the few that changed.

    .venv/bin/python bench/sync.py [--campaigns 10000] [--brands 50] [--rate 50] [--hours 6] [--step 30]
                                   [--workers 8] [--drop 0.05] [--duplicate 0.1]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: the account's client-side limit as a share of the provider's: a hair under it, so clock jitter between the
#: two token buckets does not turn into 429s (each costs every thread a Retry-After pause)
CLIENT_SHARE = 0.97


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--brands", type=int, default=50)
    parser.add_argument("--rate", type=float, default=50.0, help="the simulator's limit, requests/second")
    parser.add_argument("--hours", type=float, default=5.0, help="virtual hours to play")
    parser.add_argument("--step", type=float, default=30.0, help="virtual minutes per step")
    parser.add_argument("--window", type=float, default=72.0, help="carriers decide within these hours")
    parser.add_argument("--fast", type=float, default=0.02, help="share of campaigns decided within the run")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--drop", type=float, default=0.05, help="share of webhooks lost")
    parser.add_argument("--duplicate", type=float, default=0.10, help="share of webhooks delivered twice")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="registry-bench-sync-"))
    os.environ["REGISTRY_INSTANCE"] = str(tmp)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    return run(args, url)


def run(args: argparse.Namespace, url: str) -> int:
    import sqlalchemy as sa
    from werkzeug.serving import make_server

    from registry import migrate
    from registry.app import create_app
    from registry.db import create_db_engine, get_database, unit_of_work
    from registry.lifecycle.models import StatusChange
    from registry.provider_accounts.models import ProviderCall
    from registry.providers.http import RetryPolicy
    from registry.providers.times import parse_time
    from registry.sync.runner import PassStats, run_pass

    engine = create_db_engine(url)
    if engine.dialect.name == "postgresql":
        migrate.downgrade(engine, "base")
    migrate.upgrade(engine)
    engine.dispose()

    review_interval = 72 * 3600.0  # each campaign's own scheduled look (the safety net behind webhooks/sweeps)
    app = create_app(
        {
            "DATABASE_URL": url,
            "WORKER_AUTORUN": False,
            "HUEY_IMMEDIATE": True,
            "SYNC_BATCH": 1_000_000,
            "SYNC_INTERVALS": {1: 1800.0, 2: review_interval, 3: 7 * 86400.0},
            "SYNC_SWEEP_SECONDS": 1800.0,
            "PROVIDER_RETRY": RetryPolicy(max_attempts=4, backoff_base=0.2, backoff_max=5.0, max_retry_after=10.0),
            "PROVIDER_TIMEOUT": (3.0, 10.0),
        }
    )
    for name in ("werkzeug", "registry", "huey"):
        logging.getLogger(name).setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = public = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    sim = SimulatorProcess(rate=args.rate, seed=args.seed)
    try:
        sim.post(
            "/_sim/webhooks",
            {
                "drop_probability": args.drop,
                "duplicate_probability": args.duplicate,
                "order": "shuffle",
                "seed": args.seed,
                "timeout": 10.0,
            },
        )
        sim.post("/_sim/delays", {"provisioning": 90 * 86400})
        t_seed = time.perf_counter()
        account_id, public_id = seed_database(app, sim, args)
        hook = f"{public}/webhooks/sandbox/{public_id}"
        # a fast group (one brand) whose carriers all decide within the run, so whole campaigns complete too;
        # the rest decide within --window hours, as carriers do
        fast = max(1, int(args.campaigns * args.fast))
        slow_brands = max(1, args.brands - 1)
        groups = [
            (1, fast, args.hours * 3600 * 0.9),
            (slow_brands, max(1, (args.campaigns - fast) // slow_brands), args.window * 3600),
        ]
        start = None
        campaigns = 0
        for brands, per, window in groups:
            seeded = sim.post(
                "/_sim/seed",
                {
                    "brands": brands,
                    "campaigns_per_brand": per,
                    "decide_within_seconds": window,
                    "reject_share": 0.02,
                    "seed": args.seed,
                    "webhookURL": hook,
                },
            )
            start = start or parse_time(seeded["now"])
            link_database(app, account_id, seeded, start)
            campaigns += brands * per
        print(
            f"seeded {campaigns} campaigns under {args.brands} brands in {time.perf_counter() - t_seed:.1f}s "
            f"({fast} deciding within the run); limit {args.rate:g} req/s; webhooks {args.drop:.0%} lost, "
            f"{args.duplicate:.0%} duplicated, shuffled"
        )
        before = sim.get("/_sim/stats")
        now = {"virtual": start}
        sim_clock = lambda: now["virtual"]  # noqa: E731  (our clock follows the simulator's virtual time)

        total, busy, steps = PassStats(), 0.0, int(args.hours * 60 // args.step)
        t_all = time.perf_counter()
        for step in range(steps):
            # transitions happen at the simulator; it delivers their webhooks to our app before answering
            now["virtual"] = parse_time(sim.post("/_sim/advance", {"minutes": args.step})["now"])
            busy += drain(app, sim_clock, args.workers, total, run_pass)
            done = step + 1
            print(
                f"  step {done:>2}/{steps}: {virtual(now['virtual'], start)} virtual, {total.items} items "
                f"synced, {total.changes + total.carrier_changes} transitions applied, {busy:.0f}s busy",
                flush=True,
            )
        # one more sweep round (what the next scheduled sweep does) finds the changes whose webhooks were lost
        late = lambda: now["virtual"] + timedelta(seconds=app.config["SYNC_SWEEP_SECONDS"])  # noqa: E731
        busy += drain(app, late, args.workers, total, run_pass)
        elapsed = time.perf_counter() - t_all
        after = sim.get("/_sim/stats")
        deliveries = sim.get("/_sim/webhooks")["deliveries"]
    finally:
        sim.stop()

    with unit_of_work(get_database(app).sessionmaker) as session:
        calls = session.scalar(sa.select(sa.func.count()).select_from(ProviderCall))
        answered = session.scalar(
            sa.select(sa.func.count()).select_from(ProviderCall).where(ProviderCall.status.is_not(None))
        )
        throttled = session.scalar(
            sa.select(sa.func.count()).select_from(ProviderCall).where(ProviderCall.status == 429)
        )
        applied = Counter(
            dict(
                session.execute(
                    sa.select(
                        sa.case((StatusChange.carrier.is_(None), "campaign_status"), else_="carrier"), sa.func.count()
                    )
                    .where(StatusChange.source.in_(("sync", "webhook")))
                    .group_by(sa.text("1"))
                ).all()
            )
        )
        events = session.scalar(sa.text("SELECT count(*) FROM webhook_event"))
    server.shutdown()
    get_database(app).engine.dispose()

    made = Counter(
        {k: after["transitions"].get(k, 0) - before["transitions"].get(k, 0) for k in ("carrier", "campaign_status")}
    )
    rate = answered / busy if busy else 0.0
    lost = sum(1 for d in deliveries if d["dropped"])
    dupes = sum(1 for d in deliveries if d["duplicate"])
    polls_needed = campaigns * 2 * steps  # GET campaign + GET operationStatus for every campaign, every step
    saved = polls_needed - calls

    print()
    print(
        f"virtual time played:      {args.hours:g} h in {steps} steps of {args.step:g} min "
        f"({elapsed:.0f}s wall, {busy:.0f}s of it syncing)"
    )
    print(
        f"requests sent:            {calls} ({answered} answered), {total.items} items fetched "
        f"({dict(total.triggers)}), {total.swept_lists} campaign lists swept"
    )
    print(
        f"request rate while busy:  {rate:.1f} req/s = {rate / args.rate:.1%} of the {args.rate:g} req/s limit "
        f"(target >= 90%)"
    )
    print(f"429s received:            {throttled} (simulator sent {after['requests'].get('rate_limited', 0)})")
    print(
        f"transitions applied:      {applied['carrier']} carrier + {applied['campaign_status']} campaign = "
        f"{sum(applied.values())}"
    )
    print(
        f"transitions made by sim:  {made['carrier']} carrier + {made['campaign_status']} campaign = "
        f"{sum(made.values())}  -> {'EQUAL' if applied == made else 'DIFFERENT'}"
    )
    print(
        f"webhooks:                 {len(deliveries)} deliveries ({dupes} duplicates, {lost} lost), "
        f"{events} distinct events stored"
    )
    print(
        f"polling calls saved:      {saved} ({polls_needed} to poll all {campaigns} campaigns every step vs "
        f"{calls} sent: {saved / polls_needed:.1%} fewer)"
    )
    ok = applied == made and rate / args.rate >= 0.9
    print("result:                   " + ("targets met" if ok else "TARGET MISSED"))
    return 0 if ok else 1


class SimulatorProcess:
    """``registry simulator serve`` in its own process (a provider is never on our CPU), driven over HTTP."""

    def __init__(self, *, rate: float, seed: int) -> None:
        import secrets
        import socket
        import subprocess

        import requests

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.api_key = "KEYBENCH" + secrets.token_hex(8).upper()
        self.key_seed = "bench-" + secrets.token_hex(4)
        self.url = f"http://127.0.0.1:{port}"
        self.telnyx_base_url = self.url + "/v2"
        registry = str(Path(sys.executable).parent / "registry")
        self.proc = subprocess.Popen(
            [
                registry,
                "simulator",
                "serve",
                "--port",
                str(port),
                "--api-key",
                self.api_key,
                "--key-seed",
                self.key_seed,
                "--seed",
                str(seed),
                "--rate",
                str(rate),
                "--burst",
                "10",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.http = requests.Session()
        deadline = time.monotonic() + 30
        while True:
            try:
                self.get("/_sim/clock")
                break
            except requests.RequestException:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("the simulator did not start") from None
                time.sleep(0.1)
        from registry.providers.simulator.webhooks import keypair, public_key_b64

        self.public_key = public_key_b64(keypair(self.key_seed))

    def get(self, path: str) -> Any:
        response = self.http.get(self.url + path, timeout=60)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: Any) -> Any:
        response = self.http.post(self.url + path, json=body, timeout=600)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def virtual(now: datetime, start: datetime) -> str:
    hours = (now - start).total_seconds() / 3600
    return f"{hours:.1f} h"


def drain(app: Any, clock: Any, workers: int, total: Any, run_pass: Any) -> float:
    """Passes until nothing is due; returns the seconds spent."""
    t0 = time.perf_counter()
    for _ in range(20):
        stats = run_pass(app, clock=clock, workers=workers)
        total.add(stats)
        if not (stats.items or stats.swept_marked or stats.submissions):
            break
    return time.perf_counter() - t0


def seed_database(app: Any, sim: SimulatorProcess, args: argparse.Namespace) -> tuple[int, str]:
    """The organization and its sandbox account (the brands and campaigns come with the simulator's ids)."""
    from registry.audit import Actor
    from registry.auth.operations import create_organization
    from registry.db import get_database, unit_of_work
    from registry.provider_accounts.crypto import app_fernet
    from registry.provider_accounts.operations import create_account

    with app.app_context(), unit_of_work(get_database(app).sessionmaker) as session:
        org = create_organization(session, "Bench Org", actor=Actor.system("bench"))
        account = create_account(
            session,
            org,
            app_fernet(app),
            provider="sandbox",
            label="Simulator",
            api_key=sim.api_key,
            base_url=sim.telnyx_base_url,
            webhook_public_key=sim.public_key,
            rate=args.rate * CLIENT_SHARE,
            burst=5,
            actor=Actor.system("bench"),
        )
        app.config["_bench"] = {"org": org.id, "review_interval": app.config["SYNC_INTERVALS"][2], "seed": args.seed}
        return account.id, account.public_id


def link_database(app: Any, account_id: int, seeded: dict[str, Any], now: datetime) -> None:
    """Brands (approved) and campaigns (in review, every carrier reviewing) linked to the seeded objects, each
    campaign's scheduled look spread over the review interval, as a long-running system has them."""
    import sqlalchemy as sa

    from registry.brands.models import Brand
    from registry.campaigns.models import Campaign
    from registry.db import get_database, unit_of_work
    from registry.lifecycle.models import CarrierStatus
    from registry.providers.times import parse_time
    from registry.states import CarrierState, IdentityStatus, RegistrationStatus
    from registry.sync.models import Priority, SyncState

    bench = app.config["_bench"]
    rng = random.Random(bench["seed"])
    org = bench["org"]
    with unit_of_work(get_database(app).sessionmaker) as session:
        for brand in seeded["brands"]:
            brand_id = session.execute(
                sa.insert(Brand).returning(Brand.id),
                [
                    {
                        "organization_id": org,
                        "reference": f"bench-{brand['tcrBrandId']}",
                        "status": RegistrationStatus.APPROVED,
                        "identity_status": IdentityStatus.VERIFIED,
                        "tcr_brand_id": brand["tcrBrandId"],
                        "entity_type": "PRIVATE_PROFIT",
                        "display_name": f"Seeded Brand {brand['tcrBrandId']}",
                    }
                ],
            ).scalar_one()
            session.execute(
                sa.insert(SyncState),
                [
                    {
                        "organization_id": org,
                        "account_id": account_id,
                        "subject": "brand",
                        "subject_id": brand_id,
                        "provider_ref": brand["brandId"],
                        "priority": Priority.SETTLED,
                        "raw_status": "OK",
                        "next_due_at": now + timedelta(days=1),
                        "attempts": 0,
                        "trigger": "schedule",
                    }
                ],
            )
            rows = [
                {
                    "organization_id": org,
                    "brand_id": brand_id,
                    "reference": f"bench-{c['tcrCampaignId']}",
                    "status": RegistrationStatus.IN_REVIEW,
                    "tcr_campaign_id": c["tcrCampaignId"],
                    "usecase": "ACCOUNT_NOTIFICATION",
                }
                for c in brand["campaigns"]
            ]
            ids = session.execute(sa.insert(Campaign).returning(Campaign.id), rows).scalars().all()
            session.execute(
                sa.insert(SyncState),
                [
                    {
                        "organization_id": org,
                        "account_id": account_id,
                        "subject": "campaign",
                        "subject_id": cid,
                        "provider_ref": c["campaignId"],
                        "priority": Priority.REVIEW,
                        "raw_status": "MNO_PENDING",
                        "last_observed_at": parse_time(c["updatedAt"]),
                        "review_since": now,
                        "attempts": 0,
                        "trigger": "schedule",
                        "next_due_at": now + timedelta(seconds=rng.uniform(0, bench["review_interval"])),
                    }
                    for cid, c in zip(ids, brand["campaigns"], strict=True)
                ],
            )
            session.execute(
                sa.insert(CarrierStatus),
                [
                    {"campaign_id": cid, "carrier": mno, "state": CarrierState.REVIEW, "raw_status": "REVIEW"}
                    for cid in ids
                    for mno in ("10017", "10035", "10037", "10038")
                ],
            )


if __name__ == "__main__":
    sys.exit(main())
