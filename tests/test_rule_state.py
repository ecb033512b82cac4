"""The state-scope rules see what the database knows (registry/rule_state.py): other brands' contacts and
reference ids, what TCR holds once a registration was filed, the brand's campaigns. Checked through the same
calls the forms, the review gate and the API use."""

from __future__ import annotations

from typing import Any

from registry.compliance import brand_payload, lint_brand, lint_campaign, lint_new_brand, lint_new_campaign
from registry.reviews.operations import submit_for_review, warnings_to_acknowledge
from registry.revisions.operations import freeze
from registry.states import RegistrationStatus
from registry.submissions.models import Submission, SubmissionStep
from tests.factories import BRAND_PAYLOAD, CAMPAIGN_PAYLOAD, TEST_ACTOR

SOLE = {
    "entityType": "SOLE_PROPRIETOR",
    "companyName": None,
    "ein": None,
    "brandRelationship": None,
    "firstName": "Maya",
    "lastName": "Okafor",
    "mobilePhone": "+13125550199",
    "displayName": "Maya's Cuts",
}


def rules(report: Any, field: str | None = None) -> set[str]:
    return {f.rule for f in report.findings if field is None or f.field == field}


def filed(db: Any, obj: Any, status: RegistrationStatus) -> None:
    """As if the provider accepted the current version of ``obj`` and it is now in ``status``."""
    revision = freeze(db, obj, actor=TEST_ACTOR)
    subject = "brand" if revision.subject == "brand" else "campaign"
    db.add(
        Submission(
            organization_id=obj.organization_id,
            revision_id=revision.id,
            step=SubmissionStep(subject),
            client_ref=f"{subject}-{obj.id}",
            provider_id=f"P{obj.id}",
            **{f"{subject}_id": obj.id},
        )
    )
    obj.status = status
    db.commit()


def test_contacts_shared_with_three_other_brands_are_an_error_two_are_not(db, create_org, create_brand) -> None:
    org, elsewhere = create_org(), create_org()
    for _ in range(2):
        create_brand(org, email="Desk@SharedMail.com")
    create_brand(elsewhere, email="desk@sharedmail.com")  # another tenant does not count
    brand = create_brand(org, email="desk@sharedmail.com")
    assert "BRAND-DUPLICATE-CONTACTS" not in rules(lint_brand(brand))

    create_brand(org, email="desk@sharedmail.com")
    report = lint_brand(brand)
    [dup] = [f for f in report.findings if f.rule == "BRAND-DUPLICATE-CONTACTS" and f.field == "email"]
    assert "3 other brands" in dup.message and dup.severity.value == "warning"
    # the phone and address are shared by all of them too (the factory's defaults)
    assert {"phone", "street"} <= {f.field for f in report.findings if f.rule == "BRAND-DUPLICATE-CONTACTS"}
    # the review gate uses the same lint: the reviewer must acknowledge it in writing
    revision = submit_for_review(db, brand, actor=TEST_ACTOR)
    assert ("BRAND-DUPLICATE-CONTACTS", "email") in {(w["rule"], w["field"]) for w in warnings_to_acknowledge(revision)}


def test_a_deactivated_brand_frees_its_contacts(db, create_org, create_brand) -> None:
    org = create_org()
    others = [create_brand(org) for _ in range(3)]
    brand = create_brand(org)
    assert "BRAND-DUPLICATE-CONTACTS" in rules(lint_brand(brand))
    others[0].status = RegistrationStatus.DEACTIVATED
    db.commit()
    assert "BRAND-DUPLICATE-CONTACTS" not in rules(lint_brand(brand))


def test_a_new_brand_form_is_checked_against_the_saved_ones(db, create_org, create_brand) -> None:
    org = create_org()
    create_brand(org, referenceId="ACME-1")
    report = lint_new_brand(db, org.id, {**BRAND_PAYLOAD, "referenceId": "acme-1"})
    assert "BRAND-REFERENCEID-UNIQUE" in rules(report, "referenceId")
    assert "BRAND-REFERENCEID-UNIQUE" not in rules(lint_new_brand(db, org.id, {**BRAND_PAYLOAD, "referenceId": "x"}))


def test_sole_proprietor_mobile_used_by_three_brands(db, create_org, create_brand) -> None:
    org = create_org()
    for i in range(3):
        create_brand(org, **SOLE, email=f"m{i}@example.com", phone=f"+1312555020{i}", street=f"{i} Elm St")
    payload = {k: v for k, v in {**BRAND_PAYLOAD, **SOLE}.items() if v is not None}
    assert "BRAND-SP-MOBILE" in rules(lint_new_brand(db, org.id, payload), "mobilePhone")


def test_locked_fields_of_a_filed_brand_with_campaigns(db, create_org, create_brand, create_campaign) -> None:
    brand = create_brand(create_org())
    assert "BRAND-LOCKED-FIELDS" not in rules(lint_brand(brand, payload={**brand_payload(brand), "ein": "45-1234567"}))
    filed(db, brand, RegistrationStatus.ACTION_REQUIRED)  # e.g. TCR scored it UNVERIFIED
    edit = {**brand_payload(brand), "companyName": "Acme Dental Holdings LLC"}
    [warning] = [f for f in lint_brand(brand, payload=edit).findings if f.rule == "BRAND-LOCKED-FIELDS"]
    assert warning.field == "companyName" and warning.severity.value == "warning"  # identity resets to UNVERIFIED

    campaign = create_campaign(brand)
    filed(db, campaign, RegistrationStatus.IN_REVIEW)
    [error] = [f for f in lint_brand(brand, payload=edit).findings if f.rule == "BRAND-LOCKED-FIELDS"]
    assert error.severity.value == "error" and "1 active or pending campaign" in error.message


def test_immutable_fields_of_a_filed_campaign(db, create_org, create_brand, create_campaign) -> None:
    brand = create_brand(create_org())
    campaign = create_campaign(brand, usecase="MIXED", subUsecases=["ACCOUNT_NOTIFICATION", "CUSTOMER_CARE"])
    payload = {**CAMPAIGN_PAYLOAD, "usecase": "MIXED", "subUsecases": ["ACCOUNT_NOTIFICATION", "MARKETING"]}
    assert "CAMPAIGN-IMMUTABLE-FIELDS" not in rules(lint_campaign(campaign, payload=payload))
    filed(db, campaign, RegistrationStatus.REJECTED)  # carriers rejected it: the fix is an update of that campaign
    report = lint_campaign(campaign, payload=payload)
    assert "CAMPAIGN-IMMUTABLE-FIELDS" in rules(report, "subUsecases")
    assert "CAMPAIGN-IMMUTABLE-FIELDS" not in rules(lint_campaign(campaign))  # unchanged: nothing to say


def test_a_sole_proprietor_brand_has_one_campaign(db, create_org, create_brand, create_campaign) -> None:
    org = create_org()
    brand = create_brand(org, **{**SOLE, "email": "maya@example.com"})
    sp = {**CAMPAIGN_PAYLOAD, "usecase": "SOLE_PROPRIETOR", "referenceId": "next"}
    draft = create_campaign(brand, usecase="SOLE_PROPRIETOR")
    assert "CAMPAIGN-LIMIT-PER-BRAND" not in rules(lint_new_campaign(db, brand, sp))  # a draft is not in TCR
    filed(db, draft, RegistrationStatus.APPROVED)
    assert "CAMPAIGN-LIMIT-PER-BRAND" in rules(lint_new_campaign(db, brand, sp), "brandId")
    assert "CAMPAIGN-LIMIT-PER-BRAND" not in rules(lint_campaign(draft))  # the filed one itself is fine


def test_a_standard_brand_filed_with_twilio_needs_its_authorized_representative(
    app, db, create_org, create_brand
) -> None:
    from registry.provider_accounts.crypto import app_fernet
    from registry.provider_accounts.operations import create_account

    org = create_org()
    brand = create_brand(org)
    assert "BRAND-PROVIDER-FIELDS" not in rules(lint_brand(brand))  # no account yet: nothing to say
    with app.app_context():
        create_account(
            db,
            org,
            app_fernet(app),
            actor=TEST_ACTOR,
            provider="twilio",
            label="Twilio",
            api_key="AC0123456789abcdef0123456789abcdef",
            api_secret="token",
            is_default=True,
        )
    db.commit()
    report = lint_brand(brand)
    assert {(f.field, f.severity.value) for f in report.findings if f.rule == "BRAND-PROVIDER-FIELDS"} == {
        ("firstName", "error"),
        ("lastName", "error"),
    }
    named = {**brand_payload(brand), "firstName": "Morgan", "lastName": "Lee"}
    assert "BRAND-PROVIDER-FIELDS" not in rules(lint_brand(brand, payload=named))
    sole = {k: v for k, v in {**BRAND_PAYLOAD, **SOLE, "firstName": None}.items() if v is not None}
    assert "BRAND-PROVIDER-FIELDS" not in rules(lint_new_brand(db, org.id, sole))  # TCR's own rule reports it
