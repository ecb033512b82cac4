"""Row streams behind the dossier's detail tables. Each returns a generator factory (called once by the
pipeline, inside the report's read transaction) that pages through the database: memory stays flat."""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.lifecycle.models import StatusChange
from registry.numbers.models import PhoneNumber
from registry.provider_accounts.models import ProviderCall
from registry.revisions.models import Revision
from registry.submissions.models import Submission

from .common import carrier_name, utc_iso
from .csvout import cell

Rows = Callable[[], Iterable[Sequence[Any]]]
BATCH = 2000


def _stream(session: Session, stmt: sa.Select[Any]) -> Iterator[Any]:
    """Rows of ``stmt`` fetched in batches (a server-side cursor on PostgreSQL)."""
    result = session.execute(stmt.execution_options(yield_per=BATCH))
    try:
        yield from result
    finally:
        result.close()


# --- what belongs to a registration -------------------------------------------------------------------

class Scope:
    """The rows that make up one brand's or one campaign's registration record."""

    def __init__(self, obj: Brand | Campaign) -> None:
        self.obj = obj
        self.kind = "brand" if isinstance(obj, Brand) else "campaign"
        self.organization_id = obj.organization_id

    def revision_ids(self) -> sa.Select[Any]:
        fk = Revision.brand_id if self.kind == "brand" else Revision.campaign_id
        return sa.select(Revision.id).where(fk == self.obj.id)

    def submission_ids(self) -> sa.Select[Any]:
        if self.kind == "brand":
            return sa.select(Submission.id).where(Submission.brand_id == self.obj.id,
                                                  Submission.campaign_id.is_(None),
                                                  Submission.phone_number_id.is_(None))
        numbers = self.number_ids()
        return sa.select(Submission.id).where(sa.or_(Submission.campaign_id == self.obj.id,
                                                     Submission.phone_number_id.in_(numbers)))

    def number_ids(self) -> sa.Select[Any]:
        if self.kind == "campaign":
            return sa.select(PhoneNumber.id).where(PhoneNumber.campaign_id == self.obj.id)
        return (sa.select(PhoneNumber.id).join(Campaign, PhoneNumber.campaign_id == Campaign.id)
                .where(Campaign.brand_id == self.obj.id))

    def numbers(self) -> sa.Select[Any]:
        stmt = (sa.select(PhoneNumber.e164, PhoneNumber.label, PhoneNumber.assignment_status,
                          PhoneNumber.assigned_at, Campaign.reference)
                .join(Campaign, PhoneNumber.campaign_id == Campaign.id)
                .where(PhoneNumber.organization_id == self.organization_id))
        if self.kind == "campaign":
            return stmt.where(PhoneNumber.campaign_id == self.obj.id)
        return stmt.where(Campaign.brand_id == self.obj.id)

    def audit_filter(self) -> sa.ColumnElement[bool]:
        as_text = sa.String(64)
        return sa.and_(AuditEvent.organization_id == self.organization_id, sa.or_(
            sa.and_(AuditEvent.entity_type == self.kind, AuditEvent.entity_id == str(self.obj.id)),
            sa.and_(AuditEvent.entity_type == "revision",
                    AuditEvent.entity_id.in_(sa.select(sa.cast(Revision.id, as_text))
                                             .where(Revision.id.in_(self.revision_ids())))),
            sa.and_(AuditEvent.entity_type == "submission",
                    AuditEvent.entity_id.in_(sa.select(sa.cast(Submission.id, as_text))
                                             .where(Submission.id.in_(self.submission_ids())))),
            sa.and_(AuditEvent.entity_type == "phone_number",
                    AuditEvent.entity_id.in_(sa.select(sa.cast(PhoneNumber.id, as_text))
                                             .where(PhoneNumber.id.in_(self.number_ids())))),
        ))

    def call_filter(self) -> sa.ColumnElement[bool]:
        as_text = sa.String(80)
        matches = [
            ProviderCall.context == f"sync:{self.kind}:{self.obj.id}",
            ProviderCall.context.in_(sa.select(sa.literal("submission:") + sa.cast(Submission.id, as_text))
                                     .where(Submission.id.in_(self.submission_ids()))),
        ]
        if self.kind == "campaign":
            matches.append(ProviderCall.context.in_(
                sa.select(sa.literal("sync:phone_number:") + sa.cast(PhoneNumber.id, as_text))
                .where(PhoneNumber.id.in_(self.number_ids()))))
        return sa.and_(ProviderCall.organization_id == self.organization_id, sa.or_(*matches))

    def status_changes(self) -> sa.ColumnElement[bool]:
        return sa.and_(StatusChange.organization_id == self.organization_id,
                       StatusChange.subject == self.kind, StatusChange.subject_id == self.obj.id)


# --- detail tables --------------------------------------------------------------------------------------

RECORD_COLUMNS = ("time_utc", "kind", "subject", "actor", "summary", "detail", "audit_seq", "audit_hash")


def record_rows(session: Session, scope: Scope, revisions: Sequence[Revision],
                names: dict[int, str]) -> Rows:
    """The chronological record of the registration: every audit event of it, its revisions and their fields
    and findings and acknowledgements, and every provider call made for it — merged by time. ``names``: the
    e-mail of each user id."""

    def revision_rows() -> list[tuple[str, ...]]:
        rows: list[tuple[str, ...]] = []
        for r in revisions:
            when = utc_iso(r.created_at)
            author = names.get(r.author_id or 0, "")
            subject = f"{r.subject} revision {r.number}"
            for name, value in sorted(r.snapshot.items()):
                text = cell(value)
                rows.append((when, "field", subject, author, f"{name}: {text}", text, "", ""))
            for f in r.findings:
                rows.append((when, "finding", subject, "rule engine",
                             f"{f['severity']} {f['rule']} on {f.get('field') or 'the payload'}",
                             cell(f.get("message")), "", ""))
            for a in r.acknowledgements:
                rows.append((utc_iso(a.created_at), "acknowledgement", subject, names.get(a.user_id or 0, ""),
                             f"{a.rule} on {a.field or 'the payload'}", cell(a.reason), "", ""))
        rows.sort(key=lambda row: row[0])
        return rows

    def audit_rows() -> Iterator[tuple[str, ...]]:
        stmt = (sa.select(AuditEvent.occurred_at, AuditEvent.action, AuditEvent.entity_type, AuditEvent.entity_id,
                          AuditEvent.actor, AuditEvent.summary, AuditEvent.changes, AuditEvent.seq,
                          AuditEvent.hash)
                .where(scope.audit_filter()).order_by(AuditEvent.seq))
        for at, action, etype, eid, actor, summary, changes, seq, digest in _stream(session, stmt):
            yield (utc_iso(at), f"audit:{action}", f"{etype} {eid}", cell(actor), cell(summary),
                   json.dumps(changes, sort_keys=True, ensure_ascii=False) if changes else "", str(seq), digest)

    def call_rows() -> Iterator[tuple[str, ...]]:
        stmt = (sa.select(ProviderCall.started_at, ProviderCall.provider, ProviderCall.method, ProviderCall.path,
                          ProviderCall.status, ProviderCall.duration_ms, ProviderCall.attempt, ProviderCall.error,
                          ProviderCall.context)
                .where(scope.call_filter()).order_by(ProviderCall.started_at, ProviderCall.id))
        for at, provider, method, path, status, ms, attempt, error, context in _stream(session, stmt):
            outcome = str(status) if status is not None else "no response"
            yield (utc_iso(at), "provider_call", context or "", provider,
                   f"{method} {path} → {outcome} ({ms:.0f} ms, attempt {attempt})", cell(error), "", "")

    def rows() -> Iterator[tuple[str, ...]]:
        return heapq.merge(revision_rows(), audit_rows(), call_rows(), key=lambda row: row[0])

    return rows


TIMELINE_COLUMNS = ("occurred_utc", "recorded_utc", "scope", "from", "to", "raw_status", "source", "note")


def timeline_rows(session: Session, scope: Scope) -> Rows:
    def rows() -> Iterator[tuple[Any, ...]]:
        stmt = (sa.select(StatusChange.occurred_at, StatusChange.recorded_at, StatusChange.carrier,
                          StatusChange.from_status, StatusChange.to_status, StatusChange.raw_status,
                          StatusChange.source, StatusChange.note)
                .where(scope.status_changes()).order_by(StatusChange.occurred_at, StatusChange.id))
        for at, recorded, carrier, old, new, raw, source, note in _stream(session, stmt):
            yield (at, recorded, carrier_name(carrier), old, new, raw, source, note)
    return rows


NUMBER_COLUMNS = ("e164", "label", "assignment_status", "assigned_utc", "campaign")


def number_rows(session: Session, scope: Scope) -> Rows:
    def rows() -> Iterator[tuple[Any, ...]]:
        stmt = scope.numbers().order_by(PhoneNumber.e164)
        yield from (tuple(row) for row in _stream(session, stmt))
    return rows


CALL_COLUMNS = ("started_utc", "context", "provider", "method", "path", "status", "duration_ms", "attempt",
                "error", "retry_after", "request_body", "response_body")


def call_rows(session: Session, scope: Scope) -> Rows:
    """Every provider call with its (already redacted) bodies."""
    def rows() -> Iterator[tuple[Any, ...]]:
        stmt = (sa.select(ProviderCall.started_at, ProviderCall.context, ProviderCall.provider, ProviderCall.method,
                          ProviderCall.path, ProviderCall.status, ProviderCall.duration_ms, ProviderCall.attempt,
                          ProviderCall.error, ProviderCall.retry_after, ProviderCall.request_body,
                          ProviderCall.response_body)
                .where(scope.call_filter()).order_by(ProviderCall.started_at, ProviderCall.id))
        for row in _stream(session, stmt):
            *head, ms, attempt, error, retry, request, response = row
            yield (*head, f"{ms:.1f}", attempt, error, retry, request, response)
    return rows

