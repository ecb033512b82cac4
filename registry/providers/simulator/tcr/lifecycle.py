"""The simulated TCR / upstream DCA / MNO state machine and the TCR webhooks it announces.

Brand: created ACTIVE without ``identityStatus``; scored after ``delays.brand_scoring`` (527 until then) and
announced with BRAND_IDENTITY_STATUS_UPDATE. External vet: PENDING -> UNSCORE -> ACTIVE | FAILED.

Campaign (direct CSP)::

    created (status ACTIVE) -> shared to the upstream CNP/DCA (sharingStatus PENDING)
        -> DCA review (delays.dca_review): DECLINED (explanation)  |  ACCEPTED -> MNOs elected, each REVIEW
        -> each MNO after its own delay: REGISTERED | REJECTED   (-> SUSPENDED -> REGISTERED, EXPIRED)

An APPEAL_REJECTION nudge reviews a declined share again, or sends the rejected carriers back to REVIEW (as does
``PUT /campaign/{id}/resubmit``). Every transition changes state *before* its webhook is queued, so a GET made
when the webhook arrives already shows what it announces.

Webhooks: TCR posts a flat, unsigned JSON object to the endpoint subscribed for the event's category
(provider-apis.md §1.6); without a subscription the sandbox's default URL is used, if any.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..catalog import EXTERNAL_VETTING_FEE, MNOS
from ..machine import Machine
from ..scenarios import number_fails
from ..webhooks import WebhookConfig
from .state import SimBrand, SimCampaign, TcrState

if TYPE_CHECKING:
    pass

#: identity fields TCR scores; editing them makes the brand UNVERIFIED and is locked (537) while campaigns are active
LOCKED_FIELDS = ("entityType", "companyName", "ein", "einIssuingCountry", "firstName", "lastName", "mobilePhone")
IDENTITY_FIELDS = (*LOCKED_FIELDS, "displayName", "street", "city", "state", "postalCode", "country")
CSP_NAME = "Registry Simulator CSP"
#: the upstream CNPs (DCAs) campaigns can be shared with (``GET /enum/cnp``)
UPSTREAM_CNPS: Mapping[str, str] = {"SIMDCA1": "Simulated DCA", "SIMDCA2": "Other simulated DCA"}
DECLINE_EXPLANATION = "DCA review: message flow does not show how consent is collected"
REJECTION_REASONS: Mapping[str, str] = {
    "10017": "AT&T: message flow does not show how consent is collected",
    "10035": "T-Mobile: opt-out language missing from sample messages",
    "10038": "Verizon Wireless: sample messages do not match the use case",
    "10037": "US Cellular: brand name missing from sample messages",
}
#: how long after an order the vetting provider picks it up (PENDING -> UNSCORE)
VETTING_PICKUP = 60.0


class TcrWire:
    """TCR webhook format: the flat event object as the body, JSON, no signature (§1.6)."""

    def event(self, event_id: str, event_type: str, occurred_at: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        return {"eventType": event_type, **payload}

    def encode(
        self, data: Mapping[str, Any], *, attempt: int, url: str, config: WebhookConfig, wall: float
    ) -> tuple[str, bytes, dict[str, str]]:
        body = json.dumps(dict(data), separators=(",", ":")).encode()
        return url, body, {"Content-Type": "application/json", "User-Agent": "TCR-Webhook (registry simulator)"}


WIRE = TcrWire()


class TcrMachine(Machine):
    """Drives one sandbox's TCR objects through time."""

    def emit(
        self,
        state: TcrState,
        category: str,
        event_type: str,
        *,
        brand: SimBrand | None = None,
        campaign: SimCampaign | None = None,
        description: str,
        **extra: Any,
    ) -> None:
        """Queue a TCR event to the endpoint subscribed for ``category`` (or the sandbox default URL)."""
        url = state.subscriptions.get(category) or self.sb.default_webhook_url
        if not url:
            return
        if brand is None and campaign is not None:
            brand = state.brands.get(campaign.data["brandId"])
        payload: dict[str, Any] = {
            "cspId": self.sb.csp_id,
            "cspName": CSP_NAME,
            "brandId": brand.id if brand else None,
            "brandName": brand.data.get("displayName") if brand else None,
            "brandReferenceId": brand.data.get("referenceId") if brand else None,
            "campaignId": campaign.id if campaign else None,
            "campaignReferenceId": campaign.data.get("referenceId") if campaign else None,
            "description": description,
            "mock": bool((campaign or brand).data.get("mock")) if (campaign or brand) else False,
            **extra,
        }
        self.sb.webhooks.enqueue(url, None, event_type, payload, wire=WIRE)

    # ------------------------------------------------------------------ brands
    def register_brand(self, state: TcrState, brand: SimBrand) -> None:
        """Announce the brand and schedule its identity scoring."""
        self.emit(state, "BRAND", "BRAND_ADD", brand=brand, description=f"Brand {brand.id} added")
        self._after(self.sb.delays.brand_scoring, f"score brand {brand.id}", lambda: self._score(state, brand.id))

    def _score(self, state: TcrState, brand_id: str) -> None:
        brand = state.brands.get(brand_id)
        if brand is None or brand.data.get("status") != "ACTIVE":
            return
        data, scenario = brand.data, brand.scenario
        fingerprint = tuple(data.get(f) for f in IDENTITY_FIELDS)
        changed = brand.scored is not None and fingerprint != brand.scored
        brand.scored = fingerprint
        failed = (scenario.unverified or scenario.registration_failed) and not changed
        if data.get("identityStatus") == "VETTED_VERIFIED" or scenario.vetted:
            identity = "VETTED_VERIFIED"
        elif failed:
            identity = "UNVERIFIED"
        elif data.get("entityType") == "SOLE_PROPRIETOR" or scenario.otp:
            identity = "SELF_DECLARED"
        else:
            identity = "VERIFIED"
        data["identityStatus"] = identity
        if data.get("entityType") == "PUBLIC_PROFIT" and not data.get("businessContactEmailVerifiedDate"):
            # Authentication+: the business contact completes the 2FA email as scoring ends (not simulated further)
            data["businessContactEmailVerifiedDate"] = self.now()
        self.transitions["brand_identity"] += 1
        brand.feedback = [] if identity != "UNVERIFIED" else [_tax_id_feedback()]
        self.emit(
            state,
            "BRAND",
            "BRAND_IDENTITY_STATUS_UPDATE",
            brand=brand,
            description=f"Brand {brand_id} identity status is {identity}",
            brandIdentityStatus=identity,
        )

    def revet(self, state: TcrState, brand: SimBrand) -> None:
        """Schedule a new identity scoring."""
        self._after(self.sb.delays.revet, f"revet brand {brand.id}", lambda: self._score(state, brand.id))

    def order_vetting(self, state: TcrState, brand: SimBrand, vetting: dict[str, Any]) -> None:
        """Bill the vet and schedule PENDING -> UNSCORE -> ACTIVE | FAILED."""
        self.charge(state, "external_vetting", EXTERNAL_VETTING_FEE, brand.id)

        def picked_up() -> None:
            if vetting["vettingStatus"] == "PENDING":
                vetting["vettingStatus"] = "UNSCORE"
                self.emit(
                    state,
                    "VETTING",
                    "EVP_REPORT_UNSCORE",
                    brand=brand,
                    description=f"{vetting['evpId']} {vetting['vettingClass']} vetting under review",
                )

        def done() -> None:
            if brand.id not in state.brands or vetting["vettingStatus"] not in ("PENDING", "UNSCORE"):
                return
            failed = brand.scenario.vetting_failed
            vetting["vettingStatus"] = "FAILED" if failed else "ACTIVE"
            vetting["vettingScore"] = 15 if failed else 82
            vetting["reasons"] = ["Business could not be verified with the data supplied"] if failed else []
            vetting["vettedDate"] = None if failed else self.now()
            if not failed:
                brand.data["identityStatus"] = "VETTED_VERIFIED"
                brand.feedback = []
                self.transitions["brand_identity"] += 1
            self.emit(
                state,
                "VETTING",
                "EVP_REPORT_FAIL" if failed else "EVP_REPORT_SCORE",
                brand=brand,
                description=f"{vetting['evpId']} {vetting['vettingClass']} vetting "
                + ("failed" if failed else f"scored {vetting['vettingScore']}"),
            )

        self._after(min(VETTING_PICKUP, self.sb.delays.vetting / 2), f"vetting pickup {brand.id}", picked_up)
        self._after(self.sb.delays.vetting, f"vetting of brand {brand.id}", done)

    def deliver_otp(self, brand: SimBrand) -> None:
        """Schedule the OTP SMS reaching the handset."""
        otp = brand.otp

        def delivered() -> None:
            if otp is not None and otp.delivery_status == "IN_TRANSIT":
                otp.delivery_status = "DELIVERED_HANDSET"
                otp.delivery_status_date = self.sb.clock.now()

        self._after(self.sb.delays.otp_delivery, f"otp to brand {brand.id}", delivered)

    def otp_verified(self, state: TcrState, brand: SimBrand) -> None:
        """The sole proprietor's mobile phone is verified: ``mobilePhoneVerifiedDate`` set, BRAND_OTP_VERIFIED sent.

        TCR keeps ``identityStatus`` SELF_DECLARED for sole proprietors (brandIdentityStatus enum docs); the
        verified date is what unlocks campaign registration.
        """
        brand.data["mobilePhoneVerifiedDate"] = self.now()
        self.emit(state, "BRAND", "BRAND_OTP_VERIFIED", brand=brand, description=f"Brand {brand.id} OTP verified")

    # ------------------------------------------------------------------ campaigns
    def created(self, state: TcrState, campaign: SimCampaign) -> None:
        """Announce a new campaign."""
        self.emit(state, "CAMPAIGN", "CAMPAIGN_ADD", campaign=campaign, description=f"Campaign {campaign.id} added")

    def share(self, state: TcrState, campaign: SimCampaign, upstream: str) -> None:
        """Share with the upstream CNP (PENDING) and schedule the DCA's review."""
        now = self.now()
        campaign.shared_by_me = {
            "downstreamCnpId": self.sb.csp_id,
            "upstreamCnpId": upstream,
            "sharingStatus": "PENDING",
            "explanation": None,
            "sharedDate": now,
            "statusDate": now,
            "cnpMigration": False,
        }
        self.transitions["share"] += 1
        self._dca_review(state, campaign)

    def _dca_review(self, state: TcrState, campaign: SimCampaign) -> None:
        share_round = campaign.share_round

        def review() -> None:
            share = campaign.shared_by_me
            if share is None or share["sharingStatus"] != "PENDING" or campaign.share_round != share_round:
                return
            if not campaign.active:
                return
            share["statusDate"] = self.now()
            self.transitions["share"] += 1
            if campaign.scenario.telnyx_reject and share_round == 1:
                share["sharingStatus"] = "DECLINED"
                share["explanation"] = DECLINE_EXPLANATION
                # the event list has no decline event; a declined share is withdrawn (CAMPAIGN_SHARE_DELETE)
                self.emit(
                    state,
                    "CAMPAIGN",
                    "CAMPAIGN_SHARE_DELETE",
                    campaign=campaign,
                    description=f"Campaign {campaign.id} share declined by {share['upstreamCnpId']}: "
                    + DECLINE_EXPLANATION,
                )
                return
            share["sharingStatus"] = "ACCEPTED"
            share["explanation"] = None
            self.emit(
                state,
                "CAMPAIGN",
                "CAMPAIGN_SHARE_ACCEPT",
                campaign=campaign,
                description=f"Campaign {campaign.id} share accepted by {share['upstreamCnpId']}",
            )
            self._elect(state, campaign)

        self._after(self.sb.delays.dca_review, f"dca review {campaign.id}", review)

    def _elect(self, state: TcrState, campaign: SimCampaign) -> None:
        """The DCA elects the campaign to every targeted MNO: each reviews after its own delay."""
        review_round = campaign.review_round
        for mno in campaign.mno_ids:
            if campaign.decisions.get(mno) in ("REGISTERED", "SUSPENDED"):
                continue
            campaign.decisions[mno] = "REVIEW"
            self._after(
                self.sb.delays.for_carrier(mno),
                f"{MNOS.get(mno, mno)} review {campaign.id}",
                lambda mno=mno: self._mno_decides(state, campaign, mno, review_round),
            )
        self.emit(
            state,
            "CAMPAIGN",
            "CAMPAIGN_DCA_COMPLETE",
            campaign=campaign,
            description=f"Campaign {campaign.id} DCA elections complete",
        )

    def _mno_decides(self, state: TcrState, campaign: SimCampaign, mno: str, review_round: int) -> None:
        if not campaign.active or campaign.review_round != review_round or campaign.decisions.get(mno) != "REVIEW":
            return
        rejected = campaign.scenario.rejects(mno, review_round)
        campaign.decisions[mno] = "REJECTED" if rejected else "REGISTERED"
        self.transitions["carrier"] += 1
        if mno not in campaign.scenario.silent:
            self.emit(
                state,
                "CAMPAIGN",
                "MNO_CAMPAIGN_OPERATION_REJECTED" if rejected else "MNO_CAMPAIGN_OPERATION_APPROVED",
                campaign=campaign,
                description=REJECTION_REASONS[mno] if rejected else f"{MNOS[mno]}: campaign approved",
            )
        if all(state_ == "REGISTERED" for state_ in campaign.decisions.values()):
            self._approved(state, campaign)

    def _approved(self, state: TcrState, campaign: SimCampaign) -> None:
        scenario = campaign.scenario
        if campaign.approved_once:
            return  # after an unsuspension: the scripted follow-ups run once per campaign
        campaign.approved_once = True
        if scenario.suspend_after_approval and "10035" in campaign.mno_ids:
            self._after(self.sb.delays.suspension, f"suspend {campaign.id}", lambda: self._suspend(state, campaign))
        if scenario.expire_after_approval:
            self._after(self.sb.delays.expiry, f"expire {campaign.id}", lambda: self.expire(state, campaign))

    def _suspend(self, state: TcrState, campaign: SimCampaign, suspended: bool = True) -> None:
        if not campaign.active:
            return
        campaign.decisions["10035"] = "SUSPENDED" if suspended else "REGISTERED"
        self.transitions["carrier"] += 1
        self.emit(
            state,
            "CAMPAIGN",
            "MNO_CAMPAIGN_OPERATION_SUSPENDED" if suspended else "MNO_CAMPAIGN_OPERATION_UNSUSPENDED",
            campaign=campaign,
            description="T-Mobile: campaign " + ("suspended after complaints" if suspended else "suspension lifted"),
        )
        if suspended:
            self._after(
                self.sb.delays.unsuspension,
                f"unsuspend {campaign.id}",
                lambda: self._suspend(state, campaign, False),
            )

    def expire(self, state: TcrState, campaign: SimCampaign) -> None:
        """Deactivate: status EXPIRED, removed from nnSR (numbers no longer current), CAMPAIGN_EXPIRED."""
        if not campaign.active:
            return
        campaign.data["status"] = "EXPIRED"
        campaign.data["expirationDate"] = self.now()
        self.transitions["campaign_status"] += 1
        for row in state.osr.get(campaign.id, []):
            if row["current"]:
                row["current"] = False
                row["endDate"] = self.now()
        description = f"Campaign {campaign.id} expired"
        self.emit(state, "CAMPAIGN", "CAMPAIGN_EXPIRED", campaign=campaign, description=description)

    def appeal(self, state: TcrState, campaign: SimCampaign) -> bool:
        """An APPEAL_REJECTION nudge: review a declined share again, or the rejected carriers; False if neither."""
        share = campaign.shared_by_me
        if share is not None and share["sharingStatus"] == "DECLINED":
            campaign.share_round += 1
            share.update({"sharingStatus": "PENDING", "explanation": None, "statusDate": self.now()})
            self._dca_review(state, campaign)
            return True
        return self.resubmit(state, campaign, [m for m, d in campaign.decisions.items() if d == "REJECTED"])

    def resubmit(self, state: TcrState, campaign: SimCampaign, mno_ids: list[str]) -> bool:
        """Send rejected carriers among ``mno_ids`` back to review (a new round); False if none was rejected."""
        again = [m for m in mno_ids if campaign.decisions.get(m) == "REJECTED"]
        if not again:
            return False
        campaign.review_round += 1
        review_round = campaign.review_round
        for mno in again:
            campaign.decisions[mno] = "REVIEW"
            self._after(
                self.sb.delays.for_carrier(mno),
                f"{MNOS.get(mno, mno)} review {campaign.id}",
                lambda mno=mno: self._mno_decides(state, campaign, mno, review_round),
            )
        self.emit(
            state,
            "CAMPAIGN",
            "CAMPAIGN_RESUBMISSION",
            campaign=campaign,
            description=f"Campaign {campaign.id} resubmitted to {', '.join(MNOS.get(m, m) for m in again)}",
        )
        return True

    # ------------------------------------------------------------------ numbers (the DCA's side)
    def provision(self, state: TcrState, campaign: SimCampaign, numbers: list[str]) -> list[str]:
        """The DCA provisions numbers into nnSR for an accepted campaign; returns the numbers that failed."""
        rows = state.osr.setdefault(campaign.id, [])
        failed = []
        for number in numbers:
            if number_fails(number):
                failed.append(number)
                continue
            if any(r["phoneNumber"] == number and r["current"] for r in rows):
                continue
            rows.append(
                {
                    "phoneNumber": number,
                    "campaignId": campaign.id,
                    "upstreamCnpId": (campaign.shared_by_me or {}).get("upstreamCnpId"),
                    "startDate": self.now(),
                    "endDate": None,
                    "current": True,
                }
            )
        return failed


def _tax_id_feedback() -> dict[str, Any]:
    return {
        "id": "TAX_ID",
        "displayName": "Tax ID",
        "description": "The EIN and legal company name do not match IRS records.",
        "fields": ["ein", "companyName"],
        "errors": [{"code": "TFTX01", "message": "EIN and company name mismatch"}],
    }
