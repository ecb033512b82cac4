"""Freezing a brand or campaign into an immutable, hashed revision."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.audit.chain import canonical, jsonable
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.tcr import to_tcr_payload

from .models import Revision

FROZEN_ATTRS = ("snapshot", "sha256", "subject", "brand_id", "campaign_id", "number", "author_id",
                "organization_id")


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(jsonable(snapshot))).hexdigest()


def freeze(session: Session, obj: Brand | Campaign, *, actor: Actor) -> Revision:
    """Snapshot ``obj`` as it is now (TCR payload) into its next numbered revision."""
    subject = "brand" if isinstance(obj, Brand) else "campaign"
    snapshot = jsonable(to_tcr_payload(obj))
    if isinstance(obj, Campaign):
        snapshot["brandReferenceId"] = obj.brand.reference
    fk = Revision.brand_id if subject == "brand" else Revision.campaign_id
    number = (session.scalar(sa.select(sa.func.max(Revision.number)).where(fk == obj.id)) or 0) + 1
    revision = Revision(organization_id=obj.organization_id, subject=subject, number=number, snapshot=snapshot,
                        sha256=snapshot_hash(snapshot), author_id=actor.user_id,
                        **{f"{subject}_id": obj.id})
    session.add(revision)
    session.flush()
    record(session, organization_id=obj.organization_id, actor=actor, action="create", entity_type="revision",
           entity_id=revision.id, summary=f"{subject.capitalize()} {obj.reference}: revision {number} frozen",
           changes={"subject": [None, f"{subject}:{obj.id}"], "number": [None, number],
                    "sha256": [None, revision.sha256]})
    return revision


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_frozen_revisions(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, Revision):
            state = sa.inspect(obj)
            changed = [a for a in FROZEN_ATTRS if state.attrs[a].history.has_changes()]
            if changed:
                raise ValueError(f"revision {obj.id} is frozen: {', '.join(changed)} cannot change")
    for obj in session.deleted:
        if isinstance(obj, Revision):
            raise ValueError(f"revision {obj.id} is frozen: it cannot be deleted")

