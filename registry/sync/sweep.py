"""The list sweep: one cheap list request per brand (500 campaigns a page) finds the campaigns whose status or
``updatedAt`` moved since we last looked; only those are fetched in detail. It catches what lost webhooks did
not tell us long before each item's own scheduled look, at a fraction of the cost of polling every item."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from registry.db import get_database, sqlite_begin, unit_of_work, utcnow
from registry.errors import RegistryError
from registry.provider_accounts.adapters import build_provider, calls_for
from registry.provider_accounts.models import ProviderAccount
from registry.providers.base import CampaignRecord, ProviderError

from .models import Priority, SyncState
from .schedule import setting

log = logging.getLogger(__name__)


@dataclass
class Swept:
    lists: int = 0  # brands whose campaign list was read
    marked: int = 0  # campaigns found changed and marked due
    errors: int = 0


def moved(state: Any, row: CampaignRecord) -> bool:
    """Whether the list row shows something newer than what we applied."""
    if row.updated_at is not None and state.last_observed_at is not None:
        return row.updated_at > state.last_observed_at
    return bool(row.raw_status) and row.raw_status != state.raw_status


def sweep(app: Any, *, clock: Callable[[], datetime] = utcnow, workers: int = 1) -> Swept:
    """Compare the campaign lists of brands not swept for ``SYNC_SWEEP_SECONDS`` with our sync items."""
    result = Swept()
    factory = get_database(app).sessionmaker
    now = clock()
    cutoff = now - timedelta(seconds=float(setting(app.config, "SYNC_SWEEP_SECONDS")))
    campaign = sa.orm.aliased(SyncState)
    from registry.campaigns.models import Campaign

    with unit_of_work(factory) as session:
        live = (
            sa.select(Campaign.brand_id)
            .join(campaign, sa.and_(campaign.subject == "campaign", campaign.subject_id == Campaign.id))
            .where(campaign.priority < Priority.TERMINAL)
        )
        candidates = list(
            session.execute(
                sa.select(SyncState.id, SyncState.provider_ref, SyncState.account_id)
                .where(
                    SyncState.subject == "brand",
                    SyncState.subject_id.in_(live),
                    sa.or_(SyncState.swept_at.is_(None), SyncState.swept_at <= cutoff),
                )
                .order_by(SyncState.swept_at.is_not(None), SyncState.swept_at)
            )
        )
        accounts = {
            a.id: a
            for a in session.scalars(
                sa.select(ProviderAccount).where(
                    ProviderAccount.id.in_({c.account_id for c in candidates}), ProviderAccount.is_active.is_(True)
                )
            )
        }
    lock = threading.Lock()
    queue = list(candidates)

    def work() -> Swept:
        mine = Swept()
        providers: dict[int, Any] = {}
        try:
            while True:
                with lock:
                    if not queue:
                        return mine
                    brand_state_id, brand_ref, account_id = queue.pop(0)
                if account_id not in accounts or not _take(factory, brand_state_id, now, cutoff):
                    continue
                try:
                    provider = providers.get(account_id) or providers.setdefault(
                        account_id, build_provider(app, accounts[account_id])
                    )
                    with calls_for(f"sweep:brand:{brand_state_id}"):
                        rows = provider.list_campaigns(brand_ref)
                except (ProviderError, RegistryError) as exc:
                    log.warning("sweep of brand item %s failed: %s", brand_state_id, exc)
                    mine.errors += 1
                    continue
                mine.lists += 1
                mine.marked += _mark(factory, account_id, rows, now)
        finally:
            for provider in providers.values():
                provider.close()

    if workers <= 1 or len(queue) <= 1:
        parts = [work()]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(queue)), thread_name_prefix="sweep") as pool:
            parts = [f.result() for f in [pool.submit(work) for _ in range(min(workers, len(queue)))]]
    for part in parts:
        result.lists, result.marked, result.errors = (
            result.lists + part.lists,
            result.marked + part.marked,
            result.errors + part.errors,
        )
    return result


def _take(factory: Any, state_id: int, now: datetime, cutoff: datetime) -> bool:
    """Stamp the sweep time if nobody swept this brand meanwhile (one sweeper per brand and interval)."""
    with unit_of_work(factory) as session:
        taken = session.execute(
            sa.update(SyncState)
            .where(SyncState.id == state_id, sa.or_(SyncState.swept_at.is_(None), SyncState.swept_at <= cutoff))
            .values(swept_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(taken.rowcount)  # type: ignore[attr-defined]


def _mark(factory: Any, account_id: int, rows: list[CampaignRecord], now: datetime) -> int:
    by_ref = {row.provider_id: row for row in rows}
    token = sqlite_begin.set("DEFERRED")  # compare in a read transaction: no write lock unless something moved
    try:
        with unit_of_work(factory) as session:
            known = session.execute(
                sa.select(
                    SyncState.id,
                    SyncState.provider_ref,
                    SyncState.last_observed_at,
                    SyncState.raw_status,
                    SyncState.priority,
                ).where(
                    SyncState.account_id == account_id,
                    SyncState.subject == "campaign",
                    SyncState.provider_ref.in_(list(by_ref)),
                    SyncState.priority < Priority.TERMINAL,
                )
            ).all()
    finally:
        sqlite_begin.reset(token)
    due = [k.id for k in known if k.priority != Priority.URGENT and moved(k, by_ref[k.provider_ref])]
    if due:
        with unit_of_work(factory) as session:
            session.execute(
                sa.update(SyncState)
                .where(SyncState.id.in_(due), SyncState.priority != Priority.URGENT)
                .values(priority=Priority.URGENT, next_due_at=now, trigger="sweep")
                .execution_options(synchronize_session=False)
            )
    return len(due)
