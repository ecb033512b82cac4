"""Sending a draft for review, approving it, sending it back, recording a provider's rejection.

Every decision lands in the audit chain; approval queues the revision for submission (the outbox of issue #5
sends it after the commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.compliance import campaign_only, lint_brand, lint_campaign
from registry.db import utcnow
from registry.errors import PermissionDenied, UserValueError
from registry.lifecycle.operations import change_status
from registry.revisions.models import Acknowledgement, Revision
from registry.revisions.operations import freeze
from registry.states import RegistrationStatus, RevisionStatus
from registry.submissions.operations import queue_submission

SUBMITTABLE = frozenset({RegistrationStatus.DRAFT, RegistrationStatus.REJECTED, RegistrationStatus.FAILED,
                         RegistrationStatus.ACTION_REQUIRED})
#: the shortest written reason accepted for acknowledging a warning
MIN_REASON = 15


def submit_for_review(session: Session, obj: Brand | Campaign, *, actor: Actor) -> Revision:
    """Freeze the draft with its findings and put it in the review queue. Errors must be fixed first."""
    if obj.status not in SUBMITTABLE:
        raise UserValueError(f"It is {obj.status.label.lower()}: only drafts and rejected registrations can be "
                             "sent for review.")
    if isinstance(obj, Campaign) and obj.brand.status == RegistrationStatus.DRAFT:
        raise UserValueError(f"Send the brand {obj.brand.display_name} for review first: a campaign is filed "
                             "under a registered brand.")
    report = lint_brand(obj) if isinstance(obj, Brand) else campaign_only(lint_campaign(obj))
    errors = report.errors
    if errors:
        raise UserValueError(f"Fix the {len(errors)} error(s) the checks found before sending it for review "
                             f"(first: {errors[0].rule} on {errors[0].field or 'the payload'}).")
    revision = freeze(session, obj, actor=actor)
    revision.findings = [f.to_dict() for f in report.findings]
    change_status(session, obj, RegistrationStatus.AWAITING_REVIEW, actor=actor,
                  note=f"revision {revision.number} sent for review")
    return revision


@dataclass(frozen=True)
class Acknowledged:
    rule: str
    field: str
    reason: str


def warnings_to_acknowledge(revision: Revision) -> list[dict[str, Any]]:
    """The warnings of a revision, one per (rule, field), each of which a reviewer must accept in writing."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for f in revision.findings:
        if f["severity"] == "warning":
            seen.setdefault((f["rule"], f["field"] or ""), f)
    return list(seen.values())


def approve(session: Session, revision: Revision, *, actor: Actor, acknowledgements: list[Acknowledged],
            comment: str = "") -> None:
    """The four-eyes approval: never the author; no errors; every warning acknowledged with a reason."""
    subject = _subject(revision)
    _check_reviewable(revision, subject, actor)
    if any(f["severity"] == "error" for f in revision.findings):
        raise UserValueError("This revision has errors; it cannot be approved. Send it back with comments.")
    given = {(a.rule, a.field): a for a in acknowledgements}
    for warning in warnings_to_acknowledge(revision):
        key = (warning["rule"], warning["field"] or "")
        ack = given.get(key)
        if ack is None or len(ack.reason.strip()) < MIN_REASON:
            raise UserValueError(f"Acknowledge the warning {warning['rule']} on {warning['field'] or 'the payload'} "
                                 f"with a written reason (at least {MIN_REASON} characters).",
                                 field=f"ack-{warning['rule']}-{warning['field'] or ''}")
        session.add(Acknowledgement(revision=revision, rule=ack.rule, field=ack.field, reason=ack.reason.strip(),
                                    user_id=actor.user_id))
    _decide(session, revision, RevisionStatus.APPROVED, actor=actor, comment=comment)
    record(session, organization_id=revision.organization_id, actor=actor, action="approve",
           entity_type="revision", entity_id=revision.id,
           summary=f"{subject.reference}: revision {revision.number} approved",
           changes={"status": [RevisionStatus.AWAITING_REVIEW.value, RevisionStatus.APPROVED.value],
                    "acknowledged": [None, [f"{a.rule}:{a.field}: {a.reason.strip()}" for a in given.values()
                                            if (a.rule, a.field) in _warning_keys(revision)]]})
    change_status(session, subject, RegistrationStatus.QUEUED, actor=actor,
                  note=f"revision {revision.number} approved by {actor.label}; queued for submission")
    queue_submission(session, revision, actor=actor)


def send_back(session: Session, revision: Revision, *, actor: Actor, comment: str) -> None:
    """Return the revision to its author with comments; the registration becomes an editable draft again."""
    subject = _subject(revision)
    if revision.status != RevisionStatus.AWAITING_REVIEW:
        raise UserValueError(f"Revision {revision.number} is {revision.status.label.lower()}, not awaiting review.")
    if len(comment.strip()) < MIN_REASON:
        raise UserValueError(f"Say what needs to change (at least {MIN_REASON} characters).", field="comment")
    _decide(session, revision, RevisionStatus.RETURNED, actor=actor, comment=comment.strip())
    record(session, organization_id=revision.organization_id, actor=actor, action="send_back",
           entity_type="revision", entity_id=revision.id,
           summary=f"{subject.reference}: revision {revision.number} sent back: {comment.strip()[:200]}",
           changes={"status": [RevisionStatus.AWAITING_REVIEW.value, RevisionStatus.RETURNED.value]})
    change_status(session, subject, RegistrationStatus.DRAFT, actor=actor, note=f"sent back: {comment.strip()}")


def record_rejection(session: Session, revision: Revision, reasons: list[dict[str, Any]], *, actor: Actor,
                     source: str = "provider") -> None:
    """The provider or a carrier rejected a submitted revision; keep the reasons beside it for the resubmission."""
    subject = _subject(revision)
    old = revision.status
    revision.status = RevisionStatus.REJECTED
    revision.rejection_reasons = reasons
    session.flush()
    record(session, organization_id=revision.organization_id, actor=actor, action="reject",
           entity_type="revision", entity_id=revision.id,
           summary=f"{subject.reference}: revision {revision.number} rejected",
           changes={"status": [old.value, RevisionStatus.REJECTED.value], "reasons": [None, reasons]})
    note = "; ".join(r.get("message", "") for r in reasons)[:900]
    change_status(session, subject, RegistrationStatus.REJECTED, actor=actor, source=source, note=note)


def last_rejected(session: Session, revision: Revision) -> Revision | None:
    """The newest revision of the same brand or campaign before ``revision`` that was rejected by the provider
    or sent back by a reviewer: what a resubmission is compared with."""
    fk = Revision.brand_id if revision.subject == "brand" else Revision.campaign_id
    subject_id = revision.brand_id if revision.subject == "brand" else revision.campaign_id
    return session.scalar(sa.select(Revision).where(
        fk == subject_id, Revision.number < revision.number,
        Revision.status.in_([RevisionStatus.REJECTED, RevisionStatus.RETURNED]))
        .order_by(Revision.number.desc()).limit(1))


def rejection_reasons(revision: Revision) -> list[dict[str, Any]]:
    """Why ``revision`` was refused: the provider's reasons, or the reviewer's comment when it was sent back."""
    if revision.rejection_reasons:
        return list(revision.rejection_reasons)
    if revision.review_comment:
        who = revision.reviewer.email if revision.reviewer else "the reviewer"
        return [{"message": f"Sent back by {who}: {revision.review_comment}", "source": "review"}]
    return []


def _subject(revision: Revision) -> Brand | Campaign:
    return revision.brand if revision.subject == "brand" else revision.campaign  # type: ignore[return-value]


def _check_reviewable(revision: Revision, subject: Brand | Campaign, actor: Actor) -> None:
    if revision.status != RevisionStatus.AWAITING_REVIEW:
        raise UserValueError(f"Revision {revision.number} is {revision.status.label.lower()}, not awaiting review.")
    if actor.user_id is not None and actor.user_id == revision.author_id:
        raise PermissionDenied("You sent this revision for review, so someone else must approve it "
                               "(four-eyes rule).")
    if subject.status != RegistrationStatus.AWAITING_REVIEW:
        raise UserValueError(f"{subject.reference} is {subject.status.label.lower()}; the revision is outdated.")


def _decide(session: Session, revision: Revision, status: RevisionStatus, *, actor: Actor, comment: str) -> None:
    revision.status = status
    revision.reviewer_id = actor.user_id
    revision.reviewed_at = utcnow()
    revision.review_comment = comment or None
    session.flush()


def _warning_keys(revision: Revision) -> set[tuple[str, str]]:
    return {(w["rule"], w["field"] or "") for w in warnings_to_acknowledge(revision)}
