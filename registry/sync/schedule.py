"""When to look at an item again: priority by state, intervals from the config, backoff after failures, and
the business-day clock of the stuck-in-review check.

Config (seconds unless noted; defaults below): ``SYNC_INTERVALS`` {priority: seconds}, ``SYNC_LEASE_SECONDS``,
``SYNC_BATCH`` (items per pass), ``SYNC_STUCK_BUSINESS_DAYS``, ``SUBMISSION_MAX_ATTEMPTS``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from registry.states import AssignmentStatus, RegistrationStatus

from .models import Priority

R = RegistrationStatus
#: how long after a look the next one is due, by priority (seconds)
DEFAULT_INTERVALS: Mapping[int, float] = {
    Priority.URGENT: 0.0,
    Priority.ACTIVE: 120.0,  # brand scoring, TCR review: minutes
    Priority.REVIEW: 3600.0,  # carrier review: days; webhooks usually tell us first
    Priority.SETTLED: 86400.0,  # approved: suspensions and expiry are rare
}
DEFAULTS: Mapping[str, Any] = {
    "SYNC_LEASE_SECONDS": 600.0,  # longer than a provider call with all its inline retries
    "SYNC_BATCH": 500,  # items one pass handles at most (the periodic task runs every minute)
    "SYNC_STUCK_BUSINESS_DAYS": 7,  # carriers quote 3-10 business days
    "SUBMISSION_MAX_ATTEMPTS": 8,
    "SYNC_BACKOFF_BASE": 30.0,
    "SYNC_BACKOFF_MAX": 6 * 3600.0,
    "SUBMISSION_WAIT_SECONDS": 300.0,  # a campaign waiting for its brand looks again this often
    "SYNC_SWEEP_SECONDS": 900.0,  # how often each brand's campaign list is compared with ours
}

STATUS_PRIORITY: Mapping[str, Priority] = {
    R.SUBMITTED: Priority.ACTIVE,
    R.PENDING: Priority.ACTIVE,
    R.IN_REVIEW: Priority.REVIEW,
    R.ACTION_REQUIRED: Priority.REVIEW,
    R.SUSPENDED: Priority.REVIEW,
    R.APPROVED: Priority.SETTLED,
    R.REJECTED: Priority.TERMINAL,
    R.FAILED: Priority.TERMINAL,
    R.DEACTIVATED: Priority.TERMINAL,
    # our own workflow states (a resubmission is being prepared): keep an eye on the provider, slowly
    R.DRAFT: Priority.REVIEW,
    R.AWAITING_REVIEW: Priority.REVIEW,
    R.QUEUED: Priority.REVIEW,
    AssignmentStatus.PENDING: Priority.ACTIVE,
    AssignmentStatus.PENDING_UNASSIGNMENT: Priority.ACTIVE,
    AssignmentStatus.ASSIGNED: Priority.SETTLED,
    AssignmentStatus.FAILED: Priority.TERMINAL,
    AssignmentStatus.UNASSIGNED: Priority.TERMINAL,
}


def setting(config: Mapping[str, Any], name: str) -> Any:
    """A sync setting from the app config, else its default."""
    return config.get(name, DEFAULTS[name])


def priority_for(status: Any) -> Priority:
    """How urgent the next look is for an item in ``status``."""
    return STATUS_PRIORITY.get(status, Priority.REVIEW)


def interval(config: Mapping[str, Any], priority: int) -> float | None:
    """Seconds until the next look; None for terminal items."""
    if priority >= Priority.TERMINAL:
        return None
    intervals = {**DEFAULT_INTERVALS, **(config.get("SYNC_INTERVALS") or {})}
    return float(intervals.get(priority, DEFAULT_INTERVALS[Priority.REVIEW]))


def next_due(config: Mapping[str, Any], priority: int, now: datetime, *, jitter: float = 0.1) -> datetime | None:
    """When to look next (±10 % jitter spreads a crowd of items that were synced together)."""
    seconds = interval(config, priority)
    if seconds is None:
        return None
    if seconds and jitter:
        seconds *= 1 + random.uniform(-jitter, jitter)
    return now + timedelta(seconds=seconds)


def backoff(config: Mapping[str, Any], attempts: int, retry_after: float | None = None) -> timedelta:
    """Exponential backoff after ``attempts`` failures, never sooner than the provider asked."""
    base, ceiling = float(setting(config, "SYNC_BACKOFF_BASE")), float(setting(config, "SYNC_BACKOFF_MAX"))
    seconds = min(ceiling, base * 2 ** max(0, attempts - 1))
    seconds = seconds / 2 + random.uniform(0, seconds / 2)
    if retry_after is not None:
        seconds = max(seconds, retry_after)
    return timedelta(seconds=seconds)


def business_days_between(start: datetime, end: datetime) -> int:
    """Whole weekdays (Monday-Friday) from ``start`` to ``end`` (US federal holidays are not excluded)."""
    if end <= start:
        return 0
    day: date = start.date() + timedelta(days=1)
    last = end.date()
    count = 0
    while day <= last:
        if day.weekday() < 5:
            count += 1
        day += timedelta(days=1)
    return count
