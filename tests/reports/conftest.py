"""A registration with a history worth reporting on, built through the real operations: a brand and a campaign
drafted by one user and approved by another (with acknowledged warnings and a sent-back first revision), a
submission and provider calls, carriers deciding, numbers assigned, and consent events including a STOP."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from registry.audit import Actor
from registry.states import Role

NUMBERS = 45  # more than a body table shows (40): the rest goes to an appendix
SUBSCRIBER = "+13125550142"
NUMBER = "+13125551000"
CTA = ("Yes, text me appointment reminders from Acme Dental. Msg frequency varies. Msg & data rates may apply. "
       "Reply HELP for help, STOP to cancel. Terms: https://www.acmedental.com/sms-terms "
       "Privacy: https://www.acmedental.com/privacy")
CAMPAIGN_FIELDS = {
    "messageFlow": "Patients opt in on the web form at https://www.acmedental.com/reminders by ticking an "
                   f"unchecked box next to: \"{CTA}\"",
    "optinKeywords": "JOIN",
    "optinMessage": "Acme Dental: you are subscribed to appointment reminders. Msg frequency varies. "
                    "Msg & data rates may apply. "
                    "Reply HELP for help, STOP to cancel.",
    "optoutKeywords": "STOP,QUIT",
    "optoutMessage": "Acme Dental: you are unsubscribed and will get no more messages.",
    "helpKeywords": "HELP",
    "helpMessage": "Acme Dental: appointment reminders. Call (312) 555-0142 for help. Reply STOP to cancel.",
    "privacyPolicyLink": "https://www.acmedental.com/privacy",
    "termsAndConditionsLink": "https://www.acmedental.com/sms-terms",
}
SYSTEM = Actor.system("tests: provider")


def _acknowledge(revision):
    from registry.reviews.operations import Acknowledged, warnings_to_acknowledge

    return [Acknowledged(w["rule"], w["field"] or "", f"Accepted for the test scenario: {w['rule']}.")
            for w in warnings_to_acknowledge(revision)]


def _account(db, org):
    from registry.provider_accounts.models import ProviderAccount, ProviderName

    account = ProviderAccount(organization_id=org.id, public_id=f"acct{org.id}", provider=ProviderName.SANDBOX,
                              label="Sandbox", base_url="http://127.0.0.1:9/v2", credentials="x", is_default=True)
    db.add(account)
    db.flush()
    return account


def build_scenario(db, create_org, create_user, create_brand, create_campaign, *, name="Acme Platform",
                   numbers=NUMBERS, brand_payload=None, campaign_payload=None):
    """The history, on a consistent clock (time-machine): registered 30 days ago, approved 25 days ago, numbers
    assigned, opt-ins 10 days ago, a STOP 3 days ago; plus a campaign whose first term is about to end (auto-
    renewal off) and one stuck in carrier review."""
    import time_machine

    from registry.campaigns.operations import update_campaign
    from registry.consent.inbound import InboundMessage, handle_inbound
    from registry.consent.operations import record_event
    from registry.lifecycle.models import CarrierStatus, StatusChange
    from registry.lifecycle.operations import change_status
    from registry.numbers.operations import add_number, assign_number, mark_assigned
    from registry.provider_accounts.models import ProviderCall
    from registry.reviews.operations import approve, send_back, submit_for_review
    from registry.states import CarrierState, RegistrationStatus, RevisionStatus
    from registry.submissions.models import Submission, SubmissionStatus

    now = datetime.now(UTC).replace(microsecond=0)

    def at(days: float, **kw):
        return time_machine.travel(now - timedelta(days=days, **kw), tick=True)

    def register(campaign, by_author, by_reviewer, *, approved_days):
        revision = submit_for_review(db, campaign, actor=by_author)
        approve(db, revision, actor=by_reviewer, acknowledgements=_acknowledge(revision))
        revision.status = RevisionStatus.SUBMITTED
        for status in (RegistrationStatus.SUBMITTED, RegistrationStatus.IN_REVIEW):
            change_status(db, campaign, status, actor=SYSTEM, source="provider")
        if approved_days is not None:
            change_status(db, campaign, RegistrationStatus.APPROVED, actor=SYSTEM, source="provider",
                          occurred_at=now - timedelta(days=approved_days))
        db.commit()
        return revision

    with at(30):
        org = create_org(name)
        author = create_user(org, Role.SUBMITTER, email=f"author@{org.slug}.example")
        reviewer = create_user(org, Role.COMPLIANCE_OFFICER, email=f"reviewer@{org.slug}.example")
        viewer = create_user(org, Role.VIEWER, email=f"viewer@{org.slug}.example")
        admin = create_user(org, Role.ADMIN, email=f"admin@{org.slug}.example")
        by_author, by_reviewer = Actor.of(author), Actor.of(reviewer)
        account = _account(db, org)
        brand = create_brand(org, actor=by_author, **(brand_payload or {}))
        brand_revision = submit_for_review(db, brand, actor=by_author)
        approve(db, brand_revision, actor=by_reviewer, acknowledgements=_acknowledge(brand_revision))
        brand_revision.status = RevisionStatus.SUBMITTED
        brand.tcr_brand_id = "BACME01"
        change_status(db, brand, RegistrationStatus.APPROVED, actor=SYSTEM, source="provider",
                      raw_status="VERIFIED")
        db.commit()
        campaign = create_campaign(brand, actor=by_author, referenceId="spring-reminders",
                                   **(CAMPAIGN_FIELDS | (campaign_payload or {})))
        first = submit_for_review(db, campaign, actor=by_author)
    with at(29):
        send_back(db, first, actor=by_reviewer, comment="Name the brand in the sample, as carriers expect.")
        db.commit()
        update_campaign(db, campaign, {"sample1": "Acme Dental: your appointment is on [date] at [time]. Reply "
                                                  "STOP to opt out, HELP for help."},
                        actor=by_author, expected_version=campaign.version)
        second = submit_for_review(db, campaign, actor=by_author)
    with at(28):
        approve(db, second, actor=by_reviewer, acknowledgements=_acknowledge(second))
        db.commit()
        submission = db.scalar(sa.select(Submission).where(Submission.revision_id == second.id))
        for i, (status, error) in enumerate(((None, "timeout after 10 s"), (200, None))):
            db.add(ProviderCall(organization_id=org.id, account_id=account.id, provider="sandbox", method="POST",
                                path="/10dlc/campaignBuilder", query={},
                                request_body={"usecase": "ACCOUNT_NOTIFICATION"}, status=status,
                                response_body={"campaignId": "CACME01"} if status else None, duration_ms=120.0 + i,
                                attempt=i + 1, started_at=datetime.now(UTC), error=error,
                                context=f"submission:{submission.id}"))
        submission.status, submission.finished_at = SubmissionStatus.DONE, datetime.now(UTC)
        submission.provider_id, submission.registry_id, submission.attempts = "4b2c-sim", "CACME01", 2
        second.status = RevisionStatus.SUBMITTED
        campaign.tcr_campaign_id = "CACME01"
        change_status(db, campaign, RegistrationStatus.SUBMITTED, actor=SYSTEM, source="provider",
                      raw_status="ACTIVE")
        change_status(db, campaign, RegistrationStatus.IN_REVIEW, actor=SYSTEM, source="sync",
                      raw_status="MNO_PENDING")
        db.commit()
    for carrier, days in (("10035", 27), ("10017", 26)):
        for old, new, raw, offset in ((None, CarrierState.REVIEW, "PENDING", 1),
                                      (CarrierState.REVIEW, CarrierState.REGISTERED, "REGISTERED", 0)):
            with at(days + offset):
                db.add(StatusChange(organization_id=org.id, subject="campaign", subject_id=campaign.id,
                                    carrier=carrier, from_status=old.value if old else None, to_status=new.value,
                                    raw_status=raw, source="sync", note="carrier decision"))
                db.commit()
        db.add(CarrierStatus(campaign_id=campaign.id, carrier=carrier, state=CarrierState.REGISTERED,
                             raw_status="REGISTERED", updated_at=now - timedelta(days=days)))
    with at(25):
        db.add(ProviderCall(organization_id=org.id, account_id=account.id, provider="sandbox", method="GET",
                            path="/10dlc/campaign/4b2c-sim", query={}, request_body=None, status=200,
                            response_body={"status": "ACTIVE"}, duration_ms=40.0, attempt=1,
                            started_at=datetime.now(UTC), context=f"sync:campaign:{campaign.id}"))
        change_status(db, campaign, RegistrationStatus.APPROVED, actor=SYSTEM, source="sync",
                      raw_status="MNO_PROVISIONED")
        db.commit()
        for i in range(numbers):
            number = add_number(db, org, f"+1312555{1000 + i:04d}", actor=by_author, label=f"Front desk {i}")
            assign_number(db, number, campaign, actor=by_author)
            mark_assigned(db, number, actor=SYSTEM)
        db.commit()
    with at(85):  # a marketing campaign whose first 3-month term ends in a few days, auto-renewal off
        offers = create_campaign(
            brand, actor=by_author, referenceId="holiday-offers", usecase="MARKETING", autoRenewal=False,
            description="Acme Dental sends seasonal offers on cleanings to patients who opted in on acmedental.com.",
            sample1="Acme Dental: 20% off teeth whitening this month. Reply STOP to opt out.",
            sample2="Acme Dental: book a cleaning before Dec 31 and get a free toothbrush. Reply STOP to opt out.",
            **CAMPAIGN_FIELDS)
        register(offers, by_author, by_reviewer, approved_days=84)
    with at(16):  # a campaign carriers have been reviewing for over two weeks
        waiting = create_campaign(brand, actor=by_author, referenceId="billing-alerts", **CAMPAIGN_FIELDS)
        register(waiting, by_author, by_reviewer, approved_days=None)
    with at(10):
        record_event(db, campaign, kind="opt_in", phone=SUBSCRIBER, occurred_at=datetime.now(UTC),
                     method="web_form", actor=SYSTEM, source="https://www.acmedental.com/reminders",
                     disclosure_text=CTA, ip="203.0.113.9", user_agent="Mozilla/5.0 (test)")
        for i in range(5):
            record_event(db, campaign, kind="opt_in", phone=f"+1312555{2000 + i:04d}",
                         occurred_at=datetime.now(UTC) - timedelta(hours=i), method="web_form", actor=SYSTEM,
                         source="https://www.acmedental.com/reminders", disclosure_text=CTA)
        db.commit()
    with at(3):
        outcome = handle_inbound(db, org.id, InboundMessage(
            provider="json", from_number=SUBSCRIBER, text="STOP", to_number=NUMBER, message_id="m-stop-1",
            received_at=datetime.now(UTC) - timedelta(milliseconds=40)))
        db.commit()
    return SimpleNamespace(org=org, author=author, reviewer=reviewer, viewer=viewer, admin=admin, brand=brand,
                           campaign=campaign, offers=offers, waiting=waiting, revisions=(first, second),
                           submission=submission, subscriber=SUBSCRIBER, number=NUMBER, stop=outcome, now=now)


@pytest.fixture
def scenario(db, create_org, create_user, create_brand, create_campaign):
    return build_scenario(db, create_org, create_user, create_brand, create_campaign)


@pytest.fixture
def generate(app):
    """``generate(kind, out_dir, **request)`` → (Produced, pdf path, csv path), through the service layer."""
    from registry.db import get_database
    from registry.reports.service import ReportRequest
    from registry.reports.service import generate as run

    def make(kind: str, out: Path, *, org, pdf: bool = True, csv: bool = True, **fields):
        request = ReportRequest(kind=kind, organization_id=org.id, generated_by="tests", **fields)
        pdf_path = out / f"{kind}.pdf" if pdf else None
        csv_path = out / f"{kind}.csv" if csv else None
        produced = run(get_database(app).sessionmaker, request, app.config, pdf=pdf_path, csv=csv_path)
        return produced, pdf_path, csv_path

    return make


# --- reading PDFs ---------------------------------------------------------------------------------------

def pdf_text(path: Path) -> str:
    """All text of the PDF, whitespace collapsed (pypdf, as an auditor's tools would read it)."""
    from pypdf import PdfReader

    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages))


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(str(path)).pages]


def attachments(path: Path) -> dict[str, bytes]:
    from pypdf import PdfReader

    return {name: data[0] for name, data in PdfReader(str(path)).attachments.items()}


def csv_rows(data: bytes) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def tool(name: str) -> str:
    """A poppler tool: the suite fails (never skips) when it is missing — scripts/ensure-system-packages
    installs poppler-utils."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run scripts/ensure-system-packages (poppler-utils)", pytrace=False)
    return path


def first_page_png(pdf: Path, out: Path) -> Path:
    subprocess.run([tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(out / "page")],
                   check=True, capture_output=True, timeout=60)
    found = sorted(out.glob("page-*1.png"))
    assert found, f"pdftoppm wrote no page 1 PNG into {out}"
    return found[0]
