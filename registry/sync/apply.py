"""Applying what a provider reports to our brands, campaigns and numbers: idempotent, in order, recorded.

- Idempotent: a state equal to ours changes nothing and records nothing (``change_status`` returns False).
- In order: each item keeps the provider's ``updatedAt`` of the last state applied; an older observation
  (a slow fetch, a create response that lost the race with a sync) is skipped.
- Recorded: every overall change goes through ``change_status`` (timeline row + audit event); every
  per-carrier change writes a ``StatusChange`` row with ``carrier=`` and an audit event; rejections put their
  reasons on the submitted revision (``record_rejection``), failures likewise with the registration FAILED.
- Our own workflow wins while it runs: a registration the officer is preparing for resubmission (draft,
  awaiting review, queued) keeps its status; the provider's view is still recorded (carriers, ids, raw status).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.lifecycle.models import CarrierStatus, StatusChange
from registry.lifecycle.operations import change_status
from registry.numbers.models import PhoneNumber
from registry.numbers.operations import mark_assigned, unassign_number
from registry.providers.base import (
    AssignmentRecord,
    BrandRecord,
    CampaignRecord,
    Identity,
    Issue,
    Lifecycle,
)
from registry.providers.base import CarrierState as ProviderCarrierState
from registry.reviews.operations import record_rejection
from registry.revisions.models import Revision
from registry.states import CARRIERS, AssignmentStatus, CarrierState, IdentityStatus, RegistrationStatus, RevisionStatus
from registry.submissions import reasons as rs

from .models import Lever, SyncState
from .schedule import business_days_between, setting

R = RegistrationStatus
#: our own workflow states: the provider's status does not overwrite them
LOCAL = frozenset({R.DRAFT, R.AWAITING_REVIEW, R.QUEUED})


@dataclass
class Applied:
    """What applying one observation changed (for the pass statistics and the tests)."""

    stale: bool = False
    changes: int = 0  # overall status changes
    carrier_changes: int = 0
    notes: list[str] = field(default_factory=list)


def is_stale(state: SyncState, observed: datetime | None) -> bool:
    """Whether an observation made at ``observed`` (provider time) is older than the one already applied."""
    return observed is not None and state.last_observed_at is not None and observed < state.last_observed_at


def _observed(state: SyncState, observed: datetime | None, raw_status: str | None) -> None:
    if observed is not None and (state.last_observed_at is None or observed > state.last_observed_at):
        state.last_observed_at = observed
    state.raw_status = (raw_status or "")[:100] or state.raw_status


def submitted_revision(session: Session, subject: str, subject_id: int) -> Revision | None:
    """The newest revision of a brand/campaign that was sent to the provider and not yet rejected."""
    fk = Revision.brand_id if subject == "brand" else Revision.campaign_id
    return session.scalar(
        sa.select(Revision)
        .where(fk == subject_id, Revision.status == RevisionStatus.SUBMITTED)
        .order_by(Revision.number.desc())
        .limit(1)
    )


def reject(
    session: Session,
    obj: Brand | Campaign,
    reasons: list[dict[str, Any]],
    *,
    status: RegistrationStatus,
    actor: Actor,
    source: str,
    raw_status: str | None = None,
    occurred_at: datetime | None = None,
    revision: Revision | None = None,
) -> bool:
    """Put ``reasons`` on the revision (the submitted one unless given) and move the registration to ``status``
    (REJECTED, FAILED or ACTION_REQUIRED). Without such a revision (already rejected) only the status changes."""
    subject = "brand" if isinstance(obj, Brand) else "campaign"
    revision = revision or submitted_revision(session, subject, obj.id)
    note = "; ".join(f"{r['source']}: {r['message']}" for r in reasons)[:900]
    if revision is None:
        return change_status(
            session, obj, status, actor=actor, source=source, note=note, raw_status=raw_status, occurred_at=occurred_at
        )
    if status is R.REJECTED:
        record_rejection(session, revision, reasons, actor=actor, source=source)
        return True
    old = revision.status
    revision.status = RevisionStatus.REJECTED
    revision.rejection_reasons = reasons
    session.flush()
    record(
        session,
        organization_id=revision.organization_id,
        actor=actor,
        action="reject",
        entity_type="revision",
        entity_id=revision.id,
        summary=f"{obj.reference}: revision {revision.number} refused by the provider",
        changes={"status": [old.value, RevisionStatus.REJECTED.value], "reasons": [None, reasons]},
    )
    return change_status(
        session, obj, status, actor=actor, source=source, note=note, raw_status=raw_status, occurred_at=occurred_at
    )


def _move(session: Session, obj: Any, status: Any, applied: Applied, **kw: Any) -> None:
    if change_status(session, obj, status, **kw):
        applied.changes += 1


# --- brands -------------------------------------------------------------------------------------------------


def apply_brand(
    session: Session,
    state: SyncState,
    brand: Brand,
    rec: BrandRecord,
    *,
    actor: Actor,
    source: str,
    now: datetime,
    config: Mapping[str, Any],
    feedback: Sequence[Issue] = (),
) -> Applied:
    applied = Applied()
    if is_stale(state, rec.updated_at):
        applied.stale = True
        return applied
    _observed(state, rec.updated_at, rec.raw_status)
    if rec.registry_id and brand.tcr_brand_id != rec.registry_id:
        old_id, brand.tcr_brand_id = brand.tcr_brand_id, rec.registry_id[:8]
        record(
            session,
            organization_id=brand.organization_id,
            actor=actor,
            action="update",
            entity_type="brand",
            entity_id=brand.id,
            summary=f"{brand.reference}: TCR brand id {rec.registry_id}",
            changes={"tcr_brand_id": [old_id, brand.tcr_brand_id]},
        )
    identity = IdentityStatus(rec.identity.value)
    if identity is not IdentityStatus.UNKNOWN and brand.identity_status != identity:
        old = brand.identity_status
        brand.identity_status = identity
        session.flush()
        record(
            session,
            organization_id=brand.organization_id,
            actor=actor,
            action="identity",
            entity_type="brand",
            entity_id=brand.id,
            summary=f"{brand.reference}: identity {old.label} → {identity.label}",
            changes={"identity_status": [old.value, identity.value], "rawIdentity": [None, rec.raw_identity]},
        )
    if rec.lifecycle is None:
        applied.notes.append(f"unrecognized brand status {rec.raw_status!r}: kept {brand.status.value}")
        return applied
    target = R(rec.lifecycle.value)
    if brand.status in LOCAL or brand.status == target:
        return applied
    kw = {"actor": actor, "source": source, "raw_status": rec.raw_status, "occurred_at": rec.updated_at}
    if target is R.FAILED:
        reasons = rs.from_issues(
            "brand", rec.issues or (Issue("REGISTRATION_FAILED", "registration failed"),), source="TCR"
        )
        applied.changes += reject(session, brand, reasons, status=target, **kw)
    elif target is R.ACTION_REQUIRED and rec.identity is Identity.UNVERIFIED:
        issues = feedback or (Issue("UNVERIFIED", "TCR could not verify the brand's identity"),)
        applied.changes += reject(session, brand, rs.from_issues("brand", issues, source="TCR"), status=target, **kw)
    elif target is R.ACTION_REQUIRED:
        _move(
            session,
            brand,
            target,
            applied,
            note="the sole proprietor must confirm the one-time PIN texted to their mobile phone",
            **kw,
        )
    else:
        _move(session, brand, target, applied, **kw)
    return applied


# --- campaigns ----------------------------------------------------------------------------------------------


def carrier_reason(session: Session, state: SyncState, mno: str, carrier_state: CarrierState) -> str | None:
    """The reason a carrier gave, from the newest stored webhook about it (events carry reasons, GETs do not)."""
    from registry.webhooks.models import WebhookEvent

    events = session.scalars(
        sa.select(WebhookEvent)
        .where(
            WebhookEvent.account_id == state.account_id,
            WebhookEvent.provider_ref == state.provider_ref,
            WebhookEvent.entity == "campaign",
        )
        .order_by(WebhookEvent.id.desc())
        .limit(50)
    )
    for event in events:
        hint = event.hint or {}
        if hint.get("carrier") == mno and hint.get("carrier_state") == carrier_state.value and hint.get("description"):
            return str(hint["description"])
    return None


def apply_carriers(
    session: Session,
    state: SyncState,
    campaign: Campaign,
    rec: CampaignRecord,
    *,
    actor: Actor,
    source: str,
    now: datetime,
) -> int:
    """Update the per-carrier rows; one StatusChange (``carrier=``) and one audit event per change."""
    rows = {
        r.carrier: r for r in session.scalars(sa.select(CarrierStatus).where(CarrierStatus.campaign_id == campaign.id))
    }
    changed = 0
    for mno, provider_state in sorted(rec.carriers.items()):
        new = CarrierState(
            provider_state.value if isinstance(provider_state, ProviderCarrierState) else str(provider_state)
        )
        raw = rec.raw_carriers.get(mno)
        row = rows.get(mno)
        if row is not None and row.state == new:
            if raw and row.raw_status != raw:
                row.raw_status = raw
            continue
        old = row.state if row is not None else None
        reason = None
        if new in (CarrierState.REJECTED, CarrierState.SUSPENDED):
            name = CARRIERS.get(mno, mno)
            reason = carrier_reason(session, state, mno, new) or (
                f"{name}: {new.label.lower()} (the provider gave no reason; see its portal)"
            )
        if row is None:
            row = CarrierStatus(campaign_id=campaign.id, carrier=mno)
            session.add(row)
        row.state, row.raw_status, row.reason, row.updated_at = new, raw, reason, rec.updated_at or now
        session.add(
            StatusChange(
                organization_id=campaign.organization_id,
                subject="campaign",
                subject_id=campaign.id,
                carrier=mno,
                from_status=old.value if old else None,
                to_status=new.value,
                raw_status=raw,
                source=source,
                note=(reason or "")[:1000],
                occurred_at=rec.updated_at or now,
            )
        )
        session.flush()
        name = CARRIERS.get(mno, f"network {mno}")
        record(
            session,
            organization_id=campaign.organization_id,
            actor=actor,
            action="carrier_status",
            entity_type="campaign",
            entity_id=campaign.id,
            summary=f"{campaign.reference}: {name}: {old.label if old else '—'} → {new.label}"
            + (f" ({reason})" if reason else ""),
            changes={f"carrier:{mno}": [old.value if old else None, new.value], "rawStatus": [None, raw]},
        )
        changed += 1
    return changed


def stuck_lever(rec: CampaignRecord, days: int, threshold: int) -> tuple[Lever, str]:
    """Which lever helps a campaign in review for ``days`` business days, and why."""
    states = set(rec.carriers.values())
    in_carrier_review = bool(rec.carriers) and ProviderCarrierState.REVIEW in states
    if days >= 2 * threshold:
        return Lever.PROVIDER_TICKET, (
            f"In review for {days} business days, twice the usual: open a ticket with "
            "the provider and quote the campaign id."
        )
    if ProviderCarrierState.REJECTED in states and in_carrier_review:
        return Lever.TELNYX_APPEAL, (
            f"A carrier rejected and the others have not decided after {days} business "
            "days: fix what the rejecting carrier named and appeal."
        )
    if in_carrier_review:
        waiting = sorted(CARRIERS.get(m, m) for m, s in rec.carriers.items() if s is ProviderCarrierState.REVIEW)
        return Lever.TCR_NUDGE, (
            f"{', '.join(waiting)} still reviewing after {days} business days: ask TCR to nudge the carriers' review."
        )
    return Lever.PROVIDER_TICKET, (
        f"Waiting for the provider's own review for {days} business days: open a support ticket."
    )


def update_stuck(
    state: SyncState, target: RegistrationStatus, rec: CampaignRecord, *, now: datetime, config: Mapping[str, Any]
) -> None:
    """Flag (or clear) the stuck-in-review marker with the lever that helps."""
    if target is not R.IN_REVIEW:
        state.review_since = state.stuck_at = state.stuck_lever = state.stuck_note = None
        return
    state.review_since = state.review_since or now
    threshold = int(setting(config, "SYNC_STUCK_BUSINESS_DAYS"))
    days = business_days_between(state.review_since, now)
    if days >= threshold:
        lever, note = stuck_lever(rec, days, threshold)
        state.stuck_at = state.stuck_at or now
        state.stuck_lever, state.stuck_note = lever, note[:500]
    else:
        state.stuck_at = state.stuck_lever = state.stuck_note = None


def _provider_fact(session: Session, campaign: Campaign, actor: Actor, summary: str, **changes: list[Any]) -> None:
    """Audit a fact the provider reported about the campaign (its TCR id, the end of its term): ``changes`` maps
    each attribute to ``[old, new]``."""
    record(
        session,
        organization_id=campaign.organization_id,
        actor=actor,
        action="update",
        entity_type="campaign",
        entity_id=campaign.id,
        summary=f"{campaign.reference}: {summary}",
        changes=changes,
    )


def apply_campaign(
    session: Session,
    state: SyncState,
    campaign: Campaign,
    rec: CampaignRecord,
    *,
    actor: Actor,
    source: str,
    now: datetime,
    config: Mapping[str, Any],
) -> Applied:
    applied = Applied()
    if is_stale(state, rec.updated_at):
        applied.stale = True
        return applied
    _observed(state, rec.updated_at, rec.raw_status)
    if rec.registry_id and campaign.tcr_campaign_id != rec.registry_id:
        old_id, campaign.tcr_campaign_id = campaign.tcr_campaign_id, rec.registry_id[:10]
        _provider_fact(
            session,
            campaign,
            actor,
            f"TCR campaign id {rec.registry_id}",
            tcr_campaign_id=[old_id, rec.registry_id[:10]],
        )
    if rec.term_ends_on is not None and campaign.term_ends_on != rec.term_ends_on:
        old_term, campaign.term_ends_on = campaign.term_ends_on, rec.term_ends_on
        then = "renews" if campaign.auto_renewal else "expires"
        old, new = old_term.isoformat() if old_term else None, rec.term_ends_on.isoformat()
        _provider_fact(session, campaign, actor, f"term ends {new} ({then} then)", term_ends_on=[old, new])
    applied.carrier_changes = apply_carriers(session, state, campaign, rec, actor=actor, source=source, now=now)
    if rec.lifecycle is None:
        applied.notes.append(f"unrecognized campaign status {rec.raw_status!r}: kept {campaign.status.value}")
        return applied
    target = R(rec.lifecycle.value)
    update_stuck(state, target, rec, now=now, config=config)
    if campaign.status in LOCAL or campaign.status == target:
        return applied
    kw = {"actor": actor, "source": source, "raw_status": rec.raw_status, "occurred_at": rec.updated_at}
    if target in (R.REJECTED, R.FAILED):
        reasons = [
            rs.reason(
                "campaign",
                code="MNO_REJECTED",
                message=row.reason or "",
                field=None,
                source=CARRIERS.get(row.carrier, row.carrier),
            )
            for row in session.scalars(
                sa.select(CarrierStatus)
                .where(CarrierStatus.campaign_id == campaign.id, CarrierStatus.state == CarrierState.REJECTED)
                .order_by(CarrierStatus.carrier)
            )
        ]
        reasons += rs.from_issues("campaign", rec.issues, source=rs.source_label(rec.provider, rec.raw_status))
        if not reasons:
            reasons = [
                rs.reason(
                    "campaign",
                    code=rec.raw_status,
                    field=None,
                    source="provider",
                    message=f"The provider reports {rec.raw_status} without a reason.",
                )
            ]
        applied.changes += reject(session, campaign, reasons, status=target, **kw)
    else:
        _move(session, campaign, target, applied, **kw)
    return applied


# --- numbers ------------------------------------------------------------------------------------------------


def _apply_release(
    session: Session, number: PhoneNumber, rec: AssignmentRecord, applied: Applied, *, actor: Actor, source: str
) -> Applied:
    """A number being released: gone at the provider (or reported deactivated) -> unassigned here; the
    provider's refusal (FAILED_UNASSIGNMENT) -> assigned again, with its reason; pending -> wait."""
    if rec.lifecycle is Lifecycle.DEACTIVATED:
        campaign = number.campaign.reference if number.campaign else "its campaign"
        unassign_number(session, number, actor=actor, source=source, note=f"released from {campaign} by the provider")
        applied.changes += 1
    elif rec.lifecycle is Lifecycle.FAILED:
        why = "; ".join(i.message for i in rec.issues) or rec.raw_status or "no reason given"
        _move(
            session,
            number,
            AssignmentStatus.ASSIGNED,
            applied,
            actor=actor,
            source=source,
            note=f"the provider could not release it: {why}",
            raw_status=rec.raw_status,
        )
    return applied


def apply_assignment(
    session: Session,
    state: SyncState,
    number: PhoneNumber,
    rec: AssignmentRecord,
    *,
    actor: Actor,
    source: str,
    now: datetime,
) -> Applied:
    applied = Applied()
    if is_stale(state, rec.updated_at):
        applied.stale = True
        return applied
    _observed(state, rec.updated_at, rec.raw_status)
    if number.assignment_status is AssignmentStatus.PENDING_UNASSIGNMENT:
        return _apply_release(session, number, rec, applied, actor=actor, source=source)
    if state.parent_ref and rec.campaign_id and rec.campaign_id != state.parent_ref:
        applied.notes.append(f"{number.e164} is on provider campaign {rec.campaign_id}, not {state.parent_ref}")
        return applied
    if rec.lifecycle is Lifecycle.APPROVED and number.assignment_status is not AssignmentStatus.ASSIGNED:
        mark_assigned(
            session,
            number,
            actor=actor,
            source=source,
            note=f"registered on campaign {rec.registry_campaign_id or rec.campaign_id}",
        )
        applied.changes += 1
    elif rec.lifecycle is Lifecycle.FAILED and number.assignment_status is AssignmentStatus.PENDING:
        note = "; ".join(i.message for i in rec.issues) or "the provider could not assign the number"
        _move(
            session,
            number,
            AssignmentStatus.FAILED,
            applied,
            actor=actor,
            source=source,
            note=note,
            raw_status=rec.raw_status,
            occurred_at=rec.updated_at,
        )
    elif rec.lifecycle is Lifecycle.DEACTIVATED and number.assignment_status is AssignmentStatus.ASSIGNED:
        unassign_number(
            session,
            number,
            actor=actor,
            source=source,
            note="the provider reports no assignment any more (released outside registry)",
        )
        applied.changes += 1
    elif rec.lifecycle is None:
        applied.notes.append(f"unrecognized assignment status {rec.raw_status!r}")
    return applied
