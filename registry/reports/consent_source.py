"""What the dossier says about consent (issue #6's trail), in aggregate only.

A campaign may have millions of consent events behind it; the dossier reads the derived tables #6 keeps in step
with them (daily counts, current subscriptions, disclosure use) plus one indexed count, so its cost does not
grow with the events. The events themselves are evidence per number: the consent proof report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.auth.models import Organization
from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.consent.models import (
    ConsentDaily,
    ConsentDisclosure,
    ConsentDisclosureUse,
    ConsentEvent,
    ConsentInbound,
    ConsentSubscription,
)
from registry.revisions.models import Revision

from .common import Formatter
from .model import Row, Table


@dataclass(frozen=True)
class ConsentSummary:
    facts: tuple[Row, ...]
    disclosures: Table
    note: str


def _campaign_ids(campaign: Campaign | None, brand: Brand | None) -> sa.Select[Any]:
    if campaign is not None:
        return sa.select(sa.literal(campaign.id))
    assert brand is not None
    return sa.select(Campaign.id).where(Campaign.brand_id == brand.id)


def summary(session: Session, org: Organization, *, campaign: Campaign | None = None, brand: Brand | None = None,
            fmt: Formatter) -> ConsentSummary:
    ids = _campaign_ids(campaign, brand)
    d = ConsentDaily
    totals = session.execute(sa.select(sa.func.coalesce(sa.func.sum(d.opt_ins), 0),
                                       sa.func.coalesce(sa.func.sum(d.opt_outs), 0),
                                       sa.func.coalesce(sa.func.sum(d.helps), 0),
                                       sa.func.min(d.day), sa.func.max(d.day),
                                       sa.func.coalesce(sa.func.sum(d.gained - d.lost), 0))
                             .where(d.organization_id == org.id, d.campaign_id.in_(ids))).one()
    events = session.scalar(sa.select(sa.func.count()).select_from(ConsentEvent)
                            .where(ConsentEvent.campaign_id.in_(ids))) or 0
    # counting subscriptions by state would read every row; the primary key index counts them all, and #6's
    # daily table keeps the number opted in (its gains less its losses)
    subscriptions = session.scalar(sa.select(sa.func.count()).select_from(ConsentSubscription)
                                   .where(ConsentSubscription.campaign_id.in_(ids))) or 0
    inbound = session.execute(sa.select(sa.func.count(),
                                        sa.func.max(seconds_between(session, ConsentInbound.received_at,
                                                                    ConsentInbound.processed_at)))
                              .where(ConsentInbound.organization_id == org.id,
                                     ConsentInbound.campaign_id.in_(ids),
                                     ConsentInbound.action.in_(("opt_out", "opt_out_all")))).one()
    opt_ins, opt_outs, helps, first_day, last_day, opted_in = totals
    opted_in = int(opted_in)
    facts = [
        Row("Consent events recorded", f"{events:,}",
            f"{int(opt_ins):,} opt-ins and re-opt-ins, {int(opt_outs):,} opt-outs, {int(helps):,} help requests"),
        Row("Subscribers now", f"{opted_in:,} opted in", f"{subscriptions - opted_in:,} opted out"),
        Row("Activity", f"{first_day} to {last_day} (UTC days)" if first_day else "none recorded"),
    ]
    if inbound[0]:
        facts.append(Row("Opt-outs by keyword", f"{inbound[0]:,}",
                         f"each honoured in the request that received it; slowest {_delay(inbound[1])}"))
    return ConsentSummary(facts=tuple(facts), disclosures=_disclosures(session, org, ids, fmt),
                          note="Every event, with the disclosure shown and its place in the consent hash chain, "
                               "is in the consent proof report of each number (registry report consent --phone).")


def seconds_between(session: Session, start: Any, end: Any) -> sa.ColumnElement[Any]:
    """``end - start`` in seconds, in SQL (SQLite keeps times as text)."""
    if session.get_bind().dialect.name == "sqlite":
        return (sa.func.julianday(end) - sa.func.julianday(start)) * 86400.0
    return sa.extract("epoch", end - start)


def _delay(value: Any) -> str:
    if value is None:
        return "—"
    seconds = float(value)
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _disclosures(session: Session, org: Organization, ids: sa.Select[Any], fmt: Formatter) -> Table:
    rows = session.execute(
        sa.select(ConsentDisclosure, Campaign.reference, Revision.number, ConsentDisclosureUse)
        .join(Campaign, Campaign.id == ConsentDisclosure.campaign_id)
        .outerjoin(Revision, Revision.id == ConsentDisclosure.revision_id)
        .outerjoin(ConsentDisclosureUse, ConsentDisclosureUse.disclosure_id == ConsentDisclosure.id)
        .where(ConsentDisclosure.organization_id == org.id, ConsentDisclosure.campaign_id.in_(ids))
        .order_by(Campaign.reference, ConsentDisclosure.version)).all()
    return Table("Disclosure versions shown at opt-in",
                 ("Campaign", "Version", "SHA-256", "Registered in", "Opt-ins", "Shown", "Checks"),
                 tuple((ref, f"v{d.version}", d.sha256, f"revision {number}" if number else "NOT in a registered "
                        "message flow", f"{use.opt_ins:,}" if use else "0",
                        f"{fmt.date(use.first_shown_at)} – {fmt.date(use.last_shown_at)}" if use else "—",
                        f"{len(d.findings)} finding(s)" if d.findings else "ok")
                       for d, ref, number, use in rows),
                 empty="No disclosure text has been recorded.")
