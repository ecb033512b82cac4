"""Parsing the timestamps and dates providers send (ISO 8601 with ``Z`` or offsets, or unix seconds)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 string or unix seconds; None when absent or unreadable."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), UTC)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_date(value: Any) -> date | None:
    """The calendar date of an ISO 8601 date (``2026-06-02``) or timestamp (its date in UTC); None when absent
    or unreadable."""
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    moment = parse_time(value)
    return moment.astimezone(UTC).date() if moment is not None else None
