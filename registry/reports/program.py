"""The program report for a period: every campaign's state, opt-ins and opt-outs against the thresholds (with a
chart), open findings, stuck registrations and upcoming term ends.

Dates are the organization's calendar days; consent counts come from issue #6's daily table, which counts per
UTC day, so a consent day is the UTC day of that date. Thresholds are #6's (2 % watch, 5 % act, configurable
with ``CONSENT_OPTOUT_WATCH`` / ``CONSENT_OPTOUT_ACT``): the opt-out rate of the period is the subscriptions
lost in it divided by those at its start plus those gained in it; the peak daily rate is #6's daily rate.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.auth.models import Organization
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.consent.metrics import CampaignMetrics, campaign_metrics, level
from registry.lifecycle.models import CarrierStatus, StatusChange
from registry.numbers.models import PhoneNumber
from registry.provider_accounts.models import ProviderCall
from registry.revisions.models import Revision
from registry.states import CARRIERS, CarrierState, RegistrationStatus, RevisionStatus
from registry.submissions.models import Submission
from registry.sync.models import SyncState

from .chart import BarChart, rate_bars
from .common import Formatter, make_meta
from .model import Built, Detail, Row, Table

INLINE = 40
#: waiting this long in a pre-decision state (without a status change) counts as stuck
STUCK_DAYS = 7
#: term ends this many days after the period are "upcoming"
EXPIRY_HORIZON = 45
WAITING = (RegistrationStatus.AWAITING_REVIEW, RegistrationStatus.QUEUED, RegistrationStatus.SUBMITTED,
           RegistrationStatus.PENDING, RegistrationStatus.IN_REVIEW, RegistrationStatus.ACTION_REQUIRED)
CARRIER_MARK = {CarrierState.REGISTERED: "✓", CarrierState.REVIEW: "…", CarrierState.REJECTED: "✗",
                CarrierState.SUSPENDED: "⏸", CarrierState.UNKNOWN: "?"}


@dataclass(frozen=True)
class Settings:
    watch: float = 0.02
    act: float = 0.05
    stuck_days: int = STUCK_DAYS
    expiry_horizon: int = EXPIRY_HORIZON


@dataclass(frozen=True)
class CampaignLine:
    reference: str
    brand: str
    usecase: str
    state: str
    carriers: str
    numbers: int
    opt_ins: int
    opt_outs: int
    subscribers: int
    rate: str
    peak: str
    level: str
    level_label: str


@dataclass(frozen=True)
class Program:
    period: str
    facts: tuple[Row, ...]
    states: tuple[Row, ...]
    activity: tuple[Row, ...]
    thresholds: str
    chart: BarChart | None
    campaigns: tuple[CampaignLine, ...]
    campaigns_total: int
    attention: tuple[CampaignLine, ...]
    findings: Table
    stuck: Table
    expiries: Table


def period_bounds(org: Organization, start: date, end: date) -> tuple[datetime, datetime]:
    """The period as UTC instants: from ``start`` 00:00 to the day after ``end`` 00:00, organization time."""
    zone = ZoneInfo(org.timezone)
    return (datetime.combine(start, time(), zone).astimezone(UTC),
            datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC))


def build_program(session: Session, org: Organization, start: date, end: date, *, generated_by: str,
                  settings: Settings | None = None, now: datetime | None = None) -> Built:
    settings = settings or Settings()
    now = now or datetime.now(UTC)
    fmt = Formatter(org.timezone)
    t0, t1 = period_bounds(org, start, end)
    meta = make_meta(session, org, kind="program", title="Program report",
                     subject=f"{start.isoformat()} to {end.isoformat()}", generated_by=generated_by, now=now)
    campaigns = list(session.scalars(sa.select(Campaign).where(Campaign.organization_id == org.id)
                                     .order_by(Campaign.reference)))
    brands = dict(session.execute(sa.select(Brand.id, Brand.display_name).where(Brand.organization_id == org.id)).all())
    metrics = {m.campaign_id: m for m in campaign_metrics(session, org.id, days=(end - start).days + 1, end=end,
                                                          watch=settings.watch, act=settings.act,
                                                          charts=False).campaigns}
    states_at_end = _states_at(session, org, t1)
    numbers = dict(session.execute(sa.select(PhoneNumber.campaign_id, sa.func.count())
                                   .where(PhoneNumber.organization_id == org.id,
                                          PhoneNumber.campaign_id.is_not(None))
                                   .group_by(PhoneNumber.campaign_id)).all())
    carriers = _carriers(session, org)
    lines = [_line(c, brands, metrics.get(c.id), states_at_end, numbers, carriers, settings) for c in campaigns]
    period = f"{start:%B %-d, %Y} to {end:%B %-d, %Y} ({(end - start).days + 1} days, {org.timezone})"
    context = Program(
        period=period,
        facts=(Row("Period", period), Row("Campaigns", f"{len(campaigns):,}"),
               Row("Brands", f"{len(brands):,}")),
        states=tuple(Row(status, f"{n:,}") for status, n in
                     sorted(Counter(line.state for line in lines).items(), key=lambda kv: -kv[1])),
        activity=_activity(session, org, t0, t1, metrics),
        thresholds=(f"Opt-out rate: watch from {settings.watch * 100:g} %, act from {settings.act * 100:g} % "
                    "(messaging practice; configurable)."),
        chart=_chart(lines, metrics, settings),
        campaigns=tuple(lines[:INLINE]),
        campaigns_total=len(lines),
        attention=tuple(x for x in lines if x.level in ("watch", "act")),
        findings=_findings(session, org),
        stuck=_stuck(session, org, now, fmt, settings),
        expiries=_expiries(session, org, campaigns, end, fmt, settings),
    )
    details = (
        Detail("campaigns", "Campaigns", CAMPAIGN_COLUMNS,
               lambda: ([getattr(x, k) for k in CAMPAIGN_KEYS] for x in lines),
               printed=((0, 18), (1, 22), (3, 22), (5, 7), (6, 9), (7, 9), (9, 9), (10, 9), (11, 7)),
               print_above=INLINE, description="Every campaign with its state and its consent figures."),
        Detail("consent-daily", "Consent per campaign and day", DAILY_COLUMNS,
               lambda: _daily_rows(metrics.values())),
        Detail("open-findings", "Open findings", ("kind", "reference", "status", "errors", "warnings"),
               lambda: _finding_rows(session, org)),
    )
    return Built(meta=meta, template="reports/pdf/program.html", context=context, details=details,
                 csv_detail="campaigns")


CAMPAIGN_KEYS = ("reference", "brand", "usecase", "state", "carriers", "numbers", "opt_ins", "opt_outs",
                 "subscribers", "rate", "peak", "level")
CAMPAIGN_COLUMNS = ("campaign", "brand", "usecase", "state_at_period_end", "carriers_now", "numbers_now",
                    "opt_ins", "opt_outs", "subscribers_at_end", "optout_rate", "peak_daily_rate", "level")
DAILY_COLUMNS = ("day_utc", "campaign", "opt_ins", "opt_outs", "gained", "lost", "subscribers_at_start",
                 "optout_rate", "level")


def _states_at(session: Session, org: Organization, moment: datetime) -> dict[int, str]:
    """Each campaign's overall state at ``moment``: the last change recorded (in recording order: a provider's
    clock may disagree with ours) among those that happened before it."""
    rows = session.execute(sa.select(StatusChange.subject_id, StatusChange.to_status)
                           .where(StatusChange.organization_id == org.id, StatusChange.subject == "campaign",
                                  StatusChange.carrier.is_(None), StatusChange.occurred_at < moment)
                           .order_by(StatusChange.id))
    return {subject_id: status for subject_id, status in rows}


def _carriers(session: Session, org: Organization) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    for row in session.scalars(sa.select(CarrierStatus).join(Campaign, Campaign.id == CarrierStatus.campaign_id)
                               .where(Campaign.organization_id == org.id).order_by(CarrierStatus.carrier)):
        found[row.campaign_id].append(f"{CARRIERS.get(row.carrier, row.carrier)} {CARRIER_MARK[row.state]}")
    return {k: ", ".join(v) for k, v in found.items()}


def _rate(m: CampaignMetrics | None) -> float | None:
    if m is None or not m.days:
        return None
    start = m.days[0].audience
    gained = sum(d.gained for d in m.days)
    lost = sum(d.lost for d in m.days)
    return lost / (start + gained) if start + gained > 0 else None


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f} %"


LEVEL_LABELS = {"ok": "ok", "watch": "watch", "act": "act", "none": "no audience"}


def _line(c: Campaign, brands: dict[int, str], m: CampaignMetrics | None, states: dict[int, str],
          numbers: dict[int, int], carriers: dict[int, str], settings: Settings) -> CampaignLine:
    rate = _rate(m)
    peak = m.peak_rate if m else None
    worst = max((level(rate, settings.watch, settings.act), level(peak, settings.watch, settings.act)),
                key=("none", "ok", "watch", "act").index)
    state = states.get(c.id)
    return CampaignLine(
        reference=c.reference, brand=brands.get(c.brand_id, ""), usecase=c.usecase,
        state=RegistrationStatus(state).label if state else "not registered yet",
        carriers=carriers.get(c.id, "—"), numbers=numbers.get(c.id, 0), opt_ins=m.opt_ins if m else 0,
        opt_outs=m.opt_outs if m else 0, subscribers=m.subscribers if m else 0, rate=_pct(rate), peak=_pct(peak),
        level=worst, level_label=LEVEL_LABELS[worst])


def _chart(lines: list[CampaignLine], metrics: dict[int, CampaignMetrics], settings: Settings) -> BarChart | None:
    with_audience = [x for x in lines if x.rate != "—"]
    if not with_audience:
        return None
    ranked = sorted(with_audience, key=lambda x: -float(x.rate.rstrip(" %")))[:25]
    items = [(x.reference, float(x.rate.rstrip(" %")) / 100, level(float(x.rate.rstrip(" %")) / 100,
                                                                   settings.watch, settings.act)) for x in ranked]
    note = (f"the {len(ranked)} highest of {len(with_audience)} campaigns with subscribers"
            if len(with_audience) > len(ranked) else "")
    return rate_bars(items, watch=settings.watch, act=settings.act, title="Opt-out rate of the period by campaign",
                     note=note)


def _activity(session: Session, org: Organization, t0: datetime, t1: datetime,
              metrics: dict[int, CampaignMetrics]) -> tuple[Row, ...]:
    decided = Counter(dict(session.execute(
        sa.select(StatusChange.to_status, sa.func.count())
        .where(StatusChange.organization_id == org.id, StatusChange.carrier.is_(None),
               StatusChange.subject.in_(("brand", "campaign")),
               StatusChange.occurred_at >= t0, StatusChange.occurred_at < t1)
        .group_by(StatusChange.to_status)).all()))
    frozen = session.scalar(sa.select(sa.func.count()).select_from(Revision).where(
        Revision.organization_id == org.id, Revision.created_at >= t0, Revision.created_at < t1)) or 0
    sent = dict(session.execute(sa.select(Submission.status, sa.func.count()).where(
        Submission.organization_id == org.id, Submission.finished_at >= t0, Submission.finished_at < t1)
        .group_by(Submission.status)).all())
    calls = session.execute(sa.select(sa.func.count(), sa.func.sum(sa.case(
        (sa.or_(ProviderCall.status.is_(None), ProviderCall.status >= 400), 1), else_=0)))
        .where(ProviderCall.organization_id == org.id, ProviderCall.started_at >= t0,
               ProviderCall.started_at < t1)).one()
    return (
        Row("Revisions frozen for review", f"{frozen:,}"),
        Row("Decisions", ", ".join(f"{decided[s.value]:,} {s.label.lower()}" for s in
                                   (RegistrationStatus.APPROVED, RegistrationStatus.REJECTED,
                                    RegistrationStatus.SUSPENDED, RegistrationStatus.DEACTIVATED))),
        Row("Submissions finished", ", ".join(f"{n:,} {s.label.lower()}" for s, n in sorted(sent.items()))
            or "none"),
        Row("Provider calls", f"{calls[0]:,}", f"{int(calls[1] or 0):,} failed or refused"),
        Row("Consent", f"{sum(m.opt_ins for m in metrics.values()):,} opt-ins",
            f"{sum(m.opt_outs for m in metrics.values()):,} opt-outs"),
    )


def _findings(session: Session, org: Organization) -> Table:
    rows = []
    total = 0
    for model, kind in ((Brand, "brand"), (Campaign, "campaign")):
        where = (model.organization_id == org.id, sa.or_(model.lint_errors > 0, model.lint_warnings > 0),
                 model.status != RegistrationStatus.DEACTIVATED)
        total += session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0
        for obj in session.scalars(sa.select(model).where(*where)
                                   .order_by(model.lint_errors.desc(), model.lint_warnings.desc()).limit(INLINE)):
            rows.append((kind, obj.reference, obj.status.label, str(obj.lint_errors), str(obj.lint_warnings)))
    rows.sort(key=lambda r: (-int(r[3]), -int(r[4])))
    waiting = session.scalar(sa.select(sa.func.count()).select_from(Revision).where(
        Revision.organization_id == org.id, Revision.status == RevisionStatus.AWAITING_REVIEW)) or 0
    return Table(f"{waiting:,} revision(s) awaiting review", ("Kind", "Reference", "Status", "Errors", "Warnings"),
                 tuple(rows[:INLINE]), total=total, attachment="open-findings.csv",
                 empty="No brand or campaign has open findings.")


def _finding_rows(session: Session, org: Organization) -> Any:
    for model, kind in ((Brand, "brand"), (Campaign, "campaign")):
        stmt = (sa.select(model.reference, model.status, model.lint_errors, model.lint_warnings)
                .where(model.organization_id == org.id, sa.or_(model.lint_errors > 0, model.lint_warnings > 0),
                       model.status != RegistrationStatus.DEACTIVATED).order_by(model.reference))
        for reference, status, errors, warnings in session.execute(stmt):
            yield (kind, reference, status.value, errors, warnings)


def _stuck(session: Session, org: Organization, now: datetime, fmt: Formatter, settings: Settings) -> Table:
    rows: list[tuple[str, ...]] = []
    flagged: set[tuple[str, int]] = set()
    refs = {("brand", i): r for i, r in session.execute(sa.select(Brand.id, Brand.reference)
                                                         .where(Brand.organization_id == org.id))}
    refs |= {("campaign", i): r for i, r in session.execute(sa.select(Campaign.id, Campaign.reference)
                                                             .where(Campaign.organization_id == org.id))}
    for s in session.scalars(sa.select(SyncState).where(SyncState.organization_id == org.id,
                                                        SyncState.stuck_at.is_not(None))
                             .order_by(SyncState.review_since)):
        flagged.add((s.subject, s.subject_id))
        rows.append((s.subject, refs.get((s.subject, s.subject_id), f"#{s.subject_id}"), "in carrier review",
                     fmt.time(s.review_since), s.stuck_lever.label if s.stuck_lever else "—", s.stuck_note or ""))
    cutoff = now - timedelta(days=settings.stuck_days)
    for model, kind in ((Brand, "brand"), (Campaign, "campaign")):
        last = (sa.select(StatusChange.subject_id, sa.func.max(StatusChange.occurred_at).label("at"))
                .where(StatusChange.organization_id == org.id, StatusChange.subject == kind,
                       StatusChange.carrier.is_(None)).group_by(StatusChange.subject_id).subquery())
        stmt = (sa.select(model, last.c.at).join(last, last.c.subject_id == model.id)
                .where(model.organization_id == org.id, model.status.in_(WAITING), last.c.at < cutoff)
                .order_by(last.c.at))
        for obj, since in session.execute(stmt):
            if (kind, obj.id) in flagged:
                continue
            days = (now - since).days
            rows.append((kind, obj.reference, obj.status.label.lower(), fmt.time(since),
                         "—", f"no change for {days} days"))
    return Table("", ("Kind", "Reference", "Waiting in", "Since", "What helps", "Note"), tuple(rows[:INLINE]),
                 total=len(rows), attachment="", empty="Nothing is stuck.")


def _add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def term_end(approved_at: datetime, usecase: str, after: datetime) -> datetime:
    """The first end of a billing term after ``after``: 3 months from approval (political: 1), then monthly."""
    end = _add_months(approved_at, 1 if usecase == "POLITICAL" else 3)
    months = 0
    while end <= after and months < 1200:
        months += 1
        end = _add_months(approved_at, (1 if usecase == "POLITICAL" else 3) + months)
    return end


def _expiries(session: Session, org: Organization, campaigns: list[Campaign], end: date, fmt: Formatter,
              settings: Settings) -> Table:
    approved = dict(session.execute(
        sa.select(StatusChange.subject_id, sa.func.min(StatusChange.occurred_at))
        .where(StatusChange.organization_id == org.id, StatusChange.subject == "campaign",
               StatusChange.carrier.is_(None), StatusChange.to_status == RegistrationStatus.APPROVED.value)
        .group_by(StatusChange.subject_id)).all())
    zone = ZoneInfo(org.timezone)
    after = datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC)
    horizon = after + timedelta(days=settings.expiry_horizon)
    rows = []
    for c in campaigns:
        since = approved.get(c.id)
        if since is None or c.status in (RegistrationStatus.DEACTIVATED, RegistrationStatus.REJECTED):
            continue
        if c.term_ends_on is not None:  # what the provider reports wins over our estimate
            due, basis = datetime.combine(c.term_ends_on, time(12), zone).astimezone(UTC), "provider"
        else:
            due, basis = term_end(since, c.usecase, after), "estimate"
        if after <= due <= horizon:
            what = "renews (auto-renewal on)" if c.auto_renewal else "EXPIRES: auto-renewal is off"
            rows.append((due, (c.reference, c.usecase, fmt.time(since), f"{fmt.date(due)} ({basis})", what)))
    rows.sort(key=lambda r: r[0])
    return Table("", ("Campaign", "Use case", "Approved", "Term ends", "Then"),
                 tuple(row for _, row in rows),
                 empty=f"No campaign term ends within {settings.expiry_horizon} days after the period.")


def _daily_rows(metrics: Any) -> Any:
    for m in sorted(metrics, key=lambda m: m.reference):
        for d in m.days:
            yield (d.day, m.reference, d.opt_ins, d.opt_outs, d.gained, d.lost, d.audience,
                   "" if d.rate is None else f"{d.rate:.6f}", d.level)
