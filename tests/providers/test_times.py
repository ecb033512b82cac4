"""Dates and times as providers send them."""

from __future__ import annotations

from datetime import date

import pytest

from registry.providers.times import parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-06-02", date(2026, 6, 2)),  # TCR nextRenewalOrExpirationDate
        (" 2026-06-02 ", date(2026, 6, 2)),
        ("2026-06-02T23:30:00Z", date(2026, 6, 2)),  # Telnyx sends timestamps
        ("2026-06-02T23:30:00-05:00", date(2026, 6, 3)),  # its date in UTC
        (1780444800, date(2026, 6, 3)),
        ("2026-13-02", None),
        ("soon", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected
