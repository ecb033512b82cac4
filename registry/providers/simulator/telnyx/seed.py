"""Objects made in bulk for benchmarks and demos (``POST /_sim/seed``): the same wire fields the API's own
create handlers produce, already past registration (brand OK/VERIFIED; campaign accepted by TCR and Telnyx)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..catalog import USECASES
from ..scenarios import Scenario
from .lifecycle import plus
from .state import SimBrand, SimCampaign, TelnyxState

if TYPE_CHECKING:
    from ..sandbox import Sandbox


def seed_brand(sandbox: Sandbox, state: TelnyxState, webhook_url: str | None) -> SimBrand:
    """A registered, verified brand."""
    now = sandbox.telnyx.now()
    brand_id = sandbox.ids.uuid()
    number = state.seq()
    data: dict[str, Any] = {
        "brandId": brand_id, "referenceId": brand_id, "tcrBrandId": sandbox.ids.tcr("B"),
        "cspId": sandbox.csp_id, "entityType": "PRIVATE_PROFIT", "displayName": f"Seeded Brand {number}",
        "companyName": f"Seeded Brand {number} LLC", "ein": f"{120000000 + number:09d}", "country": "US",
        "email": f"ops{number}@seeded.example", "vertical": "RETAIL", "status": "OK",
        "identityStatus": "VERIFIED", "brandRelationship": "BASIC_ACCOUNT", "failureReasons": None,
        "mock": False, "isReseller": False, "optionalAttributes": {}, "webhookURL": webhook_url,
        "createdAt": now, "updatedAt": now,
    }  # fmt: skip
    brand = SimBrand(data=data, scenario=Scenario(), seq=number)
    state.brands[brand_id] = brand
    return brand


def seed_campaign(
    sandbox: Sandbox, state: TelnyxState, brand: SimBrand, usecase: str, webhook_url: str | None, scenario: Scenario
) -> SimCampaign:
    """A campaign of ``brand`` accepted by TCR and Telnyx (the caller puts it into carrier review)."""
    if usecase not in USECASES:
        raise ValueError(f"unknown usecase {usecase!r}")
    now = sandbox.telnyx.now()
    campaign_id = sandbox.ids.uuid()
    data: dict[str, Any] = {
        "campaignId": campaign_id, "brandId": brand.id, "tcrBrandId": brand.data["tcrBrandId"],
        "tcrCampaignId": sandbox.ids.tcr("C"), "cspId": sandbox.csp_id, "referenceId": f"seed-{campaign_id}",
        "usecase": usecase, "subUsecases": [], "description": "Seeded campaign for load tests.",
        "brandDisplayName": brand.data["displayName"], "vertical": brand.data["vertical"],
        "campaignStatus": "TELNYX_ACCEPTED", "submissionStatus": "CREATED", "status": "ACTIVE",
        "failureReasons": None, "mock": False, "isTMobileRegistered": False, "isTMobileSuspended": False,
        "isTMobileNumberPoolingEnabled": False, "termsAndConditions": True, "autoRenewal": True,
        "webhookURL": webhook_url, "createDate": now, "billedDate": now,
        "nextRenewalOrExpirationDate": plus(now, 90), "updatedAt": now,
    }  # fmt: skip
    campaign = SimCampaign(data=data, scenario=scenario, seq=state.seq())
    state.campaigns[campaign_id] = campaign
    state.reference_ids.add(data["referenceId"])
    return campaign
