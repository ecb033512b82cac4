"""The brand wizard: entity type first, TCR field names, findings on their fields, drafts, conflicts."""

from __future__ import annotations

import re

import sqlalchemy as sa

from registry.brands.models import Brand
from registry.states import RegistrationStatus

GOOD = {
    "referenceId": "acme-dental", "displayName": "Acme Dental", "companyName": "Acme Dental Group LLC",
    "ein": "36-4123456", "einIssuingCountry": "US", "phone": "+13125550142", "street": "233 South Wacker Drive",
    "city": "Chicago", "state": "IL", "postalCode": "60606", "country": "US", "email": "support@acmedental.com",
    "website": "https://www.acmedental.com", "vertical": "HEALTHCARE", "brandRelationship": "SMALL_ACCOUNT",
    "altBusinessIdType": "NONE",
}


def _names(html: str) -> set[str]:
    return set(re.findall(r'name="([A-Za-z0-9_-]+)"', html))


def test_the_wizard_asks_for_the_entity_type_first(as_role):
    page = as_role("submitter").get("/brands/new")
    assert page.status_code == 200
    assert 'name="entityType"' in page.text
    for entity in ("PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT", "SOLE_PROPRIETOR"):
        assert f'value="{entity}"' in page.text


def test_each_entity_type_shows_only_its_fields_named_as_in_tcr(as_role):
    web = as_role("submitter")
    sole = _names(web.get("/brands/new?entityType=SOLE_PROPRIETOR").text)
    assert {"firstName", "lastName", "mobilePhone", "displayName", "referenceId"} <= sole
    assert not {"ein", "companyName", "stockSymbol", "businessContactEmail"} & sole
    public = _names(web.get("/brands/new?entityType=PUBLIC_PROFIT").text)
    assert {"stockSymbol", "stockExchange", "businessContactEmail", "ein", "companyName", "website"} <= public
    assert "mobilePhone" not in public
    # a company's person fields name its authorized representative (Twilio needs one; TCR does not ask)
    assert {"firstName", "lastName"} <= public
    assert "Authorized representative: first name" in web.get("/brands/new?entityType=PUBLIC_PROFIT").text
    private = _names(web.get("/brands/new?entityType=PRIVATE_PROFIT").text)
    assert "stockSymbol" not in private and "ein" in private


def test_a_draft_with_a_mistake_is_saved_and_the_finding_sits_on_its_field(as_role, db):
    web = as_role("submitter")
    response = web.post("/brands/new?entityType=PRIVATE_PROFIT", {**GOOD, "ein": "12345"},
                        token_page="/brands/new?entityType=PRIVATE_PROFIT")
    assert response.status_code == 302
    brand = db.scalar(sa.select(Brand).where(Brand.reference == "acme-dental"))
    assert brand.status == RegistrationStatus.DRAFT and brand.ein == "12345" and brand.lint_errors >= 1
    edit = web.get(response.location).text
    ein_box = edit.split('id="field-ein"')[1].split('id="field-')[0]
    assert "BRAND-EIN-FORMAT" in ein_box and "Fix:" in ein_box
    assert 'aria-describedby="ein-help ein-findings"' in ein_box


def test_fixing_the_field_clears_the_finding(as_role, db):
    web = as_role("submitter")
    web.post("/brands/new?entityType=PRIVATE_PROFIT", {**GOOD, "ein": "12345"},
             token_page="/brands/new?entityType=PRIVATE_PROFIT")
    brand = db.scalar(sa.select(Brand).where(Brand.reference == "acme-dental"))
    url = f"/brands/{brand.id}/edit"
    response = web.post(url, {**GOOD, "version": brand.version}, token_page=url)
    assert response.status_code == 302
    assert "BRAND-EIN-FORMAT" not in web.get(url).text
    db.rollback()
    assert db.get(Brand, brand.id).lint_errors == 0


def test_bad_shape_changes_nothing_and_the_form_comes_back_filled(as_role, db):
    web = as_role("submitter")
    data = {**GOOD, "referenceId": "", "displayName": "Kept Name", "city": "x" * 101}
    response = web.post("/brands/new?entityType=PRIVATE_PROFIT", data,
                        token_page="/brands/new?entityType=PRIVATE_PROFIT")
    assert response.status_code == 422
    assert "Give the brand a reference" in response.text
    assert "At most 100 characters" in response.text
    assert 'value="Kept Name"' in response.text
    assert db.scalar(sa.select(sa.func.count()).select_from(Brand)) == 0


def test_a_duplicate_reference_is_shown_on_the_reference_field(as_role, db):
    web = as_role("submitter")
    url = "/brands/new?entityType=PRIVATE_PROFIT"
    web.post(url, GOOD, token_page=url)
    response = web.post(url, GOOD, token_page=url)
    assert response.status_code == 422
    box = response.text.split('id="field-referenceId"')[1]
    assert "already used by another brand" in box


def test_two_people_saving_the_same_draft_never_overwrite_each_other(as_role, db):
    first, second = as_role("submitter"), as_role("compliance_officer")
    url = "/brands/new?entityType=PRIVATE_PROFIT"
    first.post(url, GOOD, token_page=url)
    brand = db.scalar(sa.select(Brand).where(Brand.reference == "acme-dental"))
    edit = f"/brands/{brand.id}/edit"
    version = brand.version
    assert first.post(edit, {**GOOD, "city": "Evanston", "version": version}, token_page=edit).status_code == 302
    response = second.post(edit, {**GOOD, "city": "Oak Park", "version": version}, token_page=edit)
    assert response.status_code == 409
    assert "changed by someone else" in response.text and 'value="Oak Park"' in response.text
    db.rollback()
    assert db.get(Brand, brand.id).city == "Evanston"


def test_viewers_cannot_create_or_edit(as_role, org, create_brand):
    brand = create_brand(org)
    viewer = as_role("viewer")
    assert viewer.get("/brands/new").status_code == 403
    assert viewer.post("/brands/new?entityType=PRIVATE_PROFIT", GOOD).status_code == 403
    assert viewer.get(f"/brands/{brand.id}/edit").status_code == 403
    assert viewer.post(f"/brands/{brand.id}/edit", GOOD).status_code == 403
    assert viewer.post(f"/brands/{brand.id}/submit").status_code == 403
    assert viewer.post(f"/brands/{brand.id}/delete").status_code == 403
    page = viewer.get(f"/brands/{brand.id}").text
    assert "Send for review" not in page and ">Edit<" not in page


def test_sending_for_review_freezes_a_revision_with_its_findings(as_role, db, org, create_brand):
    brand = create_brand(org, referenceId="acme")
    web = as_role("submitter")
    response = web.post(f"/brands/{brand.id}/submit", token_page=f"/brands/{brand.id}")
    assert response.status_code == 302
    db.rollback()
    brand = db.get(Brand, brand.id)
    assert brand.status == RegistrationStatus.AWAITING_REVIEW
    page = web.get(f"/brands/{brand.id}").text
    assert "revision 1 sent for review" in page
    assert web.get(f"/brands/{brand.id}/edit").status_code == 302  # not editable while in review


def test_a_draft_with_errors_cannot_be_sent_for_review(as_role, db, org, create_brand):
    brand = create_brand(org, ein="12345")
    web = as_role("submitter")
    response = web.post(f"/brands/{brand.id}/submit", token_page=f"/brands/{brand.id}")
    assert response.status_code == 302
    page = web.get(response.location).text
    assert "Fix the 1 error(s)" in page and "BRAND-EIN-FORMAT on ein" in page
    db.rollback()
    assert db.get(Brand, brand.id).status == RegistrationStatus.DRAFT


def test_lists_filter_and_search(as_role, org, create_brand):
    create_brand(org, displayName="Alpha Bakery", entityType="PRIVATE_PROFIT")
    create_brand(org, displayName="Beta Charity", entityType="NON_PROFIT")
    web = as_role("viewer")
    assert "Alpha Bakery" in web.get("/brands?q=alpha").text
    assert "Beta Charity" not in web.get("/brands?q=alpha").text
    assert "Beta Charity" in web.get("/brands?entity_type=NON_PROFIT").text
    assert "No brand matches" in web.get("/brands?q=zzz").text


def test_with_a_twilio_account_the_representative_is_asked_for_before_review(app, as_role, db, org):
    from registry.provider_accounts.crypto import app_fernet
    from registry.provider_accounts.operations import create_account
    from tests.factories import TEST_ACTOR

    with app.app_context():
        create_account(db, org, app_fernet(app), actor=TEST_ACTOR, provider="twilio", label="Twilio",
                       api_key="AC0123456789abcdef0123456789abcdef", api_secret="token", is_default=True)
    db.commit()
    web = as_role("submitter")
    new = "/brands/new?entityType=PRIVATE_PROFIT"
    response = web.post(new, GOOD, token_page=new)
    brand = db.scalar(sa.select(Brand).where(Brand.reference == "acme-dental"))
    url = f"/brands/{brand.id}/edit"
    box = web.get(response.location).text.split('id="field-firstName"')[1].split('id="field-')[0]
    assert "BRAND-PROVIDER-FIELDS" in box and "Twilio" in box
    response = web.post(url, {**GOOD, "firstName": "Morgan", "lastName": "Lee", "version": brand.version},
                        token_page=url)
    assert response.status_code == 302
    assert "BRAND-PROVIDER-FIELDS" not in web.get(url).text
    db.rollback()
    brand = db.get(Brand, brand.id)
    assert (brand.first_name, brand.last_name, brand.lint_errors) == ("Morgan", "Lee", 0)
