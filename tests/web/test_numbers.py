"""Numbers: one by one, or thousands by CSV with a per-row report and nothing half-applied."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from registry.campaigns.operations import set_campaign_status
from registry.numbers.models import PhoneNumber
from registry.states import AssignmentStatus, RegistrationStatus
from tests.factories import TEST_ACTOR


@pytest.fixture
def approved(db, org, create_brand, create_campaign):
    campaign = create_campaign(create_brand(org), referenceId="reminders")
    set_campaign_status(db, campaign, RegistrationStatus.APPROVED, actor=TEST_ACTOR)
    db.commit()
    return campaign


def _csv(rows: list[str], header: str = "phone,label,campaign") -> dict:
    return {"file": (io.BytesIO(("\n".join([header, *rows]) + "\n").encode()), "numbers.csv")}


def _upload(web, rows, **kw):
    return web.client.post("/numbers/upload", data={**_csv(rows, **kw), "csrf_token": web.token("/numbers")},
                           content_type="multipart/form-data")


def test_add_one_number_and_assign_it(as_role, approved, db):
    web = as_role("submitter")
    response = web.post("/numbers", {"phone": "(312) 555-0100", "label": "Front desk", "campaign": "reminders"},
                        token_page="/numbers")
    assert response.status_code == 302
    number = db.scalar(sa.select(PhoneNumber))
    assert (number.e164, number.campaign_id, number.assignment_status) == (
        "+13125550100", approved.id, AssignmentStatus.PENDING)


def test_a_bad_number_is_shown_on_the_field(as_role, approved, db):
    response = as_role("submitter").post("/numbers", {"phone": "12"}, token_page="/numbers")
    assert response.status_code == 422
    assert "not a valid phone number" in response.text.split('id="phone-errors"')[1][:300]


def test_a_csv_of_thousands_is_added_in_one_go(as_role, approved, db):
    rows = [f"+1312555{n:04d},Line {n}," for n in range(2000)]
    response = _upload(as_role("submitter"), rows)
    assert response.status_code == 302
    assert db.scalar(sa.select(sa.func.count()).select_from(PhoneNumber)) == 2000


def test_one_bad_row_applies_nothing_and_the_report_names_it(as_role, approved, db):
    rows = ["+13125550100,ok,reminders", "+1312555,short number,reminders", "+13125550101,ok,nosuchcampaign",
            "+13125550100,duplicate,"]
    response = _upload(as_role("submitter"), rows)
    assert response.status_code == 422
    report = response.text.split('id="report-h"')[1]
    assert "3 row(s) need fixing" in response.text
    assert "<td>3</td>" in report and "not a valid phone number" in report
    assert "<td>4</td>" in report and "nosuchcampaign" in report
    assert "<td>5</td>" in report and "already on row 2" in report
    assert db.scalar(sa.select(sa.func.count()).select_from(PhoneNumber)) == 0


def test_the_number_pool_rule_is_enforced(as_role, approved, db):
    rows = [f"+1312555{n:04d},,reminders" for n in range(51)]
    response = _upload(as_role("submitter"), rows)
    assert response.status_code == 422
    assert "NUMBER-POOL-THRESHOLD" in response.text
    assert db.scalar(sa.select(sa.func.count()).select_from(PhoneNumber)) == 0


def test_numbers_only_join_approved_campaigns(as_role, org, create_brand, create_campaign, db):
    create_campaign(create_brand(org), referenceId="draft-one")
    response = _upload(as_role("submitter"), ["+13125550100,,draft-one"])
    assert response.status_code == 422 and "only join an approved campaign" in response.text


def test_a_file_without_a_phone_column_is_refused(as_role, approved):
    response = _upload(as_role("submitter"), ["+13125550100"], header="number")
    assert response.status_code == 422 and "phone (required)" in response.text


def test_the_error_report_downloads_as_csv(as_role, approved):
    web = as_role("submitter")
    response = web.post("/numbers/errors.csv", {"row": ["3"], "phone": ["+1312555"], "reason": ["bad"]},
                        token_page="/numbers")
    assert response.mimetype == "text/csv"
    assert response.text.splitlines() == ["row,phone,reason", "3,+1312555,bad"]


def test_viewers_cannot_add_numbers(as_role, approved):
    viewer = as_role("viewer")
    assert viewer.post("/numbers", {"phone": "+13125550100"}).status_code == 403
    assert _upload(viewer, ["+13125550100,,"]).status_code == 403


def test_a_failed_assignment_shows_why_and_can_be_retried(as_role, approved, db):
    from registry.lifecycle.operations import change_status
    from registry.submissions.models import Submission, SubmissionStatus, SubmissionStep

    web = as_role("submitter")
    web.post("/numbers", {"phone": "+13125550100", "campaign": "reminders"}, token_page="/numbers")
    number = db.scalar(sa.select(PhoneNumber))
    [first] = db.scalars(sa.select(Submission).where(Submission.step == SubmissionStep.NUMBERS)).all()
    first.status = SubmissionStatus.FAILED
    change_status(db, number, AssignmentStatus.FAILED, actor=TEST_ACTOR, source="provider",
                  note="Telnyx: the number is not in this messaging profile")
    db.commit()

    html = web.get("/numbers").get_data(as_text=True)
    assert "the number is not in this messaging profile" in html and f"/numbers/{number.id}/retry" in html

    response = web.post(f"/numbers/{number.id}/retry", {}, token_page="/numbers")
    assert response.status_code == 302
    db.expire_all()
    assert db.get(PhoneNumber, number.id).assignment_status is AssignmentStatus.PENDING
    queued = db.scalars(sa.select(Submission).where(Submission.step == SubmissionStep.NUMBERS,
                                                    Submission.status == SubmissionStatus.PENDING)).all()
    assert [s.phone_number_id for s in queued] == [number.id]  # a new outbox row for the worker

    # nothing to retry now: refused with a message, no second row
    response = web.post(f"/numbers/{number.id}/retry", {}, token_page="/numbers")
    assert "Only a failed assignment can be retried" in web.get("/numbers").get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Submission)
                     .where(Submission.step == SubmissionStep.NUMBERS)) == 2


def test_viewers_cannot_retry_and_other_organizations_get_404(as_role, approved, db, create_org):
    from registry.numbers.operations import add_number

    number = add_number(db, approved.organization, "+13125550111", actor=TEST_ACTOR)
    other = add_number(db, create_org(), "+13125550112", actor=TEST_ACTOR)
    db.commit()
    viewer = as_role("viewer")
    assert viewer.post(f"/numbers/{number.id}/retry", {}, token_page="/numbers").status_code == 403
    assert "/retry" not in viewer.get("/numbers").get_data(as_text=True)
    assert as_role("submitter").post(f"/numbers/{other.id}/retry", {}, token_page="/numbers").status_code == 404


def test_unassign_from_the_list(as_role, approved, db):
    web = as_role("submitter")
    web.post("/numbers", {"phone": "+13125550120", "campaign": "reminders"}, token_page="/numbers")
    number = db.scalar(sa.select(PhoneNumber))
    assert f"/numbers/{number.id}/release" in web.get("/numbers").get_data(as_text=True)
    assert as_role("viewer").post(f"/numbers/{number.id}/release", {}, token_page="/numbers").status_code == 403

    response = web.post(f"/numbers/{number.id}/release", {}, token_page="/numbers")
    assert response.status_code == 302
    db.expire_all()
    number = db.get(PhoneNumber, number.id)  # never sent to a provider: released at once
    assert (number.assignment_status, number.campaign_id) == (AssignmentStatus.UNASSIGNED, None)
    html = web.get("/numbers").get_data(as_text=True)
    assert "is no longer assigned" in html and f"/numbers/{number.id}/release" not in html

    web.post(f"/numbers/{number.id}/release", {}, token_page="/numbers")
    assert "is not assigned to a campaign" in web.get("/numbers").get_data(as_text=True)


def test_a_released_number_is_assigned_again_from_the_add_form(as_role, approved, db):
    web = as_role("submitter")
    web.post("/numbers", {"phone": "+13125550130", "campaign": "reminders"}, token_page="/numbers")
    number = db.scalar(sa.select(PhoneNumber))
    web.post(f"/numbers/{number.id}/release", {}, token_page="/numbers")
    response = web.post("/numbers", {"phone": "(312) 555-0130", "campaign": "reminders"}, token_page="/numbers")
    assert response.status_code == 302
    assert "+13125550130 assigned to reminders." in web.get("/numbers").get_data(as_text=True)
    db.expire_all()
    assert db.scalar(sa.select(sa.func.count()).select_from(PhoneNumber)) == 1
    number = db.get(PhoneNumber, number.id)
    assert (number.campaign_id, number.assignment_status) == (approved.id, AssignmentStatus.PENDING)
    # a number already on a campaign is still refused as a duplicate
    response = web.post("/numbers", {"phone": "+13125550130", "campaign": "reminders"}, token_page="/numbers")
    assert response.status_code == 422 and "already in your organization" in response.get_data(as_text=True)
