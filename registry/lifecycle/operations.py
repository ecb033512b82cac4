"""Changing the state of a brand, campaign or number: one timeline row and one audit event per change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.db import utcnow
from registry.numbers.models import PhoneNumber

from .models import StatusChange

SUBJECTS: dict[type, tuple[str, str]] = {
    Brand: ("brand", "status"),
    Campaign: ("campaign", "status"),
    PhoneNumber: ("phone_number", "assignment_status"),
}


def change_status(session: Session, obj: Brand | Campaign | PhoneNumber, status: Any, *, actor: Actor,
                  source: str = "workflow", note: str = "", raw_status: str | None = None,
                  occurred_at: datetime | None = None) -> bool:
    """Move ``obj`` to ``status``; returns False (and records nothing) when it is already there."""
    subject, attr = SUBJECTS[type(obj)]
    old = getattr(obj, attr)
    if old == status:
        return False
    setattr(obj, attr, status)
    session.add(StatusChange(organization_id=obj.organization_id, subject=subject, subject_id=obj.id,
                             from_status=old.value if old is not None else None, to_status=status.value,
                             raw_status=raw_status, source=source, note=note[:1000],
                             occurred_at=occurred_at or utcnow()))
    session.flush()
    label = getattr(obj, "reference", None) or obj.audit_label
    record(session, organization_id=obj.organization_id, actor=actor, action="status", entity_type=subject,
           entity_id=obj.id, summary=f"{label}: {old.label if old else '—'} → {status.label}"
           + (f" ({note})" if note else ""),
           changes={attr: [old.value if old is not None else None, status.value]}
           | ({"rawStatus": [None, raw_status]} if raw_status else {}))
    return True
