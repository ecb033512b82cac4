"""Hashing and verifying the per-organization audit chain.

Each event stores the hash of the previous event and its own SHA-256 over a canonical JSON serialization of
its content (sorted keys, no whitespace, UTF-8, times as ISO 8601 UTC with microseconds). Appends are
serialized per organization — PostgreSQL: a transaction-scoped advisory lock; SQLite: every writing
transaction begins IMMEDIATE, which already serializes writers — so concurrent writers never fork the chain;
the unique ``(organization_id, seq)`` constraint is the last line of defence.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
#: first key of the two-key PostgreSQL advisory lock; the second is the organization id
ADVISORY_LOCK_CLASS = 0x10D1C  # "10DLC"

HASHED_FIELDS = ("organization_id", "seq", "occurred_at", "actor_id", "actor", "action", "entity_type",
                 "entity_id", "summary", "changes", "prev_hash")


def jsonable(value: Any) -> Any:
    """``value`` reduced to JSON types that survive a round trip through either database unchanged."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    data = {name: getattr(event, name) for name in HASHED_FIELDS}
    data["occurred_at"] = format_time(event.occurred_at)
    data["changes"] = jsonable(event.changes or {})
    return hashlib.sha256(canonical(data)).hexdigest()


_LOCKED = "registry.audit.locked_chains"


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_locks(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: its locks are gone
        session.info.pop(_LOCKED, None)


def lock_chain(session: Session, organization_id: int, lock_class: int = ADVISORY_LOCK_CLASS) -> None:
    """Serialize appends to one organization's chain until the transaction ends (``lock_class`` names the
    chain: the audit trail's, or another hash chain built on this module such as the consent trail's)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_class, organization_id)))


def acquire(session: Session, organization_id: int, lock_class: int = ADVISORY_LOCK_CLASS) -> bool:
    """Hold the chain's lock for the rest of the transaction; ``True`` when it was taken just now (the caller
    must then re-read the chain head from the database), ``False`` when this transaction already held it."""
    locked: set[tuple[int, int]] = session.info.setdefault(_LOCKED, set())
    key = (lock_class, organization_id)
    if key in locked:
        return False
    lock_chain(session, organization_id, lock_class)
    locked.add(key)
    return True


def append(session: Session, event: AuditEvent) -> AuditEvent:
    """Link ``event`` to the end of its organization's chain, hash it and add it to the session."""
    if acquire(session, event.organization_id):
        head = session.get(AuditChainHead, event.organization_id, populate_existing=True)
    else:  # this transaction holds the chain: the head in memory is current
        head = session.get(AuditChainHead, event.organization_id)
    if head is None:
        head = AuditChainHead(organization_id=event.organization_id, seq=0, hash=GENESIS)
        session.add(head)
    event.seq = head.seq + 1
    event.prev_hash = head.hash
    event.changes = jsonable(event.changes or {})
    event.hash = event_hash(event)
    head.seq, head.hash = event.seq, event.hash
    session.add(event)  # inserted at the next flush, in the same transaction as the change it records
    return event


@dataclass(frozen=True)
class ChainProblem:
    organization_id: int
    seq: int | None
    event_id: int | None
    problem: str
    #: which chain: ``audit`` (the audit trail) or ``consent`` (the consent trail, ``registry.consent.chain``)
    chain: str = "audit"
    #: what is broken when it is neither an event nor the head (e.g. a consent disclosure)
    where: str | None = None

    def __str__(self) -> str:
        prefix = "" if self.chain == "audit" else f"{self.chain} "
        where = self.where or (f"{prefix}event #{self.seq} (id {self.event_id})" if self.seq is not None
                               else f"{prefix}chain head")
        return f"organization {self.organization_id}: {where}: {self.problem}"


@dataclass(frozen=True)
class LinkedRow:
    """What the chain walk needs of a stored event, whatever its table."""

    id: int
    seq: int
    prev_hash: str
    hash: str
    #: the hash recomputed from the row's content
    recomputed: str


def walk_chain(organization_id: int, rows: Iterator[LinkedRow], head: tuple[int, str] | None, *,
               chain: str = "audit") -> ChainProblem | None:
    """The first broken link of a chain given its rows in ``seq`` order and its recorded head, or ``None``."""
    expected_seq, prev_hash, last_seq = 1, GENESIS, 0
    for row in rows:
        problem = _check_link(row, expected_seq, prev_hash)
        if problem:
            return ChainProblem(organization_id, row.seq, row.id, problem, chain)
        expected_seq, prev_hash, last_seq = row.seq + 1, row.hash, row.seq
    head_seq, head_hash = head or (0, GENESIS)
    if (head_seq, head_hash) != (last_seq, prev_hash):
        return ChainProblem(organization_id, None, None,
                            f"the chain ends at event #{last_seq} but its head records event #{head_seq}: "
                            "events were deleted from (or added to) the end behind the application's back", chain)
    return None


def verify_organization(session: Session, organization_id: int) -> ChainProblem | None:
    """Re-check one audit chain; return the first problem found, or ``None`` when it is intact."""
    events = _events(session, organization_id)
    try:
        rows = (LinkedRow(e.id, e.seq, e.prev_hash, e.hash, event_hash(e)) for e in events)
        head = session.get(AuditChainHead, organization_id)
        return walk_chain(organization_id, rows, (head.seq, head.hash) if head else None)
    finally:
        events.close()


def _check_link(row: LinkedRow, expected_seq: int, prev_hash: str) -> str | None:
    if row.seq != expected_seq:
        kind = "missing (deleted)" if row.seq > expected_seq else "duplicated or reordered"
        return f"expected event #{expected_seq} here; events are {kind}"
    if row.prev_hash != prev_hash:
        return "its link to the previous event is broken: an event before it was deleted, inserted or reordered"
    if row.recomputed != row.hash:
        return "its content does not match its hash: the row was altered"
    return None


def _events(session: Session, organization_id: int) -> Iterator[AuditEvent]:
    """Stream the chain in order (a server-side cursor on PostgreSQL, closed even when the caller stops early)."""
    stmt = (sa.select(AuditEvent).where(AuditEvent.organization_id == organization_id)
            .order_by(AuditEvent.seq, AuditEvent.id).execution_options(yield_per=1000))
    result = session.scalars(stmt)
    try:
        for event in result:
            yield event
            session.expunge(event)
    finally:
        result.close()
