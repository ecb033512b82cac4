"""``/twilio/messaging/v1``: A2P BrandRegistrations (+ SmsOtp, Vettings), Messaging Services, their
PhoneNumbers, the UsAppToPerson campaign (``Compliance/Usa2p``) and its Usecases (twilio-oai
``twilio_messaging_v1.json``; validation per provider-apis.md §3.4 and §8.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..catalog import BRAND_FEE, USECASES
from ..scenarios import Scenario
from ..scenarios import parse as parse_scenario
from ..wire import Response, Route
from .errors import error, invalid, not_found
from .lifecycle import TwilioMachine
from .state import SimBrand, SimCampaign, TwilioState
from .views import Form, form_of, host_url, now_iso, ok, page, sid, state_of

if TYPE_CHECKING:
    from ..sandbox import Context

BASE = "/twilio/messaging/v1"
BRAND_TYPES = ("STANDARD", "SOLE_PROPRIETOR")
VETTING_PROVIDERS = ("campaign-verify", "aegis")


def machine(ctx: Context) -> TwilioMachine:
    return ctx.sandbox.machine("twilio", TwilioMachine)


# ---------------------------------------------------------------------------------------------------- brands
def _brand_view(ctx: Context, brand: SimBrand) -> dict[str, Any]:
    url = host_url(ctx, "messaging", f"/v1/a2p/BrandRegistrations/{brand.sid}")
    return {
        **brand.data,
        "url": url,
        "links": {"brand_vettings": url + "/Vettings", "brand_registration_otps": url + "/SmsOtp"},
    }


def _brand_or_404(ctx: Context, brand_sid: str) -> SimBrand:
    brand = state_of(ctx).brands.get(brand_sid)
    if brand is None:
        raise not_found(ctx.request.path)
    return brand


def _bundle_texts(state: TwilioState, bundle_sids: list[str]) -> tuple[list[str], str | None]:
    """Every friendly name and string attribute of the bundles' end users (scenario markers live in the
    brand's display name, which the adapter sends as the end users' FriendlyName), and the sole
    proprietor's mobile."""
    texts: list[str] = []
    mobile = None
    for bundle_sid in bundle_sids:
        bundle = state.bundle(bundle_sid)
        for obj in bundle.object_sids() if bundle else ():
            row = state.end_users.get(obj)
            if row is None:
                continue
            texts.append(row.get("friendly_name") or "")
            texts.extend(v for v in (row.get("attributes") or {}).values() if isinstance(v, str))
            mobile = (row.get("attributes") or {}).get("mobile_phone_number") or mobile
    return texts, mobile


def create_brand(ctx: Context) -> Response:
    """``POST /a2p/BrandRegistrations``: both bundles required and submitted; billable ($4)."""
    form = form_of(ctx)
    form.required("CustomerProfileBundleSid", "A2PProfileBundleSid")
    state = state_of(ctx)
    bundle_sids = [form.get("CustomerProfileBundleSid") or "", form.get("A2PProfileBundleSid") or ""]
    for name, bundle_sid in zip(("CustomerProfileBundleSid", "A2PProfileBundleSid"), bundle_sids, strict=True):
        bundle = state.bundle(bundle_sid)
        if bundle is None:
            raise invalid(name, f"{bundle_sid} is not a bundle of this account")
        if bundle.status in ("draft", "twilio-rejected"):
            raise error(400, 20001, f"{name} {bundle_sid} is {bundle.status}: submit it for review first")
    brand_type = (form.get("BrandType") or "STANDARD").upper()
    if brand_type not in BRAND_TYPES:
        raise invalid("BrandType", f"must be one of {', '.join(BRAND_TYPES)}")
    texts, mobile = _bundle_texts(state, bundle_sids)
    now = now_iso(ctx.sandbox)
    brand_sid = sid(ctx.sandbox, "BN")
    data = {
        "sid": brand_sid,
        "account_sid": state.account_sid,
        "customer_profile_bundle_sid": bundle_sids[0],
        "a2p_profile_bundle_sid": bundle_sids[1],
        "brand_type": brand_type,
        "status": "PENDING",
        "tcr_id": None,
        "failure_reason": None,
        "errors": [],
        "brand_score": None,
        "brand_feedback": [],
        "identity_status": None,
        "russell_3000": False,
        "government_entity": False,
        "tax_exempt_status": None,
        "skip_automatic_sec_vet": form.bool("SkipAutomaticSecVet"),
        "mock": form.bool("Mock"),
        "date_created": now,
        "date_updated": now,
    }
    brand = SimBrand(data=data, scenario=parse_scenario(*texts), mobile_phone=mobile)
    state.brands[brand_sid] = brand
    m = machine(ctx)
    m.charge(state, "brand_registration", BRAND_FEE, brand_sid)
    m.try_register(state, brand)
    return ok(_brand_view(ctx, brand), 201)


def list_brands(ctx: Context) -> Response:
    rows = [_brand_view(ctx, b) for b in state_of(ctx).brands.values()]
    return page(ctx, "messaging", "/v1/a2p/BrandRegistrations", "data", rows)


def fetch_brand(ctx: Context, brand_sid: str) -> Response:
    return ok(_brand_view(ctx, _brand_or_404(ctx, brand_sid)))


def update_brand(ctx: Context, brand_sid: str) -> Response:
    """``POST /a2p/BrandRegistrations/{BN}``: resubmit a FAILED (or UNVERIFIED) brand after fixing the
    bundles; 202."""
    brand = _brand_or_404(ctx, brand_sid)
    failed = brand.data["status"] == "FAILED"
    unverified = brand.data["status"] == "APPROVED" and brand.data.get("identity_status") == "UNVERIFIED"
    if not (failed or unverified):
        raise error(400, 20001, f"Brand {brand_sid} is {brand.data['status']}: only a FAILED brand can be resubmitted")
    machine(ctx).resubmit_brand(state_of(ctx), brand)
    return ok(_brand_view(ctx, brand), 202)


def send_otp(ctx: Context, brand_sid: str) -> Response:
    """``POST /a2p/BrandRegistrations/{BN}/SmsOtp``: text the sole proprietor's mobile again (201)."""
    brand = _brand_or_404(ctx, brand_sid)
    if brand.data["brand_type"] != "SOLE_PROPRIETOR":
        raise error(400, 20001, f"Brand {brand_sid} is not a sole proprietor brand")
    if brand.otp_confirmed:
        raise error(400, 20001, f"Brand {brand_sid} already confirmed its OTP")
    brand.otp_sent += 1
    return ok({"account_sid": state_of(ctx).account_sid, "brand_registration_sid": brand_sid}, 201)


def create_vetting(ctx: Context, brand_sid: str) -> Response:
    """``POST .../Vettings`` ``VettingProvider`` (campaign-verify | aegis), optional ``VettingId``; billable."""
    brand = _brand_or_404(ctx, brand_sid)
    form = form_of(ctx)
    form.required("VettingProvider")
    provider = (form.get("VettingProvider") or "").lower()
    if provider not in VETTING_PROVIDERS:
        raise invalid("VettingProvider", f"must be one of {', '.join(VETTING_PROVIDERS)}")
    if not brand.registered or brand.data["status"] == "FAILED":
        raise error(400, 21717, f"Brand {brand_sid} is not registered")
    if any(v["vetting_provider"] == provider and v["vetting_status"] == "PENDING" for v in brand.vettings):
        raise error(409, 20001, f"A {provider} vetting of brand {brand_sid} is already pending")
    vetting = machine(ctx).order_vetting(state_of(ctx), brand, provider)
    if form.get("VettingId"):
        vetting["vetting_id"] = form.get("VettingId")
    return ok(_vetting_view(ctx, vetting), 201)


def _vetting_view(ctx: Context, vetting: dict[str, Any]) -> dict[str, Any]:
    path = f"/v1/a2p/BrandRegistrations/{vetting['brand_sid']}/Vettings/{vetting['brand_vetting_sid']}"
    return {**vetting, "url": host_url(ctx, "messaging", path)}


def list_vettings(ctx: Context, brand_sid: str) -> Response:
    brand = _brand_or_404(ctx, brand_sid)
    wanted = (ctx.request.query.get("VettingProvider") or "").lower()
    rows = [_vetting_view(ctx, v) for v in brand.vettings if not wanted or v["vetting_provider"] == wanted]
    return page(ctx, "messaging", f"/v1/a2p/BrandRegistrations/{brand_sid}/Vettings", "data", rows)


# ---------------------------------------------------------------------------------------------------- services
def _service_view(ctx: Context, service: dict[str, Any]) -> dict[str, Any]:
    url = host_url(ctx, "messaging", f"/v1/Services/{service['sid']}")
    return {
        **service,
        "url": url,
        "links": {
            "phone_numbers": url + "/PhoneNumbers",
            "us_app_to_person": url + "/Compliance/Usa2p",
            "us_app_to_person_usecases": url + "/Compliance/Usa2p/Usecases",
        },
    }


def _service_or_404(ctx: Context, service_sid: str) -> dict[str, Any]:
    service = state_of(ctx).services.get(service_sid)
    if service is None:
        raise not_found(ctx.request.path)
    return service


def create_service(ctx: Context) -> Response:
    """``POST /Services`` ``FriendlyName`` (+ optional callback URLs) -> ``MG...``."""
    form = form_of(ctx)
    form.required("FriendlyName")
    state = state_of(ctx)
    now = now_iso(ctx.sandbox)
    service = {
        "sid": sid(ctx.sandbox, "MG"),
        "account_sid": state.account_sid,
        "friendly_name": form.get("FriendlyName"),
        "inbound_request_url": form.get("InboundRequestUrl"),
        "status_callback": form.get("StatusCallback"),
        "usecase": form.get("Usecase") or "undeclared",
        "us_app_to_person_registered": False,
        "use_inbound_webhook_on_number": form.bool("UseInboundWebhookOnNumber"),
        "date_created": now,
        "date_updated": now,
    }
    state.services[service["sid"]] = service
    state.service_numbers[service["sid"]] = {}
    return ok(_service_view(ctx, service), 201)


def list_services(ctx: Context) -> Response:
    rows = [_service_view(ctx, s) for s in state_of(ctx).services.values()]
    return page(ctx, "messaging", "/v1/Services", "services", rows)


def fetch_service(ctx: Context, service_sid: str) -> Response:
    return ok(_service_view(ctx, _service_or_404(ctx, service_sid)))


def delete_service(ctx: Context, service_sid: str) -> Response:
    _service_or_404(ctx, service_sid)
    state = state_of(ctx)
    campaign = state.campaign_of(service_sid)
    if campaign is not None:
        machine(ctx).delete_campaign(state, campaign)
    del state.services[service_sid]
    state.service_numbers.pop(service_sid, None)
    return Response(204)


# ---------------------------------------------------------------------------------------------------- numbers
def _number_view(ctx: Context, service_sid: str, row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "url": host_url(ctx, "messaging", f"/v1/Services/{service_sid}/PhoneNumbers/{row['sid']}")}


def add_number(ctx: Context, service_sid: str) -> Response:
    """``POST /Services/{MG}/PhoneNumbers`` ``PhoneNumberSid``: the number must be the account's, SMS-capable
    and in no other service (errors module for the codes)."""
    _service_or_404(ctx, service_sid)
    form = form_of(ctx)
    form.required("PhoneNumberSid")
    state = state_of(ctx)
    number_sid = form.get("PhoneNumberSid") or ""
    number = state.numbers.get(number_sid)
    if number is None:
        raise error(404, 20404, f"Phone number {number_sid} does not belong to this account")
    current = state.service_of(number_sid)
    if current == service_sid:
        raise error(409, 21710, "Phone Number or Short Code is already in the Messaging Service.")
    if current is not None:
        raise error(409, 21712, f"Phone Number is already associated with another Messaging Service ({current}).")
    if not number["capabilities"].get("sms"):
        raise error(400, 21606, f"{number['phone_number']} is not an SMS-capable phone number")
    now = now_iso(ctx.sandbox)
    row = {
        "sid": number_sid,
        "account_sid": state.account_sid,
        "service_sid": service_sid,
        "phone_number": number["phone_number"],
        "country_code": "US",
        "capabilities": [k.upper() for k, v in number["capabilities"].items() if v],
        "date_created": now,
        "date_updated": now,
    }
    state.service_numbers[service_sid][number_sid] = row
    campaign = state.campaign_of(service_sid)
    if campaign is not None and campaign.status == "VERIFIED":
        machine(ctx).register_number(state, campaign, number_sid)
    return ok(_number_view(ctx, service_sid, row), 201)


def list_numbers(ctx: Context, service_sid: str) -> Response:
    _service_or_404(ctx, service_sid)
    rows = [_number_view(ctx, service_sid, r) for r in state_of(ctx).service_numbers[service_sid].values()]
    return page(ctx, "messaging", f"/v1/Services/{service_sid}/PhoneNumbers", "phone_numbers", rows)


def fetch_number(ctx: Context, service_sid: str, number_sid: str) -> Response:
    _service_or_404(ctx, service_sid)
    row = state_of(ctx).service_numbers[service_sid].get(number_sid)
    if row is None:
        raise not_found(ctx.request.path)
    return ok(_number_view(ctx, service_sid, row))


def remove_number(ctx: Context, service_sid: str, number_sid: str) -> Response:
    _service_or_404(ctx, service_sid)
    state = state_of(ctx)
    if state.service_numbers[service_sid].pop(number_sid, None) is None:
        raise not_found(ctx.request.path)
    campaign = state.campaign_of(service_sid)
    if campaign is not None and campaign.status in ("VERIFIED", "SUSPENDED"):
        machine(ctx).deregister_number(state, campaign, number_sid)
    return Response(204)


# ---------------------------------------------------------------------------------------------------- campaigns
def _campaign_view(ctx: Context, campaign: SimCampaign) -> dict[str, Any]:
    path = f"/v1/Services/{campaign.service_sid}/Compliance/Usa2p/{campaign.sid}"
    return {**campaign.data, "url": host_url(ctx, "messaging", path)}


def _campaign_or_404(ctx: Context, service_sid: str, campaign_sid: str) -> SimCampaign:
    campaign = state_of(ctx).campaigns.get(campaign_sid)
    if campaign is None or campaign.service_sid != service_sid:
        raise not_found(ctx.request.path)
    return campaign


def _allowed_usecases(brand: SimBrand) -> list[str]:
    if brand.data["brand_type"] == "SOLE_PROPRIETOR":
        return ["SOLE_PROPRIETOR"]
    return [code for code in USECASES if code != "SOLE_PROPRIETOR"]


def _validate_content(form: Form) -> dict[str, Any]:
    """The editable content of a campaign, validated (§3.4, §8.4)."""
    form.required("Description", "MessageFlow", "HasEmbeddedLinks", "HasEmbeddedPhone")
    description = form.get("Description") or ""
    if not 40 <= len(description) <= 4096:
        raise invalid("Description", "must be 40 to 4096 characters long")
    flow = form.get("MessageFlow") or ""
    if not 40 <= len(flow) <= 2048:
        raise invalid("MessageFlow", "must be 40 to 2048 characters long")
    samples = form.all("MessageSamples")
    if not 2 <= len(samples) <= 5:
        raise invalid("MessageSamples", "give 2 to 5 sample messages")
    for i, sample in enumerate(samples, start=1):
        if not 20 <= len(sample) <= 1024:
            raise invalid("MessageSamples", f"sample {i} must be 20 to 1024 characters long")
    content: dict[str, Any] = {
        "description": description,
        "message_flow": flow,
        "message_samples": samples,
        "has_embedded_links": form.bool("HasEmbeddedLinks"),
        "has_embedded_phone": form.bool("HasEmbeddedPhone"),
        "age_gated": form.bool("AgeGated"),
        "direct_lending": form.bool("DirectLending"),
        "privacy_policy_url": form.get("PrivacyPolicyUrl"),
        "terms_and_conditions_url": form.get("TermsAndConditionsUrl"),
    }
    for name, key in (
        ("OptInMessage", "opt_in_message"),
        ("OptOutMessage", "opt_out_message"),
        ("HelpMessage", "help_message"),
    ):
        value = form.get(name)
        if value is not None and not 20 <= len(value) <= 320:
            raise invalid(name, "must be 20 to 320 characters long")
        content[key] = value
    for name, key in (
        ("OptInKeywords", "opt_in_keywords"),
        ("OptOutKeywords", "opt_out_keywords"),
        ("HelpKeywords", "help_keywords"),
    ):
        words = form.all(name)
        for word in words:
            if not word or " " in word.strip() or len(word) > 255:
                raise invalid(name, f"{word!r} is not a single keyword")
        content[key] = words or None
    return content


def create_campaign(ctx: Context, service_sid: str) -> Response:
    """``POST /Services/{MG}/Compliance/Usa2p``: one campaign per service; the brand must be registered
    (21717), not UNVERIFIED (30991) and not still pending (30994); billable ($15 campaign vetting)."""
    _service_or_404(ctx, service_sid)
    form = form_of(ctx)
    form.required("BrandRegistrationSid", "UsAppToPersonUsecase")
    content = _validate_content(form)
    state = state_of(ctx)
    brand = state.brands.get(form.get("BrandRegistrationSid") or "")
    if brand is None:
        raise error(
            400, 21717, f"BrandRegistrationSid {form.get('BrandRegistrationSid')} is not a brand of this account"
        )
    status, identity = brand.data["status"], brand.data.get("identity_status")
    if status in ("FAILED", "SUSPENDED", "DELETION_PENDING", "DELETION_FAILED"):
        raise error(400, 21717, f"Brand {brand.sid} is {status} and cannot register campaigns")
    if status in ("PENDING", "IN_REVIEW") or not brand.registered:
        raise error(400, 30994, f"Brand {brand.sid} is still pending; wait for it to be approved")
    if identity == "UNVERIFIED":
        raise error(400, 30991, f"Brand {brand.sid} is unverified; fix or vet it first")
    usecase = form.get("UsAppToPersonUsecase") or ""
    if usecase not in _allowed_usecases(brand):
        raise invalid("UsAppToPersonUsecase", f"{usecase} is not available to brand {brand.sid}")
    if state.campaign_of(service_sid) is not None:
        raise error(409, 20001, f"Messaging Service {service_sid} already has an A2P campaign")
    try:
        scenario = brand.scenario.merged(parse_scenario(content["description"]))
    except ValueError as exc:
        raise invalid("Description", str(exc)) from None
    now = now_iso(ctx.sandbox)
    data = {
        "sid": sid(ctx.sandbox, "QE"),
        "account_sid": state.account_sid,
        "brand_registration_sid": brand.sid,
        "messaging_service_sid": service_sid,
        "us_app_to_person_usecase": usecase,
        "subscriber_opt_in": form.bool("SubscriberOptIn", True),
        "campaign_status": "PENDING",
        "campaign_id": None,
        "is_externally_registered": False,
        "rate_limits": {"att": {"mps": 600, "msg_class": "A"}, "tmobile": {"brand_tier": "TOP"}},
        "mock": bool(brand.data.get("mock")),
        "errors": [],
        "date_created": now,
        "date_updated": now,
        **content,
    }
    campaign = SimCampaign(data=data, scenario=scenario if isinstance(scenario, Scenario) else Scenario())
    state.campaigns[campaign.sid] = campaign
    machine(ctx).submit_campaign(state, campaign)
    return ok(_campaign_view(ctx, campaign), 201)


def list_campaigns(ctx: Context, service_sid: str) -> Response:
    _service_or_404(ctx, service_sid)
    campaign = state_of(ctx).campaign_of(service_sid)
    rows = [_campaign_view(ctx, campaign)] if campaign else []
    return page(ctx, "messaging", f"/v1/Services/{service_sid}/Compliance/Usa2p", "compliance", rows)


def fetch_campaign(ctx: Context, service_sid: str, campaign_sid: str) -> Response:
    return ok(_campaign_view(ctx, _campaign_or_404(ctx, service_sid, campaign_sid)))


def update_campaign(ctx: Context, service_sid: str, campaign_sid: str) -> Response:
    """``POST .../Usa2p/{QE}``: required HasEmbeddedLinks, HasEmbeddedPhone, MessageSamples, MessageFlow,
    Description, AgeGated, DirectLending. Editing a FAILED campaign resubmits it for review."""
    campaign = _campaign_or_404(ctx, service_sid, campaign_sid)
    form = form_of(ctx)
    form.required("AgeGated", "DirectLending")
    content = _validate_content(form)
    try:
        brand = state_of(ctx).brands.get(campaign.data["brand_registration_sid"])
        scenario = (brand.scenario if brand else Scenario()).merged(parse_scenario(content["description"]))
    except ValueError as exc:
        raise invalid("Description", str(exc)) from None
    # optional fields keep their value when not sent
    for key in (
        "opt_in_message",
        "opt_out_message",
        "help_message",
        "opt_in_keywords",
        "opt_out_keywords",
        "help_keywords",
        "privacy_policy_url",
        "terms_and_conditions_url",
    ):
        if content.get(key) is None:
            content.pop(key)
    campaign.data.update(content)
    campaign.data["date_updated"] = now_iso(ctx.sandbox)
    campaign.scenario = scenario
    if campaign.status == "FAILED":
        machine(ctx).resubmit_campaign(state_of(ctx), campaign)
    return ok(_campaign_view(ctx, campaign), 200)


def delete_campaign(ctx: Context, service_sid: str, campaign_sid: str) -> Response:
    campaign = _campaign_or_404(ctx, service_sid, campaign_sid)
    machine(ctx).delete_campaign(state_of(ctx), campaign)
    return Response(204)


def list_usecases(ctx: Context, service_sid: str) -> Response:
    """``GET .../Usa2p/Usecases?BrandRegistrationSid=`` -> ``{"us_app_to_person_usecases": [...]}``."""
    _service_or_404(ctx, service_sid)
    brand_sid = ctx.request.query.get("BrandRegistrationSid")
    if not brand_sid:
        raise error(400, 20001, "Missing required parameter BrandRegistrationSid")
    brand = state_of(ctx).brands.get(brand_sid)
    if brand is None:
        raise error(400, 21717, f"BrandRegistrationSid {brand_sid} is not a brand of this account")
    rows = [
        {
            "code": code,
            "name": USECASES[code]["displayName"],
            "description": USECASES[code]["description"],
            "post_approval_required": code in ("POLITICAL", "SWEEPSTAKE"),
        }
        for code in _allowed_usecases(brand)
    ]
    return ok({"us_app_to_person_usecases": rows})


ROUTES: list[Route] = [
    Route(BASE + "/a2p/BrandRegistrations", ("POST",), create_brand),
    Route(BASE + "/a2p/BrandRegistrations", ("GET",), list_brands),
    Route(BASE + "/a2p/BrandRegistrations/<brand_sid>", ("GET",), fetch_brand),
    Route(BASE + "/a2p/BrandRegistrations/<brand_sid>", ("POST",), update_brand),
    Route(BASE + "/a2p/BrandRegistrations/<brand_sid>/SmsOtp", ("POST",), send_otp),
    Route(BASE + "/a2p/BrandRegistrations/<brand_sid>/Vettings", ("POST",), create_vetting),
    Route(BASE + "/a2p/BrandRegistrations/<brand_sid>/Vettings", ("GET",), list_vettings),
    Route(BASE + "/Services", ("POST",), create_service),
    Route(BASE + "/Services", ("GET",), list_services),
    Route(BASE + "/Services/<service_sid>", ("GET",), fetch_service),
    Route(BASE + "/Services/<service_sid>", ("DELETE",), delete_service),
    Route(BASE + "/Services/<service_sid>/PhoneNumbers", ("POST",), add_number),
    Route(BASE + "/Services/<service_sid>/PhoneNumbers", ("GET",), list_numbers),
    Route(BASE + "/Services/<service_sid>/PhoneNumbers/<number_sid>", ("GET",), fetch_number),
    Route(BASE + "/Services/<service_sid>/PhoneNumbers/<number_sid>", ("DELETE",), remove_number),
    Route(BASE + "/Services/<service_sid>/Compliance/Usa2p/Usecases", ("GET",), list_usecases),
    Route(BASE + "/Services/<service_sid>/Compliance/Usa2p", ("POST",), create_campaign),
    Route(BASE + "/Services/<service_sid>/Compliance/Usa2p", ("GET",), list_campaigns),
    Route(BASE + "/Services/<service_sid>/Compliance/Usa2p/<campaign_sid>", ("GET",), fetch_campaign),
    Route(BASE + "/Services/<service_sid>/Compliance/Usa2p/<campaign_sid>", ("POST",), update_campaign),
    Route(BASE + "/Services/<service_sid>/Compliance/Usa2p/<campaign_sid>", ("DELETE",), delete_campaign),
]
