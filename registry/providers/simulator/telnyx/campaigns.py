"""``/v2/10dlc/campaignBuilder...`` and ``/v2/10dlc/campaign...``: qualify, submit, read, edit, appeal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..catalog import CAMPAIGN_VETTING_FEE, USECASES, mno_metadata
from ..scenarios import parse as parse_scenario
from ..wire import Response, Route
from .errors import bad_value, duplicate, entry, invalid, missing, refused
from .lifecycle import plus
from .state import SimBrand, SimCampaign
from .validation import campaign_errors, sample_errors
from .views import body_of, brand_or_404, campaign_or_404, ok, page, state_of

if TYPE_CHECKING:
    from ..sandbox import Context

# CampaignBuilderSubmitParams (telnyx-python)
CREATE_FIELDS = (
    "usecase", "description", "subUsecases", "messageFlow", "sample1", "sample2", "sample3", "sample4",
    "sample5", "subscriberOptin", "subscriberOptout", "subscriberHelp", "optinKeywords", "optinMessage",
    "optoutKeywords", "optoutMessage", "helpKeywords", "helpMessage", "embeddedLink", "embeddedLinkSample",
    "embeddedPhone", "numberPool", "ageGated", "directLending", "autoRenewal", "termsAndConditions",
    "termsAndConditionsLink", "privacyPolicyLink", "mnoIds", "resellerId", "referenceId", "tag", "webhookURL",
    "webhookFailoverURL",
)  # fmt: skip
# CampaignResource.update: "only sample messages are editable" (plus these)
UPDATE_FIELDS = (
    "autoRenewal",
    "helpMessage",
    "messageFlow",
    "resellerId",
    "sample1",
    "sample2",
    "sample3",
    "sample4",
    "sample5",
    "webhookURL",
    "webhookFailoverURL",
)
SORTABLE = ("assignedPhoneNumbersCount", "campaignId", "createdAt", "status", "tcrCampaignId")
APPEALABLE = ("TELNYX_FAILED", "MNO_REJECTED")


def brand_ready(brand: SimBrand) -> None:
    """Refuse (TCR 527) campaign work for a brand that is pending, UNVERIFIED or awaiting its OTP."""
    data = brand.data
    if data["status"] == "REGISTRATION_FAILED":
        raise refused("527", "The brand registration failed; fix the brand first.", title="Brand not registered")
    if data["status"] != "OK" or not data.get("identityStatus"):
        raise refused("527", "The brand is pending identity scoring; try again later.", title="Brand pending")
    if data["identityStatus"] == "UNVERIFIED":
        raise refused(
            "527",
            "The brand identity is UNVERIFIED: fix its data and revet, appeal, or order an external vetting.",
            title="Brand unverified",
        )
    if data["identityStatus"] == "SELF_DECLARED":
        raise refused("527", "The sole proprietor has not verified the SMS OTP yet.", title="Brand OTP pending")


def _usecase_allowed(brand: SimBrand, usecase: str) -> None:
    sole = brand.data.get("entityType") == "SOLE_PROPRIETOR"
    if sole != (usecase == "SOLE_PROPRIETOR"):
        raise refused(
            "509",
            f"Use case {usecase} is not available to this brand's entity type.",
            title="Campaign request rejected",
            pointer="usecase",
        )


def qualify(ctx: Context, brand_id: str, usecase: str) -> Response:
    """``GET /10dlc/campaignBuilder/brand/{brandId}/usecase/{usecase}``: fees and per-MNO terms."""
    brand = brand_or_404(state_of(ctx), brand_id)
    info = USECASES.get(usecase)
    if info is None:
        raise invalid([bad_value("usecase", f"Unknown usecase {usecase!r}; see /10dlc/enum/usecase.")])
    brand_ready(brand)
    _usecase_allowed(brand, usecase)
    fee = float(info["monthlyFee"])
    return ok(
        {
            "usecase": usecase,
            "monthlyFee": fee,
            "quarterlyFee": fee * 3,
            "annualFee": fee * 12,
            "minSubUsecases": info["minSubUsecases"],
            "maxSubUsecases": info["maxSubUsecases"],
            "mnoMetadata": mno_metadata(usecase),
        }
    )


def create_campaign(ctx: Context) -> Response:
    """``POST /10dlc/campaignBuilder``: validate, refuse duplicates and unready brands, bill, review."""
    state = state_of(ctx)
    body = body_of(ctx.request)
    errors = campaign_errors(body)
    brand = state.brands.get(str(body.get("brandId"))) if body.get("brandId") else None
    if body.get("brandId") and brand is None:
        errors.insert(0, entry("10017", f"Brand {body['brandId']} does not exist.", "brandId"))
    if errors:
        raise invalid(errors)
    assert brand is not None
    reference = body.get("referenceId")
    if reference and reference in state.reference_ids:
        raise duplicate(f"A campaign with referenceId {reference!r} already exists.", "referenceId")
    brand_ready(brand)
    _usecase_allowed(brand, body["usecase"])
    try:
        scenario = parse_scenario(brand.data.get("displayName"), body.get("description"))
    except ValueError as exc:
        raise invalid([bad_value("description", str(exc))]) from None
    now = ctx.machine.now()
    campaign_id = ctx.sandbox.ids.uuid()
    data: dict[str, Any] = {"subUsecases": [], "termsAndConditions": True, "autoRenewal": True}
    data |= {k: body[k] for k in CREATE_FIELDS if k in body}
    data |= {
        "campaignId": campaign_id,
        "brandId": brand.id,
        "tcrBrandId": brand.data.get("tcrBrandId"),
        "tcrCampaignId": None,
        "cspId": ctx.sandbox.csp_id,
        "brandDisplayName": brand.data.get("displayName"),
        "vertical": brand.data.get("vertical"),
        "campaignStatus": "TCR_PENDING",
        "submissionStatus": "PENDING",
        "status": "ACTIVE",
        "failureReasons": None,
        "mock": bool(brand.data.get("mock")),
        "isTMobileRegistered": False,
        "isTMobileSuspended": False,
        "isTMobileNumberPoolingEnabled": bool(body.get("numberPool")),
        "createDate": now,
        "billedDate": None,
        "nextRenewalOrExpirationDate": plus(now, 90),
        "updatedAt": now,
    }
    campaign = SimCampaign(data=data, scenario=scenario, seq=state.seq())
    state.campaigns[campaign_id] = campaign
    if reference:
        state.reference_ids.add(reference)
    fee = float(USECASES[body["usecase"]]["monthlyFee"])
    # "Creating a campaign will entail an upfront, non-refundable three month's cost" (SDK submit docs)
    ctx.machine.charge(state, "campaign_upfront", 3 * fee, campaign_id)
    ctx.machine.charge(state, "campaign_vetting", CAMPAIGN_VETTING_FEE, campaign_id)
    ctx.machine.submit_campaign(state, campaign)
    return ok(data)


def _row(ctx: Context, campaign: SimCampaign) -> dict[str, Any]:
    row = dict(campaign.data)
    row["assignedPhoneNumbersCount"] = sum(
        1 for a in state_of(ctx).assignments.values() if a["campaignId"] == campaign.id
    )
    row["createdAt"] = row.get("createDate")
    row["_seq"] = campaign.seq
    return row


def list_campaigns(ctx: Context) -> Response:
    """``GET /10dlc/campaign?brandId=`` (brandId required; recordsPerPage 1-500, default 10)."""
    q = ctx.request.query
    if not q.get("brandId"):
        raise invalid([missing("brandId")])
    rows = [_row(ctx, c) for c in state_of(ctx).campaigns.values() if c.data["brandId"] == q["brandId"]]
    result = page(rows, q, sortable=SORTABLE, seq=lambda r: r["_seq"])
    for row in result["records"]:
        row.pop("_seq", None)
        row.pop("createdAt", None)
    return ok(result)


def get_campaign(ctx: Context, campaign_id: str) -> Response:
    """``GET /10dlc/campaign/{campaignId}``."""
    return ok(campaign_or_404(state_of(ctx), campaign_id).data)


def operation_status(ctx: Context, campaign_id: str) -> Response:
    """``GET /10dlc/campaign/{campaignId}/operationStatus``: MNO id -> REVIEW, REGISTERED, ...."""
    return ok(campaign_or_404(state_of(ctx), campaign_id).operation_status())


def mno_metadata_of(ctx: Context, campaign_id: str) -> Response:
    """``GET /10dlc/campaign/{campaignId}/mnoMetadata``."""
    campaign = campaign_or_404(state_of(ctx), campaign_id)
    return ok(mno_metadata(campaign.data["usecase"]))


def update_campaign(ctx: Context, campaign_id: str) -> Response:
    """``PUT /10dlc/campaign/{campaignId}``: only the mutable fields; brand and use case are immutable."""
    campaign = campaign_or_404(state_of(ctx), campaign_id)
    body = body_of(ctx.request)
    immutable = [k for k in body if k in CREATE_FIELDS and k not in UPDATE_FIELDS]
    errors = [bad_value(k, f"{k} cannot be changed after the campaign is created.") for k in immutable]
    errors += sample_errors(body)
    if errors:
        raise invalid(errors)
    if campaign.status == "TCR_EXPIRED":
        raise refused("518", "The campaign has expired.", title="Campaign expired")
    campaign.data.update({k: body[k] for k in UPDATE_FIELDS if k in body})
    campaign.data["updatedAt"] = ctx.machine.now()
    return ok(campaign.data)


def deactivate_campaign(ctx: Context, campaign_id: str) -> Response:
    """``DELETE /10dlc/campaign/{campaignId}``: TCR_EXPIRED for good (idempotent)."""
    campaign = campaign_or_404(state_of(ctx), campaign_id)
    ctx.machine.expire(state_of(ctx), campaign)
    return ok(
        {
            "time": ctx.sandbox.clock.timestamp(),
            "message": f"Campaign {campaign_id} deactivated",
            "record_type": "campaign",
        }
    )


def appeal(ctx: Context, campaign_id: str) -> Response:
    """``POST /10dlc/campaign/{campaignId}/appeal``: TELNYX_FAILED/MNO_REJECTED only; to TCR_ACCEPTED."""
    campaign = campaign_or_404(state_of(ctx), campaign_id)
    body = body_of(ctx.request)
    if not str(body.get("appeal_reason") or "").strip():
        raise invalid([missing("appeal_reason")])
    if campaign.status not in APPEALABLE:
        raise refused(
            "10015",
            f"Only campaigns in {' or '.join(APPEALABLE)} can be appealed; this one is {campaign.status}.",
            title="Campaign not appealable",
        )
    ctx.machine.appeal(state_of(ctx), campaign)
    return ok({"appealed_at": ctx.machine.now()})


def usecase_cost(ctx: Context) -> Response:
    """``GET /10dlc/campaign/usecase/cost?usecase=X`` (amounts as strings, like the SDK model)."""
    usecase = ctx.request.query.get("usecase", "")
    info = USECASES.get(usecase)
    if info is None:
        raise invalid([bad_value("usecase", f"Unknown usecase {usecase!r}.")])
    fee = float(info["monthlyFee"])
    return ok(
        {
            "campaignUsecase": usecase,
            "description": info["description"],
            "monthlyCost": f"{fee:.2f}",
            "upFrontCost": f"{3 * fee + CAMPAIGN_VETTING_FEE:.2f}",
        }
    )


ROUTES = [
    Route("/10dlc/campaignBuilder", ("POST",), create_campaign),
    Route("/10dlc/campaignBuilder/brand/<brand_id>/usecase/<usecase>", ("GET",), qualify),
    Route("/10dlc/campaign", ("GET",), list_campaigns),
    Route("/10dlc/campaign/usecase/cost", ("GET",), usecase_cost),
    Route("/10dlc/campaign/<campaign_id>", ("GET",), get_campaign),
    Route("/10dlc/campaign/<campaign_id>", ("PUT",), update_campaign),
    Route("/10dlc/campaign/<campaign_id>", ("DELETE",), deactivate_campaign),
    Route("/10dlc/campaign/<campaign_id>/operationStatus", ("GET",), operation_status),
    Route("/10dlc/campaign/<campaign_id>/mnoMetadata", ("GET",), mno_metadata_of),
    Route("/10dlc/campaign/<campaign_id>/appeal", ("POST",), appeal),
]
