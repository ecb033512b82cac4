"""The registration dossier of a brand or a campaign: everything we filed, checked, decided and were told.

Summary first (fields as filed, findings and acknowledged warnings, revisions and their differences, the
people, submissions and provider calls in aggregate, carrier states, numbers, consent in aggregate); the
long lists are detail tables — the chronological record, the status timeline, the numbers, every provider
call — attached as CSV and printed as appendices while they stay short.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from registry.auth.models import Organization
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.compliance import campaign_only, lint_brand, lint_campaign
from registry.lifecycle.models import CarrierStatus, StatusChange
from registry.numbers.models import PhoneNumber
from registry.provider_accounts.models import ProviderCall
from registry.reviews.operations import rejection_reasons
from registry.revisions.diff import diff_snapshots
from registry.revisions.models import Revision
from registry.states import CARRIERS, RevisionStatus
from registry.submissions.models import Submission, SubmissionStep
from registry.tcr import tcr_fields

from . import consent_source, sources
from .common import Formatter, carrier_name, make_meta, user_label, users_by_id
from .model import Built, Detail, Row, Table

#: rows a table in the body shows at most; the rest is in its attachment
INLINE = 40
#: revision states that mean "this is what went to the provider"
FILED = (RevisionStatus.SUBMITTED, RevisionStatus.REJECTED, RevisionStatus.APPROVED, RevisionStatus.SUPERSEDED)


@dataclass(frozen=True)
class FindingView:
    severity: str
    rule: str
    field: str
    message: str
    acknowledgement: str


@dataclass(frozen=True)
class RevisionView:
    number: int
    status: str
    sha256: str
    frozen: str
    author: str
    reviewer: str
    reviewed: str
    comment: str
    findings: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DiffView:
    title: str
    rows: tuple[tuple[str, str, str, str], ...]
    unchanged: int


@dataclass(frozen=True)
class Dossier:
    kind: str
    facts: tuple[Row, ...]
    fields_title: str
    fields_note: str
    fields: tuple[Row, ...]
    findings_title: str
    findings: tuple[FindingView, ...]
    current_check: str
    people: tuple[Row, ...]
    revisions: tuple[RevisionView, ...]
    diffs: tuple[DiffView, ...]
    submissions: Table
    submission_facts: tuple[Row, ...]
    calls: Table
    calls_recent: Table
    carriers: Table
    timeline: Table
    numbers_facts: tuple[Row, ...]
    numbers: Table
    campaigns: Table
    consent: consent_source.ConsentSummary


def build_dossier(session: Session, org: Organization, obj: Brand | Campaign, *, generated_by: str) -> Built:
    """The dossier of ``obj`` (a brand or a campaign of ``org``)."""
    kind = "brand" if isinstance(obj, Brand) else "campaign"
    fmt = Formatter(org.timezone)
    scope = sources.Scope(obj)
    revisions = _revisions(session, obj, kind)
    users = users_by_id(session, _user_ids(obj, revisions))
    names = {uid: user_label(u) for uid, u in users.items()}
    subject = (f"Campaign {obj.reference}" if isinstance(obj, Campaign)
               else f"Brand {obj.display_name} ({obj.reference})")
    meta = make_meta(session, org, kind="dossier", title="Registration dossier", subject=subject,
                     generated_by=generated_by)
    filed = next((r for r in revisions if r.status in FILED), None)
    shown = filed or (revisions[0] if revisions else None)
    context = Dossier(
        kind=kind,
        facts=_facts(session, obj, fmt, names),
        fields_title=_fields_title(filed, shown),
        fields_note=_fields_note(obj, filed, shown),
        fields=_fields(obj, shown),
        findings_title=(f"Findings when revision {shown.number} was frozen" if shown
                        else "Findings of the current draft"),
        findings=_findings(shown, fmt, names) if shown else _current_findings(obj),
        current_check=_current_check(obj),
        people=_people(obj, revisions, fmt, names),
        revisions=tuple(_revision_view(r, fmt, names) for r in reversed(revisions)),
        diffs=_diffs(revisions),
        submissions=_submissions(session, scope, fmt),
        submission_facts=_number_submission_facts(session, scope),
        calls=_call_summary(session, scope, fmt),
        calls_recent=_recent_calls(session, scope, fmt),
        carriers=_carriers(session, obj, fmt),
        timeline=_timeline(session, scope, fmt),
        numbers_facts=_number_facts(session, scope),
        numbers=_numbers(session, scope, fmt),
        campaigns=_campaigns(session, obj),
        consent=consent_source.summary(session, org, campaign=obj if isinstance(obj, Campaign) else None,
                                       brand=obj if isinstance(obj, Brand) else None, fmt=fmt),
    )
    details = (
        Detail("record", "Chronological record", sources.RECORD_COLUMNS,
               sources.record_rows(session, scope, revisions, {uid: u.email for uid, u in users.items()}),
               printed=((0, 20), (1, 15), (2, 17), (3, 20), (4, 46)), formatted=True,
               description="Every audit event of the registration, its revisions' fields, findings and "
                           "acknowledgements, and every provider call, in time order (UTC)."),
        Detail("status-timeline", "Status timeline (overall and per carrier)", sources.TIMELINE_COLUMNS,
               sources.timeline_rows(session, scope),
               printed=((0, 20), (2, 10), (3, 14), (4, 14), (5, 16), (6, 8), (7, 33)), print_above=INLINE,
               description="Every state change we recorded, with the provider's raw status."),
        Detail("numbers", "Numbers", sources.NUMBER_COLUMNS, sources.number_rows(session, scope),
               printed=((0, 14), (2, 20), (3, 20), (4, 20), (1, 44)), print_above=INLINE, print_max=500,
               description="The phone numbers assigned (or being assigned) to the registration."),
        Detail("provider-calls", "Provider calls", sources.CALL_COLUMNS, sources.call_rows(session, scope),
               description="Every request made to the provider for this registration, with the redacted "
                           "request and response bodies."),
    )
    return Built(meta=meta, template="reports/pdf/dossier.html", context=context, details=details,
                 csv_detail="record")


# --- the registration itself ----------------------------------------------------------------------------

def _revisions(session: Session, obj: Brand | Campaign, kind: str) -> list[Revision]:
    fk = Revision.brand_id if kind == "brand" else Revision.campaign_id
    return list(session.scalars(sa.select(Revision).where(fk == obj.id).order_by(Revision.number.desc())
                                .options(selectinload(Revision.acknowledgements),
                                         selectinload(Revision.reviewer))))


def _user_ids(obj: Brand | Campaign, revisions: list[Revision]) -> set[int | None]:
    ids: set[int | None] = {obj.created_by_id}
    for r in revisions:
        ids |= {r.author_id, r.reviewer_id} | {a.user_id for a in r.acknowledgements}
    return ids


def _facts(session: Session, obj: Brand | Campaign, fmt: Formatter, names: dict[int, str]) -> tuple[Row, ...]:
    rows = [Row("Reference", obj.reference), Row("Status", obj.status.label)]
    if isinstance(obj, Campaign):
        rows += [Row("TCR campaign id", obj.tcr_campaign_id or "not registered yet"),
                 Row("Use case", obj.usecase + (f" ({', '.join(obj.sub_usecases)})" if obj.sub_usecases else "")),
                 Row("Brand", f"{obj.brand.display_name} ({obj.brand.reference})",
                     obj.brand.tcr_brand_id or "brand not registered yet")]
    else:
        rows += [Row("TCR brand id", obj.tcr_brand_id or "not registered yet"),
                 Row("Entity type", obj.entity_type), Row("Identity", obj.identity_status.label)]
    rows += [Row("Created", fmt.time(obj.created_at), f"by {names.get(obj.created_by_id or 0, 'the system')}"),
             Row("Last changed", fmt.time(obj.updated_at), f"version {obj.version}")]
    return tuple(rows)


def _ordered_fields(obj: Brand | Campaign, snapshot: dict[str, Any]) -> list[str]:
    declared = list(tcr_fields(type(obj)).values())
    return declared + sorted(k for k in snapshot if k not in declared)


def _fields(obj: Brand | Campaign, revision: Revision | None) -> tuple[Row, ...]:
    if revision is None:
        snapshot = {tcr: getattr(obj, attr) for attr, tcr in tcr_fields(type(obj)).items()}
    else:
        snapshot = revision.snapshot
    return tuple(Row(name, Formatter.value(snapshot.get(name))) for name in _ordered_fields(obj, snapshot))


def _fields_title(filed: Revision | None, shown: Revision | None) -> str:
    if filed is not None:
        return f"Every field as filed (revision {filed.number})"
    if shown is not None:
        return f"Every field of revision {shown.number} (not filed with a provider yet)"
    return "Every field of the current draft (never frozen for review)"


def _fields_note(obj: Brand | Campaign, filed: Revision | None, shown: Revision | None) -> str:
    if shown is None:
        return "Nothing has been sent for review yet: these are the draft's current values."
    current = {tcr: getattr(obj, attr) for attr, tcr in tcr_fields(type(obj)).items()}
    snapshot = shown.snapshot
    changed = sorted(k for k, v in current.items()
                     if Formatter.value(v) != Formatter.value(snapshot.get(k)))
    note = f"Snapshot SHA-256 {shown.sha256}."
    if changed:
        note += f" The current draft differs in {len(changed)} field(s): {', '.join(changed)}."
    else:
        note += " The current record matches it."
    return note


def _findings(revision: Revision, fmt: Formatter, names: dict[int, str]) -> tuple[FindingView, ...]:
    acks = {(a.rule, a.field or ""): a for a in revision.acknowledgements}
    views = []
    for f in revision.findings:
        ack = acks.get((f["rule"], f.get("field") or "")) if f["severity"] == "warning" else None
        text = ""
        if ack is not None:
            text = f"“{ack.reason}” — {names.get(ack.user_id or 0, 'unknown')}, {fmt.time(ack.created_at)}"
        elif f["severity"] == "warning" and revision.status in FILED:
            text = "not acknowledged"
        views.append(FindingView(f["severity"], f["rule"], f.get("field") or "", f.get("message", ""), text))
    return tuple(views)


def _lint(obj: Brand | Campaign) -> Any:
    return lint_brand(obj) if isinstance(obj, Brand) else campaign_only(lint_campaign(obj))


def _current_findings(obj: Brand | Campaign) -> tuple[FindingView, ...]:
    return tuple(FindingView(f.severity.value, f.rule, f.field or "", f.message, "") for f in _lint(obj).findings)


def _current_check(obj: Brand | Campaign) -> str:
    report = _lint(obj)
    return (f"Checked again with today's rules when this report was generated: {len(report.errors)} error(s), "
            f"{len(report.warnings)} warning(s).")


def _people(obj: Brand | Campaign, revisions: list[Revision], fmt: Formatter,
            names: dict[int, str]) -> tuple[Row, ...]:
    rows = [Row("Draft created by", names.get(obj.created_by_id or 0, "the system"), fmt.time(obj.created_at))]
    for r in reversed(revisions):
        rows.append(Row(f"Revision {r.number} drafted by", names.get(r.author_id or 0, "the system"),
                        fmt.time(r.created_at)))
        if r.reviewer_id is not None or r.reviewed_at is not None:
            verb = "sent back by" if r.status is RevisionStatus.RETURNED else "approved by"
            rows.append(Row(f"Revision {r.number} {verb}", names.get(r.reviewer_id or 0, "the system"),
                            fmt.time(r.reviewed_at)))
    decided = [r for r in revisions if r.reviewer_id is not None and r.status is not RevisionStatus.RETURNED]
    if decided:
        ok = all(r.reviewer_id != r.author_id for r in decided)
        rows.append(Row("Four-eyes rule", "kept: no revision was approved by its author" if ok
                        else "BROKEN: a revision was approved by its own author"))
    return tuple(rows)


def _revision_view(r: Revision, fmt: Formatter, names: dict[int, str]) -> RevisionView:
    counts = Counter(f["severity"] for f in r.findings)
    return RevisionView(
        number=r.number, status=r.status.label, sha256=r.sha256, frozen=fmt.time(r.created_at),
        author=names.get(r.author_id or 0, "the system"), reviewer=names.get(r.reviewer_id or 0, "—"),
        reviewed=fmt.time(r.reviewed_at), comment=r.review_comment or "",
        findings=f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info",
        reasons=tuple(reason.get("message", "") + (f" [{reason['code']}]" if reason.get("code") else "")
                      for reason in rejection_reasons(r)),
    )


def _diffs(revisions: list[Revision]) -> tuple[DiffView, ...]:
    ordered = list(reversed(revisions))
    views = []
    for old, new in itertools.pairwise(ordered):
        rows = diff_snapshots(old.snapshot, new.snapshot, reasons=rejection_reasons(old))
        shown = [d for d in rows if d.changed or d.reasons]
        views.append(DiffView(
            title=f"Revision {old.number} → {new.number}",
            rows=tuple((d.field or "(whole payload)", Formatter.value(d.old), Formatter.value(d.new),
                        "; ".join(r.get("message", "") for r in d.reasons)) for d in shown),
            unchanged=len(rows) - len(shown)))
    return tuple(views)


# --- submissions and provider calls -------------------------------------------------------------------

#: outbox steps about a campaign's numbers (summarized, not listed one by one)
NUMBER_STEPS = (SubmissionStep.NUMBERS, SubmissionStep.UNASSIGN)


def _submissions(session: Session, scope: sources.Scope, fmt: Formatter) -> Table:
    rows = session.scalars(sa.select(Submission).where(Submission.id.in_(scope.submission_ids()),
                                                       Submission.step.not_in(NUMBER_STEPS))
                           .order_by(Submission.id))
    return Table("", ("#", "Step", "Status", "Reference sent", "Attempts", "Queued", "Finished",
                      "Provider / TCR id", "Last error"),
                 tuple((str(s.id), s.step.value, s.status.label, s.client_ref, str(s.attempts),
                        fmt.time(s.created_at), fmt.time(s.finished_at),
                        " / ".join(x for x in (s.provider_id, s.registry_id) if x) or "—", s.last_error or "")
                       for s in rows),
                 empty="Nothing was sent to a provider.")


def _number_submission_facts(session: Session, scope: sources.Scope) -> tuple[Row, ...]:
    counts = session.execute(sa.select(Submission.status, sa.func.count())
                             .where(Submission.id.in_(scope.submission_ids()),
                                    Submission.step.in_(NUMBER_STEPS))
                             .group_by(Submission.status)).all()
    if not counts:
        return ()
    total = sum(n for _, n in counts)
    return (Row("Number assignments and releases sent", f"{total:,}",
                ", ".join(f"{n:,} {status.label.lower()}" for status, n in sorted(counts, key=lambda c: c[0]))),)


def _call_summary(session: Session, scope: sources.Scope, fmt: Formatter) -> Table:
    status = ProviderCall.status
    stmt = (sa.select(ProviderCall.context, sa.func.count(),
                      sa.func.sum(sa.case((status.between(200, 299), 1), else_=0)),
                      sa.func.sum(sa.case((status.between(400, 499), 1), else_=0)),
                      sa.func.sum(sa.case((status >= 500, 1), else_=0)),
                      sa.func.sum(sa.case((status.is_(None), 1), else_=0)),
                      sa.func.min(ProviderCall.started_at), sa.func.max(ProviderCall.started_at),
                      sa.func.sum(ProviderCall.duration_ms))
            .where(scope.call_filter()).group_by(ProviderCall.context))
    steps = dict(session.execute(sa.select(Submission.id, Submission.step)
                                 .where(Submission.id.in_(scope.submission_ids()))).all())
    groups: dict[str, list[Any]] = {}
    for context, count, ok, client, server, none, first, last, ms in session.execute(stmt):
        label = _context_label(context or "", steps)
        g = groups.setdefault(label, [0, 0, 0, 0, 0, first, last, 0.0])
        for i, v in enumerate((count, ok, client, server, none)):
            g[i] += int(v or 0)
        g[5], g[6] = min(g[5], first), max(g[6], last)
        g[7] += float(ms or 0)
    rows = tuple((label, f"{g[0]:,}", f"{g[1]:,}", f"{g[2]:,}", f"{g[3]:,}", f"{g[4]:,}", fmt.time(g[5]),
                  fmt.time(g[6]), f"{g[7] / max(1, g[0]):.0f} ms") for label, g in sorted(groups.items()))
    return Table("", ("For", "Calls", "2xx", "4xx", "5xx", "No answer", "First", "Last", "Average"), rows,
                 empty="No provider call was made for this registration.")


def _context_label(context: str, steps: dict[int, SubmissionStep]) -> str:
    kind, _, rest = context.partition(":")
    if kind == "submission" and rest.isdigit():
        step = steps.get(int(rest))
        if step in NUMBER_STEPS:
            return "number assignments and releases"
        return f"submission {rest} ({step.value if step else 'unknown'})"
    if kind == "sync":
        subject = rest.partition(":")[0]
        return "status sync of the numbers" if subject == "phone_number" else f"status sync of the {subject}"
    return context or "unlabelled"


def _recent_calls(session: Session, scope: sources.Scope, fmt: Formatter) -> Table:
    total = session.scalar(sa.select(sa.func.count()).select_from(ProviderCall).where(scope.call_filter())) or 0
    calls = list(session.scalars(sa.select(ProviderCall).where(scope.call_filter())
                                 .order_by(ProviderCall.started_at.desc(), ProviderCall.id.desc()).limit(12)))
    return Table("Latest calls", ("When", "For", "Request", "Status", "Time", "Error"),
                 tuple((fmt.time(c.started_at, seconds=True), c.context or "", f"{c.method} {c.path}",
                        str(c.status) if c.status is not None else "none", f"{c.duration_ms:.0f} ms",
                        c.error or "") for c in reversed(calls)),
                 total=total, attachment="provider-calls.csv", empty="None.")


# --- carriers, timeline, numbers, campaigns -------------------------------------------------------------

def _carriers(session: Session, obj: Brand | Campaign, fmt: Formatter) -> Table:
    if not isinstance(obj, Campaign):
        return Table("", (), (), empty="")
    rows = session.scalars(sa.select(CarrierStatus).where(CarrierStatus.campaign_id == obj.id)
                           .order_by(CarrierStatus.carrier))
    return Table("", ("Carrier", "State", "Provider's status", "Reason", "Reported"),
                 tuple((CARRIERS.get(r.carrier, r.carrier), r.state.label, r.raw_status or "", r.reason or "",
                        fmt.time(r.updated_at)) for r in rows),
                 empty="No carrier has reported on this campaign yet.")


def _timeline(session: Session, scope: sources.Scope, fmt: Formatter) -> Table:
    where = scope.status_changes()
    total = session.scalar(sa.select(sa.func.count()).select_from(StatusChange).where(where)) or 0
    rows = list(session.scalars(sa.select(StatusChange).where(where)
                                .order_by(StatusChange.occurred_at.desc(), StatusChange.id.desc()).limit(INLINE)))
    return Table("", ("When", "Scope", "From", "To", "Provider's status", "Source", "Note"),
                 tuple((fmt.time(c.occurred_at, seconds=True), carrier_name(c.carrier), c.from_status or "—",
                        c.to_status, c.raw_status or "", c.source, c.note) for c in reversed(rows)),
                 total=total, attachment="status-timeline.csv", empty="No state change recorded yet.")


def _number_facts(session: Session, scope: sources.Scope) -> tuple[Row, ...]:
    sub = scope.numbers().subquery()
    counts = session.execute(sa.select(sub.c.assignment_status, sa.func.count())
                             .group_by(sub.c.assignment_status)).all()
    total = sum(n for _, n in counts)
    detail = ", ".join(f"{n:,} {status.label.lower()}" for status, n in sorted(counts, key=lambda c: c[0]))
    return (Row("Numbers", f"{total:,}", detail),)


def _numbers(session: Session, scope: sources.Scope, fmt: Formatter) -> Table:
    total = session.scalar(sa.select(sa.func.count()).select_from(scope.numbers().subquery())) or 0
    rows = session.execute(scope.numbers().order_by(PhoneNumber.e164).limit(INLINE)).all()
    return Table("", ("Number", "Label", "Assignment", "Assigned", "Campaign"),
                 tuple((e164, label, status.label, fmt.time(at), ref) for e164, label, status, at, ref in rows),
                 total=total, attachment="numbers.csv", empty="No number is assigned.")


def _campaigns(session: Session, obj: Brand | Campaign) -> Table:
    if not isinstance(obj, Brand):
        return Table("", (), (), empty="")
    counts = dict(session.execute(sa.select(PhoneNumber.campaign_id, sa.func.count())
                                  .join(Campaign, PhoneNumber.campaign_id == Campaign.id)
                                  .where(Campaign.brand_id == obj.id).group_by(PhoneNumber.campaign_id)).all())
    rows = session.scalars(sa.select(Campaign).where(Campaign.brand_id == obj.id).order_by(Campaign.reference))
    return Table("", ("Campaign", "Use case", "Status", "TCR id", "Numbers"),
                 tuple((c.reference, c.usecase, c.status.label, c.tcr_campaign_id or "—",
                        f"{counts.get(c.id, 0):,}") for c in rows),
                 empty="No campaign is filed under this brand.")

