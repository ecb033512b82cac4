"""Ending a registered campaign: an officer asks with a reason, the outbox sends the provider's deactivation,
the campaign becomes deactivated; refused while numbers are on it, and never for a draft."""

from __future__ import annotations

import pytest

from registry.audit import Actor
from registry.audit.chain import verify_organization
from registry.errors import UserValueError
from registry.numbers import operations as numbers
from registry.states import AssignmentStatus, RegistrationStatus
from registry.submissions.deactivation import request_deactivation
from registry.submissions.models import SubmissionStatus, SubmissionStep

from .conftest import Flow
from .test_journey import approved_campaign, assigned, registered_brand

R = RegistrationStatus
REASON = "The spring promotion program ended on May 31."


def test_an_officer_deactivates_a_registered_campaign_through_the_outbox(flow: Flow) -> None:
    campaign = approved_campaign(flow, registered_brand(flow))
    officer = Actor.of(flow.officer)
    number = numbers.add_number(flow.db, flow.org, "+13125550188", actor=officer)
    assert assigned(flow, number, campaign, officer).assignment_status is AssignmentStatus.ASSIGNED

    with pytest.raises(UserValueError, match="at least 15 characters"):
        request_deactivation(flow.db, flow.get(campaign), "done", actor=officer)
    with pytest.raises(UserValueError, match=r"1 number\(s\) are still on"):
        request_deactivation(flow.db, flow.get(campaign), REASON, actor=officer)
    flow.db.rollback()

    numbers.release_number(flow.db, flow.get(number), actor=officer)
    flow.db.commit()
    flow.run()
    flow.advance(minutes=31)
    flow.settle()
    assert flow.get(number).assignment_status is AssignmentStatus.UNASSIGNED

    request_deactivation(flow.db, flow.get(campaign), REASON, actor=officer)
    flow.db.commit()
    with pytest.raises(UserValueError, match="being deactivated already"):
        request_deactivation(flow.db, flow.get(campaign), REASON, actor=officer)
    flow.db.rollback()
    assert flow.get(campaign).status is R.APPROVED  # nothing changes before the provider answers
    flow.run()
    [sent] = [s for s in flow.submissions() if s.step is SubmissionStep.DEACTIVATE]
    assert sent.status is SubmissionStatus.DONE and sent.account_id == flow.account.id
    flow.advance(minutes=5)
    flow.settle()
    assert flow.get(campaign).status is R.DEACTIVATED
    assert flow.timeline(campaign)[-1] == ("approved", "deactivated")
    assert verify_organization(flow.db, flow.org.id) is None


def test_a_campaign_never_filed_cannot_be_deactivated(flow: Flow) -> None:
    campaign = flow.campaign(registered_brand(flow))
    with pytest.raises(UserValueError, match="only a campaign registered with a provider"):
        request_deactivation(flow.db, campaign, REASON, actor=Actor.of(flow.officer))


def test_the_campaign_page_offers_deactivation_to_officers_only(flow: Flow, make_web) -> None:
    from registry.auth.models import User

    campaign = approved_campaign(flow, registered_brand(flow))
    page = f"/campaigns/{campaign.id}"
    author = make_web()
    assert author.login(flow.db.get(User, flow.author.id).email).status_code == 302
    assert 'id="deactivate-h"' not in author.get(page).text
    assert author.post(f"{page}/deactivate", {"reason": REASON}, token_page=page).status_code == 403

    officer = make_web()
    assert officer.login(flow.db.get(User, flow.officer.id).email).status_code == 302
    assert 'id="deactivate-h"' in officer.get(page).text
    response = officer.post(f"{page}/deactivate", {"reason": "ended"}, token_page=page)
    assert response.status_code == 422
    field = response.text.split('for="reason"')[1].split("</div>")[0]
    assert 'aria-invalid="true"' in field and "at least 15 characters" in field and ">ended</textarea>" in field
    assert officer.post(f"{page}/deactivate", {"reason": REASON}, token_page=page).status_code == 302
    assert [s.step for s in flow.submissions() if s.step is SubmissionStep.DEACTIVATE] == [SubmissionStep.DEACTIVATE]
    assert 'id="deactivate-h"' not in officer.get(page).text  # asked once; the page shows it is on its way
