"""``/brand...``: registration, search, update, delete, revet, feedback, external vetting and sole-proprietor OTP."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..catalog import BRAND_FEE, VETTING_CLASSES, VETTING_PROVIDERS
from ..scenarios import parse as parse_scenario
from ..wire import Response, Route
from .errors import entry, invalid, not_found, refuse
from .lifecycle import IDENTITY_FIELDS, LOCKED_FIELDS
from .state import SimBrand, SimOtp, TcrState
from .validation import brand_errors
from .views import body_of, bool_param, brand_or_404, machine_of, no_content, ok, page, state_of

if TYPE_CHECKING:
    from ..sandbox import Context

# BrandRequest / UpdateBrand_CSP properties (TCR CSP API OpenAPI)
CREATE_FIELDS = (
    "entityType", "firstName", "lastName", "displayName", "companyName", "ein", "einIssuingCountry", "phone",
    "street", "city", "state", "postalCode", "country", "email", "stockSymbol", "stockExchange", "ipAddress",
    "website", "brandRelationship", "vertical", "altBusinessId", "altBusinessIdType", "referenceId", "mock",
    "tag", "mobilePhone", "businessContactEmail",
)  # fmt: skip
UPDATE_FIELDS = tuple(f for f in CREATE_FIELDS if f not in ("mock", "tag"))
RELATIONSHIP_LOCK = 90 * 24 * 3600.0  # brandRelationship can change once per three months (528)
VET_RETRY = 30 * 24 * 3600.0  # a vet of the same provider and class can be ordered again after 30 days (549)


def _scenario(*texts: object) -> Any:
    try:
        return parse_scenario(*texts)
    except ValueError as exc:
        raise invalid([entry(501, str(exc), ["displayName"])]) from None


def active_campaigns(state: TcrState, brand_id: str) -> int:
    """Campaigns of the brand that are not EXPIRED."""
    return sum(1 for c in state.campaigns.values() if c.data["brandId"] == brand_id and c.active)


def _scored(brand: SimBrand) -> None:
    if brand.data.get("status") != "ACTIVE":
        raise refuse(592, f"Brand {brand.id} is deleted", ["brandId"])
    if not brand.data.get("identityStatus"):
        raise refuse(527, f"Brand {brand.id} is pending identity scoring; try again later", ["brandId"])


def create_brand(ctx: Context) -> Response:
    """``POST /brand/nonBlocking``: validate, refuse a reused referenceId (503), bill $4, schedule scoring."""
    state = state_of(ctx)
    body = body_of(ctx.request)
    errors = brand_errors(body)
    if errors:
        raise invalid(errors)
    reference = body.get("referenceId")
    if reference and reference in state.brand_references:
        raise refuse(503, f"Duplicate referenceId {reference}", ["referenceId"])
    scenario = _scenario(body.get("displayName"))
    machine = machine_of(ctx)
    brand_id = ctx.sandbox.ids.tcr("B")
    data: dict[str, Any] = {k: body[k] for k in CREATE_FIELDS if k in body}
    data |= {
        "brandId": brand_id,
        "cspId": ctx.sandbox.csp_id,
        "status": "ACTIVE",
        "identityStatus": None,  # the create response omits it until scoring finishes (§1.3)
        "einIssuingCountry": body.get("einIssuingCountry") or ("US" if body.get("ein") else None),
        "universalEin": f"{body.get('einIssuingCountry') or 'US'}_{body['ein']}" if body.get("ein") else None,
        "optionalAttributes": {},
        "mock": bool(body.get("mock", False)),
        "createDate": machine.now(),
        "mobilePhoneVerifiedDate": None,
        "businessContactEmailVerifiedDate": None,
    }
    brand = SimBrand(data=data, scenario=scenario, seq=state.seq(), relationship_changed=ctx.sandbox.clock.seconds())
    state.brands[brand_id] = brand
    if reference:
        state.brand_references[reference] = brand_id
    if not data["mock"]:
        machine.charge(state, "brand_registration", BRAND_FEE, brand_id)
    machine.register_brand(state, brand)
    return ok(data)


def search_brands(ctx: Context) -> Response:
    """``GET /brand`` with TCR's filters, oldest first, paged."""
    state, q = state_of(ctx), ctx.request.query
    mock = bool_param(q, "mock")
    rows = []
    for brand in sorted(state.brands.values(), key=lambda b: b.seq):
        d = brand.data
        if q.get("displayName") and q["displayName"].lower() not in str(d.get("displayName", "")).lower():
            continue
        exact = ("referenceId", "entityType", "identityStatus", "status", "state", "country", "ein", "universalEin")
        if any(q.get(k) and str(d.get(k)) != q[k] for k in exact):
            continue
        if mock is not None and bool(d.get("mock")) != mock:
            continue
        rows.append(d)
    return ok(page(rows, q))


def get_brand(ctx: Context, brand_id: str) -> Response:
    """``GET /brand/{brandId}`` (DELETED brands too)."""
    return ok(brand_or_404(state_of(ctx), brand_id).data)


def update_brand(ctx: Context, brand_id: str) -> Response:
    """``PUT /brand/{brandId}``: full update; identity fields locked (537) while campaigns are active."""
    state = state_of(ctx)
    brand = brand_or_404(state, brand_id)
    if brand.data.get("status") != "ACTIVE":
        raise refuse(592, f"Brand {brand_id} is deleted", ["brandId"])
    body = body_of(ctx.request)
    errors = brand_errors(body)
    if errors:
        raise invalid(errors)
    changes = {k: body[k] for k in UPDATE_FIELDS if k in body}
    reference = changes.get("referenceId")
    if reference and state.brand_references.get(reference, brand_id) != brand_id:
        raise refuse(503, f"Duplicate referenceId {reference}", ["referenceId"])
    edited = [k for k in LOCKED_FIELDS if k in changes and changes[k] != brand.data.get(k)]
    if edited and active_campaigns(state, brand_id):
        raise refuse(537, "Identity fields cannot change while the brand has active campaigns", edited)
    now = ctx.sandbox.clock.seconds()
    relationship = changes.get("brandRelationship")
    if relationship and relationship != brand.data.get("brandRelationship"):
        if now - brand.relationship_changed < RELATIONSHIP_LOCK:
            raise refuse(528, "brandRelationship can only be changed once every three months", ["brandRelationship"])
        brand.relationship_changed = now
    if reference and brand.data.get("referenceId") != reference:
        state.brand_references.pop(brand.data.get("referenceId") or "", None)
        state.brand_references[reference] = brand_id
    brand.data.update(changes)
    brand.scenario = _scenario(brand.data.get("displayName"))
    if edited and brand.data.get("identityStatus") is not None:
        brand.data["identityStatus"] = "UNVERIFIED"  # identity edits need a revet (§1.2)
    machine_of(ctx).emit(state, "BRAND", "BRAND_UPDATE", brand=brand, description=f"Brand {brand_id} updated")
    return ok(brand.data)


def delete_brand(ctx: Context, brand_id: str) -> Response:
    """``DELETE /brand/{brandId}``: soft delete (status DELETED); 542 while campaigns are active."""
    state = state_of(ctx)
    brand = brand_or_404(state, brand_id)
    if active_campaigns(state, brand_id):
        raise refuse(542, "The brand has active campaigns; deactivate them first", ["brandId"])
    if brand.data["status"] != "DELETED":
        brand.data["status"] = "DELETED"
        machine_of(ctx).emit(state, "BRAND", "BRAND_DELETE", brand=brand, description=f"Brand {brand_id} deleted")
    return no_content()


def revet_brand(ctx: Context, brand_id: str) -> Response:
    """``PUT /brand/{brandId}/revet``: score identity again (202); 525 when nothing changed since the last scoring."""
    state = state_of(ctx)
    brand = brand_or_404(state, brand_id)
    _scored(brand)
    if tuple(brand.data.get(f) for f in IDENTITY_FIELDS) == brand.scored:
        raise refuse(525, "Revet not allowed: no identity field changed since the last vetting", ["brandId"])
    machine_of(ctx).revet(state, brand)
    return ok(brand.data, 202)


def brand_feedback(ctx: Context, brand_id: str) -> Response:
    """``GET /brand/feedback/{brandId}``."""
    brand = brand_or_404(state_of(ctx), brand_id)
    return ok({"brandId": brand_id, "category": brand.feedback})


# ---------------------------------------------------------------------- external vetting
def order_vetting(ctx: Context, brand_id: str) -> Response:
    """``POST /brand/{brandId}/externalVetting``: bill $40, PENDING; 549 when the same vet was ordered lately."""
    state = state_of(ctx)
    brand = brand_or_404(state, brand_id)
    body = body_of(ctx.request)
    errors = [entry(501, f"{f} is required", [f]) for f in ("evpId", "vettingClass") if not body.get(f)]
    if body.get("evpId") and body["evpId"] not in VETTING_PROVIDERS:
        errors.append(entry(501, f"Unknown evpId {body['evpId']!r}", ["evpId"]))
    if body.get("vettingClass") and body["vettingClass"] not in VETTING_CLASSES:
        errors.append(entry(501, f"Unknown vettingClass {body['vettingClass']!r}", ["vettingClass"]))
    if errors:
        raise invalid(errors)
    _scored(brand)
    if brand.data.get("mock"):
        raise refuse(536, "External vetting is not supported for mock brands", ["brandId"])
    machine = machine_of(ctx)
    now = ctx.sandbox.clock.seconds()
    for existing in brand.vettings:
        same = existing["evpId"] == body["evpId"] and existing["vettingClass"] == body["vettingClass"]
        if same and existing["vettingStatus"] != "FAILED" and now - existing["_ordered"] < VET_RETRY:
            raise refuse(549, "This vet was requested less than 30 days ago", ["evpId", "vettingClass"])
    vetting = {
        "evpId": body["evpId"],
        "vettingId": ctx.sandbox.ids.uuid(),
        "vettingToken": None,
        "vettingScore": None,
        "vettingClass": body["vettingClass"],
        "vettingStatus": "PENDING",
        "reasons": [],
        "vettingDetails": {},
        "vettedDate": None,
        "createDate": machine.now(),
        "validUntil": None,
        "expirationDate": None,
        "_ordered": now,
    }
    brand.vettings.append(vetting)
    machine.order_vetting(state, brand, vetting)
    return ok(_vetting_view(vetting))


def _vetting_view(vetting: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in vetting.items() if not k.startswith("_")}


def import_vetting(ctx: Context, brand_id: str) -> Response:
    """``PUT /brand/{brandId}/externalVetting``: import a vet done elsewhere (ACTIVE at once); 525 if imported."""
    state = state_of(ctx)
    brand = brand_or_404(state, brand_id)
    body = body_of(ctx.request)
    errors = [entry(501, f"{f} is required", [f]) for f in ("evpId", "vettingId") if not body.get(f)]
    if body.get("evpId") and body["evpId"] not in VETTING_PROVIDERS:
        errors.append(entry(501, f"Unknown evpId {body['evpId']!r}", ["evpId"]))
    if errors:
        raise invalid(errors)
    _scored(brand)
    if any(v["vettingId"] == body["vettingId"] for v in brand.vettings):
        raise refuse(525, "This vetting record was already imported", ["vettingId"])
    machine = machine_of(ctx)
    vetting = {
        "evpId": body["evpId"],
        "vettingId": body["vettingId"],
        "vettingToken": body.get("vettingToken"),
        "vettingScore": 80,
        "vettingClass": "STANDARD",
        "vettingStatus": "ACTIVE",
        "reasons": [],
        "vettingDetails": {},
        "vettedDate": machine.now(),
        "createDate": machine.now(),
        "validUntil": None,
        "expirationDate": None,
        "_ordered": ctx.sandbox.clock.seconds(),
    }
    brand.vettings.append(vetting)
    brand.data["identityStatus"] = "VETTED_VERIFIED"
    brand.feedback = []
    machine.emit(state, "VETTING", "EVP_REPORT_IMPORT", brand=brand, description=f"{body['evpId']} vet imported")
    return ok(_vetting_view(vetting))


def list_vettings(ctx: Context, brand_id: str) -> Response:
    """``GET /brand/{brandId}/externalVetting`` (filters evpId, vettingClass, vettingStatus): an array."""
    brand = brand_or_404(state_of(ctx), brand_id)
    q = ctx.request.query
    rows = [
        _vetting_view(v)
        for v in brand.vettings
        if all(not q.get(k) or v.get(k) == q[k] for k in ("evpId", "vettingClass", "vettingStatus"))
    ]
    return ok(rows)


# ---------------------------------------------------------------------- sole-proprietor OTP
def _needs_otp(brand: SimBrand) -> bool:
    return brand.data.get("entityType") == "SOLE_PROPRIETOR" or brand.scenario.otp


def send_otp(ctx: Context, brand_id: str) -> Response:
    """``POST /brand/{brandId}/smsOtp``: ``pinSms`` must hold ``@OTP_PIN@`` or ``@OTP_YES@``."""
    brand = brand_or_404(state_of(ctx), brand_id)
    body = body_of(ctx.request)
    pin_sms = body.get("pinSms")
    if not pin_sms:
        raise invalid([entry(501, "pinSms is required", ["pinSms"])])
    if "@OTP_PIN@" not in pin_sms and "@OTP_YES@" not in pin_sms:
        raise invalid([entry(501, "pinSms must contain @OTP_PIN@ or @OTP_YES@", ["pinSms"])])
    if not _needs_otp(brand):
        raise refuse(506, "SMS OTP applies to sole proprietor brands only", ["brandId"])
    _scored(brand)
    brand.otp = SimOtp(
        reference_id=ctx.sandbox.ids.tcr("OTP"),
        pin=ctx.sandbox.ids.pin(),
        mobile_phone=str(brand.data.get("mobilePhone") or brand.data.get("phone") or ""),
        request_date=ctx.sandbox.clock.now(),
    )
    machine_of(ctx).deliver_otp(brand)
    return ok({"brandId": brand_id, "referenceId": brand.otp.reference_id})


def verify_otp(ctx: Context, brand_id: str) -> Response:
    """``PUT /brand/{brandId}/smsOtp`` with ``otpPin``: 552 wrong or older than 24 h, 557 too many attempts."""
    brand = brand_or_404(state_of(ctx), brand_id)
    body = body_of(ctx.request)
    if not body.get("otpPin"):
        raise invalid([entry(501, "otpPin is required", ["otpPin"])])
    otp = brand.otp
    if otp is None:
        raise refuse(506, "No OTP was requested for this brand", ["brandId"])
    if otp.verify_date is not None:
        return no_content()
    if ctx.sandbox.clock.now() - otp.request_date > timedelta(hours=24):
        raise refuse(552, "The OTP has expired; request a new one", ["otpPin"])
    otp.attempts += 1
    if otp.attempts > 5:
        raise refuse(557, "Too many OTP attempts; request a new one", ["otpPin"])
    if str(body["otpPin"]) != otp.pin:
        raise refuse(552, "The OTP PIN is not correct", ["otpPin"])
    otp.verify_date = ctx.sandbox.clock.now()
    machine_of(ctx).otp_verified(state_of(ctx), brand)
    return no_content()


def otp_status(ctx: Context, reference_id: str) -> Response:
    """``GET /brand/smsOtp/{referenceId}``."""
    for brand in state_of(ctx).brands.values():
        if brand.otp is not None and brand.otp.reference_id == reference_id:
            return ok(brand.otp.wire(brand.id))
    raise not_found("OTP request", reference_id, "referenceId")


ROUTES = [
    Route("/brand/nonBlocking", ("POST",), create_brand),
    Route("/brand", ("GET",), search_brands),
    Route("/brand/feedback/<brand_id>", ("GET",), brand_feedback),
    Route("/brand/smsOtp/<reference_id>", ("GET",), otp_status),
    Route("/brand/<brand_id>", ("GET",), get_brand),
    Route("/brand/<brand_id>", ("PUT",), update_brand),
    Route("/brand/<brand_id>", ("DELETE",), delete_brand),
    Route("/brand/<brand_id>/revet", ("PUT",), revet_brand),
    Route("/brand/<brand_id>/externalVetting", ("POST",), order_vetting),
    Route("/brand/<brand_id>/externalVetting", ("PUT",), import_vetting),
    Route("/brand/<brand_id>/externalVetting", ("GET",), list_vettings),
    Route("/brand/<brand_id>/smsOtp", ("POST",), send_otp),
    Route("/brand/<brand_id>/smsOtp", ("PUT",), verify_otp),
]
