"""The audit trail: append-only events forming one hash chain per organization.

Rows are never updated or deleted: the migration installs triggers that refuse it, and
``registry audit verify`` detects rows changed behind the application's back anyway.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, UTCDateTime
from registry.jsontype import JSONType


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "seq"),
        sa.Index("ix_audit_event_entity", "organization_id", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    #: position in the organization's chain: 1, 2, 3 … without gaps
    seq: Mapped[int] = mapped_column(sa.Integer)
    #: when it happened (UTC)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the acting user; ``None`` for the system (sync worker, CLI, demo loader)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: who acted, as shown to a reader (e-mail, or ``system: …``), kept even if the user is renamed
    actor: Mapped[str] = mapped_column(sa.String(254))
    #: what happened: ``create``, ``update``, ``delete``, or a domain verb (``approve``, ``submit`` …)
    action: Mapped[str] = mapped_column(sa.String(40))
    #: the kind of record: ``brand``, ``campaign``, ``phone_number``, ``membership``, ``revision`` …
    entity_type: Mapped[str] = mapped_column(sa.String(40))
    #: the record's id
    entity_id: Mapped[str] = mapped_column(sa.String(64))
    #: one line for humans
    summary: Mapped[str] = mapped_column(sa.String(500))
    #: ``{field: [old, new]}`` for the fields that changed (TCR names for brands and campaigns)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    #: ``hash`` of the previous event in the chain (64 zeros for the first)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    #: SHA-256 over the canonical serialization of this event (``registry.audit.chain``)
    hash: Mapped[str] = mapped_column(sa.String(64))


class AuditChainHead(Base):
    """The last event of each organization's chain, so that deleting the newest events is detected too."""

    __tablename__ = "audit_chain_head"

    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.Integer)
    hash: Mapped[str] = mapped_column(sa.String(64))
