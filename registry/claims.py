"""Claiming work items so two workers never process the same one.

A claim is a short transaction of its own: select due rows, stamp ``claimed_by``/``claimed_at``, commit. On
PostgreSQL the select is ``FOR UPDATE SKIP LOCKED``, so concurrent claimers skip each other's rows instead of
waiting or taking them twice; on SQLite the claim transaction begins IMMEDIATE (the write lock), which
serializes claimers. The provider call then runs outside any transaction (a slow provider never holds a
database lock), and the result is applied in one transaction per item that first checks the claim is still
ours. A claim older than the lease (the worker died) may be taken over; the item's own state (``attempts``,
``maybe_committed``) makes the retry safe.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session


def worker_id(label: str = "worker") -> str:
    """A name for this worker thread, unique across hosts and processes (≤100 characters)."""
    return f"{label}:{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident()}"[:100]


def claim_rows(
    session: Session,
    model: Any,
    due: Sequence[Any],
    order_by: Sequence[Any],
    *,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    values: dict[str, Any] | None = None,
) -> list[int]:
    """Claim up to ``limit`` rows of ``model`` matching ``due`` (unclaimed or with an expired claim).

    Runs inside the caller's (claim) transaction; the caller commits. Returns the claimed ids in order.
    """
    free = sa.or_(model.claimed_by.is_(None), model.claimed_at < now - lease)
    stmt = sa.select(model.id).where(*due, free).order_by(*order_by).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list(session.scalars(stmt))
    if ids:
        session.execute(
            sa.update(model)
            .where(model.id.in_(ids))
            .values(claimed_by=worker, claimed_at=now, version=model.version + 1, **(values or {}))
            .execution_options(synchronize_session=False)
        )
    return ids


def holds_claim(obj: Any, worker: str) -> bool:
    """Whether ``obj`` (freshly loaded in the apply transaction) is still claimed by ``worker``."""
    return obj is not None and obj.claimed_by == worker
