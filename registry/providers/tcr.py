"""Direct TCR CSP API v2 adapter: the TenDlcProvider protocol over The Campaign Registry's own wire format.

Paths, fields and codes follow the TCR CSP API OpenAPI 3.0.1 document ("TCR - CSP Registry API", server ``/v2``)
as summarised in domain/provider-apis.md §1; where that summary and the spec differ the spec wins and the place
says so (e.g. ``mnoIds`` are integers, ``CampaignRequest.mnoIds`` items ``int64``).

- Transport: HTTP basic auth (API key : API secret), JSON; error bodies are arrays (tcr_errors.py).
- Idempotency: ``client_ref`` is TCR's ``referenceId`` on brands and campaigns (unique per CSP; a reused one is
  refused with 503), so a create repeated after a lost answer is refused and resolved to the record the first
  attempt made (``GET /brand?referenceId=`` / ``GET /campaign?referenceId=``). Billable creates are never retried
  blindly; TCR's transient codes 591/620/630 are retried like a 5xx on idempotent calls only.
- Campaigns: created with ``mnoIds`` (the configured list, else every MNO of ``/enum/mno``), then shared with
  the upstream CNP/DCA (``PUT /campaign/{id}/sharing/{upstreamCnpId}``) when one is configured. The lifecycle
  comes from ``status`` + the share's ``sharingStatus`` + ``operationStatus`` (tcr_status.py).
- Numbers: TCR does not assign numbers. The DCA provisions them into the NetNumber registry (nnSR) and TCR only
  shows what nnSR reports (``GET /campaign/{id}/osr/phones``); assigning raises PRECONDITION.
- Webhooks: subscribed per category on first need; unsigned, treated as hints (tcr_webhooks.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from typing_extensions import Unpack

from . import tcr_status as st
from .base import (
    AssignmentJob,
    AssignmentRecord,
    BrandInput,
    BrandRecord,
    CampaignInput,
    CampaignRecord,
    Capabilities,
    CarrierState,
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
from .http import HttpResponse, quote_segment
from .tcr_errors import TRANSIENT_CODES, tcr_error
from .tcr_webhooks import SUBSCRIBED_CATEGORIES, check_event, parse_event
from .times import parse_date, parse_time
from .transport import HttpAdapter, TransportOptions, basic_auth

log = logging.getLogger(__name__)

TCR_BASE_URL = "https://csp-api.campaignregistry.com/v2"
#: list pages: TCR allows up to 500 records a page (provider-apis.md §1.7)
PAGE_SIZE = 500
#: "no reseller" (``CampaignRequest.resellerId`` is required)
NO_RESELLER = "R000000"
DEFAULT_PIN_SMS = "Your brand verification code is @OTP_PIN@. It expires in 24 hours."
DEFAULT_SUCCESS_SMS = "Thank you: your brand is verified for business texting."

# BrandRequest properties (TCR CSP API OpenAPI)
BRAND_CREATE_FIELDS = (
    "entityType", "firstName", "lastName", "displayName", "companyName", "ein", "einIssuingCountry", "phone",
    "street", "city", "state", "postalCode", "country", "email", "stockSymbol", "stockExchange", "ipAddress",
    "website", "brandRelationship", "vertical", "altBusinessId", "altBusinessIdType", "mock", "tag",
    "mobilePhone", "businessContactEmail",
)  # fmt: skip
# UpdateBrand_CSP properties (a full update: required entityType, displayName, country, email, brandRelationship)
BRAND_UPDATE_FIELDS = (*(f for f in BRAND_CREATE_FIELDS if f not in ("mock", "tag")), "referenceId")
# CampaignRequest properties
CAMPAIGN_CREATE_FIELDS = (
    "usecase", "subUsecases", "resellerId", "description", "embeddedLink", "embeddedPhone", "termsAndConditions",
    "numberPool", "ageGated", "directLending", "subscriberOptin", "subscriberOptout", "subscriberHelp", "sample1",
    "sample2", "sample3", "sample4", "sample5", "messageFlow", "helpMessage", "autoRenewal", "tag", "optinKeywords",
    "optoutKeywords", "helpKeywords", "optinMessage", "optoutMessage", "privacyPolicyLink",
    "termsAndConditionsLink", "embeddedLinkSample",
)  # fmt: skip
# UpdateCampaign_CSP properties (brandId, usecase, subUsecases, referenceId are immutable)
CAMPAIGN_UPDATE_FIELDS = (
    "resellerId", "description", "sample1", "sample2", "sample3", "sample4", "sample5", "messageFlow",
    "helpMessage", "autoRenewal", "optinKeywords", "optoutKeywords", "helpKeywords", "optinMessage",
    "optoutMessage", "privacyPolicyLink", "termsAndConditionsLink", "embeddedLinkSample", "numberPool",
    "embeddedLink", "embeddedPhone", "ageGated", "directLending",
)  # fmt: skip
DCA_ASSIGNS = (
    "TCR does not assign numbers to campaigns: the DCA the campaign is shared with provisions them into the "
    "number registry (nnSR). Ask the DCA, then read the result with list_assignments(campaign)."
)


def _pick(data: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data and data[k] is not None}


def _mno_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        message = f"MNO id {value!r} is not a network id"
        raise ProviderError(ProviderErrorKind.VALIDATION, message, fields=["mnoIds"]) from None


class TcrProvider(HttpAdapter):
    """TenDlcProvider for one TCR CSP account (one API key and secret)."""

    name = "tcr"

    def __init__(
        self,
        api_key: str,
        api_secret: str,
        *,
        base_url: str = TCR_BASE_URL,
        webhook_url: str | None = None,
        upstream_cnp_id: str | None = None,
        mno_ids: Sequence[str | int] | None = None,
        csp_id: str | None = None,
        **transport: Unpack[TransportOptions],
    ) -> None:
        super().__init__(**transport)
        self.webhook_url = webhook_url
        self.upstream_cnp_id = upstream_cnp_id
        self.mno_ids = [_mno_int(m) for m in mno_ids] if mno_ids is not None else None
        #: our CSP id (``S...``): given, or learned from the first brand/campaign read; webhooks must name it
        self.csp_id = csp_id
        self._all_mnos: list[int] | None = None
        self._subscribed_to: str | None = None
        self._otp_refs: dict[str, str] = {}
        self.http = self.client(base_url, basic_auth(api_key, api_secret), tcr_error)

    def capabilities(self) -> Capabilities:
        """Direct TCR: qualify (fees), OTP, brand delete, appeal by nudge, webhooks; no number assignment."""
        return Capabilities(
            webhooks=True,
            qualify=True,
            cost_estimate=True,
            bulk_assign_by_profile=False,
            trust_bundles=False,
            brand_delete=True,
            otp=True,
            appeal=True,
            assigns_numbers=False,
        )

    # ---------------------------------------------------------------- transport
    def _request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotent: bool | None = None,
    ) -> HttpResponse:
        """One call; TCR's transient business codes (591/620/630) are retried like a 5xx when idempotent."""
        idempotent = method in ("GET", "PUT", "DELETE") if idempotent is None else idempotent
        attempt = 0
        while True:
            attempt += 1
            try:
                return self.http.request(method, path, query=query, body=body, idempotent=idempotent)
            except ProviderError as exc:
                transient = exc.provider_code in TRANSIENT_CODES and exc.status not in self.retry.retry_statuses
                if not transient:
                    raise
                if not idempotent:
                    exc.maybe_committed = True  # a create answered "temporary error": reconcile before retrying
                    raise
                if attempt >= self.retry.max_attempts:
                    raise
                ceiling = min(self.retry.backoff_max, self.retry.backoff_base * (2 ** (attempt - 1)))
                delay = exc.retry_after if exc.retry_after is not None else ceiling
                if delay > self.retry.max_retry_after:
                    raise
                self._sleep(delay)

    def _get(self, path: str, query: Mapping[str, Any] | None = None) -> Any:
        return self._request("GET", path, query=query).body

    def _pages(self, path: str, query: Mapping[str, Any], *, max_pages: int | None = None) -> Iterator[Mapping]:
        """Rows of a TCR record set (``page`` 1-based, ``recordsPerPage`` <= 500, ``{page, totalRecords, records}``)."""
        page, seen = 1, 0
        while max_pages is None or page <= max_pages:
            body = self._get(path, {**query, "page": page, "recordsPerPage": PAGE_SIZE}) or {}
            records = body.get("records") if isinstance(body, Mapping) else None
            if not records:
                return
            for row in records:
                if isinstance(row, Mapping):
                    yield row
            seen += len(records)
            total = body.get("totalRecords")
            if (isinstance(total, int) and seen >= total) or len(records) < PAGE_SIZE:
                return
            page += 1

    def _learn_csp(self, body: Mapping[str, Any]) -> None:
        if self.csp_id is None and isinstance(body.get("cspId"), str) and body["cspId"]:
            self.csp_id = body["cspId"]

    # ---------------------------------------------------------------- webhook subscriptions
    def ensure_webhook_subscriptions(self) -> None:
        """Subscribe ``webhook_url`` for BRAND, CAMPAIGN and VETTING events, once, listing the subscriptions first
        (``GET`` then ``PUT /webhook/subscription`` per category that points elsewhere)."""
        if not self.webhook_url or self._subscribed_to == self.webhook_url:
            return
        body = self._get("/webhook/subscription")
        rows = body.get("records") if isinstance(body, Mapping) else body
        current = {str(r.get("eventCategory")): r.get("webhookEndpoint") for r in rows or [] if isinstance(r, Mapping)}
        for category in SUBSCRIBED_CATEGORIES:
            if current.get(category) != self.webhook_url:
                self._request(
                    "PUT",
                    "/webhook/subscription",
                    body={"eventCategory": category, "webhookEndpoint": self.webhook_url},
                )
        self._subscribed_to = self.webhook_url

    def _subscribe_quietly(self) -> None:
        """Subscribe before a create; a failure is logged and retried next time (the scheduled sync reconciles)."""
        try:
            self.ensure_webhook_subscriptions()
        except ProviderError as exc:
            if exc.kind in (ProviderErrorKind.AUTH, ProviderErrorKind.FORBIDDEN):
                raise
            log.warning("TCR webhook subscription failed (%s); will retry on the next create", exc.message)

    # ---------------------------------------------------------------- brands
    @staticmethod
    def _brand_body(brand: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
        body = _pick(brand, fields)
        ein = body.get("ein")
        if isinstance(ein, str) and body.get("einIssuingCountry", body.get("country", "US")) == "US":
            body["ein"] = re.sub(r"\D", "", ein)  # "EIN is 9-digits in U.S." (BrandRequest.ein)
        return body

    def create_brand(self, brand: BrandInput, *, client_ref: str) -> BrandRecord:
        """``POST /brand/nonBlocking`` with ``referenceId`` = client_ref; billable. A 503 duplicate is resolved to
        the brand an earlier attempt made."""
        self._subscribe_quietly()
        body = self._brand_body(brand, BRAND_CREATE_FIELDS)
        body.setdefault("brandRelationship", "BASIC_ACCOUNT")
        if "phone" not in body and body.get("mobilePhone"):
            body["phone"] = body["mobilePhone"]  # BrandRequest requires phone; a sole proprietor's is the mobile
        body["referenceId"] = client_ref
        try:
            resp = self._request("POST", "/brand/nonBlocking", body=body, idempotent=False)
        except ProviderError as exc:
            if exc.kind is ProviderErrorKind.CONFLICT:
                existing = self.find_brand_by_reference(client_ref)
                if existing is not None:
                    return existing
            raise
        return self._brand_record(resp.body)

    def find_brand_by_reference(self, client_ref: str, brand: BrandInput | None = None) -> BrandRecord | None:
        """``GET /brand?referenceId=`` (unique per CSP)."""
        for row in self._pages("/brand", {"referenceId": client_ref}, max_pages=1):
            if row.get("referenceId") == client_ref and row.get("brandId"):
                return self._brand_record(row)
        return None

    def get_brand(self, ref: ProviderRef) -> BrandRecord:
        """``GET /brand/{brandId}`` (DELETED brands too)."""
        return self._brand_record(self._get(f"/brand/{quote_segment(ref)}"))

    def update_brand(self, ref: ProviderRef, patch: BrandInput) -> BrandRecord:
        """``PUT /brand/{brandId}``: a full update, so the current data is merged under the patch. Identity edits
        make the brand UNVERIFIED until a revet; they are refused (537) while campaigns are active."""
        current = self._get(f"/brand/{quote_segment(ref)}") or {}
        body = _pick(current, BRAND_UPDATE_FIELDS) | self._brand_body(patch, BRAND_UPDATE_FIELDS)
        resp = self._request("PUT", f"/brand/{quote_segment(ref)}", body=body)
        return self._brand_record(resp.body or self._get(f"/brand/{quote_segment(ref)}"))

    def delete_brand(self, ref: ProviderRef) -> None:
        """``DELETE /brand/{brandId}`` (status DELETED; 542 while campaigns are active)."""
        self._request("DELETE", f"/brand/{quote_segment(ref)}")

    def revet_brand(self, ref: ProviderRef) -> BrandRecord:
        """``PUT /brand/{brandId}/revet`` (200 done / 202 still vetting; 525 if nothing changed). Never repeated
        blindly: a revet is rate-limited by TCR."""
        resp = self._request("PUT", f"/brand/{quote_segment(ref)}/revet", idempotent=False)
        body = resp.body if isinstance(resp.body, Mapping) and resp.body.get("brandId") else None
        return self._brand_record(body or self._get(f"/brand/{quote_segment(ref)}"))

    def get_brand_feedback(self, ref: ProviderRef) -> list[Issue]:
        """``GET /brand/feedback/{brandId}`` categories as Issues (codes of their ``errors`` in the message)."""
        body = self._get(f"/brand/feedback/{quote_segment(ref)}") or {}
        issues = []
        for category in body.get("category") or []:
            if not isinstance(category, Mapping):
                continue
            message = str(category.get("description") or category.get("displayName") or "")
            codes = [str(e.get("code")) for e in category.get("errors") or [] if isinstance(e, Mapping)]
            if codes:
                message = f"{message} ({', '.join(codes)})"
            issues.append(Issue(str(category.get("id", "")), message, tuple(category.get("fields") or ())))
        return issues

    def _brand_record(self, body: Any) -> BrandRecord:
        if not isinstance(body, Mapping) or not body.get("brandId"):
            raise ProviderError(ProviderErrorKind.MALFORMED, "TCR brand response has no brandId")
        self._learn_csp(body)
        auth_plus_pending = body.get("entityType") == "PUBLIC_PROFIT" and not body.get(
            "businessContactEmailVerifiedDate"
        )
        lifecycle, known = st.brand_lifecycle(
            body.get("status"),
            body.get("identityStatus"),
            otp_verified=bool(body.get("mobilePhoneVerifiedDate")),
            auth_plus_pending=auth_plus_pending,
        )
        return BrandRecord(
            provider=self.name,
            provider_id=body["brandId"],
            registry_id=body["brandId"],
            lifecycle=lifecycle,
            identity=st.identity(body.get("identityStatus")),
            raw_status=body.get("status"),
            raw_identity=body.get("identityStatus"),
            client_ref=body.get("referenceId"),
            updated_at=None,  # Brand_CSP has no modification time
            needs_review=not known,
            raw=dict(body),
        )

    # ---------------------------------------------------------------- vetting & OTP
    def order_vetting(self, ref: ProviderRef, provider: str, vetting_class: str) -> VettingRecord:
        """``POST /brand/{brandId}/externalVetting``; billable, never repeated blindly (549 when too soon)."""
        self._subscribe_quietly()
        resp = self._request(
            "POST",
            f"/brand/{quote_segment(ref)}/externalVetting",
            body={"evpId": provider, "vettingClass": vetting_class},
            idempotent=False,
        )
        return self._vetting_record(ref, resp.body or {})

    def import_vetting(
        self, ref: ProviderRef, provider: str, vetting_id: str, vetting_token: str | None = None
    ) -> VettingRecord:
        """``PUT /brand/{brandId}/externalVetting``: import a vet done elsewhere (525 when already imported)."""
        body = {"evpId": provider, "vettingId": vetting_id}
        if vetting_token:
            body["vettingToken"] = vetting_token
        resp = self._request("PUT", f"/brand/{quote_segment(ref)}/externalVetting", body=body)
        return self._vetting_record(ref, resp.body or {})

    def list_vettings(self, ref: ProviderRef) -> list[VettingRecord]:
        """``GET /brand/{brandId}/externalVetting`` (an array)."""
        body = self._get(f"/brand/{quote_segment(ref)}/externalVetting")
        rows = body.get("records", []) if isinstance(body, Mapping) else body or []
        return [self._vetting_record(ref, row) for row in rows if isinstance(row, Mapping)]

    def _vetting_record(self, brand_id: str, body: Mapping[str, Any]) -> VettingRecord:
        lifecycle, known = st.vetting_lifecycle(body.get("vettingStatus"))
        score = body.get("vettingScore")
        return VettingRecord(
            provider=self.name,
            brand_id=brand_id,
            evp_id=body.get("evpId"),
            vetting_class=body.get("vettingClass"),
            vetting_id=body.get("vettingId"),
            lifecycle=lifecycle,
            raw_status=body.get("vettingStatus"),
            score=score if isinstance(score, int) and not isinstance(score, bool) else None,
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
        """``POST /brand/{brandId}/smsOtp`` (``pinSms`` holds ``@OTP_PIN@``); remembers the OTP ``referenceId``."""
        resp = self._request(
            "POST",
            f"/brand/{quote_segment(ref)}/smsOtp",
            body={"pinSms": pin_message, "successSms": success_message},
        )
        body = resp.body or {}
        if body.get("referenceId"):
            self._otp_refs[ref] = body["referenceId"]
        return OtpRecord(self.name, ref, body.get("referenceId"), Lifecycle.PENDING, raw=dict(body))

    def get_brand_otp(self, ref: ProviderRef, reference_id: str | None = None) -> OtpRecord:
        """``GET /brand/smsOtp/{referenceId}``. TCR reads OTP status by the reference ``send_brand_otp`` returned;
        without one (another process sent it) the brand's ``mobilePhoneVerifiedDate`` tells verified or not."""
        reference_id = reference_id or self._otp_refs.get(ref)
        if reference_id is None:
            brand = self._get(f"/brand/{quote_segment(ref)}") or {}
            verified = parse_time(brand.get("mobilePhoneVerifiedDate"))
            if verified is None:
                raise ProviderError(
                    ProviderErrorKind.NOT_FOUND,
                    f"no OTP reference known for brand {ref}: pass the referenceId send_brand_otp returned",
                )
            return OtpRecord(self.name, ref, None, Lifecycle.APPROVED, verified_at=verified, raw=dict(brand))
        body = self._get(f"/brand/smsOtp/{quote_segment(reference_id)}") or {}
        return OtpRecord(
            provider=self.name,
            brand_id=ref,
            reference_id=body.get("referenceId") or reference_id,
            lifecycle=st.otp_lifecycle(body),
            delivery_status=body.get("deliveryStatus"),
            requested_at=parse_time(body.get("requestDate")),
            verified_at=parse_time(body.get("verifyDate")),
            raw=dict(body),
        )

    def verify_brand_otp(self, ref: ProviderRef, pin: str) -> OtpRecord:
        """``PUT /brand/{brandId}/smsOtp`` with ``otpPin`` (552 wrong or expired, 557 too many attempts)."""
        self._request("PUT", f"/brand/{quote_segment(ref)}/smsOtp", body={"otpPin": pin})
        return self.get_brand_otp(ref)

    # ---------------------------------------------------------------- use cases & cost
    def list_use_cases(self, brand: ProviderRef | None = None) -> list[UseCase]:
        """``GET /enum/usecase`` (a map keyed by code)."""
        body = self._get("/enum/usecase")
        items = list(body.items()) if isinstance(body, Mapping) else []
        result = []
        for code, info in items:
            info = info if isinstance(info, Mapping) else {}
            subs = info.get("validSubUsecase")
            result.append(
                UseCase(
                    code=str(code),
                    display_name=str(info.get("displayName") or code),
                    classification=info.get("classification"),
                    description=info.get("description"),
                    min_sub_usecases=int(info.get("minSubUsecases") or 0),
                    max_sub_usecases=int(info.get("maxSubUsecases") or 0),
                    # the spec's example has a boolean here ("validSubUsecase": true); the simulator a list
                    valid_sub_usecases=tuple(subs) if isinstance(subs, list) else (),
                    raw=dict(info),
                )
            )
        return result

    def qualify(self, brand: ProviderRef, use_case: str) -> Qualification:
        """``GET /campaignBuilder/brand/{brandId}/usecase/{usecase}``: fees and per-MNO terms."""
        path = f"/campaignBuilder/brand/{quote_segment(brand)}/usecase/{quote_segment(use_case)}"
        body = self._get(path) or {}
        metadata = body.get("mnoMetadata") if isinstance(body.get("mnoMetadata"), Mapping) else {}
        carriers = {str(k): dict(v) for k, v in metadata.items() if isinstance(v, Mapping)}
        return Qualification(
            use_case=str(body.get("usecase") or use_case),
            qualified=any(bool(v.get("qualify")) for v in carriers.values()),
            monthly_fee=body.get("monthlyFee"),
            quarterly_fee=body.get("quarterlyFee"),
            annual_fee=body.get("annualFee"),
            min_sub_usecases=int(body.get("minSubUsecases") or 0),
            max_sub_usecases=int(body.get("maxSubUsecases") or 0),
            carriers=carriers,
            raw=dict(body),
        )

    def estimate_cost(self, use_case: str, *, brand: ProviderRef | None = None) -> CostEstimate:
        """The use case's fees from campaignBuilder qualify. TCR prices use cases only through a brand: the given
        one, else the first scored brand of this CSP that fits (sole proprietor for SOLE_PROPRIETOR). Up-front is
        the first billing, three months (the upfront three-month charge DCAs pass through, telnyx-python docs)."""
        if brand is None:
            brand = self._pricing_brand(use_case)
        qualification = self.qualify(brand, use_case)
        monthly, quarterly = qualification.monthly_fee, qualification.quarterly_fee
        if quarterly is None and isinstance(monthly, int | float):
            quarterly = 3 * monthly
        return CostEstimate(
            use_case=qualification.use_case,
            monthly=f"{monthly:.2f}" if isinstance(monthly, int | float) else None,
            up_front=f"{quarterly:.2f}" if isinstance(quarterly, int | float) else None,
            description=None,
            raw=dict(qualification.raw),
        )

    def _pricing_brand(self, use_case: str) -> str:
        sole = use_case == "SOLE_PROPRIETOR"
        for row in self._pages("/brand", {"status": "ACTIVE"}, max_pages=1):
            if (row.get("entityType") == "SOLE_PROPRIETOR") != sole or row.get("identityStatus") in (
                None,
                "UNVERIFIED",
            ):
                continue
            return str(row["brandId"])
        raise ProviderError(
            ProviderErrorKind.PRECONDITION,
            "TCR prices a use case only for a scored brand (campaignBuilder qualify); register a brand first",
        )

    # ---------------------------------------------------------------- campaigns
    def _mno_list(self, campaign: Mapping[str, Any]) -> list[int]:
        if campaign.get("mnoIds"):
            return [_mno_int(m) for m in campaign["mnoIds"]]
        if self.mno_ids is not None:
            return list(self.mno_ids)
        if self._all_mnos is None:
            body = self._get("/enum/mno")
            rows = list(body.values()) if isinstance(body, Mapping) else body or []
            ids = []
            for row in rows:
                if isinstance(row, Mapping):
                    value = row.get("networkId", row.get("mnoId", row.get("id")))
                    if value is not None:
                        ids.append(_mno_int(value))
            if not ids:
                raise ProviderError(ProviderErrorKind.MALFORMED, "TCR /enum/mno listed no MNO network ids")
            self._all_mnos = ids
        return list(self._all_mnos)

    def create_campaign(self, brand: ProviderRef, campaign: CampaignInput, *, client_ref: str) -> CampaignRecord:
        """``POST /campaignBuilder`` with ``referenceId`` = client_ref and ``mnoIds``; billable. Then the share with
        the upstream CNP. A 503 duplicate is resolved to the earlier campaign (its share ensured too)."""
        self._subscribe_quietly()
        body = _pick(campaign, CAMPAIGN_CREATE_FIELDS)
        body.setdefault("resellerId", NO_RESELLER)
        body |= {"brandId": brand, "referenceId": client_ref, "mnoIds": self._mno_list(campaign)}
        try:
            resp = self._request("POST", "/campaignBuilder", body=body, idempotent=False)
            campaign_id = (resp.body or {}).get("campaignId")
            if not campaign_id:
                raise ProviderError(ProviderErrorKind.MALFORMED, "TCR campaign submission answered no campaignId")
        except ProviderError as exc:
            if exc.kind is not ProviderErrorKind.CONFLICT:
                raise
            existing = self.find_campaign_by_reference(brand, client_ref)
            if existing is None:
                raise
            campaign_id = existing.provider_id
        if self.upstream_cnp_id:
            try:
                self._ensure_shared(campaign_id)
            except ProviderError as exc:
                exc.maybe_committed = True  # the campaign exists: create again to resolve it and retry the share
                raise
        return self.get_campaign(campaign_id)

    def _ensure_shared(self, campaign_id: str) -> None:
        sharing = self._get(f"/campaign/{quote_segment(campaign_id)}/sharing") or {}
        current = sharing.get("sharedByMe") if isinstance(sharing, Mapping) else None
        if isinstance(current, Mapping) and current.get("sharingStatus") in ("PENDING", "ACCEPTED"):
            return
        self.share_campaign(campaign_id)

    def share_campaign(self, ref: ProviderRef, upstream_cnp_id: str | None = None) -> Mapping[str, Any]:
        """``PUT /campaign/{id}/sharing/{upstreamCnpId}`` (the configured CNP by default): the DCA reviews the
        campaign (PENDING -> ACCEPTED | DECLINED); a declined share can be shared again after fixing it."""
        upstream = upstream_cnp_id or self.upstream_cnp_id
        if not upstream:
            raise ProviderError(ProviderErrorKind.PRECONDITION, "no upstream CNP configured to share the campaign with")
        path = f"/campaign/{quote_segment(ref)}/sharing/{quote_segment(upstream)}"
        return self._request("PUT", path).body or {}

    def get_sharing(self, ref: ProviderRef) -> Mapping[str, Any]:
        """``GET /campaign/{id}/sharing``: ``{sharedWithMe, sharedByMe}``."""
        return self._get(f"/campaign/{quote_segment(ref)}/sharing") or {}

    def find_campaign_by_reference(self, brand: ProviderRef, client_ref: str) -> CampaignRecord | None:
        """``GET /campaign?referenceId=&brandId=`` (referenceId is unique per CSP)."""
        for row in self._pages("/campaign", {"referenceId": client_ref, "brandId": brand}, max_pages=1):
            if row.get("referenceId") == client_ref and row.get("campaignId"):
                return self.get_campaign(row["campaignId"])
        return None

    def get_campaign(self, ref: ProviderRef) -> CampaignRecord:
        """``GET /campaign/{id}`` + ``/sharing`` + ``/operationStatus`` (per-MNO map) while it is ACTIVE."""
        body = self._get(f"/campaign/{quote_segment(ref)}")
        operation: Any = {}
        sharing: Any = None
        if isinstance(body, Mapping) and body.get("status") == "ACTIVE":
            sharing = self.get_sharing(ref).get("sharedByMe")
            operation = self._get(f"/campaign/{quote_segment(ref)}/operationStatus") or {}
        return self._campaign_record(body, operation, sharing, full=True)

    def list_campaigns(self, brand: ProviderRef) -> list[CampaignRecord]:
        """``GET /campaign?brandId=`` page by page. The list shows only ACTIVE/EXPIRED: an ACTIVE row's lifecycle is
        None (keep the previous one; ``get_campaign`` gives the share and carrier map)."""
        rows = self._pages("/campaign", {"brandId": brand})
        return [self._campaign_record(row, {}, None, full=False) for row in rows if row.get("campaignId")]

    def update_campaign(self, ref: ProviderRef, patch: CampaignInput) -> CampaignRecord:
        """``PUT /campaign/{id}`` with the mutable fields (``UpdateCampaign_CSP``); 518 once expired."""
        body = _pick(patch, CAMPAIGN_UPDATE_FIELDS)
        if body:
            self._request("PUT", f"/campaign/{quote_segment(ref)}", body=body)
        return self.get_campaign(ref)

    def deactivate_campaign(self, ref: ProviderRef) -> CampaignRecord:
        """``DELETE /campaign/{id}``: EXPIRED for good and out of nnSR; idempotent, so safe to repeat."""
        self._request("DELETE", f"/campaign/{quote_segment(ref)}")
        return self.get_campaign(ref)

    def appeal_campaign(self, ref: ProviderRef, reason: str) -> None:
        """``POST /campaign/{id}/nudge`` ``{"nudgeIntent": "APPEAL_REJECTION", "description": reason}``: asks the
        upstream DCA to review a declined share or rejected carriers again (592 when nothing was rejected)."""
        self.nudge_campaign(ref, "APPEAL_REJECTION", reason)

    def nudge_review(self, ref: ProviderRef, description: str | None = None) -> None:
        """``POST /campaign/{id}/nudge`` with ``REVIEW``: poke the DCA about a share pending review."""
        self.nudge_campaign(ref, "REVIEW", description)

    def nudge_campaign(self, ref: ProviderRef, intent: str, description: str | None = None) -> None:
        """``POST /campaign/{id}/nudge`` (``CampaignNudge``: nudgeIntent, description <= 1024)."""
        body: dict[str, Any] = {"nudgeIntent": intent}
        if description:
            body["description"] = description[:1024]
        self._request("POST", f"/campaign/{quote_segment(ref)}/nudge", body=body, idempotent=False)

    def resubmit_campaign(self, ref: ProviderRef, mno_ids: Sequence[str | int] | None = None) -> Mapping[str, Any]:
        """``PUT /campaign/{id}/resubmit`` (``mnoIds`` optional): send it to the MNOs again; the new mnoMetadata."""
        body = {"mnoIds": [_mno_int(m) for m in mno_ids]} if mno_ids else {}
        return self._request("PUT", f"/campaign/{quote_segment(ref)}/resubmit", body=body).body or {}

    def get_mno_metadata(self, ref: ProviderRef) -> Mapping[str, Any]:
        """``GET /campaign/{id}/mnoMetadata``: MNO id -> terms (tpm, msgClass, brandTier, ...)."""
        return self._get(f"/campaign/{quote_segment(ref)}/mnoMetadata") or {}

    def _campaign_record(self, body: Any, operation: Any, sharing: Any, *, full: bool) -> CampaignRecord:
        if not isinstance(body, Mapping) or not body.get("campaignId"):
            raise ProviderError(ProviderErrorKind.MALFORMED, "TCR campaign response has no campaignId")
        self._learn_csp(body)
        raw_carriers = {str(k): str(v) for k, v in operation.items()} if isinstance(operation, Mapping) else {}
        carrier_map = st.carriers(raw_carriers)
        share_status = sharing.get("sharingStatus") if isinstance(sharing, Mapping) else None
        if full or body.get("status") != "ACTIVE":
            lifecycle, known = st.campaign_lifecycle(
                body.get("status"), share_status, carrier_map, share_required=self.upstream_cnp_id is not None
            )
        else:
            lifecycle, known = None, True
        issues = []
        if share_status == "DECLINED":
            explanation = sharing.get("explanation") or "declined by the upstream CNP"
            issues.append(Issue("SHARE_DECLINED", str(explanation)))
        for mno, state in carrier_map.items():
            if state in (CarrierState.REJECTED, CarrierState.SUSPENDED):
                issues.append(Issue(f"MNO_{state.name}", f"MNO {mno} reports {raw_carriers[mno]}", ()))
        raw = dict(body)
        if sharing is not None:
            raw["sharedByMe"] = dict(sharing) if isinstance(sharing, Mapping) else sharing
        return CampaignRecord(
            provider=self.name,
            provider_id=body["campaignId"],
            registry_id=body["campaignId"],
            brand_id=body.get("brandId"),
            lifecycle=lifecycle,
            raw_status=body.get("status"),
            carriers=carrier_map,
            raw_carriers=raw_carriers,
            client_ref=body.get("referenceId"),
            use_case=body.get("usecase"),
            issues=tuple(issues),
            updated_at=None,  # Campaign_CSP has no modification time
            needs_review=not known,
            raw=raw,
            term_ends_on=parse_date(body.get("nextRenewalOrExpirationDate")),
        )

    # ---------------------------------------------------------------- numbers
    def assign_number(self, campaign: ProviderRef, number: str) -> AssignmentRecord:
        """Not possible at TCR: raises PRECONDITION (the DCA provisions numbers into nnSR)."""
        raise ProviderError(ProviderErrorKind.PRECONDITION, DCA_ASSIGNS)

    def assign_numbers(self, campaign: ProviderRef, numbers: Sequence[str]) -> AssignmentJob:
        """Not possible at TCR: raises PRECONDITION (the DCA provisions numbers into nnSR)."""
        raise ProviderError(ProviderErrorKind.PRECONDITION, DCA_ASSIGNS)

    def get_assignment_job(self, job_id: str) -> AssignmentJob:
        """TCR has no assignment jobs: raises PRECONDITION."""
        raise ProviderError(ProviderErrorKind.PRECONDITION, DCA_ASSIGNS)

    def unassign_number(self, number: str) -> AssignmentRecord:
        """Not possible at TCR: raises PRECONDITION (the DCA removes numbers from nnSR)."""
        raise ProviderError(ProviderErrorKind.PRECONDITION, DCA_ASSIGNS)

    def get_assignment(self, number: str) -> AssignmentRecord:
        """TCR has no lookup by phone number (nnSR is read per campaign): raises PRECONDITION. Use
        ``find_assignment(number, campaigns)`` over the campaigns the number may be on, or ``list_assignments``."""
        raise ProviderError(
            ProviderErrorKind.PRECONDITION,
            "TCR cannot look a number up; read a campaign's numbers with list_assignments(campaign) "
            "or search known campaigns with find_assignment(number, campaigns)",
        )

    def find_assignment(self, number: str, campaigns: Sequence[ProviderRef]) -> AssignmentRecord | None:
        """The nnSR row of ``number`` on the first of ``campaigns`` that lists it as current, else the last
        historical row found, else None."""
        found = None
        for campaign in campaigns:
            for record in self.list_assignments(campaign):
                if record.phone_number == number:
                    if record.lifecycle is Lifecycle.APPROVED:
                        return record
                    found = record
        return found

    def list_assignments(self, campaign: ProviderRef) -> list[AssignmentRecord]:
        """``GET /campaign/{id}/osr/phones`` (paged): numbers the DCA provisioned in nnSR. Current rows are
        APPROVED, rows no longer current DEACTIVATED."""
        result = []
        for row in self._pages(f"/campaign/{quote_segment(campaign)}/osr/phones", {}):
            number = row.get("phoneNumber")
            if not number:
                continue
            current = row.get("current")
            if isinstance(current, bool):
                lifecycle, raw_status = (Lifecycle.APPROVED, "CURRENT") if current else (Lifecycle.DEACTIVATED, "ENDED")
            else:
                lifecycle, raw_status = None, None
            result.append(
                AssignmentRecord(
                    provider=self.name,
                    phone_number=str(number),
                    campaign_id=str(row.get("campaignId") or campaign),
                    lifecycle=lifecycle,
                    raw_status=raw_status,
                    registry_campaign_id=str(row.get("campaignId") or campaign),
                    updated_at=parse_time(row.get("endDate") or row.get("startDate")),
                    needs_review=lifecycle is None,
                    raw=dict(row),
                )
            )
        return result

    # ---------------------------------------------------------------- webhooks
    def _same_endpoint(self, url: str) -> bool:
        if not self.webhook_url:
            return True
        want, got = urlsplit(self.webhook_url), urlsplit(url)
        return (want.path.rstrip("/"), want.query) == (got.path.rstrip("/"), got.query)

    def verify_webhook(self, url: str, headers: Mapping[str, str], raw_body: bytes) -> bool:
        """Whether a request is a well-formed TCR event for our CSP at our endpoint (see check_request)."""
        try:
            self.check_request(url, headers, raw_body)
        except ProviderError:
            return False
        return True

    def check_request(self, url: str, headers: Mapping[str, str], raw_body: bytes) -> None:
        """Raise ProviderError(AUTH/MALFORMED) unless the request is a TCR event (JSON object, known
        ``eventType``) naming our ``cspId`` (when known) and sent to the subscribed endpoint path.

        TCR webhooks are unsigned (provider-apis.md §1.6): authenticity rests on the unguessable per-account URL
        over HTTPS, so the handler must re-read the brand or campaign before acting on an event.
        """
        if not self._same_endpoint(url):
            raise ProviderError(ProviderErrorKind.AUTH, "TCR webhook arrived at an endpoint we did not subscribe")
        check_event(raw_body, csp_id=self.csp_id)

    def parse_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> list[NormalizedEvent]:
        """The normalized event of a TCR webhook (verify first); dedupe key = SHA-256 of the body."""
        return [parse_event(raw_body, provider=self.name)]
