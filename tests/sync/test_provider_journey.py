"""The app's journey with each provider account kind (the Telnyx-format sandbox, Twilio, direct TCR) against
the simulator over real HTTP: four-eyes approval -> outbox -> brand and campaign created once -> webhooks and
the sync follow them to approval; a carrier's rejection lands on the revision next to the matching rule."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from registry.audit import Actor
from registry.audit.chain import verify_organization
from registry.provider_accounts.crypto import app_fernet
from registry.provider_accounts.models import ProviderCall
from registry.provider_accounts.operations import create_account
from registry.states import IdentityStatus, RegistrationStatus, RevisionStatus
from registry.submissions.models import SubmissionStatus
from registry.webhooks.models import WebhookEvent

from .conftest import CAMPAIGN, Flow

R = RegistrationStatus
#: Twilio's Trust Hub needs an authorized representative for a standard brand (provider-apis.md §3.2)
REPRESENTATIVE = {"firstName": "Morgan", "lastName": "Lee"}


def account_options(kind: str, sim: Any) -> dict[str, Any]:
    """create_account() keywords for an account of ``kind`` on the simulator."""
    if kind == "sandbox":
        return {"api_key": sim.api_key, "base_url": sim.telnyx_base_url, "webhook_public_key": sim.public_key}
    if kind == "twilio":
        sid, token = sim.twilio_credentials()
        return {"api_key": sid, "api_secret": token, "base_url": sim.twilio_base_url}
    key, secret = sim.tcr_credentials()
    return {"api_key": key, "api_secret": secret, "base_url": sim.tcr_base_url, "settings": tcr_settings(sim)}


def tcr_settings(sim: Any) -> dict[str, Any]:
    from registry.providers.simulator.tcr import DEFAULT_UPSTREAM_CNP

    return {"upstream_cnp_id": DEFAULT_UPSTREAM_CNP}


@pytest.fixture(params=["sandbox", "twilio", "tcr"])
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def pflow(flow: Flow, kind: str) -> Flow:
    """The flow with its default account replaced by one of ``kind``."""
    if kind == "sandbox":
        return flow
    flow.account.is_default = False
    flow.db.commit()
    with flow.app.app_context():
        flow.account = create_account(
            flow.db,
            flow.org,
            app_fernet(flow.app),
            provider=kind,
            label=f"{kind} simulator",
            rate=200.0,
            burst=50,
            is_default=True,
            actor=Actor.system("tests"),
            **account_options(kind, flow.sim),
        )
    flow.db.commit()
    return flow


def until(flow: Flow, obj: Any, status: RegistrationStatus, *, step: dict[str, float], limit: int = 40) -> Any:
    for _ in range(limit):
        current = flow.get(obj)
        if current.status is status:
            return current
        flow.advance(**step)
        flow.run()
    raise AssertionError(f"{obj!r} stayed {flow.get(obj).status} instead of reaching {status}")


def test_registration_goes_through_each_provider_to_approval(pflow: Flow, kind: str) -> None:
    flow = pflow
    brand = flow.brand(**REPRESENTATIVE)
    flow.approve(brand)
    flow.run()
    brand = until(flow, brand, R.APPROVED, step={"minutes": 30})
    assert brand.identity_status is IdentityStatus.VERIFIED
    assert brand.tcr_brand_id and brand.tcr_brand_id.startswith("B")

    campaign = flow.campaign(brand)
    revision = flow.approve(campaign)
    flow.run()
    campaign = until(flow, campaign, R.APPROVED, step={"hours": 12})
    assert campaign.tcr_campaign_id and campaign.tcr_campaign_id.startswith("C")
    assert flow.get(revision).status is RevisionStatus.SUBMITTED
    sent = [s for s in flow.submissions() if s.account_id == flow.account.id]
    assert len(sent) == 2 and all(s.status is SubmissionStatus.DONE for s in sent)
    calls = flow.db.scalars(sa.select(ProviderCall).where(ProviderCall.account_id == flow.account.id)).all()
    assert {c.provider for c in calls} == {"telnyx" if kind == "sandbox" else kind}  # the sandbox speaks Telnyx
    assert "120000001" not in str([c.request_body for c in calls])  # no tax id in the call log
    events = flow.db.scalars(sa.select(WebhookEvent).where(WebhookEvent.account_id == flow.account.id)).all()
    assert events, "the provider's webhooks reached the app and verified"

    # the officer ends it: deactivated at the provider through the outbox
    from registry.submissions.deactivation import request_deactivation

    request_deactivation(flow.db, campaign, "The program this campaign served has ended.", actor=Actor.of(flow.officer))
    flow.db.commit()
    flow.run()
    assert until(flow, campaign, R.DEACTIVATED, step={"minutes": 10}).status is R.DEACTIVATED
    assert verify_organization(flow.db, flow.org.id) is None


def test_a_carrier_rejection_lands_on_the_revision_with_its_rule(pflow: Flow) -> None:
    flow = pflow
    brand = flow.brand(**REPRESENTATIVE)
    flow.approve(brand)
    flow.run()
    brand = until(flow, brand, R.APPROVED, step={"minutes": 30})
    campaign = flow.campaign(brand, description=CAMPAIGN["description"] + " [sim:reject-always:tmobile]")
    revision = flow.approve(campaign)
    flow.run()
    until(flow, campaign, R.REJECTED, step={"hours": 12})
    reasons = flow.get(revision).rejection_reasons
    assert reasons and all(r["message"] for r in reasons)
    assert any(r["rule"] for r in reasons), reasons


def test_a_sole_proprietor_is_verified_by_the_owners_code(pflow: Flow, kind: str) -> None:
    """The brand page's PIN flow against each provider: TCR and Telnyx take the PIN the owner read out;
    Twilio's owner replies to Twilio's text and the check reads the outcome."""
    from registry.submissions.otp import request_otp, submit_otp
    from tests.providers.conftest import driver_named

    from .test_otp import SOLE

    flow, officer = pflow, Actor.of(pflow.officer)
    brand = flow.brand(**SOLE)
    flow.approve(brand)
    flow.run()
    brand = until(flow, brand, R.ACTION_REQUIRED, step={"minutes": 5})
    request_otp(flow.db, brand, actor=officer)
    flow.db.commit()
    flow.run()
    flow.advance(minutes=1)
    pin = driver_named("telnyx" if kind == "sandbox" else kind).otp_pin(
        flow.sim, flow.state("brand", brand.id).provider_ref
    )
    submit_otp(flow.db, flow.get(brand), pin, actor=officer)
    flow.db.commit()
    flow.run()
    assert until(flow, brand, R.APPROVED, step={"minutes": 5}).status is R.APPROVED
    assert all(
        s.status is SubmissionStatus.DONE and s.account_id == flow.account.id
        for s in flow.submissions()
        if s.step.value.startswith("otp_")
    )
