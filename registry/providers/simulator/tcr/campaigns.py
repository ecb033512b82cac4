"""``/campaignBuilder...`` and ``/campaign...``: qualify, create, read, search, update, deactivate, per-MNO state,
sharing with the upstream CNP/DCA, nudges, resubmission and the nnSR number view."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..catalog import MNOS, USECASES, mno_metadata
from ..scenarios import parse as parse_scenario
from ..wire import Response, Route
from .errors import entry, invalid, refuse
from .lifecycle import UPSTREAM_CNPS
from .state import SimBrand, SimCampaign
from .validation import campaign_errors, mno_id_errors, text_errors
from .views import body_of, bool_param, brand_or_404, campaign_or_404, machine_of, no_content, ok, page, state_of

if TYPE_CHECKING:
    from ..sandbox import Context

# CampaignRequest properties (TCR CSP API OpenAPI)
CREATE_FIELDS = (
    "brandId", "usecase", "subUsecases", "resellerId", "description", "embeddedLink", "embeddedPhone",
    "termsAndConditions", "numberPool", "ageGated", "directLending", "subscriberOptin", "subscriberOptout",
    "subscriberHelp", "sample1", "sample2", "sample3", "sample4", "sample5", "messageFlow", "helpMessage",
    "referenceId", "autoRenewal", "tag", "optinKeywords", "optoutKeywords", "helpKeywords", "optinMessage",
    "optoutMessage", "privacyPolicyLink", "termsAndConditionsLink", "embeddedLinkSample",
)  # fmt: skip
# UpdateCampaign_CSP properties: everything else (brandId, usecase, subUsecases, referenceId ...) is immutable
UPDATE_FIELDS = (
    "resellerId", "description", "sample1", "sample2", "sample3", "sample4", "sample5", "messageFlow",
    "helpMessage", "autoRenewal", "optinKeywords", "optoutKeywords", "helpKeywords", "optinMessage",
    "optoutMessage", "privacyPolicyLink", "termsAndConditionsLink", "embeddedLinkSample", "numberPool",
    "embeddedLink", "embeddedPhone", "ageGated", "directLending",
)  # fmt: skip
IMMUTABLE = ("brandId", "usecase", "subUsecases", "referenceId", "vertical", "mnoIds", "cspId", "campaignId")
NUDGE_INTENTS = ("REVIEW", "APPEAL_REJECTION")


def brand_ready(brand: SimBrand) -> None:
    """Refuse (527) campaign work for a brand still being scored, UNVERIFIED, or whose OTP is not verified."""
    data = brand.data
    if data.get("status") != "ACTIVE":
        raise refuse(592, f"Brand {brand.id} is deleted", ["brandId"])
    identity = data.get("identityStatus")
    if not identity:
        raise refuse(527, f"Brand {brand.id} is pending identity scoring; try again later", ["brandId"])
    if identity == "UNVERIFIED":
        detail = "The brand identity is UNVERIFIED: fix its data and revet, appeal, or order an external vet"
        raise refuse(527, detail, ["brandId"])
    if identity == "SELF_DECLARED" and not data.get("mobilePhoneVerifiedDate"):
        raise refuse(527, "The sole proprietor has not verified the SMS OTP yet", ["brandId"])


def _qualifies(brand: SimBrand, usecase: str) -> bool:
    return (brand.data.get("entityType") == "SOLE_PROPRIETOR") == (usecase == "SOLE_PROPRIETOR")


def _usecase_metadata(brand: SimBrand, usecase: str) -> dict[str, Any]:
    info = USECASES[usecase]
    fee = float(info["monthlyFee"])
    metadata = mno_metadata(usecase)
    if not _qualifies(brand, usecase):
        for terms in metadata.values():
            terms["qualify"] = False
    return {
        "usecase": usecase,
        "monthlyFee": fee,
        "quarterlyFee": fee * 3,
        "annualFee": fee * 12,
        "minSubUsecases": info["minSubUsecases"],
        "maxSubUsecases": info["maxSubUsecases"],
        "greyoutFields": [],
        "mnoMetadata": metadata,
    }


def qualify_all(ctx: Context, brand_id: str) -> Response:
    """``GET /campaignBuilder/brand/{brandId}``: every use case's terms for this brand."""
    brand = brand_or_404(state_of(ctx), brand_id)
    brand_ready(brand)
    return ok([_usecase_metadata(brand, u) for u in USECASES])


def qualify(ctx: Context, brand_id: str, usecase: str) -> Response:
    """``GET /campaignBuilder/brand/{brandId}/usecase/{usecase}``: fees and per-MNO terms (``UsecaseMetadata``)."""
    brand = brand_or_404(state_of(ctx), brand_id)
    if usecase not in USECASES:
        raise invalid([entry(501, f"Unknown usecase {usecase!r}", ["usecase"])])
    brand_ready(brand)
    return ok(_usecase_metadata(brand, usecase))


def terms(ctx: Context) -> Response:
    """``GET /campaignBuilder/termsAndConditions``."""
    return ok({"subTerms": ["The CSP confirms the campaign complies with the CTIA guidelines and MNO policies."]})


def create_campaign(ctx: Context) -> Response:
    """``POST /campaignBuilder``: validate; 503 reused referenceId; 527 brand not ready; 509 no MNO qualifies;
    bill the first quarter; answer ``CampaignSubmissionResponse``."""
    state = state_of(ctx)
    body = body_of(ctx.request)
    errors = campaign_errors(body)
    brand = state.brands.get(str(body.get("brandId"))) if body.get("brandId") else None
    if errors:
        raise invalid(errors)
    if brand is None:
        raise refuse(502, f"Brand {body['brandId']} not found", ["brandId"])
    reference = body.get("referenceId")
    if reference and reference in state.campaign_references:
        raise refuse(503, f"Duplicate referenceId {reference}", ["referenceId"])
    brand_ready(brand)
    try:
        scenario = parse_scenario(brand.data.get("displayName"), body.get("description"))
    except ValueError as exc:
        raise invalid([entry(501, str(exc), ["description"])]) from None
    metadata = _usecase_metadata(brand, body["usecase"])["mnoMetadata"]
    targeted = [str(m) for m in body["mnoIds"]] if body.get("mnoIds") else list(MNOS)
    qualified = [m for m in targeted if metadata.get(m, {}).get("qualify")]
    if not qualified:
        raise refuse(509, f"Use case {body['usecase']} does not qualify with any targeted MNO", ["usecase"])
    machine = machine_of(ctx)
    now = machine.now()
    campaign_id = ctx.sandbox.ids.tcr("C")
    data: dict[str, Any] = {
        "subUsecases": [],
        "termsAndConditions": True,
        "autoRenewal": True,
        "optoutKeywords": "STOP",
        "helpKeywords": "HELP",
        "embeddedLink": False,
        "embeddedPhone": False,
        "numberPool": False,
        "subscriberOptin": False,
        "subscriberOptout": False,
        "subscriberHelp": False,
    }
    data |= {k: body[k] for k in CREATE_FIELDS if k in body}
    renewal = datetime.fromisoformat(now.replace("Z", "+00:00")) + timedelta(days=90)
    data |= {
        "campaignId": campaign_id,
        "cspId": ctx.sandbox.csp_id,
        "status": "ACTIVE",
        "vertical": brand.data.get("vertical"),
        "mock": bool(brand.data.get("mock")),
        "createDate": now,
        "billedDate": now,
        "nextRenewalOrExpirationDate": renewal.date().isoformat(),
        "expirationDate": None,
    }
    campaign = SimCampaign(data=data, scenario=scenario, seq=state.seq(), mno_ids=qualified)
    state.campaigns[campaign_id] = campaign
    if reference:
        state.campaign_references[reference] = campaign_id
    if not data["mock"]:
        # TCR bills as soon as the campaign qualifies with one MNO; the first charge covers three months
        # (the "upfront, non-refundable three month's cost" DCAs pass through, telnyx-python campaign submit docs)
        machine.charge(state, "campaign", 3 * float(USECASES[body["usecase"]]["monthlyFee"]), campaign_id)
    machine.created(state, campaign)
    return ok({"campaignId": campaign_id, "mnoMetadata": {m: metadata[m] for m in qualified}})


def search_campaigns(ctx: Context) -> Response:
    """``GET /campaign`` with TCR's filters, oldest first, paged."""
    state, q = state_of(ctx), ctx.request.query
    mock = bool_param(q, "mock")
    rows = []
    for campaign in sorted(state.campaigns.values(), key=lambda c: c.seq):
        d = campaign.data
        if any(q.get(k) and str(d.get(k)) != q[k] for k in ("referenceId", "brandId", "status", "usecase")):
            continue
        upstream = (campaign.shared_by_me or {}).get("upstreamCnpId")
        if q.get("upstreamCnpId") and upstream != q["upstreamCnpId"]:
            continue
        if mock is not None and bool(d.get("mock")) != mock:
            continue
        rows.append(d)
    return ok(page(rows, q))


def get_campaign(ctx: Context, campaign_id: str) -> Response:
    """``GET /campaign/{campaignId}``."""
    return ok(campaign_or_404(state_of(ctx), campaign_id).data)


def update_campaign(ctx: Context, campaign_id: str) -> Response:
    """``PUT /campaign/{campaignId}``: mutable fields only (501 naming an immutable one); 518 when expired."""
    state = state_of(ctx)
    campaign = campaign_or_404(state, campaign_id)
    body = body_of(ctx.request)
    errors = [
        entry(501, f"{k} cannot be changed", [k]) for k in IMMUTABLE if k in body and body[k] != campaign.data.get(k)
    ]
    errors += text_errors(body)
    if errors:
        raise invalid(errors)
    if not campaign.active:
        raise refuse(518, f"Campaign {campaign_id} is expired", ["campaignId"])
    campaign.data.update({k: body[k] for k in UPDATE_FIELDS if k in body})
    machine_of(ctx).emit(
        state, "CAMPAIGN", "CAMPAIGN_UPDATE", campaign=campaign, description=f"Campaign {campaign_id} updated"
    )
    return ok(campaign.data)


def deactivate_campaign(ctx: Context, campaign_id: str) -> Response:
    """``DELETE /campaign/{campaignId}``: EXPIRED for good, out of nnSR; idempotent (204)."""
    state = state_of(ctx)
    machine_of(ctx).expire(state, campaign_or_404(state, campaign_id))
    return no_content()


def operation_status(ctx: Context, campaign_id: str) -> Response:
    """``GET /campaign/{campaignId}/operationStatus``: reporting MNOs only (missing keys are normal)."""
    return ok(campaign_or_404(state_of(ctx), campaign_id).operation_status())


def campaign_mno_metadata(ctx: Context, campaign_id: str) -> Response:
    """``GET /campaign/{campaignId}/mnoMetadata``: the targeted MNOs' terms."""
    campaign = campaign_or_404(state_of(ctx), campaign_id)
    metadata = mno_metadata(campaign.data["usecase"])
    return ok({m: metadata[m] for m in campaign.mno_ids if m in metadata})


def elected(ctx: Context, campaign_id: str) -> Response:
    """``GET /campaign/{campaignId}/mnoIdsWithDcaElected``."""
    campaign = campaign_or_404(state_of(ctx), campaign_id)
    return ok([int(m) for m in campaign.decisions])


def sharing(ctx: Context, campaign_id: str) -> Response:
    """``GET /campaign/{campaignId}/sharing``: ``{sharedWithMe, sharedByMe}``."""
    campaign = campaign_or_404(state_of(ctx), campaign_id)
    return ok({"sharedWithMe": None, "sharedByMe": campaign.shared_by_me})


def share(ctx: Context, campaign_id: str, upstream_cnp_id: str) -> Response:
    """``PUT /campaign/{campaignId}/sharing/{upstreamCnpId}``: PENDING, then the DCA reviews; a repeat of a live
    share answers it unchanged, a declined one is shared (reviewed) again."""
    state = state_of(ctx)
    campaign = campaign_or_404(state, campaign_id)
    if upstream_cnp_id not in UPSTREAM_CNPS:
        raise refuse(502, f"CNP {upstream_cnp_id} not found", ["upstreamCnpId"])
    if not campaign.active:
        raise refuse(518, f"Campaign {campaign_id} is expired", ["campaignId"])
    if campaign.data.get("mock"):
        raise refuse(536, "A mock campaign cannot be shared with an upstream CNP", ["campaignId"])
    current = campaign.shared_by_me
    if current is not None and current["sharingStatus"] != "DECLINED":
        if current["upstreamCnpId"] != upstream_cnp_id:
            raise refuse(503, f"Campaign {campaign_id} is already shared with {current['upstreamCnpId']}")
        return ok(current)
    machine = machine_of(ctx)
    if current is not None:
        campaign.share_round += 1
    machine.share(state, campaign, upstream_cnp_id)
    return ok(campaign.shared_by_me)


def nudge(ctx: Context, campaign_id: str) -> Response:
    """``POST /campaign/{campaignId}/nudge``: REVIEW (pending share) or APPEAL_REJECTION (declined share or
    rejected carriers); 592 when there is nothing to nudge about."""
    state = state_of(ctx)
    campaign = campaign_or_404(state, campaign_id)
    body = body_of(ctx.request)
    intent = body.get("nudgeIntent")
    errors = []
    if intent not in NUDGE_INTENTS:
        errors.append(entry(501, f"nudgeIntent must be one of {', '.join(NUDGE_INTENTS)}", ["nudgeIntent"]))
    if len(str(body.get("description") or "")) > 1024:
        errors.append(entry(501, "description must be at most 1024 characters", ["description"]))
    if errors:
        raise invalid(errors)
    if not campaign.active:
        raise refuse(518, f"Campaign {campaign_id} is expired", ["campaignId"])
    share_status = (campaign.shared_by_me or {}).get("sharingStatus")
    if share_status is None:
        raise refuse(592, "Nudge declined: the campaign is not shared with an upstream CNP", ["campaignId"])
    machine = machine_of(ctx)
    if intent == "REVIEW" and share_status != "PENDING":
        raise refuse(592, f"Nudge declined: the share is {share_status}, not pending review", ["nudgeIntent"])
    if intent == "APPEAL_REJECTION" and not machine.appeal(state, campaign):
        raise refuse(592, "Nudge declined: nothing was rejected", ["nudgeIntent"])
    campaign.nudges.append({"nudgeIntent": intent, "description": body.get("description"), "at": machine.now()})
    return no_content()


def resubmit(ctx: Context, campaign_id: str) -> Response:
    """``PUT /campaign/{campaignId}/resubmit`` (``mnoIds`` optional): rejected carriers review again; returns the
    new ``mnoMetadata``; 592 when none of them had rejected."""
    state = state_of(ctx)
    campaign = campaign_or_404(state, campaign_id)
    body = body_of(ctx.request)
    errors = mno_id_errors(body.get("mnoIds"))
    if errors:
        raise invalid(errors)
    if not campaign.active:
        raise refuse(518, f"Campaign {campaign_id} is expired", ["campaignId"])
    targets = [str(m) for m in body["mnoIds"]] if body.get("mnoIds") else list(campaign.mno_ids)
    if not machine_of(ctx).resubmit(state, campaign, targets):
        raise refuse(592, "Resubmission declined: no targeted MNO rejected the campaign", ["mnoIds"])
    metadata = mno_metadata(campaign.data["usecase"])
    return ok({"mnoMetadata": {m: metadata[m] for m in targets if m in metadata}})


def osr_phones(ctx: Context, campaign_id: str) -> Response:
    """``GET /campaign/{campaignId}/osr/phones``: numbers the DCA provisioned in nnSR (``current`` filter), paged."""
    state = state_of(ctx)
    campaign_or_404(state, campaign_id)
    current = bool_param(ctx.request.query, "current")
    rows = [r for r in state.osr.get(campaign_id, []) if current is None or r["current"] == current]
    return ok(page(rows, ctx.request.query))


ROUTES = [
    Route("/campaignBuilder", ("POST",), create_campaign),
    Route("/campaignBuilder/termsAndConditions", ("GET",), terms),
    Route("/campaignBuilder/brand/<brand_id>", ("GET",), qualify_all),
    Route("/campaignBuilder/brand/<brand_id>/usecase/<usecase>", ("GET",), qualify),
    Route("/campaign", ("GET",), search_campaigns),
    Route("/campaign/<campaign_id>", ("GET",), get_campaign),
    Route("/campaign/<campaign_id>", ("PUT",), update_campaign),
    Route("/campaign/<campaign_id>", ("DELETE",), deactivate_campaign),
    Route("/campaign/<campaign_id>/operationStatus", ("GET",), operation_status),
    Route("/campaign/<campaign_id>/mnoMetadata", ("GET",), campaign_mno_metadata),
    Route("/campaign/<campaign_id>/mnoIdsWithDcaElected", ("GET",), elected),
    Route("/campaign/<campaign_id>/sharing", ("GET",), sharing),
    Route("/campaign/<campaign_id>/sharing/<upstream_cnp_id>", ("PUT",), share),
    Route("/campaign/<campaign_id>/nudge", ("POST",), nudge),
    Route("/campaign/<campaign_id>/resubmit", ("PUT",), resubmit),
    Route("/campaign/<campaign_id>/osr/phones", ("GET",), osr_phones),
]
