"""Claims: parallel workers never take the same item; a worker killed mid-item is taken over after its lease
and the rerun finishes the job without creating anything twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor
from registry.campaigns.models import Campaign
from registry.claims import claim_rows
from registry.db import make_sessionmaker, unit_of_work
from registry.lifecycle.models import StatusChange
from registry.lifecycle.operations import change_status
from registry.provider_accounts.adapters import build_provider
from registry.provider_accounts.models import ProviderCall
from registry.states import RegistrationStatus
from registry.submissions.models import SubmissionStatus
from registry.submissions.sender import process_submission
from registry.sync.models import Priority, SyncState
from registry.sync.runner import sync_due

from .conftest import CAMPAIGN, Flow

R = RegistrationStatus
ACTOR = Actor.system("tests")


def linked_campaigns(flow: Flow, count: int) -> list[Campaign]:
    """``count`` campaigns submitted at the simulator and linked, all due for a look now."""
    brand = flow.brand()
    flow.approve(brand)
    flow.run()
    flow.advance(minutes=2)
    flow.run()
    brand = flow.get(brand)
    state = flow.state("brand", brand.id)
    made = []
    with flow.app.app_context():
        provider = build_provider(flow.app, flow.account, record=False)
        for i in range(count):
            campaign = flow.campaign(brand, referenceId=f"bulk-{i}")
            record = provider.create_campaign(state.provider_ref, CAMPAIGN, client_ref=f"bulk-{i}")
            change_status(flow.db, campaign, R.SUBMITTED, actor=ACTOR, source="provider")
            flow.db.add(
                SyncState(
                    organization_id=flow.org.id,
                    account_id=flow.account.id,
                    subject="campaign",
                    subject_id=campaign.id,
                    provider_ref=record.provider_id,
                    priority=Priority.ACTIVE,
                    next_due_at=flow.clock() - timedelta(seconds=1),
                    attempts=0,
                )
            )
            made.append(campaign)
        provider.close()
    flow.db.commit()
    return made


def test_parallel_workers_take_each_item_exactly_once(flow: Flow) -> None:
    campaigns = linked_campaigns(flow, 24)
    flow.sim.advance(minutes=10)  # all of them moved at the provider: TCR accepted them
    results = []

    def worker() -> None:
        results.append(sync_due(flow.app, clock=flow.clock, workers=3))

    threads = [threading.Thread(target=worker) for _ in range(2)]  # two "processes" of three threads each
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(r.items for r in results) == 24
    assert sum(r.errors for r in results) == 0
    fetches = Counter(
        c.path
        for c in flow.db.scalars(
            sa.select(ProviderCall).where(
                ProviderCall.method == "GET",
                ProviderCall.path.like("/10dlc/campaign/%"),
                ProviderCall.path.not_like("%/operationStatus"),
            )
        )
    )
    assert len(fetches) == 24 and set(fetches.values()) == {1}  # each campaign fetched once, by one worker
    moves = Counter(
        s.subject_id
        for s in flow.db.scalars(
            sa.select(StatusChange).where(StatusChange.subject == "campaign", StatusChange.to_status == "in_review")
        )
    )
    assert moves == Counter({c.id: 1 for c in campaigns})


def test_claims_are_disjoint_even_while_the_first_claim_is_uncommitted(flow: Flow, db_kind: str) -> None:
    linked_campaigns(flow, 6)
    factory = make_sessionmaker(flow.db.get_bind())
    now, lease = flow.clock(), timedelta(minutes=10)
    due = [SyncState.subject == "campaign", SyncState.next_due_at <= now]
    first: Session = factory()
    try:
        a = claim_rows(first, SyncState, due, [SyncState.id], worker="a", now=now, lease=lease, limit=3)
        if db_kind == "sqlite":
            first.commit()  # SQLite: the second claimer would queue behind this write lock
        with unit_of_work(factory) as second:  # PostgreSQL: SKIP LOCKED walks past the rows "a" holds
            b = claim_rows(second, SyncState, due, [SyncState.id], worker="b", now=now, lease=lease, limit=6)
        first.commit()
    finally:
        first.close()
    assert len(a) == 3 and len(b) == 3 and not set(a) & set(b)


def test_two_workers_sending_the_same_submission_create_once(flow: Flow) -> None:
    flow.sim.inject_fault("timeout", method="POST", path="/v2/10dlc/brand", delay=1.0)  # a slow provider
    brand = flow.brand()
    flow.approve(brand)
    [sub] = flow.submissions()
    app = flow.app
    app.config["PROVIDER_TIMEOUT"] = (1.0, 5.0)
    outcomes: list[str] = []
    threads = [threading.Thread(target=lambda: outcomes.append(process_submission(app, sub.id))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["done", "skipped"]
    assert flow.creates("brand_registration") == 1


def test_a_worker_killed_mid_create_is_taken_over_and_nothing_is_created_twice(
    flow: Flow, db_url: str, live: str
) -> None:
    flow.sim.inject_fault("timeout", method="POST", path="/v2/10dlc/brand", delay=15)
    brand = flow.brand()
    flow.approve(brand)
    registry = shutil.which("registry", path=str(Path(sys.executable).parent))
    env = {**os.environ, "DATABASE_URL": db_url, "REGISTRY_PUBLIC_URL": live}
    worker = subprocess.Popen(
        [registry, "sync", "--once"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while flow.creates("brand_registration") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert flow.creates("brand_registration") == 1  # the provider committed; the answer never comes
        worker.kill()
    finally:
        worker.wait(timeout=10)
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.IN_PROGRESS and sub.claimed_by and sub.attempts == 1
    assert flow.get(brand).status is R.QUEUED

    flow.run()  # the dead worker's lease has not run out: nobody touches the item
    assert flow.submissions()[0].claimed_by == sub.claimed_by
    flow.clock.advance(minutes=11)
    flow.run()
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.DONE and sub.attempts == 2
    assert flow.creates("brand_registration") == 1
    assert flow.get(brand).status is R.PENDING
