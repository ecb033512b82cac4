"""The program report for a period."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from registry.reports.program import term_end

from .conftest import attachments, csv_rows, pdf_text


def test_program_report_covers_states_rates_findings_stuck_and_expiries(scenario, generate, tmp_path):
    start = (scenario.now - timedelta(days=29)).date().isoformat()
    end = scenario.now.date().isoformat()
    produced, pdf, csv = generate("program", tmp_path, org=scenario.org, start=start, end=end)
    text = pdf_text(pdf)
    assert f"Program report · {start} to {end}" in text
    assert "Campaigns 3" in text
    # states at the end of the period
    assert "Approved 2" in text and "In carrier review 1" in text
    # opt-ins, opt-outs and the rate against the thresholds, with the chart (inline SVG: its labels are text)
    assert "Opt-out rate: watch from 2 %, act from 5 %" in text
    assert "Opt-out rate of the period by campaign" in text and "watch 2 %" in text and "act 5 %" in text
    assert "spring-reminders: ACT — opt-out rate 16.67 % in the period" in text
    # open findings, stuck registrations, upcoming term ends
    assert "Open findings" in text and "revision(s) awaiting review" in text
    assert "billing-alerts in carrier review" in text and "no change for 16 days" in text
    assert "holiday-offers MARKETING" in text and "EXPIRES: auto-renewal is off" in text
    # the CSV export: one row per campaign, the same bytes as the attachment
    data = attachments(pdf)["campaigns.csv"]
    assert data == csv.read_bytes() and hashlib.sha256(data).hexdigest() == produced.csv_sha256
    rows = {r[0]: r for r in csv_rows(data)[1:]}
    assert set(rows) == {"spring-reminders", "holiday-offers", "billing-alerts"}
    spring = rows["spring-reminders"]
    assert spring[6:12] == ["6", "1", "5", "16.67 %", "16.67 %", "act"]
    daily = csv_rows(attachments(pdf)["consent-daily.csv"])
    assert len(daily) == 1 + 30  # one campaign with consent activity, one row per day


def test_a_quiet_period_says_so(scenario, generate, tmp_path):
    _, pdf, csv = generate("program", tmp_path, org=scenario.org, start="2020-01-01", end="2020-01-31")
    text = pdf_text(pdf)
    assert "Campaign states at the end of the period" in text
    assert "not registered yet 3" in text
    assert "No campaign had subscribers in the period." in text
    assert len(csv_rows(csv.read_bytes())) == 4


def test_terms_run_three_months_then_monthly():
    from datetime import UTC, datetime

    approved = datetime(2026, 1, 31, 12, tzinfo=UTC)
    assert term_end(approved, "MARKETING", approved) == datetime(2026, 4, 30, 12, tzinfo=UTC)
    assert term_end(approved, "MARKETING", datetime(2026, 5, 1, tzinfo=UTC)) == datetime(2026, 5, 31, 12,
                                                                                          tzinfo=UTC)
    assert term_end(approved, "POLITICAL", approved) == datetime(2026, 2, 28, 12, tzinfo=UTC)
