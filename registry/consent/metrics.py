"""Opt-ins, opt-outs and the opt-out rate per campaign and UTC day, against the watch/act thresholds.

The opt-out rate of a day is the subscriptions lost that day divided by the subscriptions at the start of the
day (``consent_daily``: gained and lost are counted when a subscription's current state changes, so their
running sum is the number opted in). Thresholds (messaging-practice.md: above 2 % reduce frequency, 5 % is
where carriers act) are configurable: ``CONSENT_OPTOUT_WATCH`` / ``CONSENT_OPTOUT_ACT`` in the app config or
the environment variables ``REGISTRY_CONSENT_OPTOUT_WATCH`` / ``REGISTRY_CONSENT_OPTOUT_ACT`` (fractions).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.campaigns.models import Campaign

from .chart import Chart, rate_chart
from .models import ConsentDaily

WATCH, ACT = 0.02, 0.05


def thresholds(config: Any = None) -> tuple[float, float]:
    """``(watch, act)`` from the app config, else the environment, else 2 % and 5 %."""
    values = []
    for key, default in (("CONSENT_OPTOUT_WATCH", WATCH), ("CONSENT_OPTOUT_ACT", ACT)):
        raw = (config or {}).get(key) if config is not None else None
        raw = raw if raw is not None else os.environ.get(f"REGISTRY_{key}")
        try:
            values.append(float(raw) if raw is not None else default)
        except ValueError:
            values.append(default)
    return values[0], values[1]


def level(rate: float | None, watch: float, act: float) -> str:
    if rate is None:
        return "none"
    return "act" if rate >= act else "watch" if rate >= watch else "ok"


@dataclass(frozen=True)
class Day:
    day: date
    opt_ins: int
    opt_outs: int
    gained: int
    lost: int
    #: subscriptions at the start of the day
    audience: int
    rate: float | None
    level: str


@dataclass
class CampaignMetrics:
    campaign_id: int
    reference: str
    days: list[Day]
    subscribers: int
    opt_ins: int
    opt_outs: int
    peak_rate: float | None
    level: str
    chart: Chart | None = None


@dataclass
class Metrics:
    start: date
    end: date
    watch: float
    act: float
    campaigns: list[CampaignMetrics] = field(default_factory=list)

    @property
    def attention(self) -> list[CampaignMetrics]:
        return [c for c in self.campaigns if c.level in ("watch", "act")]


def campaign_metrics(session: Session, organization_id: int, *, days: int = 30, end: date | None = None,
                     watch: float = WATCH, act: float = ACT, charts: bool = True) -> Metrics:
    """The last ``days`` UTC days up to ``end`` (today) for every campaign with consent activity: 3 queries."""
    end = end or datetime.now(UTC).date()
    start = end - timedelta(days=days - 1)
    result = Metrics(start, end, watch, act)
    d = ConsentDaily
    baseline = dict(session.execute(
        sa.select(d.campaign_id, sa.func.sum(d.gained - d.lost))
        .where(d.organization_id == organization_id, d.day < start).group_by(d.campaign_id)).all())
    window: dict[int, dict[date, Any]] = {}
    for row in session.execute(sa.select(d.campaign_id, d.day, d.opt_ins, d.opt_outs, d.gained, d.lost)
                               .where(d.organization_id == organization_id, d.day >= start, d.day <= end)):
        window.setdefault(row.campaign_id, {})[row.day] = row
    ids = set(baseline) | set(window)
    if not ids:
        return result
    references = dict(session.execute(sa.select(Campaign.id, Campaign.reference).where(Campaign.id.in_(ids))).all())
    for campaign_id in sorted(ids, key=lambda i: references.get(i, "")):
        audience = int(baseline.get(campaign_id) or 0)
        rows = window.get(campaign_id, {})
        series = []
        for offset in range(days):
            day = start + timedelta(days=offset)
            row = rows.get(day)
            opt_ins, opt_outs, gained, lost = (row.opt_ins, row.opt_outs, row.gained, row.lost) if row else (0, 0, 0, 0)
            rate = lost / audience if audience > 0 else None
            series.append(Day(day, opt_ins, opt_outs, gained, lost, audience, rate, level(rate, watch, act)))
            audience += gained - lost
        rates = [s.rate for s in series if s.rate is not None]
        peak = max(rates) if rates else None
        metrics = CampaignMetrics(campaign_id, references.get(campaign_id, f"#{campaign_id}"), series, audience,
                                  sum(s.opt_ins for s in series), sum(s.opt_outs for s in series), peak,
                                  level(peak, watch, act))
        if charts:
            metrics.chart = rate_chart(series, watch, act, title=f"{metrics.reference}: daily opt-out rate")
        result.campaigns.append(metrics)
    return result


def dashboard_metrics(session: Session, organization_id: int, config: Any = None) -> Metrics:
    """What the dashboard's consent panel shows."""
    watch, act = thresholds(config)
    return campaign_metrics(session, organization_id, watch=watch, act=act)
