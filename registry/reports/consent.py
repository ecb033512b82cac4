"""The consent proof of one phone number: did this number agree to receive this campaign's messages, after
seeing which words, under which registered message flow, from which sending number — and when it said STOP,
how fast did we stop?

Built on issue #6's tables (events, disclosures, subscriptions, inbound messages). Optionally narrowed to one
campaign and to the moment a message was sent: the report then answers for that moment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.auth.models import Organization
from registry.campaigns.models import Campaign
from registry.consent.chain import GENESIS as CONSENT_GENESIS
from registry.consent.models import (
    CONSENTING,
    ConsentChainHead,
    ConsentDisclosure,
    ConsentEvent,
    ConsentInbound,
    ConsentSubscription,
    EventKind,
    SubscriptionState,
)
from registry.consent.proof import gaps
from registry.lifecycle.models import StatusChange
from registry.numbers.models import PhoneNumber
from registry.revisions.models import Revision
from registry.states import RevisionStatus
from registry.submissions.models import Submission, SubmissionStatus

from .common import Formatter, make_meta, utc_iso
from .csvout import cell
from .model import Built, Detail, Row, Table

#: events the body prints; the rest are in the attached timeline
INLINE = 60
FILED = (RevisionStatus.SUBMITTED, RevisionStatus.REJECTED, RevisionStatus.APPROVED, RevisionStatus.SUPERSEDED)
_E164 = re.compile(r"\+1\d{10}")


@dataclass(frozen=True)
class DisclosureView:
    campaign: str
    version: int
    sha256: str
    text: str
    shown_at: str
    registered: str
    findings: tuple[str, ...]


@dataclass(frozen=True)
class FlowView:
    campaign: str
    moment: str
    revision: str
    registered_from: str
    fields: tuple[Row, ...]
    note: str


@dataclass(frozen=True)
class OptOutView:
    campaign: str
    received: str
    recorded: str
    delay: str
    method: str
    message: str
    reply: str
    after: str


@dataclass(frozen=True)
class ConsentProof:
    phone: str
    facts: tuple[Row, ...]
    answer: tuple[Row, ...]
    current: Table
    timeline: Table
    disclosures: tuple[DisclosureView, ...]
    flows: tuple[FlowView, ...]
    numbers: Table
    optouts: tuple[OptOutView, ...]
    chain: tuple[Row, ...]


TIMELINE_COLUMNS = ("occurred_utc", "recorded_utc", "campaign", "kind", "method", "source", "disclosure_version",
                    "disclosure_sha256", "ip", "user_agent", "message_text", "reply_text", "recorded_by",
                    "evidence_sha256", "seq", "hash", "gaps")


def build_consent_proof(session: Session, org: Organization, phone: str, *, campaign: Campaign | None = None,
                        at: datetime | None = None, generated_by: str) -> Built:
    """The proof for ``phone`` (E.164, already validated) in ``org``."""
    fmt = Formatter(org.timezone)
    where = [ConsentEvent.organization_id == org.id, ConsentEvent.phone == phone]
    if campaign is not None:
        where.append(ConsentEvent.campaign_id == campaign.id)
    total = session.scalar(sa.select(sa.func.count()).select_from(ConsentEvent).where(*where)) or 0
    events = session.execute(
        sa.select(ConsentEvent, Campaign.reference, ConsentDisclosure)
        .join(Campaign, Campaign.id == ConsentEvent.campaign_id)
        .outerjoin(ConsentDisclosure, ConsentDisclosure.id == ConsentEvent.disclosure_id)
        .where(*where).order_by(ConsentEvent.occurred_at, ConsentEvent.seq).limit(INLINE)).all()
    campaign_ids = sorted({e.campaign_id for e, _, _ in events} | ({campaign.id} if campaign else set()))
    campaigns = {c.id: c for c in session.scalars(sa.select(Campaign).where(Campaign.id.in_(campaign_ids)))}
    subject = f"{phone}" + (f" · campaign {campaign.reference}" if campaign else "")
    meta = make_meta(session, org, kind="consent", title="Consent proof", subject=subject,
                     generated_by=generated_by)
    context = ConsentProof(
        phone=phone,
        facts=_facts(phone, campaign, at, total, fmt),
        answer=_answer(session, org, phone, campaigns, at, fmt) if campaigns else (),
        current=_current(session, org, phone, campaign, fmt),
        timeline=Table("", ("When", "Campaign", "Event", "Method", "Source", "Disclosure", "Recorded", "#"),
                       tuple((fmt.time(e.occurred_at, seconds=True), ref, e.kind.label, e.method.label,
                              e.source or "—", f"v{d.version}" if d else "—",
                              f"{fmt.time(e.recorded_at, seconds=True)} by {e.recorded_by}", str(e.seq))
                             for e, ref, d in events),
                       total=total, attachment="consent-timeline.csv",
                       empty="No consent event is recorded for this number" + (
                           f" and campaign {campaign.reference}." if campaign else ".")),
        disclosures=_disclosures(events, fmt),
        flows=tuple(_flow(session, c, _moment(at, events, c.id), fmt) for c in campaigns.values()),
        numbers=_numbers(session, org, phone, list(campaigns.values()), at, fmt),
        optouts=_optouts(session, org, phone, campaign, fmt),
        chain=_chain(session, org),
    )
    detail = Detail("consent-timeline", "Consent timeline", TIMELINE_COLUMNS, _timeline_rows(session, where),
                    printed=((0, 20), (2, 16), (3, 13), (4, 9), (5, 32), (6, 4), (14, 8), (16, 12)),
                    formatted=True, print_above=INLINE,
                    description="Every consent event of the number, with its place in the consent chain.")
    return Built(meta=meta, template="reports/pdf/consent.html", context=context, details=(detail,),
                 csv_detail="consent-timeline")


def _facts(phone: str, campaign: Campaign | None, at: datetime | None, total: int,
           fmt: Formatter) -> tuple[Row, ...]:
    rows = [Row("Phone number", phone), Row("Campaign", campaign.reference if campaign else "every campaign"),
            Row("Consent events", f"{total:,}")]
    if at is not None:
        rows.append(Row("Message sent at", fmt.time(at, seconds=True), utc_iso(at)))
    return tuple(rows)


def _moment(at: datetime | None, events: list[Any], campaign_id: int) -> datetime | None:
    """When to read the registration: the message time, else the newest opt-in of that campaign."""
    if at is not None:
        return at
    ins = [e.occurred_at for e, _, _ in events if e.campaign_id == campaign_id and e.kind in CONSENTING]
    return ins[-1] if ins else None


def _state_at(session: Session, org: Organization, phone: str, campaign_id: int,
              at: datetime) -> ConsentEvent | None:
    """The newest consenting or revoking event of (phone, campaign) at or before ``at``."""
    return session.scalar(sa.select(ConsentEvent).where(
        ConsentEvent.organization_id == org.id, ConsentEvent.phone == phone, ConsentEvent.campaign_id == campaign_id,
        ConsentEvent.kind != EventKind.HELP, ConsentEvent.occurred_at <= at)
        .order_by(ConsentEvent.occurred_at.desc(), ConsentEvent.seq.desc()).limit(1))


def _answer(session: Session, org: Organization, phone: str, campaigns: dict[int, Campaign], at: datetime | None,
            fmt: Formatter) -> tuple[Row, ...]:
    """The answer in one line per campaign: may this number be texted (at the message time, or now)?"""
    rows = []
    for c in campaigns.values():
        if at is not None:
            event = _state_at(session, org, phone, c.id, at)
            if event is None:
                rows.append(Row(c.reference, "NO CONSENT at the message time",
                                "no consent event before it"))
            elif event.kind in CONSENTING:
                rows.append(Row(c.reference, "CONSENTED at the message time",
                                f"{event.kind.label.lower()} at {fmt.time(event.occurred_at, seconds=True)}, "
                                f"event #{event.seq}"))
            else:
                rows.append(Row(c.reference, "OPTED OUT at the message time",
                                f"since {fmt.time(event.occurred_at, seconds=True)}, event #{event.seq}"))
            continue
        sub = session.get(ConsentSubscription, (c.id, phone))
        if sub is None:
            rows.append(Row(c.reference, "NO CONSENT on record"))
        elif sub.state is SubscriptionState.OPTED_IN:
            rows.append(Row(c.reference, "May be texted now",
                            f"{sub.state_kind.label.lower()} at {fmt.time(sub.state_at, seconds=True)}"))
        else:
            rows.append(Row(c.reference, "Must not be texted now",
                            f"opted out at {fmt.time(sub.state_at, seconds=True)}"))
    return tuple(rows)


def _current(session: Session, org: Organization, phone: str, campaign: Campaign | None, fmt: Formatter) -> Table:
    stmt = (sa.select(ConsentSubscription, Campaign.reference)
            .join(Campaign, Campaign.id == ConsentSubscription.campaign_id)
            .where(ConsentSubscription.organization_id == org.id, ConsentSubscription.phone == phone)
            .order_by(Campaign.reference))
    if campaign is not None:
        stmt = stmt.where(ConsentSubscription.campaign_id == campaign.id)
    return Table("", ("Campaign", "State", "Since", "Decided by", "Method", "Event"),
                 tuple((ref, s.state.label, fmt.time(s.state_at, seconds=True), s.state_kind.label,
                        s.state_method.label, f"#{s.state_seq}") for s, ref in session.execute(stmt)),
                 empty="No subscription: this number never opted in.")


def _disclosures(events: list[Any], fmt: Formatter) -> tuple[DisclosureView, ...]:
    seen: dict[int, DisclosureView] = {}
    for _event, ref, d in events:
        if d is None or d.id in seen:
            continue
        shown = [fmt.time(x.occurred_at, seconds=True) for x, _, dd in events if dd is not None and dd.id == d.id]
        seen[d.id] = DisclosureView(
            campaign=ref, version=d.version, sha256=d.sha256, text=d.text, shown_at=", ".join(shown),
            registered="part of the registered message flow" if d.revision_id else
                       "NOT part of a registered message flow when it was recorded",
            findings=tuple(f"{f.get('severity', '')}: {f.get('message', '')}" for f in d.findings))
    return tuple(seen.values())


def _registered(session: Session, campaign: Campaign, moment: datetime | None) -> tuple[Revision | None, Any]:
    """The revision the campaign was registered with at ``moment`` (now when None), and since when."""
    done = (sa.select(Submission.revision_id, sa.func.min(Submission.finished_at).label("at"))
            .where(Submission.status == SubmissionStatus.DONE, Submission.revision_id.is_not(None))
            .group_by(Submission.revision_id).subquery())
    rows = session.execute(sa.select(Revision, done.c.at).outerjoin(done, done.c.revision_id == Revision.id)
                           .where(Revision.campaign_id == campaign.id, Revision.status.in_(FILED))
                           .order_by(Revision.number.desc())).all()
    for revision, sent_at in rows:
        since = sent_at or revision.reviewed_at or revision.created_at
        if moment is None or since <= moment:
            return revision, since
    return None, None


FLOW_FIELDS = ("messageFlow", "optinKeywords", "optinMessage", "optoutKeywords", "optoutMessage", "helpKeywords",
               "helpMessage", "privacyPolicyLink", "termsAndConditionsLink")


def _flow(session: Session, campaign: Campaign, moment: datetime | None, fmt: Formatter) -> FlowView:
    revision, since = _registered(session, campaign, moment)
    when = fmt.time(moment, seconds=True) if moment else "now"
    if revision is None:
        return FlowView(campaign.reference, when, "none", "—", (),
                        f"{campaign.reference} had no registered message flow at that moment.")
    snapshot = revision.snapshot or {}
    return FlowView(campaign.reference, when, f"revision {revision.number} ({revision.status.label.lower()})",
                    fmt.time(since, seconds=True),
                    tuple(Row(name, Formatter.value(snapshot.get(name))) for name in FLOW_FIELDS),
                    f"Snapshot SHA-256 {revision.sha256}.")


def _numbers(session: Session, org: Organization, phone: str, campaigns: list[Campaign], at: datetime | None,
             fmt: Formatter) -> Table:
    """The sending numbers: those this phone texted (keywords) and those named in its events' sources, with
    their assignment then (at the message time) and now."""
    named = set(session.scalars(sa.select(ConsentInbound.to_phone).where(
        ConsentInbound.organization_id == org.id, ConsentInbound.from_phone == phone,
        ConsentInbound.to_phone.is_not(None)).distinct()))
    for source in session.scalars(sa.select(ConsentEvent.source).where(
            ConsentEvent.organization_id == org.id, ConsentEvent.phone == phone,
            ConsentEvent.source.is_not(None)).distinct()):
        named |= set(_E164.findall(source or ""))
    rows = []
    numbers = list(session.scalars(sa.select(PhoneNumber).where(PhoneNumber.organization_id == org.id,
                                                                PhoneNumber.e164.in_(named or {""}))
                                   .order_by(PhoneNumber.e164)))
    references = dict(session.execute(sa.select(Campaign.id, Campaign.reference)
                                      .where(Campaign.organization_id == org.id)).all())
    for n in numbers:
        then = "—"
        if at is not None:
            change = session.scalar(sa.select(StatusChange).where(
                StatusChange.subject == "phone_number", StatusChange.subject_id == n.id,
                StatusChange.occurred_at <= at).order_by(StatusChange.occurred_at.desc(), StatusChange.id.desc())
                .limit(1))
            then = change.to_status.replace("_", " ") if change else "not assigned yet"
        rows.append((n.e164, n.label or "—", references.get(n.campaign_id or 0, "—"),
                     n.assignment_status.label, fmt.time(n.assigned_at), then))
    for e164 in sorted(named - {n.e164 for n in numbers}):
        rows.append((e164, "not one of the organization's numbers", "—", "—", "—", "—"))
    counts = []
    for c in campaigns:
        count = session.scalar(sa.select(sa.func.count()).select_from(PhoneNumber)
                               .where(PhoneNumber.campaign_id == c.id)) or 0
        counts.append(f"{c.reference}: {count:,}")
    return Table("", ("Number", "Label", "Campaign now", "Assignment now", "Assigned", "At the message time"),
                 tuple(rows), empty="The events name no sending number. Numbers assigned to the campaign(s) now — "
                                    + ("; ".join(counts) or "none") + ".")


def _optouts(session: Session, org: Organization, phone: str, campaign: Campaign | None,
             fmt: Formatter) -> tuple[OptOutView, ...]:
    where = [ConsentEvent.organization_id == org.id, ConsentEvent.phone == phone,
             ConsentEvent.kind == EventKind.OPT_OUT]
    if campaign is not None:
        where.append(ConsentEvent.campaign_id == campaign.id)
    rows = session.execute(sa.select(ConsentEvent, Campaign.reference, ConsentInbound)
                           .join(Campaign, Campaign.id == ConsentEvent.campaign_id)
                           .outerjoin(ConsentInbound, ConsentInbound.id == ConsentEvent.inbound_id)
                           .where(*where).order_by(ConsentEvent.occurred_at, ConsentEvent.seq).limit(INLINE)).all()
    views = []
    for e, ref, inbound in rows:
        received = inbound.received_at if inbound else e.occurred_at
        done = inbound.processed_at if inbound else e.recorded_at
        seconds = (done - received).total_seconds()
        later = session.scalar(sa.select(ConsentEvent).where(
            ConsentEvent.organization_id == org.id, ConsentEvent.phone == phone,
            ConsentEvent.campaign_id == e.campaign_id, ConsentEvent.kind.in_(CONSENTING),
            ConsentEvent.occurred_at > e.occurred_at).order_by(ConsentEvent.occurred_at).limit(1))
        views.append(OptOutView(
            campaign=ref, received=fmt.time(received, seconds=True), recorded=fmt.time(done, seconds=True),
            delay=_delay(seconds, inbound is not None), method=e.method.label,
            message=(inbound.text if inbound else e.message_text) or "—",
            reply=(inbound.reply_text if inbound else e.reply_text) or "—",
            after=(f"consent given again: {later.kind.label.lower()} at {fmt.time(later.occurred_at, seconds=True)}"
                   if later else "still opted out")))
    return tuple(views)


def _delay(seconds: float, live: bool) -> str:
    text = f"{seconds * 1000:.0f} ms" if abs(seconds) < 10 else f"{seconds:,.0f} s"
    return f"{text} (in the request that received it)" if live else f"{text} (recorded after the fact)"


def _chain(session: Session, org: Organization) -> tuple[Row, ...]:
    head = session.get(ConsentChainHead, org.id, populate_existing=True)
    seq, digest = (head.seq, head.hash) if head else (0, CONSENT_GENESIS)
    return (Row("Consent chain head", f"event #{seq}", digest),)


def _timeline_rows(session: Session, where: list[Any]) -> Any:
    def rows() -> Any:
        stmt = (sa.select(ConsentEvent, Campaign.reference, ConsentDisclosure.version, ConsentDisclosure.sha256)
                .join(Campaign, Campaign.id == ConsentEvent.campaign_id)
                .outerjoin(ConsentDisclosure, ConsentDisclosure.id == ConsentEvent.disclosure_id)
                .where(*where).order_by(ConsentEvent.occurred_at, ConsentEvent.seq)
                .execution_options(yield_per=2000))
        for e, ref, version, sha in session.execute(stmt):
            yield (utc_iso(e.occurred_at), utc_iso(e.recorded_at), cell(ref), e.kind.value, e.method.value,
                   cell(e.source), f"v{version}" if version else "", sha or "", cell(e.ip), cell(e.user_agent),
                   cell(e.message_text), cell(e.reply_text), cell(e.recorded_by), e.evidence_sha256 or "",
                   str(e.seq), e.hash, "; ".join(gaps(e)))
    return rows
