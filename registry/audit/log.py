"""Writing audit events. Every operation that changes a registration calls :func:`record` in its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from registry.db import utcnow

from .chain import append
from .models import AuditEvent

if TYPE_CHECKING:
    from registry.auth.models import User


@dataclass(frozen=True)
class Actor:
    """Who did it: a user, or the system with a reason (``system: sync``)."""

    label: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(label=user.email, user_id=user.id)

    @classmethod
    def system(cls, what: str) -> Actor:
        return cls(label=f"system: {what}")


SYSTEM = Actor.system("registry")


def record(session: Session, *, organization_id: int, actor: Actor, action: str, entity_type: str,
           entity_id: int | str, summary: str, changes: dict[str, Any] | None = None) -> AuditEvent:
    """Append one event to the organization's chain (flushed, not committed)."""
    event = AuditEvent(
        organization_id=organization_id,
        occurred_at=utcnow(),
        actor_id=actor.user_id,
        actor=actor.label[:254],
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        summary=summary[:500],
        changes=changes or {},
    )
    return append(session, event)
