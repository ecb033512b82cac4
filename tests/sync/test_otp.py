"""A sole proprietor brand is verified by the PIN texted to the owner's mobile: the officer asks for the text
and enters the code from the brand page; both calls go through the outbox; a wrong code changes nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.audit import Actor
from registry.audit.chain import verify_organization
from registry.audit.models import AuditEvent
from registry.errors import UserValueError
from registry.states import RegistrationStatus
from registry.submissions.models import SubmissionStatus, SubmissionStep
from registry.submissions.otp import request_otp, submit_otp

from .conftest import Flow

R = RegistrationStatus
SOLE = {
    "entityType": "SOLE_PROPRIETOR", "displayName": "Dana's Dog Walking", "firstName": "Dana", "lastName": "Rivera",
    "mobilePhone": "+15035550177", "email": "dana@danasdogwalking.com", "phone": "+15035550178",
    "street": "5 Elm St", "city": "Portland", "state": "OR", "postalCode": "97202", "vertical": "RETAIL",
    "companyName": None, "ein": None, "brandRelationship": None, "website": None,
}


def registered_sole_proprietor(flow: Flow):
    brand = flow.brand(**SOLE)
    flow.approve(brand)
    flow.run()
    flow.advance(minutes=5)
    flow.run()
    brand = flow.get(brand)
    assert brand.status is R.ACTION_REQUIRED  # TCR waits for the owner's PIN
    return brand


def otp_steps(flow: Flow) -> list:
    return [s for s in flow.submissions() if s.step in (SubmissionStep.OTP_SEND, SubmissionStep.OTP_VERIFY)]


def test_the_owner_pin_verifies_the_brand_through_the_outbox(flow: Flow) -> None:
    brand = registered_sole_proprietor(flow)
    officer = Actor.of(flow.officer)
    ref = flow.state("brand", brand.id).provider_ref

    request_otp(flow.db, brand, actor=officer)
    request_otp(flow.db, brand, actor=officer)  # a second click while the first waits: one text
    flow.db.commit()
    assert [s.status for s in otp_steps(flow)] == [SubmissionStatus.PENDING]
    flow.run()
    [sent] = otp_steps(flow)
    assert sent.status is SubmissionStatus.DONE and sent.account_id == flow.account.id
    flow.advance(minutes=1)
    pin = flow.sim.otp_pin(ref)

    with pytest.raises(UserValueError, match="4 to 10 digits"):
        submit_otp(flow.db, brand, "12ab", actor=officer)
    flow.db.rollback()
    wrong = "000000" if pin != "000000" else "111111"
    submit_otp(flow.db, flow.get(brand), wrong, actor=officer)
    flow.db.commit()
    flow.run()
    refused = otp_steps(flow)[-1]
    assert refused.status is SubmissionStatus.FAILED and refused.otp_pin is None  # the PIN is not kept
    assert "refused" in (refused.last_error or "")
    assert flow.get(brand).status is R.ACTION_REQUIRED  # a wrong code changes nothing

    submit_otp(flow.db, flow.get(brand), pin, actor=officer)
    flow.db.commit()
    flow.run()
    verified = otp_steps(flow)[-1]
    assert (verified.status, verified.otp_pin) == (SubmissionStatus.DONE, None)
    flow.settle()
    assert flow.get(brand).status is R.APPROVED
    outcomes = [e.changes["otp"][1] for e in flow.db.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "otp").order_by(AuditEvent.seq))]
    assert outcomes == ["requested", "sent", "PIN submitted", "refused", "PIN submitted", "verified"]
    assert verify_organization(flow.db, flow.org.id) is None
    with pytest.raises(UserValueError, match="not a sole proprietor brand waiting"):
        request_otp(flow.db, flow.get(brand), actor=officer)  # verified: nothing more to ask


def test_no_pin_is_asked_of_a_company_or_of_an_unregistered_brand(flow: Flow) -> None:
    officer = Actor.of(flow.officer)
    company = flow.brand()
    with pytest.raises(UserValueError, match="not a sole proprietor brand waiting"):
        request_otp(flow.db, company, actor=officer)
    draft = flow.brand(**{**SOLE, "referenceId": "sp-draft", "mobilePhone": "+15035550179"})
    with pytest.raises(UserValueError, match="not a sole proprietor brand waiting"):
        submit_otp(flow.db, draft, "123456", actor=officer)


def test_the_brand_page_asks_for_the_code_and_names_a_bad_one_on_its_field(flow: Flow, make_web) -> None:
    from registry.auth.models import User

    brand = registered_sole_proprietor(flow)
    web = make_web()
    assert web.login(flow.db.get(User, flow.officer.id).email).status_code == 302
    page = f"/brands/{brand.id}"
    html = web.get(page).text
    assert 'id="otp-h"' in html and "+15035550177" in html and 'name="otp_pin"' in html

    assert web.post(f"{page}/otp/send", token_page=page).status_code == 302
    assert [s.step for s in otp_steps(flow)] == [SubmissionStep.OTP_SEND]
    response = web.post(f"{page}/otp/verify", {"otp_pin": "12"}, token_page=page)
    assert response.status_code == 422
    field = response.text.split('for="otp_pin"')[1].split("</div>")[0]
    assert 'aria-invalid="true"' in field and "4 to 10 digits" in field
    assert [s.step for s in otp_steps(flow)] == [SubmissionStep.OTP_SEND]  # nothing queued
    assert web.post(f"{page}/otp/verify", {"otp_pin": "123456"}, token_page=page).status_code == 302
    assert [s.step for s in otp_steps(flow)] == [SubmissionStep.OTP_SEND, SubmissionStep.OTP_VERIFY]
    assert "Code checked" in web.get(page).text

    company = flow.brand()
    assert 'id="otp-h"' not in web.get(f"/brands/{company.id}").text
