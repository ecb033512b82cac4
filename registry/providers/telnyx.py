"""Telnyx 10DLC adapter: the TenDlcProvider protocol over Telnyx's real wire format.

Paths, field names and response models follow the official Stainless-generated SDK
(team-telnyx/telnyx-python, ``src/telnyx/resources/messaging_10dlc/*`` and ``types/messaging_10dlc/*``).
Where that source differs from domain/provider-apis.md the source wins; each such place says so.

Idempotency (``client_ref``):

- campaigns: ``referenceId`` = client_ref ("must be unique across all submitted campaigns. Can be used to
  prevent duplicate campaign registrations", ``CampaignBuilderSubmitParams``). A create is therefore safe to
  repeat: a repeat that finds the first one committed gets a duplicate error and we return the original.
- brands: Telnyx brand create takes **no** ``referenceId`` (``BrandCreateParams``; ``TelnyxBrand.referenceId``
  is "Unique identifier Telnyx assigned to the brand - the brandId") and the list has no reference filter.
  We tag the brand's ``webhookURL`` with ``?ref=<client_ref>`` (echoed back by ``GET /10dlc/brand/{id}``
  and in every webhook's ``meta.delivered_to``) and ``find_brand_by_reference`` looks for it among the
  brands whose list fields match what we sent. Without a webhook URL it falls back to that fingerprint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from typing_extensions import Unpack

from . import telnyx_status as st
from .base import (
    AssignmentJob,
    AssignmentRecord,
    BrandInput,
    BrandRecord,
    CampaignInput,
    CampaignRecord,
    Capabilities,
    CostEstimate,
    Issue,
    Lifecycle,
    NormalizedEvent,
    OtpRecord,
    ProviderError,
    ProviderErrorKind,
    ProviderRef,
    Qualification,
    UseCase,
    VettingRecord,
)
from .http import quote_segment
from .telnyx_errors import telnyx_error
from .telnyx_webhooks import REF_PARAM, check_signature, load_public_key, parse_events
from .times import parse_date, parse_time
from .transport import HttpAdapter, TransportOptions, bearer

TELNYX_BASE_URL = "https://api.telnyx.com/v2"
PAGE_SIZE = 100
#: the 10DLC lists allow up to 500 records a page (provider-apis.md §2.7)
LIST_PAGE_SIZE = 500
#: lists are paged this far at most when looking for a reference (newest first)
MAX_RECONCILE_PAGES = 10

# Request fields Telnyx accepts (SDK params); TCR fields outside these (brandRelationship, einIssuingCountry,
# referenceId on brands ...) are not sent.
BRAND_CREATE_FIELDS = (
    "entityType", "displayName", "country", "email", "vertical", "businessContactEmail", "city",
    "companyName", "ein", "firstName", "ipAddress", "isReseller", "lastName", "mobilePhone", "mock", "phone",
    "postalCode", "state", "stockExchange", "stockSymbol", "street", "webhookURL", "webhookFailoverURL",
    "website",
)  # fmt: skip
BRAND_UPDATE_FIELDS = (
    *tuple(f for f in BRAND_CREATE_FIELDS if f not in ("mobilePhone", "mock")),
    "altBusinessId",
    "altBusinessIdType",
)
CAMPAIGN_CREATE_FIELDS = (
    "usecase", "description", "subUsecases", "messageFlow", "sample1", "sample2", "sample3", "sample4",
    "sample5", "subscriberOptin", "subscriberOptout", "subscriberHelp", "optinKeywords", "optinMessage",
    "optoutKeywords", "optoutMessage", "helpKeywords", "helpMessage", "embeddedLink", "embeddedLinkSample",
    "embeddedPhone", "numberPool", "ageGated", "directLending", "autoRenewal", "termsAndConditions",
    "termsAndConditionsLink", "privacyPolicyLink", "mnoIds", "resellerId", "tag", "webhookURL",
    "webhookFailoverURL",
)  # fmt: skip
# SDK ``CampaignResource.update``: "only sample messages are editable" plus these
CAMPAIGN_UPDATE_FIELDS = (
    "autoRenewal", "helpMessage", "messageFlow", "resellerId", "sample1", "sample2", "sample3", "sample4",
    "sample5", "webhookURL", "webhookFailoverURL",
)  # fmt: skip
#: campaign statuses with no carrier map worth fetching
NO_CARRIER_STAGE = frozenset({"TCR_PENDING", "TCR_FAILED", "TCR_EXPIRED"})

DEFAULT_PIN_SMS = "Your brand verification code is @OTP_PIN@. It expires in 24 hours."
DEFAULT_SUCCESS_SMS = "Thank you: your brand is verified for business texting."


def _pick(data: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data and data[k] is not None}


def _with_ref(url: str, client_ref: str) -> str:
    """``url`` with ``ref=<client_ref>`` added to its query string."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != REF_PARAM] + [(REF_PARAM, client_ref)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _ref_of(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    return dict(parse_qsl(urlsplit(url).query)).get(REF_PARAM)


class TelnyxProvider(HttpAdapter):
    """TenDlcProvider for one Telnyx account (one API key, one webhook public key)."""

    name = "telnyx"

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = TELNYX_BASE_URL,
        webhook_public_key: str | None = None,
        webhook_url: str | None = None,
        webhook_failover_url: str | None = None,
        **transport: Unpack[TransportOptions],
    ) -> None:
        super().__init__(**transport)
        self.webhook_url = webhook_url
        self.webhook_failover_url = webhook_failover_url
        self._public_key = load_public_key(webhook_public_key) if webhook_public_key else None
        self.http = self.client(base_url, bearer(api_key), telnyx_error)

    def capabilities(self) -> Capabilities:
        """Telnyx supports the whole journey, including webhooks and bulk assignment by profile."""
        return Capabilities(
            webhooks=True,
            qualify=True,
            cost_estimate=True,
            bulk_assign_by_profile=True,
            trust_bundles=False,
            brand_delete=True,
            otp=True,
            appeal=True,
        )

    # ---------------------------------------------------------------- brands
    def _webhook_fields(self, data: Mapping[str, Any], client_ref: str) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if self.webhook_url and "webhookURL" not in data:
            fields["webhookURL"] = _with_ref(self.webhook_url, client_ref)
        if self.webhook_failover_url and "webhookFailoverURL" not in data:
            fields["webhookFailoverURL"] = _with_ref(self.webhook_failover_url, client_ref)
        return fields

    @staticmethod
    def _brand_body(brand: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
        body = _pick(brand, fields)
        ein = body.get("ein")
        if isinstance(ein, str) and body.get("country", "US") == "US":
            body["ein"] = re.sub(r"\D", "", ein)  # "EIN is 9-digits in U.S." (BrandCreateParams)
        return body

    def create_brand(self, brand: BrandInput, *, client_ref: str) -> BrandRecord:
        """``POST /10dlc/brand``; billable ($4), not idempotent (no referenceId on Telnyx brands)."""
        body = self._brand_body(brand, BRAND_CREATE_FIELDS) | self._webhook_fields(brand, client_ref)
        resp = self.http.post("/10dlc/brand", body)
        return self._brand_record(resp.body, client_ref=client_ref)

    def find_brand_by_reference(self, client_ref: str, brand: BrandInput | None = None) -> BrandRecord | None:
        """The brand an earlier create with ``client_ref`` made, if any (see module docs)."""
        query: dict[str, Any] = {"sort": "-createdAt"}
        if brand and brand.get("displayName"):
            query["displayName"] = brand["displayName"]
        tagged = bool(self.webhook_url)
        for row in self._pages("/10dlc/brand", query, max_pages=MAX_RECONCILE_PAGES):
            if brand and not _same_brand(row, brand):
                continue
            if not tagged:
                return self.get_brand(row["brandId"])
            full = self.http.get(f"/10dlc/brand/{quote_segment(row['brandId'])}").body
            if _ref_of(full.get("webhookURL")) == client_ref:
                return self._brand_record(full, client_ref=client_ref)
        return None

    def get_brand(self, ref: ProviderRef) -> BrandRecord:
        """``GET /10dlc/brand/{brandId}`` (+ OTP status for self-declared sole proprietors)."""
        body = self.http.get(f"/10dlc/brand/{quote_segment(ref)}").body
        otp_verified = False
        if body.get("entityType") == "SOLE_PROPRIETOR" and body.get("identityStatus") == "SELF_DECLARED":
            otp_verified = self._otp_verified(ref)
        return self._brand_record(body, otp_verified=otp_verified)

    def _otp_verified(self, ref: ProviderRef) -> bool:
        try:
            return self.get_brand_otp(ref).verified_at is not None
        except ProviderError as exc:
            if exc.kind is ProviderErrorKind.NOT_FOUND:
                return False
            raise

    def update_brand(self, ref: ProviderRef, patch: BrandInput) -> BrandRecord:
        """``PUT /10dlc/brand/{brandId}``: a full update, so the current data is merged under the patch."""
        current = self.http.get(f"/10dlc/brand/{quote_segment(ref)}").body
        body = _pick(current, BRAND_UPDATE_FIELDS) | self._brand_body(patch, BRAND_UPDATE_FIELDS)
        resp = self.http.put(f"/10dlc/brand/{quote_segment(ref)}", body)
        return self._brand_record(resp.body)

    def delete_brand(self, ref: ProviderRef) -> None:
        """``DELETE /10dlc/brand/{brandId}``."""
        self.http.delete(f"/10dlc/brand/{quote_segment(ref)}")

    def revet_brand(self, ref: ProviderRef) -> BrandRecord:
        """``PUT /10dlc/brand/{brandId}/revet`` (once, then once per 3 months: never repeated blindly)."""
        resp = self.http.put(f"/10dlc/brand/{quote_segment(ref)}/revet", idempotent=False)
        return self._brand_record(resp.body)

    def get_brand_feedback(self, ref: ProviderRef) -> list[Issue]:
        """``GET /10dlc/brand/feedback/{brandId}`` categories as Issues."""
        body = self.http.get(f"/10dlc/brand/feedback/{quote_segment(ref)}").body or {}
        return [
            Issue(
                code=str(c.get("id", "")),
                message=str(c.get("description") or c.get("displayName") or ""),
                fields=tuple(c.get("fields") or ()),
            )
            for c in body.get("category") or []
            if isinstance(c, Mapping)
        ]

    def _brand_record(
        self, body: Mapping[str, Any], *, client_ref: str | None = None, otp_verified: bool = False
    ) -> BrandRecord:
        if not isinstance(body, Mapping) or not body.get("brandId"):
            raise ProviderError(ProviderErrorKind.MALFORMED, "Telnyx brand response has no brandId")
        lifecycle, known = st.brand_lifecycle(body.get("status"), body.get("identityStatus"), otp_verified=otp_verified)
        reasons = body.get("failureReasons")
        return BrandRecord(
            provider=self.name,
            provider_id=body["brandId"],
            registry_id=body.get("tcrBrandId"),
            lifecycle=lifecycle,
            identity=st.identity(body.get("identityStatus")),
            raw_status=body.get("status"),
            raw_identity=body.get("identityStatus"),
            client_ref=client_ref or _ref_of(body.get("webhookURL")),
            issues=(Issue("REGISTRATION_FAILED", str(reasons)),) if reasons else (),
            updated_at=parse_time(body.get("updatedAt")),
            needs_review=not known,
            raw=dict(body),
        )

    # ---------------------------------------------------------------- vetting & OTP
    def order_vetting(self, ref: ProviderRef, provider: str, vetting_class: str) -> VettingRecord:
        """``POST /10dlc/brand/{brandId}/externalVetting``; billable, so never repeated blindly."""
        resp = self.http.post(
            f"/10dlc/brand/{quote_segment(ref)}/externalVetting",
            {"evpId": provider, "vettingClass": vetting_class},
        )
        return self._vetting_record(ref, resp.body)

    def list_vettings(self, ref: ProviderRef) -> list[VettingRecord]:
        """``GET /10dlc/brand/{brandId}/externalVetting`` (a bare array, ``ExternalVettingListResponse``)."""
        body = self.http.get(f"/10dlc/brand/{quote_segment(ref)}/externalVetting").body
        rows = body.get("records", []) if isinstance(body, Mapping) else body or []
        return [self._vetting_record(ref, row) for row in rows if isinstance(row, Mapping)]

    def _vetting_record(self, brand_id: str, body: Mapping[str, Any]) -> VettingRecord:
        lifecycle, known = st.vetting_lifecycle(body)
        score = body.get("vettingScore")
        return VettingRecord(
            provider=self.name,
            brand_id=brand_id,
            evp_id=body.get("evpId"),
            vetting_class=body.get("vettingClass"),
            vetting_id=body.get("vettingId"),
            lifecycle=lifecycle,
            raw_status=body.get("vettingStatus"),
            score=score if isinstance(score, int) else None,
            vetted_at=parse_time(body.get("vettedDate")),
            created_at=parse_time(body.get("createDate")),
            needs_review=not known,
            raw=dict(body),
        )

    def send_brand_otp(
        self,
        ref: ProviderRef,
        *,
        pin_message: str = DEFAULT_PIN_SMS,
        success_message: str = DEFAULT_SUCCESS_SMS,
    ) -> OtpRecord:
        """``POST /10dlc/brand/{brandId}/smsOtp`` (sole proprietors; ``pinSms`` holds ``@OTP_PIN@``)."""
        resp = self.http.post(
            f"/10dlc/brand/{quote_segment(ref)}/smsOtp",
            {"pinSms": pin_message, "successSms": success_message},
        )
        body = resp.body or {}
        return OtpRecord(self.name, ref, body.get("referenceId"), Lifecycle.PENDING, raw=dict(body))

    def get_brand_otp(self, ref: ProviderRef) -> OtpRecord:
        """``GET /10dlc/brand/{brandId}/smsOtp``: delivery and verification state."""
        body = self.http.get(f"/10dlc/brand/{quote_segment(ref)}/smsOtp").body or {}
        verified = parse_time(body.get("verifyDate"))
        delivery = body.get("deliveryStatus")
        if verified is not None:
            lifecycle = Lifecycle.APPROVED
        elif isinstance(delivery, str) and delivery.upper().startswith(("FAILED", "EXPIRED")):
            lifecycle = Lifecycle.FAILED
        else:
            lifecycle = Lifecycle.PENDING
        return OtpRecord(
            provider=self.name,
            brand_id=ref,
            reference_id=body.get("referenceId"),
            lifecycle=lifecycle,
            delivery_status=delivery,
            requested_at=parse_time(body.get("requestDate")),
            verified_at=verified,
            raw=dict(body),
        )

    def verify_brand_otp(self, ref: ProviderRef, pin: str) -> OtpRecord:
        """``PUT /10dlc/brand/{brandId}/smsOtp`` with ``otpPin`` (empty answer), then the OTP state."""
        self.http.put(f"/10dlc/brand/{quote_segment(ref)}/smsOtp", {"otpPin": pin})
        return self.get_brand_otp(ref)

    # ---------------------------------------------------------------- use cases
    def list_use_cases(self, brand: ProviderRef | None = None) -> list[UseCase]:
        """``GET /10dlc/enum/usecase`` (TCR shape: a map keyed by code; a list is accepted too)."""
        body = self.http.get("/10dlc/enum/usecase").body
        if isinstance(body, Mapping) and isinstance(body.get("records"), list):
            body = body["records"]
        items: list[tuple[str, Any]]
        if isinstance(body, Mapping):
            items = list(body.items())
        else:
            items = [
                (str(x.get("code") or x.get("usecase")) if isinstance(x, Mapping) else str(x), x) for x in body or []
            ]
        result = []
        for code, info in items:
            info = info if isinstance(info, Mapping) else {}
            result.append(
                UseCase(
                    code=code,
                    display_name=str(info.get("displayName") or code),
                    classification=info.get("classification"),
                    description=info.get("description"),
                    min_sub_usecases=int(info.get("minSubUsecases") or 0),
                    max_sub_usecases=int(info.get("maxSubUsecases") or 0),
                    valid_sub_usecases=tuple(info.get("validSubUsecase") or ()),
                    raw=dict(info),
                )
            )
        return result

    def qualify(self, brand: ProviderRef, use_case: str) -> Qualification:
        """``GET /10dlc/campaignBuilder/brand/{brandId}/usecase/{usecase}``."""
        path = f"/10dlc/campaignBuilder/brand/{quote_segment(brand)}/usecase/{quote_segment(use_case)}"
        body = self.http.get(path).body or {}
        metadata = body.get("mnoMetadata") if isinstance(body.get("mnoMetadata"), Mapping) else {}
        carriers = {str(k): dict(v) for k, v in metadata.items() if isinstance(v, Mapping)}
        qualified = any(bool(v.get("qualify")) for v in carriers.values()) if carriers else True
        return Qualification(
            use_case=str(body.get("usecase") or use_case),
            qualified=qualified,
            monthly_fee=body.get("monthlyFee"),
            quarterly_fee=body.get("quarterlyFee"),
            annual_fee=body.get("annualFee"),
            min_sub_usecases=int(body.get("minSubUsecases") or 0),
            max_sub_usecases=int(body.get("maxSubUsecases") or 0),
            carriers=carriers,
            raw=dict(body),
        )

    def estimate_cost(self, use_case: str) -> CostEstimate:
        """``GET /10dlc/campaign/usecase/cost?usecase=X`` (amounts are strings)."""
        body = self.http.get("/10dlc/campaign/usecase/cost", query={"usecase": use_case}).body or {}
        return CostEstimate(
            use_case=str(body.get("campaignUsecase") or use_case),
            monthly=body.get("monthlyCost"),
            up_front=body.get("upFrontCost"),
            description=body.get("description"),
            raw=dict(body),
        )

    # ---------------------------------------------------------------- campaigns
    def create_campaign(self, brand: ProviderRef, campaign: CampaignInput, *, client_ref: str) -> CampaignRecord:
        """``POST /10dlc/campaignBuilder`` with ``referenceId`` = client_ref, so repeats are detected."""
        body = _pick(campaign, CAMPAIGN_CREATE_FIELDS) | self._webhook_fields(campaign, client_ref)
        body |= {"brandId": brand, "referenceId": client_ref}
        try:
            resp = self.http.post("/10dlc/campaignBuilder", body, idempotent=True)
        except ProviderError as exc:
            if exc.kind is ProviderErrorKind.CONFLICT:
                existing = self.find_campaign_by_reference(brand, client_ref)
                if existing is not None:
                    return existing
            raise
        return self._campaign_record(resp.body, {})

    def find_campaign_by_reference(self, brand: ProviderRef, client_ref: str) -> CampaignRecord | None:
        """Look through the brand's campaigns (``GET /10dlc/campaign?brandId=``) for ``referenceId``."""
        query = {"brandId": brand, "sort": "-createdAt"}
        for row in self._pages("/10dlc/campaign", query, max_pages=MAX_RECONCILE_PAGES):
            if row.get("referenceId") == client_ref and row.get("campaignId"):
                return self.get_campaign(row["campaignId"])
        return None

    def get_campaign(self, ref: ProviderRef) -> CampaignRecord:
        """``GET /10dlc/campaign/{id}`` + ``/operationStatus`` (per-MNO map) once carriers are involved."""
        body = self.http.get(f"/10dlc/campaign/{quote_segment(ref)}").body
        operation: Any = {}
        if isinstance(body, Mapping) and body.get("campaignStatus") not in NO_CARRIER_STAGE:
            try:
                operation = self.http.get(f"/10dlc/campaign/{quote_segment(ref)}/operationStatus").body or {}
            except ProviderError as exc:
                if exc.kind is not ProviderErrorKind.NOT_FOUND:
                    raise
        return self._campaign_record(body, operation)

    def list_campaigns(self, brand: ProviderRef) -> list[CampaignRecord]:
        """``GET /10dlc/campaign?brandId=`` page by page (500 a page); no per-carrier map."""
        query = {"brandId": brand, "sort": "createdAt"}
        rows = self._pages("/10dlc/campaign", query, page_size=LIST_PAGE_SIZE)
        return [self._campaign_record(row, {}) for row in rows if row.get("campaignId")]

    def update_campaign(self, ref: ProviderRef, patch: CampaignInput) -> CampaignRecord:
        """``PUT /10dlc/campaign/{id}`` with the fields Telnyx lets us change."""
        body = _pick(patch, CAMPAIGN_UPDATE_FIELDS)
        if body:
            self.http.put(f"/10dlc/campaign/{quote_segment(ref)}", body)
        return self.get_campaign(ref)

    def deactivate_campaign(self, ref: ProviderRef) -> CampaignRecord:
        """``DELETE /10dlc/campaign/{id}`` (irreversible), then the campaign as it now stands."""
        self.http.delete(f"/10dlc/campaign/{quote_segment(ref)}")
        try:
            return self.get_campaign(ref)
        except ProviderError as exc:
            if exc.kind is not ProviderErrorKind.NOT_FOUND:
                raise
            return CampaignRecord(self.name, ref, None, None, Lifecycle.DEACTIVATED, None)

    def appeal_campaign(self, ref: ProviderRef, reason: str) -> None:
        """``POST /10dlc/campaign/{id}/appeal`` with ``appeal_reason`` (snake_case in the SDK)."""
        self.http.post(f"/10dlc/campaign/{quote_segment(ref)}/appeal", {"appeal_reason": reason})

    def _campaign_record(self, body: Any, operation: Any) -> CampaignRecord:
        if not isinstance(body, Mapping) or not body.get("campaignId"):
            raise ProviderError(ProviderErrorKind.MALFORMED, "Telnyx campaign response has no campaignId")
        raw_carriers = {str(k): str(v) for k, v in operation.items()} if isinstance(operation, Mapping) else {}
        carrier_map = st.carriers(raw_carriers, t_mobile_suspended=bool(body.get("isTMobileSuspended")))
        lifecycle, known = st.campaign_lifecycle(body.get("campaignStatus"), carrier_map)
        reasons = body.get("failureReasons")
        return CampaignRecord(
            provider=self.name,
            provider_id=body["campaignId"],
            registry_id=body.get("tcrCampaignId"),
            brand_id=body.get("brandId"),
            lifecycle=lifecycle,
            raw_status=body.get("campaignStatus"),
            carriers=carrier_map,
            raw_carriers=raw_carriers,
            client_ref=body.get("referenceId"),
            use_case=body.get("usecase"),
            issues=(Issue("CAMPAIGN_FAILURE", str(reasons)),) if reasons else (),
            updated_at=parse_time(body.get("updatedAt")),
            needs_review=not known,
            raw=dict(body),
            term_ends_on=parse_date(body.get("nextRenewalOrExpirationDate")),
        )

    # ---------------------------------------------------------------- numbers
    def assign_number(self, campaign: ProviderRef, number: str) -> AssignmentRecord:
        """``POST /10dlc/phone_number_campaigns``; a repeat finding the number already ours is fine."""
        try:
            resp = self.http.post(
                "/10dlc/phone_number_campaigns",
                {"phoneNumber": number, "campaignId": campaign},
                idempotent=True,
            )
        except ProviderError as exc:
            if exc.kind is ProviderErrorKind.CONFLICT:
                current = self.get_assignment(number)
                if current.campaign_id == campaign:
                    return current
            raise
        return self._assignment_record(resp.body)

    def assign_numbers(self, campaign: ProviderRef, numbers: Sequence[str]) -> AssignmentJob:
        """Assign numbers one by one; each failure is reported on its number (auth errors still raise)."""
        records = []
        for number in numbers:
            try:
                records.append(self.assign_number(campaign, number))
            except ProviderError as exc:
                if exc.kind in (ProviderErrorKind.AUTH, ProviderErrorKind.FORBIDDEN):
                    raise
                records.append(
                    AssignmentRecord(
                        provider=self.name,
                        phone_number=number,
                        campaign_id=campaign,
                        lifecycle=None if exc.retryable else Lifecycle.FAILED,
                        raw_status=None,
                        issues=(Issue(exc.provider_code or exc.kind.value, exc.message, exc.fields),),
                        needs_review=exc.retryable,
                    )
                )
        pending = any(r.lifecycle in (None, Lifecycle.PENDING) for r in records)
        return AssignmentJob(
            provider=self.name,
            job_id=None,
            campaign_id=campaign,
            lifecycle=Lifecycle.PENDING if pending else Lifecycle.APPROVED,
            raw_status=None,
            assignments=tuple(records),
        )

    def assign_messaging_profile(self, campaign: ProviderRef, messaging_profile_id: str) -> AssignmentJob:
        """``POST /10dlc/phoneNumberAssignmentByProfile``: every number on the profile, as a task."""
        resp = self.http.post(
            "/10dlc/phoneNumberAssignmentByProfile",
            {"messagingProfileId": messaging_profile_id, "campaignId": campaign},
        )
        body = resp.body or {}
        return AssignmentJob(
            provider=self.name,
            job_id=body.get("taskId"),
            campaign_id=body.get("campaignId") or campaign,
            lifecycle=Lifecycle.PENDING,
            raw_status=None,
            raw=dict(body),
        )

    def get_assignment_job(self, job_id: str) -> AssignmentJob:
        """``GET /10dlc/phoneNumberAssignmentByProfile/{taskId}`` and its ``/phoneNumbers``."""
        base = f"/10dlc/phoneNumberAssignmentByProfile/{quote_segment(job_id)}"
        task = self.http.get(base).body or {}
        lifecycle, known = st.task_lifecycle(task.get("status"))
        numbers = []
        for row in self._pages(base + "/phoneNumbers", {}):
            row_lifecycle, row_known = st.assignment_lifecycle(row.get("status"))
            numbers.append(
                AssignmentRecord(
                    provider=self.name,
                    phone_number=str(row.get("phoneNumber")),
                    campaign_id=None,
                    lifecycle=row_lifecycle,
                    raw_status=row.get("status"),
                    needs_review=not row_known,
                    raw=dict(row),
                )
            )
        return AssignmentJob(
            provider=self.name,
            job_id=job_id,
            campaign_id=task.get("campaignId"),
            lifecycle=lifecycle if known else None,
            raw_status=task.get("status"),
            assignments=tuple(numbers),
            raw=dict(task),
        )

    def get_assignment(self, number: str) -> AssignmentRecord:
        """``GET /10dlc/phone_number_campaigns/{phoneNumber}``; NOT_FOUND once unassigned."""
        return self._assignment_record(self.http.get(f"/10dlc/phone_number_campaigns/{quote_segment(number)}").body)

    def list_assignments(self, campaign: ProviderRef) -> list[AssignmentRecord]:
        """Every number on a campaign (``filter[telnyx_campaign_id]``)."""
        query = {"filter[telnyx_campaign_id]": campaign}
        return [self._assignment_record(r) for r in self._pages("/10dlc/phone_number_campaigns", query)]

    def unassign_number(self, number: str) -> AssignmentRecord:
        """``DELETE /10dlc/phone_number_campaigns/{phoneNumber}`` (PENDING_UNASSIGNMENT until done)."""
        return self._assignment_record(self.http.delete(f"/10dlc/phone_number_campaigns/{quote_segment(number)}").body)

    def _assignment_record(self, body: Any) -> AssignmentRecord:
        if not isinstance(body, Mapping) or not body.get("phoneNumber"):
            raise ProviderError(ProviderErrorKind.MALFORMED, "Telnyx assignment response has no phoneNumber")
        lifecycle, known = st.assignment_lifecycle(body.get("assignmentStatus"))
        reasons = body.get("failureReasons")
        return AssignmentRecord(
            provider=self.name,
            phone_number=body["phoneNumber"],
            campaign_id=body.get("telnyxCampaignId") or body.get("campaignId"),
            lifecycle=lifecycle,
            raw_status=body.get("assignmentStatus"),
            registry_campaign_id=body.get("tcrCampaignId"),
            issues=(Issue("ASSIGNMENT_FAILURE", str(reasons)),) if reasons else (),
            updated_at=parse_time(body.get("updatedAt")),
            needs_review=not known,
            raw=dict(body),
        )

    # ---------------------------------------------------------------- webhooks
    def verify_webhook(self, url: str, headers: Mapping[str, str], raw_body: bytes) -> bool:
        """Ed25519 signature over ``timestamp|body`` by the account's key, within 300 s of now."""
        if self._public_key is None:
            return False
        try:
            check_signature(headers, raw_body, self._public_key, now=self._wall())
        except ProviderError:
            return False
        return True

    def check_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> None:
        """Like verify_webhook, but raise ProviderError(AUTH) saying why a request is rejected."""
        if self._public_key is None:
            raise ProviderError(ProviderErrorKind.AUTH, "no webhook public key configured for this account")
        check_signature(headers, raw_body, self._public_key, now=self._wall())

    def parse_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> list[NormalizedEvent]:
        """Normalized events of a Telnyx 10DLC webhook (verify first)."""
        return parse_events(raw_body, provider=self.name)

    # ---------------------------------------------------------------- paging
    def _pages(
        self,
        path: str,
        query: Mapping[str, Any],
        *,
        max_pages: int | None = None,
        page_size: int = PAGE_SIZE,
    ) -> Iterator[Mapping[str, Any]]:
        """Rows of a 10DLC list (``page``/``recordsPerPage``, body ``{records, page, totalRecords}``)."""
        page, seen = 1, 0
        while max_pages is None or page <= max_pages:
            body = self.http.get(path, query={**query, "page": page, "recordsPerPage": page_size}).body or {}
            records = body.get("records") if isinstance(body, Mapping) else None
            if not records:
                return
            for row in records:
                if isinstance(row, Mapping):
                    yield row
            seen += len(records)
            total = body.get("totalRecords")
            if (isinstance(total, int) and seen >= total) or len(records) < page_size:
                return
            page += 1


def _same_brand(row: Mapping[str, Any], brand: Mapping[str, Any]) -> bool:
    """Whether a brand list row matches what we submitted on the fields the list shows."""
    for key in ("entityType", "displayName", "companyName", "email"):
        want, have = brand.get(key), row.get(key)
        if want and have and str(want).strip().lower() != str(have).strip().lower():
            return False
    return True
