"""The campaign wizard: use case explained first, TCR field names, findings, MMS samples with their hash."""

from __future__ import annotations

import hashlib
import io

import pytest
import sqlalchemy as sa
from PIL import Image

from registry.campaigns.models import Campaign, CampaignMedia
from tests.web.test_reviews import CLEAN_CAMPAIGN


@pytest.fixture
def brand(org, create_brand):
    return create_brand(org, referenceId="acme")


def test_the_use_case_picker_explains_each_use_case(as_role, brand):
    page = as_role("submitter").get("/campaigns/new").text
    assert 'name="usecase"' in page and 'name="brand"' in page
    assert "Two to five kinds of messages" in page          # MIXED explained
    assert "2–5 sub-use cases" in page                      # its requirement, from the rule engine's table
    assert "special: extra vetting or carrier approval" in page
    assert "not for 501(c)(3) organizations" in page


def test_the_form_uses_tcr_field_names(as_role, brand):
    page = as_role("submitter").get(f"/campaigns/new?brand={brand.id}&usecase=MIXED").text
    for name in ("description", "messageFlow", "sample1", "sample5", "subUsecases", "optinKeywords",
                 "optoutMessage", "helpMessage", "embeddedLink", "embeddedLinkSample", "numberPool", "ageGated",
                 "directLending", "termsAndConditions", "privacyPolicyLink", "termsAndConditionsLink",
                 "referenceId"):
        assert f'name="{name}"' in page, name


def test_sub_use_cases_only_for_use_cases_that_take_them(as_role, brand):
    web = as_role("submitter")
    assert 'name="subUsecases"' not in web.get(f"/campaigns/new?brand={brand.id}&usecase=2FA").text


def test_a_campaign_draft_shows_findings_on_its_fields(as_role, brand, db):
    web = as_role("submitter")
    url = f"/campaigns/new?brand={brand.id}&usecase=MARKETING"
    data = {**CLEAN_CAMPAIGN, "referenceId": "promo", "usecase": "MARKETING",
            "sample1": "Get 50% off today only! Visit bit.ly/deal", "subscriberOptin": "y", "subscriberOptout": "y",
            "subscriberHelp": "y", "termsAndConditions": "y", "autoRenewal": "y"}
    response = web.post(url, data, token_page=url)
    assert response.status_code == 302
    campaign = db.scalar(sa.select(Campaign).where(Campaign.reference == "promo"))
    assert campaign.lint_errors > 0
    page = web.get(response.location).text
    sample_box = page.split('id="field-sample1"')[1].split('id="field-')[0]
    assert "CONTENT-PUBLIC-SHORTENER" in sample_box
    assert "CAMPAIGN-SAMPLE-COUNT" in page  # MARKETING needs two samples


def _png(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), color).save(out, "PNG")
    return out.getvalue()


def _upload(web, campaign, data: bytes, name: str):
    return web.client.post(f"/campaigns/{campaign.id}/media",
                           data={"file": (io.BytesIO(data), name),
                                 "csrf_token": web.token(f"/campaigns/{campaign.id}")},
                           content_type="multipart/form-data")


def test_mms_samples_are_checked_and_stored_with_their_hash(as_role, brand, create_campaign, db, app):
    campaign = create_campaign(brand)
    web = as_role("submitter")
    data = _png()
    assert _upload(web, campaign, data, "promo.png").status_code == 302
    media = db.scalar(sa.select(CampaignMedia))
    assert media.content_type == "image/png" and media.size_bytes == len(data)
    assert media.sha256 == hashlib.sha256(data).hexdigest()
    from pathlib import Path

    stored = Path(app.config["INSTANCE_PATH"]) / "media" / media.sha256[:2] / media.sha256
    assert stored.read_bytes() == data
    page = web.get(f"/campaigns/{campaign.id}").text
    assert "promo.png" in page and media.sha256[:16] in page


def test_a_file_that_is_not_allowed_media_is_refused(as_role, brand, create_campaign, db):
    campaign = create_campaign(brand)
    web = as_role("submitter")
    response = _upload(web, campaign, b"MZ\x90\x00 not an image at all" * 10, "photo.png")
    assert response.status_code == 302
    assert db.scalar(sa.select(sa.func.count()).select_from(CampaignMedia)) == 0
    assert "MMS-MEDIA" in web.get(f"/campaigns/{campaign.id}").text or "not" in web.get(
        f"/campaigns/{campaign.id}").text


def test_viewers_cannot_upload(as_role, brand, create_campaign):
    campaign = create_campaign(brand)
    assert _upload(as_role("viewer"), campaign, _png(), "x.png").status_code == 403
