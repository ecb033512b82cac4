"""The simulated Telnyx/TCR/MNO state machine: scheduled transitions and the webhooks they announce.

Campaign chain (``campaignStatus``, SDK ``TelnyxCampaignCsp``)::

    TCR_PENDING -> TCR_ACCEPTED -> TELNYX_ACCEPTED -> MNO_PENDING -> MNO_ACCEPTED -> MNO_PROVISIONED
         |                               |                  |                              \\-> (suspension,
     TCR_FAILED                     TELNYX_FAILED      MNO_REJECTED  MNO_PROVISIONING_FAILED      expiry)

At MNO_PENDING every carrier is in REVIEW; each decides after its own delay (MNO_REVIEW webhook). When all
have decided the campaign becomes MNO_REJECTED if any rejected, else MNO_ACCEPTED and, after provisioning,
MNO_PROVISIONED (VERIFIED webhook). An appeal (TELNYX_FAILED or MNO_REJECTED only) resets the campaign to
TCR_ACCEPTED, as the SDK documents, and runs the Telnyx review and the rejected carriers' review again.

Every transition changes state *before* its webhook is queued, so a GET made when the webhook arrives
already shows what the webhook announces.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..catalog import MNOS
from ..clock import iso
from ..machine import Machine
from ..scenarios import number_fails
from .state import SimBrand, SimCampaign, SimTask, TelnyxState

if TYPE_CHECKING:
    pass

BRAND_EVENT = "10dlc.brand.update"
CAMPAIGN_EVENT = "10dlc.campaign.update"
NUMBER_EVENT = "10dlc.phone_number.update"
#: fields TCR checks identity against; editing them makes the brand UNVERIFIED and is locked (537) while
#: campaigns are active
LOCKED_FIELDS = ("entityType", "companyName", "ein", "firstName", "lastName", "mobilePhone")
#: what a (re)scoring looks at: a revet with none of these changed has nothing new to score
IDENTITY_FIELDS = (*LOCKED_FIELDS, "displayName")
#: campaign statuses in which the campaign still counts as active for brand delete / identity edits
ACTIVE_CAMPAIGN = frozenset(
    {
        "TCR_PENDING",
        "TCR_ACCEPTED",
        "TELNYX_ACCEPTED",
        "MNO_PENDING",
        "MNO_ACCEPTED",
        "MNO_PROVISIONED",
        "MNO_REJECTED",
        "TELNYX_FAILED",
        "TCR_SUSPENDED",
    }
)
REJECTION_REASONS: Mapping[str, str] = {
    "10017": "AT&T: message flow does not show how consent is collected",
    "10035": "T-Mobile: opt-out language missing from sample messages",
    "10038": "Verizon Wireless: sample messages do not match the use case",
    "10037": "US Cellular: brand name missing from sample messages",
}


class TelnyxMachine(Machine):
    """Drives one sandbox's Telnyx objects through time."""

    def emit(self, state: TelnyxState, owner: Mapping[str, Any], event_type: str, payload: dict[str, Any]) -> None:
        """Queue a webhook to the owner's webhookURL (or the sandbox default); nothing if neither is set."""
        url = owner.get("webhookURL") or self.sb.default_webhook_url
        if url:
            self.sb.webhooks.enqueue(url, owner.get("webhookFailoverURL"), event_type, payload)

    # ------------------------------------------------------------------ brands
    def register_brand(self, state: TelnyxState, brand: SimBrand) -> None:
        """Schedule TCR registration and identity scoring of a new brand."""
        self._after(
            self.sb.delays.brand_scoring,
            f"score brand {brand.id}",
            lambda: self._score(state, brand.id, first=True),
        )

    def _score(self, state: TelnyxState, brand_id: str, *, first: bool) -> None:
        brand = state.brands.get(brand_id)
        if brand is None:
            return
        data, scenario = brand.data, brand.scenario
        data["updatedAt"] = self.now()
        if first and scenario.registration_failed:
            data["status"] = "REGISTRATION_FAILED"
            data["failureReasons"] = "TCR could not verify the EIN and legal company name combination"
            self.emit(
                state,
                data,
                BRAND_EVENT,
                {
                    "brandId": brand_id,
                    "type": "REGISTRATION",
                    "status": "failed",
                    "reasons": [{"fields": ["ein", "companyName"], "description": data["failureReasons"]}],
                },
            )
            return
        if first:
            data["status"] = "OK"
            data["tcrBrandId"] = self.sb.ids.tcr("B")
            data["cspId"] = self.sb.csp_id
        fingerprint = tuple(data.get(f) for f in IDENTITY_FIELDS)
        changed = brand.scored is not None and fingerprint != brand.scored
        brand.scored = fingerprint
        if data.get("identityStatus") == "VETTED_VERIFIED" or scenario.vetted:
            identity = "VETTED_VERIFIED"
        elif scenario.unverified and not changed:
            identity = "UNVERIFIED"
        elif data.get("entityType") == "SOLE_PROPRIETOR" or scenario.otp:
            identity = "VERIFIED" if brand.otp and brand.otp.verify_date else "SELF_DECLARED"
        else:
            identity = "VERIFIED"
        data["identityStatus"] = identity
        brand.feedback = (
            []
            if identity != "UNVERIFIED"
            else [
                {
                    "id": "TAX_ID",
                    "displayName": "Tax ID",
                    "description": "The EIN and legal company name do not match IRS records.",
                    "fields": ["ein", "companyName"],
                }
            ]
        )
        self.emit(
            state,
            data,
            BRAND_EVENT,
            {
                "brandId": brand_id,
                "tcrBrandId": data["tcrBrandId"],
                "brandName": data.get("displayName"),
                "type": "TCR_BRAND_UPDATE" if first else "REVET",
                "eventType": "BRAND_ADD" if first else "BRAND_REVET",
                "status": "success",
            },
        )

    def revet(self, state: TelnyxState, brand: SimBrand) -> None:
        """Schedule a new identity scoring."""
        self._after(self.sb.delays.revet, f"revet brand {brand.id}", lambda: self._score(state, brand.id, first=False))

    def identity_edited(self, brand: SimBrand) -> None:
        """TCR: changing identity fields makes the brand UNVERIFIED until a revet."""
        if brand.data.get("status") == "OK" and brand.data.get("identityStatus") != "UNVERIFIED":
            brand.data["identityStatus"] = "UNVERIFIED"

    def order_vetting(self, state: TelnyxState, brand: SimBrand, vetting: dict[str, Any]) -> None:
        """Schedule the outcome of an external vetting."""

        def done() -> None:
            if brand.id not in state.brands:
                return
            failed = brand.scenario.vetting_failed
            vetting.update(
                {
                    "vettingStatus": "FAILED" if failed else "ACTIVE",
                    "vettingScore": 15 if failed else 82,
                    "vettedDate": None if failed else self.now(),
                }
            )
            if not failed:
                brand.data["identityStatus"] = "VETTED_VERIFIED"
                brand.feedback = []
                brand.data["updatedAt"] = self.now()
            self.emit(
                state,
                brand.data,
                BRAND_EVENT,
                {
                    "brandId": brand.id,
                    "tcrBrandId": brand.data.get("tcrBrandId"),
                    "type": "ORDER_EXTERNAL_VETTING",
                    "status": "failed" if failed else "success",
                    "description": f"{vetting['evpId']} {vetting['vettingClass']} vetting "
                    f"{'failed' if failed else 'completed'}",
                },
            )

        vetting["vettingStatus"] = "PENDING"
        self._after(self.sb.delays.vetting, f"vetting of brand {brand.id}", done)

    def deliver_otp(self, brand: SimBrand) -> None:
        """Schedule the OTP SMS reaching the handset."""
        otp = brand.otp

        def delivered() -> None:
            if otp is not None and otp.delivery_status == "IN_TRANSIT":
                otp.delivery_status = "DELIVERED_HANDSET"
                otp.delivery_status_date = self.sb.clock.now()

        self._after(self.sb.delays.otp_delivery, f"otp to brand {brand.id}", delivered)

    def otp_verified(self, state: TelnyxState, brand: SimBrand) -> None:
        """SDK ``verify_sms_otp``: on success the identity becomes VERIFIED and BRAND_OTP_VERIFIED is sent."""
        brand.data["identityStatus"] = "VERIFIED"
        brand.data["updatedAt"] = self.now()
        self.emit(
            state,
            brand.data,
            BRAND_EVENT,
            {
                "brandId": brand.id,
                "tcrBrandId": brand.data.get("tcrBrandId"),
                "type": "TCR_BRAND_UPDATE",
                "eventType": "BRAND_OTP_VERIFIED",
                "status": "success",
            },
        )

    # ------------------------------------------------------------------ campaigns
    def _campaign_payload(self, campaign: SimCampaign, **extra: Any) -> dict[str, Any]:
        return {
            "campaignId": campaign.id,
            "brandId": campaign.data["brandId"],
            "tcrCampaignId": campaign.data.get("tcrCampaignId"),
            **extra,
        }

    def _set(self, campaign: SimCampaign, status: str) -> None:
        if campaign.data.get("campaignStatus") != status:
            self.transitions["campaign_status"] += 1
        campaign.data["campaignStatus"] = status
        campaign.data["updatedAt"] = self.now()

    def submit_campaign(self, state: TelnyxState, campaign: SimCampaign) -> None:
        """Schedule TCR's answer to a new campaign."""

        def tcr() -> None:
            if campaign.status != "TCR_PENDING":
                return
            if campaign.scenario.tcr_failed:
                self._set(campaign, "TCR_FAILED")
                campaign.data["submissionStatus"] = "FAILED"
                campaign.data["failureReasons"] = "TCR rejected the campaign: brand data does not support this use case"
                self.emit(
                    state,
                    campaign.data,
                    CAMPAIGN_EVENT,
                    self._campaign_payload(
                        campaign,
                        type="REGISTRATION",
                        status="failed",
                        description=campaign.data["failureReasons"],
                    ),
                )
                return
            campaign.data["tcrCampaignId"] = self.sb.ids.tcr("C")
            campaign.data["submissionStatus"] = "CREATED"
            campaign.data["billedDate"] = self.now()
            self._set(campaign, "TCR_ACCEPTED")
            self.emit(
                state,
                campaign.data,
                CAMPAIGN_EVENT,
                self._campaign_payload(
                    campaign,
                    type="TCR_EVENT",
                    eventType="CAMPAIGN_ADD",
                    description=f"Campaign {campaign.data['tcrCampaignId']} created at TCR",
                ),
            )
            self._telnyx_review(state, campaign)

        self._after(self.sb.delays.tcr_review, f"tcr review {campaign.id}", tcr)

    def _telnyx_review(self, state: TelnyxState, campaign: SimCampaign) -> None:
        review_round = campaign.review_round

        def review() -> None:
            if campaign.status != "TCR_ACCEPTED" or campaign.review_round != review_round:
                return
            if campaign.scenario.telnyx_reject and review_round == 1:
                self._set(campaign, "TELNYX_FAILED")
                campaign.data["failureReasons"] = "Telnyx compliance: message flow lacks the opt-in disclosure"
                self.emit(
                    state,
                    campaign.data,
                    CAMPAIGN_EVENT,
                    self._campaign_payload(
                        campaign,
                        type="TELNYX_REVIEW",
                        status="REJECTED",
                        description=campaign.data["failureReasons"],
                    ),
                )
                return
            self._set(campaign, "TELNYX_ACCEPTED")
            self.emit(
                state,
                campaign.data,
                CAMPAIGN_EVENT,
                self._campaign_payload(
                    campaign,
                    type="TELNYX_REVIEW",
                    status="ACCEPTED",
                    description=f"Campaign {campaign.data.get('tcrCampaignId')} accepted by Telnyx",
                ),
            )
            self._after(
                self.sb.delays.mno_submission,
                f"mno submission {campaign.id}",
                lambda: self._to_mnos(state, campaign, review_round),
            )

        self._after(self.sb.delays.telnyx_review, f"telnyx review {campaign.id}", review)

    def _to_mnos(self, state: TelnyxState, campaign: SimCampaign, review_round: int) -> None:
        if campaign.status != "TELNYX_ACCEPTED" or campaign.review_round != review_round:
            return
        self._set(campaign, "MNO_PENDING")
        for mno in MNOS:
            if campaign.decisions.get(mno) == "REGISTERED":
                continue
            campaign.decisions[mno] = "REVIEW"
            self._after(
                self.sb.delays.for_carrier(mno),
                f"{MNOS[mno]} review {campaign.id}",
                lambda mno=mno: self._mno_decides(state, campaign, mno, review_round),
            )

    def _mno_decides(self, state: TelnyxState, campaign: SimCampaign, mno: str, review_round: int) -> None:
        if campaign.status != "MNO_PENDING" or campaign.review_round != review_round:
            return
        rejected = campaign.scenario.rejects(mno, review_round)
        campaign.decisions[mno] = "REJECTED" if rejected else "REGISTERED"
        self.transitions["carrier"] += 1
        if mno == "10035":
            campaign.data["isTMobileRegistered"] = not rejected
        campaign.data["updatedAt"] = self.now()
        description = REJECTION_REASONS[mno] if rejected else f"{MNOS[mno]}: campaign approved"
        self.emit(
            state,
            campaign.data,
            CAMPAIGN_EVENT,
            self._campaign_payload(
                campaign,
                type="MNO_REVIEW",
                status="REJECTED" if rejected else "ACCEPTED",
                description=description,
            ),
        )
        if any(state_ == "REVIEW" for state_ in campaign.decisions.values()):
            return
        if "REJECTED" in campaign.decisions.values():
            self._set(campaign, "MNO_REJECTED")
            return
        self._set(campaign, "MNO_ACCEPTED")
        self._after(
            self.sb.delays.provisioning,
            f"provisioning {campaign.id}",
            lambda: self._provision(state, campaign),
        )

    def seed_review(self, state: TelnyxState, campaign: SimCampaign, decide_in: Mapping[str, float]) -> None:
        """Put a campaign straight into carrier review; each carrier decides after its own delay (seconds)."""
        campaign.data["campaignStatus"] = "MNO_PENDING"
        campaign.data["updatedAt"] = self.now()
        for mno, seconds in decide_in.items():
            campaign.decisions[mno] = "REVIEW"
            self._after(
                seconds,
                f"{MNOS.get(mno, mno)} review {campaign.id}",
                lambda mno=mno: self._mno_decides(state, campaign, mno, campaign.review_round),
            )

    def _provision(self, state: TelnyxState, campaign: SimCampaign) -> None:
        if campaign.status != "MNO_ACCEPTED":
            return
        if campaign.scenario.provisioning_failed:
            self._set(campaign, "MNO_PROVISIONING_FAILED")
            campaign.data["failureReasons"] = "Provisioning with the NetNumber registry failed"
            self.emit(
                state,
                campaign.data,
                CAMPAIGN_EVENT,
                self._campaign_payload(
                    campaign,
                    type="REGISTRATION",
                    status="failed",
                    description=campaign.data["failureReasons"],
                ),
            )
            return
        self._set(campaign, "MNO_PROVISIONED")
        self.emit(
            state,
            campaign.data,
            CAMPAIGN_EVENT,
            self._campaign_payload(
                campaign,
                type="VERIFIED",
                cspId=self.sb.csp_id,
                isTMobileRegistered=bool(campaign.data.get("isTMobileRegistered")),
                description="Campaign provisioned with all carriers",
            ),
        )
        if campaign.scenario.suspend_after_approval:
            self._after(
                self.sb.delays.suspension,
                f"suspend {campaign.id}",
                lambda: self._suspend(state, campaign, True),
            )
        if campaign.scenario.expire_after_approval:
            self._after(self.sb.delays.expiry, f"expire {campaign.id}", lambda: self.expire(state, campaign))

    def _suspend(self, state: TelnyxState, campaign: SimCampaign, suspended: bool) -> None:
        if campaign.status != "MNO_PROVISIONED":
            return
        campaign.decisions["10035"] = "SUSPENDED" if suspended else "REGISTERED"
        self.transitions["carrier"] += 1
        campaign.data["isTMobileSuspended"] = suspended
        campaign.data["updatedAt"] = self.now()
        event = "MNO_CAMPAIGN_OPERATION_SUSPENDED" if suspended else "MNO_CAMPAIGN_OPERATION_UNSUSPENDED"
        self.emit(
            state,
            campaign.data,
            CAMPAIGN_EVENT,
            self._campaign_payload(
                campaign,
                type="TCR_EVENT",
                eventType=event,
                description="T-Mobile: campaign "
                + ("suspended after complaints" if suspended else "suspension lifted"),
            ),
        )
        if suspended:
            self._after(
                self.sb.delays.unsuspension,
                f"unsuspend {campaign.id}",
                lambda: self._suspend(state, campaign, False),
            )

    def expire(self, state: TelnyxState, campaign: SimCampaign) -> None:
        """Deactivate / expire a campaign: TCR_EXPIRED, status EXPIRED, its numbers released."""
        if campaign.status == "TCR_EXPIRED":
            return
        self._set(campaign, "TCR_EXPIRED")
        campaign.data["status"] = "EXPIRED"
        for number, row in list(state.assignments.items()):
            if row["campaignId"] == campaign.id:
                del state.assignments[number]
        self.emit(
            state,
            campaign.data,
            CAMPAIGN_EVENT,
            self._campaign_payload(
                campaign, type="TCR_EVENT", eventType="CAMPAIGN_EXPIRED", description="Campaign deactivated"
            ),
        )

    def appeal(self, state: TelnyxState, campaign: SimCampaign) -> None:
        """Reset to TCR_ACCEPTED and review again (only rejected carriers review again)."""
        campaign.review_round += 1
        campaign.data["failureReasons"] = None
        self._set(campaign, "TCR_ACCEPTED")
        for mno, decision in list(campaign.decisions.items()):
            if decision == "REJECTED":
                del campaign.decisions[mno]
        self._telnyx_review(state, campaign)

    # ------------------------------------------------------------------ numbers
    def assign(self, state: TelnyxState, campaign: SimCampaign, number: str) -> dict[str, Any]:
        """Create a PENDING_ASSIGNMENT row and schedule its outcome."""
        row = {
            "phoneNumber": number,
            "campaignId": campaign.id,
            "brandId": campaign.data["brandId"],
            "tcrCampaignId": campaign.data.get("tcrCampaignId"),
            "tcrBrandId": campaign.data.get("tcrBrandId"),
            "telnyxCampaignId": campaign.id,
            "assignmentStatus": "PENDING_ASSIGNMENT",
            "failureReasons": None,
            "createdAt": self.now(),
            "updatedAt": self.now(),
        }
        state.assignments[number] = row
        state.assignment_seq[number] = state.seq()
        self._after(self.sb.delays.number_assignment, f"assign {number}", lambda: self._assigned(state, campaign, row))
        return row

    def _assigned(self, state: TelnyxState, campaign: SimCampaign, row: dict[str, Any]) -> None:
        if state.assignments.get(row["phoneNumber"]) is not row or row["assignmentStatus"] != "PENDING_ASSIGNMENT":
            return
        failed = number_fails(row["phoneNumber"])
        row["assignmentStatus"] = "FAILED_ASSIGNMENT" if failed else "ASSIGNED"
        row["failureReasons"] = "Number is not enabled for messaging on this account" if failed else None
        row["updatedAt"] = self.now()
        payload = {
            "phoneNumber": row["phoneNumber"],
            "campaignId": campaign.id,
            "tcrCampaignId": row["tcrCampaignId"],
            "type": "ASSIGNMENT",
            "status": "failed" if failed else "success",
        }
        if failed:
            payload["reasons"] = [row["failureReasons"]]
        self.emit(state, campaign.data, NUMBER_EVENT, payload)

    def unassign(self, state: TelnyxState, row: dict[str, Any]) -> None:
        """Mark PENDING_UNASSIGNMENT and schedule the removal."""
        row["assignmentStatus"] = "PENDING_UNASSIGNMENT"
        row["updatedAt"] = self.now()
        campaign = state.campaigns.get(row["campaignId"])

        def removed() -> None:
            if state.assignments.get(row["phoneNumber"]) is row:
                del state.assignments[row["phoneNumber"]]
                if campaign is not None:
                    self.emit(
                        state,
                        campaign.data,
                        NUMBER_EVENT,
                        {
                            "phoneNumber": row["phoneNumber"],
                            "campaignId": row["campaignId"],
                            "type": "DELETION",
                            "status": "success",
                        },
                    )

        self._after(self.sb.delays.number_unassignment, f"unassign {row['phoneNumber']}", removed)

    def run_task(self, state: TelnyxState, task: SimTask, campaign: SimCampaign, numbers: list[str]) -> None:
        """Bulk assignment: pending -> processing (one row per number) -> completed | failed."""

        def start() -> None:
            task.data["status"] = "processing"
            task.data["updatedAt"] = self.now()
            for number in numbers:
                existing = state.assignments.get(number)
                if existing is not None and existing["campaignId"] != campaign.id:
                    task.numbers.append(
                        {"phoneNumber": number, "status": "FAILED_ASSIGNMENT", "taskId": task.data["taskId"]}
                    )
                    continue
                self.assign(state, campaign, number)
                task.numbers.append(
                    {"phoneNumber": number, "status": "PENDING_ASSIGNMENT", "taskId": task.data["taskId"]}
                )
            self._after(self.sb.delays.number_assignment, f"finish task {task.data['taskId']}", finish)

        def finish() -> None:
            for item in task.numbers:
                row = state.assignments.get(item["phoneNumber"])
                if item["status"] == "PENDING_ASSIGNMENT" and row is not None:
                    item["status"] = row["assignmentStatus"]
            ok = any(item["status"] == "ASSIGNED" for item in task.numbers)
            task.data["status"] = "completed" if ok else "failed"
            task.data["updatedAt"] = self.now()

        self._after(self.sb.delays.bulk_task, f"start task {task.data['taskId']}", start)


def plus(moment_iso: str, days: int) -> str:
    """An ISO wire time plus some days (renewal dates)."""
    from datetime import datetime

    return iso(datetime.fromisoformat(moment_iso.replace("Z", "+00:00")) + timedelta(days=days))
