"""The database half of issue #5 end to end: our app (served over real HTTP for webhooks), a simulator on
loopback, an organization with a sandbox provider account, and a clock both sides advance together."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from registry.audit import Actor
from registry.db import utcnow
from registry.lifecycle.models import CarrierStatus, StatusChange
from registry.providers.http import RetryPolicy
from registry.providers.simulator import Simulator, run_simulator
from registry.revisions.models import Revision
from registry.states import Role
from registry.submissions.models import Submission
from registry.sync.models import SyncState
from tests.factories import BRAND_PAYLOAD

ATT, TMOBILE, VERIZON, USCELLULAR = "10017", "10035", "10038", "10037"
SIM_START = datetime.fromisoformat("2026-03-02T17:00:00+00:00")

CAMPAIGN = {
    "usecase": "ACCOUNT_NOTIFICATION",
    "resellerId": "R000000",
    "description": "Acme Dental sends appointment reminders and billing notices to patients who opted in.",
    "messageFlow": "Patients opt in on the booking form at https://www.acmedental.com/book by ticking an "
    "unchecked box. The form shows: Acme Dental appointment reminders, message frequency varies, msg & data "
    "rates may apply, reply HELP for help and STOP to opt out. Privacy policy: https://www.acmedental.com/"
    "privacy and terms: https://www.acmedental.com/terms.",
    "sample1": "Acme Dental: your cleaning is tomorrow at 3pm. Reply C to confirm, STOP to opt out.",
    "sample2": "Acme Dental: your statement is ready; reply with any questions. Reply STOP to opt out.",
    "subscriberOptin": True,
    "subscriberOptout": True,
    "subscriberHelp": True,
    "optinKeywords": "START",
    "optinMessage": "Acme Dental: you are subscribed to appointment reminders. Msg frequency varies. Msg & "
    "data rates may apply. Reply HELP for help, STOP to cancel.",
    "optoutKeywords": "STOP,CANCEL,END,QUIT,UNSUBSCRIBE",
    "optoutMessage": "Acme Dental: you are unsubscribed and will get no more messages.",
    "helpKeywords": "HELP,INFO",
    "helpMessage": "Acme Dental: for help call +1 312 555 0142. Msg & data rates may apply. Reply STOP to cancel.",
    "embeddedLink": False,
    "embeddedPhone": False,
    "numberPool": False,
    "ageGated": False,
    "directLending": False,
    "termsAndConditions": True,
    "privacyPolicyLink": "https://www.acmedental.com/privacy",
    "termsAndConditionsLink": "https://www.acmedental.com/terms",
}
TEST_CONFIG = {
    # inline HTTP retries stay short; long Retry-After values become a rescheduled item (our clock)
    "PROVIDER_RETRY": RetryPolicy(max_attempts=3, backoff_base=0.01, backoff_max=0.05, max_retry_after=0.2),
    "PROVIDER_TIMEOUT": (1.0, 1.5),
    "SYNC_INTERVALS": {1: 120.0, 2: 3600.0, 3: 86400.0},
    "SUBMISSION_MAX_ATTEMPTS": 4,
}


class Clock:
    """Our side's clock: real time plus whatever the test skipped forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, **kw: float) -> None:
        self.offset += timedelta(**kw)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with run_simulator(start=SIM_START, seed=11) as simulator:
        yield simulator


@pytest.fixture
def live(app) -> Iterator[str]:
    """The app on a real loopback HTTP server, so the simulator can deliver webhooks to it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    thread.join(timeout=5)


@dataclass
class Flow:
    """The scenario driver: arrange registrations, approve them, move time, run the worker, look."""

    app: Any
    db: Any
    sim: Simulator
    clock: Clock
    org: Any
    author: Any
    officer: Any
    account: Any
    factories: dict[str, Any] = field(default_factory=dict)

    # arrange ------------------------------------------------------------------------------------------
    def brand(self, **payload: Any):
        return self.factories["brand"](self.org, **payload)

    def campaign(self, brand, **payload: Any):
        return self.factories["campaign"](brand, **{**CAMPAIGN, **payload})

    def approve(self, obj) -> Revision:
        """Four-eyes: the author sends it for review, the officer approves (acknowledging warnings)."""
        from registry.reviews.operations import Acknowledged, approve, submit_for_review, warnings_to_acknowledge

        revision = submit_for_review(self.db, obj, actor=Actor.of(self.author))
        acks = [
            Acknowledged(w["rule"], w["field"] or "", "Accepted for the test scenario.")
            for w in warnings_to_acknowledge(revision)
        ]
        approve(self.db, revision, actor=Actor.of(self.officer), acknowledgements=acks)
        self.db.commit()
        return revision

    # act ----------------------------------------------------------------------------------------------
    def run(self, **kw: Any):
        from registry.sync.runner import run_pass

        return run_pass(self.app, clock=self.clock, **kw)

    def advance(self, **kw: float) -> dict[str, Any]:
        """Move the simulator and our clock together (the simulator delivers its webhooks meanwhile)."""
        self.clock.advance(**kw)
        return self.sim.advance(**kw)

    def settle(self, passes: int = 4):
        """Run passes (moving our clock past every due time) until nothing changes."""
        from registry.sync.runner import PassStats

        total = PassStats()
        for _ in range(passes):
            stats = self.run()
            total.add(stats)
            if not (stats.items or stats.submissions):
                break
        return total

    def poll_everything(self):
        """Make every linked item due now and run a pass (what the scheduled sync does eventually)."""
        self.db.execute(
            sa.update(SyncState)
            .where(SyncState.next_due_at.is_not(None))
            .values(next_due_at=self.clock() - timedelta(seconds=1))
        )
        self.db.commit()
        return self.run()

    # look ---------------------------------------------------------------------------------------------
    def get(self, obj):
        self.db.rollback()
        return self.db.get(type(obj), obj.id)

    def submissions(self) -> list[Submission]:
        self.db.rollback()
        return list(self.db.scalars(sa.select(Submission).order_by(Submission.id)))

    def state(self, subject: str, subject_id: int) -> SyncState | None:
        self.db.rollback()
        return self.db.scalar(
            sa.select(SyncState).where(SyncState.subject == subject, SyncState.subject_id == subject_id)
        )

    def timeline(self, obj, *, carriers: bool = False) -> list[tuple[Any, ...]]:
        self.db.rollback()
        subject = {"Brand": "brand", "Campaign": "campaign", "PhoneNumber": "phone_number"}[type(obj).__name__]
        rows = self.db.scalars(
            sa.select(StatusChange)
            .where(StatusChange.subject == subject, StatusChange.subject_id == obj.id)
            .order_by(StatusChange.id)
        )
        if carriers:
            return [(r.carrier, r.from_status, r.to_status) for r in rows if r.carrier]
        return [(r.from_status, r.to_status) for r in rows if not r.carrier]

    def notes(self, obj) -> list[str]:
        """The notes of the overall status changes of ``obj``, oldest first."""
        self.db.rollback()
        subject = {"Brand": "brand", "Campaign": "campaign", "PhoneNumber": "phone_number"}[type(obj).__name__]
        return list(
            self.db.scalars(
                sa.select(StatusChange.note)
                .where(
                    StatusChange.subject == subject, StatusChange.subject_id == obj.id, StatusChange.carrier.is_(None)
                )
                .order_by(StatusChange.id)
            )
        )

    def carriers(self, campaign) -> dict[str, str]:
        self.db.rollback()
        return {
            r.carrier: r.state.value
            for r in self.db.scalars(sa.select(CarrierStatus).where(CarrierStatus.campaign_id == campaign.id))
        }

    def creates(self, kind: str) -> int:
        """Billable creates of ``kind`` (``brand_registration``, ``campaign_upfront``) at the simulator."""
        return sum(1 for line in self.sim.ledger() if line["kind"] == kind)


@pytest.fixture
def flow(app, db, sim, live, create_org, create_user, create_brand, create_campaign) -> Flow:
    from registry.provider_accounts.crypto import app_fernet
    from registry.provider_accounts.operations import create_account

    app.config.update(TEST_CONFIG)
    org = create_org("Flow Org")
    author = create_user(org, Role.SUBMITTER)
    officer = create_user(org, Role.COMPLIANCE_OFFICER)
    with app.app_context():
        account = create_account(
            db,
            org,
            app_fernet(app),
            provider="sandbox",
            label="Simulator",
            api_key=sim.api_key,
            base_url=sim.telnyx_base_url,
            webhook_public_key=sim.public_key,
            rate=200.0,
            burst=50,
            actor=Actor.system("tests"),
        )
    db.commit()
    return Flow(
        app, db, sim, Clock(), org, author, officer, account, {"brand": create_brand, "campaign": create_campaign}
    )


def brand_payload(**changes: Any) -> dict[str, Any]:
    return {**BRAND_PAYLOAD, **changes}
