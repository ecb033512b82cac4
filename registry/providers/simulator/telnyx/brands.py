"""``/v2/10dlc/brand...``: brands, identity feedback, revet, external vetting and sole-proprietor OTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..catalog import BRAND_FEE, EXTERNAL_VETTING_FEE, VETTING_CLASSES, VETTING_PROVIDERS
from ..scenarios import parse as parse_scenario
from ..wire import Response, Route
from .errors import bad_value, duplicate, invalid, missing, not_found, refused
from .lifecycle import ACTIVE_CAMPAIGN, IDENTITY_FIELDS, LOCKED_FIELDS
from .state import SimBrand, SimOtp
from .validation import brand_errors
from .views import body_of, brand_or_404, no_content, ok, page, state_of

if TYPE_CHECKING:
    from ..sandbox import Context

# BrandCreateParams / BrandUpdateParams (telnyx-python)
CREATE_FIELDS = (
    "entityType", "displayName", "country", "email", "vertical", "businessContactEmail", "city",
    "companyName", "ein", "firstName", "ipAddress", "isReseller", "lastName", "mobilePhone", "mock", "phone",
    "postalCode", "state", "stockExchange", "stockSymbol", "street", "webhookURL", "webhookFailoverURL",
    "website",
)  # fmt: skip
UPDATE_FIELDS = (
    *tuple(f for f in CREATE_FIELDS if f not in ("mobilePhone", "mock")),
    "altBusinessId",
    "altBusinessIdType",
)
# BrandListResponse: the list shows only these (note the SDK's own spelling "assignedCampaingsCount")
LIST_FIELDS = (
    "brandId",
    "companyName",
    "createdAt",
    "displayName",
    "email",
    "entityType",
    "failureReasons",
    "identityStatus",
    "status",
    "tcrBrandId",
    "updatedAt",
    "website",
)
SORTABLE = (
    "assignedCampaignsCount",
    "brandId",
    "createdAt",
    "displayName",
    "identityStatus",
    "status",
    "tcrBrandId",
)


def _scenario_or_422(*texts: object) -> Any:
    try:
        return parse_scenario(*texts)
    except ValueError as exc:
        raise invalid([bad_value("displayName", str(exc))]) from None


def _active_campaigns(ctx: Context, brand_id: str) -> int:
    return sum(
        1 for c in state_of(ctx).campaigns.values() if c.data["brandId"] == brand_id and c.status in ACTIVE_CAMPAIGN
    )


def create_brand(ctx: Context) -> Response:
    """``POST /10dlc/brand``: validate, create REGISTRATION_PENDING, bill $4, schedule scoring."""
    state = state_of(ctx)
    body = body_of(ctx.request)
    errors = brand_errors(body)
    if errors:
        raise invalid(errors)
    scenario = _scenario_or_422(body.get("displayName"))
    now = ctx.machine.now()
    brand_id = ctx.sandbox.ids.uuid()
    data: dict[str, Any] = {k: body[k] for k in CREATE_FIELDS if k in body}
    data |= {
        "brandId": brand_id,
        "referenceId": brand_id,  # "Unique identifier Telnyx assigned to the brand - the brandId"
        "tcrBrandId": None,
        "cspId": None,
        "status": "REGISTRATION_PENDING",
        "identityStatus": None,
        "brandRelationship": "BASIC_ACCOUNT",  # set by Telnyx
        "failureReasons": None,
        "mock": bool(body.get("mock", False)),
        "isReseller": bool(body.get("isReseller", False)),
        "altBusinessId": None,
        "altBusinessIdType": None,
        "optionalAttributes": {},
        "universalEin": f"{body.get('country', 'US')}_{body['ein']}" if body.get("ein") else None,
        "createdAt": now,
        "updatedAt": now,
    }
    brand = SimBrand(data=data, scenario=scenario, seq=state.seq())
    state.brands[brand_id] = brand
    ctx.machine.charge(state, "brand_registration", BRAND_FEE, brand_id)
    ctx.machine.register_brand(state, brand)
    return ok(data)


def list_brands(ctx: Context) -> Response:
    """``GET /10dlc/brand`` with the SDK's filters, sorted and paged."""
    state, q = state_of(ctx), ctx.request.query
    rows = []
    for brand in state.brands.values():
        d = brand.data
        if q.get("brandId") and d["brandId"] != q["brandId"]:
            continue
        if q.get("tcrBrandId") and d.get("tcrBrandId") != q["tcrBrandId"]:
            continue
        if q.get("displayName") and q["displayName"].lower() not in str(d.get("displayName", "")).lower():
            continue
        if any(q.get(k) and d.get(k) != q[k] for k in ("entityType", "state", "country")):
            continue
        row = {k: d.get(k) for k in LIST_FIELDS}
        row["assignedCampaingsCount"] = _active_campaigns(ctx, d["brandId"])
        row["_seq"] = brand.seq
        rows.append(row)
    result = page(rows, q, sortable=SORTABLE, seq=lambda r: r["_seq"])
    for row in result["records"]:
        row.pop("_seq", None)
    return ok(result)


def get_brand(ctx: Context, brand_id: str) -> Response:
    """``GET /10dlc/brand/{brandId}``."""
    return ok(brand_or_404(state_of(ctx), brand_id).data)


def update_brand(ctx: Context, brand_id: str) -> Response:
    """``PUT /10dlc/brand/{brandId}``: a full update; identity edits are locked while campaigns are active."""
    brand = brand_or_404(state_of(ctx), brand_id)
    body = body_of(ctx.request)
    errors = brand_errors(body)
    if errors:
        raise invalid(errors)
    changes = {k: body[k] for k in UPDATE_FIELDS if k in body}
    identity_changed = any(k in changes and changes[k] != brand.data.get(k) for k in LOCKED_FIELDS)
    if identity_changed and _active_campaigns(ctx, brand_id):
        raise refused(
            "537",
            "Identity fields cannot change while the brand has active campaigns.",
            title="Brand identity fields locked",
        )
    brand.data.update(changes)
    brand.data["updatedAt"] = ctx.machine.now()
    brand.scenario = _scenario_or_422(brand.data.get("displayName"))
    if identity_changed:
        ctx.machine.identity_edited(brand)
    return ok(brand.data)


def delete_brand(ctx: Context, brand_id: str) -> Response:
    """``DELETE /10dlc/brand/{brandId}``: refused (542) while campaigns are active."""
    state = state_of(ctx)
    brand_or_404(state, brand_id)
    if _active_campaigns(ctx, brand_id):
        raise refused("542", "The brand has active campaigns; deactivate them first.", title="Brand in use")
    del state.brands[brand_id]
    return no_content()


def revet_brand(ctx: Context, brand_id: str) -> Response:
    """``PUT /10dlc/brand/{brandId}/revet``: score identity again (525 when nothing changed)."""
    brand = brand_or_404(state_of(ctx), brand_id)
    if brand.data["status"] != "OK":
        raise refused(
            "527",
            "The brand is still being registered; try again when scoring is done.",
            title="Brand pending",
        )
    fingerprint = tuple(brand.data.get(f) for f in IDENTITY_FIELDS)
    if fingerprint == brand.scored and brand.data.get("identityStatus") in ("VERIFIED", "VETTED_VERIFIED"):
        raise refused(
            "525",
            "Revet not allowed: no identity field changed since the last vetting.",
            title="Revet not allowed",
        )
    ctx.machine.revet(state_of(ctx), brand)
    return ok(brand.data)


def brand_feedback(ctx: Context, brand_id: str) -> Response:
    """``GET /10dlc/brand/feedback/{brandId}``."""
    brand = brand_or_404(state_of(ctx), brand_id)
    return ok({"brandId": brand_id, "category": brand.feedback})


# ---------------------------------------------------------------------- external vetting
def order_vetting(ctx: Context, brand_id: str) -> Response:
    """``POST /10dlc/brand/{brandId}/externalVetting``: bill $40, schedule the outcome."""
    state = state_of(ctx)
    brand = brand_or_404(state, brand_id)
    body = body_of(ctx.request)
    errors = [missing(f) for f in ("evpId", "vettingClass") if not body.get(f)]
    if body.get("evpId") and body["evpId"] not in VETTING_PROVIDERS:
        errors.append(bad_value("evpId", f"evpId must be one of {', '.join(VETTING_PROVIDERS)}."))
    if body.get("vettingClass") and body["vettingClass"] not in VETTING_CLASSES:
        errors.append(bad_value("vettingClass", f"vettingClass must be one of {', '.join(VETTING_CLASSES)}."))
    if errors:
        raise invalid(errors)
    if brand.data["status"] != "OK":
        raise refused("527", "The brand is still being registered.", title="Brand pending")
    for existing in brand.vettings:
        same = existing["evpId"] == body["evpId"] and existing["vettingClass"] == body["vettingClass"]
        if same and existing.get("vettingStatus") in ("PENDING", "UNSCORE", "ACTIVE"):
            # SDK ExternalVettingResource.order: duplicate orders return 400 with code 10012
            raise duplicate("A vetting with this evpId and vettingClass is active or in progress.")
    vetting = {
        "evpId": body["evpId"],
        "vettingClass": body["vettingClass"],
        "vettingId": ctx.sandbox.ids.uuid(),
        "vettingToken": None,
        "vettingScore": None,
        "vettedDate": None,
        "createDate": ctx.machine.now(),
    }
    brand.vettings.append(vetting)
    ctx.machine.charge(state, "external_vetting", EXTERNAL_VETTING_FEE, brand_id)
    ctx.machine.order_vetting(state, brand, vetting)
    return ok(vetting)


def import_vetting(ctx: Context, brand_id: str) -> Response:
    """``PUT /10dlc/brand/{brandId}/externalVetting``: import a vet done elsewhere (valid at once)."""
    brand = brand_or_404(state_of(ctx), brand_id)
    body = body_of(ctx.request)
    errors = [missing(f) for f in ("evpId", "vettingId") if not body.get(f)]
    if errors:
        raise invalid(errors)
    vetting = {
        "evpId": body["evpId"],
        "vettingClass": "STANDARD",
        "vettingId": body["vettingId"],
        "vettingToken": body.get("vettingToken"),
        "vettingScore": 80,
        "vettingStatus": "ACTIVE",
        "vettedDate": ctx.machine.now(),
        "createDate": ctx.machine.now(),
    }
    brand.vettings.append(vetting)
    brand.data["identityStatus"] = "VETTED_VERIFIED"
    return ok(vetting)


def list_vettings(ctx: Context, brand_id: str) -> Response:
    """``GET /10dlc/brand/{brandId}/externalVetting``: a bare array (``ExternalVettingListResponse``)."""
    return ok(brand_or_404(state_of(ctx), brand_id).vettings)


# ---------------------------------------------------------------------- sole-proprietor OTP
def _needs_otp(brand: SimBrand) -> bool:
    return brand.data.get("entityType") == "SOLE_PROPRIETOR" or brand.scenario.otp


def trigger_otp(ctx: Context, brand_id: str) -> Response:
    """``POST /10dlc/brand/{brandId}/smsOtp``: sole proprietors only; ``pinSms`` must hold ``@OTP_PIN@``."""
    brand = brand_or_404(state_of(ctx), brand_id)
    body = body_of(ctx.request)
    errors = [missing(f) for f in ("pinSms", "successSms") if not body.get(f)]
    if body.get("pinSms") and "@OTP_PIN@" not in body["pinSms"]:
        errors.append(bad_value("pinSms", "pinSms must include the @OTP_PIN@ placeholder."))
    if errors:
        raise invalid(errors)
    if not _needs_otp(brand):
        raise refused("506", "SMS OTP is only available for Sole Proprietor brands.", title="Invalid status for OTP")
    if brand.data["status"] != "OK":
        raise refused("527", "The brand is still being registered.", title="Brand pending")
    brand.otp = SimOtp(
        reference_id=ctx.sandbox.ids.uuid(),
        pin=ctx.sandbox.ids.pin(),
        mobile_phone=str(brand.data.get("mobilePhone") or brand.data.get("phone") or ""),
        request_date=ctx.sandbox.clock.now(),
    )
    ctx.machine.deliver_otp(brand)
    return ok({"brandId": brand_id, "referenceId": brand.otp.reference_id})


def verify_otp(ctx: Context, brand_id: str) -> Response:
    """``PUT /10dlc/brand/{brandId}/smsOtp`` with ``otpPin``: 552 wrong/expired, 557 too many attempts."""
    brand = brand_or_404(state_of(ctx), brand_id)
    body = body_of(ctx.request)
    if not body.get("otpPin"):
        raise invalid([missing("otpPin")])
    otp = brand.otp
    if otp is None:
        raise refused("506", "No OTP was requested for this brand.", title="Invalid status for OTP")
    if otp.verify_date is not None:
        return no_content()
    age = (ctx.sandbox.clock.now() - otp.request_date).total_seconds()
    if age > 24 * 3600:
        raise refused("552", "The OTP has expired; request a new one.", title="Invalid OTP", pointer="otpPin")
    otp.attempts += 1
    if otp.attempts > 5:
        raise refused("557", "Too many OTP attempts; request a new one.", title="OTP attempts exceeded")
    if str(body["otpPin"]) != otp.pin:
        raise refused("552", "The OTP PIN is not correct.", title="Invalid OTP", pointer="otpPin")
    otp.verify_date = ctx.sandbox.clock.now()
    ctx.machine.otp_verified(state_of(ctx), brand)
    return no_content()


def otp_status(ctx: Context, brand_id: str) -> Response:
    """``GET /10dlc/brand/{brandId}/smsOtp``."""
    brand = brand_or_404(state_of(ctx), brand_id)
    if brand.otp is None:
        raise not_found("OTP for brand", brand_id)
    return ok(brand.otp.wire(brand_id))


def otp_by_reference(ctx: Context, reference_id: str) -> Response:
    """``GET /10dlc/brand/smsOtp/{referenceId}``."""
    for brand in state_of(ctx).brands.values():
        if brand.otp is not None and brand.otp.reference_id == reference_id:
            return ok(brand.otp.wire(brand.id))
    raise not_found("OTP", reference_id)


ROUTES = [
    Route("/10dlc/brand", ("POST",), create_brand),
    Route("/10dlc/brand", ("GET",), list_brands),
    Route("/10dlc/brand/feedback/<brand_id>", ("GET",), brand_feedback),
    Route("/10dlc/brand/smsOtp/<reference_id>", ("GET",), otp_by_reference),
    Route("/10dlc/brand/<brand_id>", ("GET",), get_brand),
    Route("/10dlc/brand/<brand_id>", ("PUT",), update_brand),
    Route("/10dlc/brand/<brand_id>", ("DELETE",), delete_brand),
    Route("/10dlc/brand/<brand_id>/revet", ("PUT",), revet_brand),
    Route("/10dlc/brand/<brand_id>/externalVetting", ("POST",), order_vetting),
    Route("/10dlc/brand/<brand_id>/externalVetting", ("PUT",), import_vetting),
    Route("/10dlc/brand/<brand_id>/externalVetting", ("GET",), list_vettings),
    Route("/10dlc/brand/<brand_id>/smsOtp", ("POST",), trigger_otp),
    Route("/10dlc/brand/<brand_id>/smsOtp", ("PUT",), verify_otp),
    Route("/10dlc/brand/<brand_id>/smsOtp", ("GET",), otp_status),
]
