"""The simulated Twilio state machine: Trust Hub review, brand registration, campaign review, number
registration, and the Event Streams events each transition announces.

Trust Hub bundles (§3.6): ``draft`` -> (submit) ``pending-review`` -> ``in-review`` -> ``twilio-approved``.
A brand registration (§3.3) stays PENDING until both of its bundles are approved, then TCR registration and
identity scoring take ``brand_scoring`` seconds: APPROVED with identity VERIFIED (or VETTED_VERIFIED /
UNVERIFIED per scenario markers), FAILED with ``errors[]`` for ``[sim:registration-failed]``; a sole proprietor
stays PENDING / SELF_DECLARED until the handset confirms the OTP (``confirm_otp``). A STANDARD brand without
``SkipAutomaticSecVet`` also gets the paid secondary vetting (ledger ``secondary_vetting``).

Campaign (§3.4): PENDING -> (``tcr_review``) IN_PROGRESS with ``campaign_id`` -> (``twilio_review``) Twilio's own
review -> (each carrier's ``mno_review``) VERIFIED, or FAILED with ``errors[]`` (Twilio's review rejects once
with ``[sim:reject:dca]``/``[sim:reject:telnyx]``, carriers per ``[sim:reject:<carrier>]``). Editing a FAILED
campaign resubmits it (the review round counts up, so reject-once markers pass). Twilio shows no per-carrier
map, so ``silent``/``unknown-mno``/``provisioning-failed`` markers have no Twilio effect.

Numbers (§3.5): a number in the Messaging Service of a VERIFIED campaign is registered (events
``number-registration.pending`` then ``.successful``); removing it deregisters it.

State changes before the event is queued, so a GET made on receipt shows what the event announces.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..catalog import CAMPAIGN_VETTING_FEE, EXTERNAL_VETTING_FEE, MNOS
from ..machine import Machine
from .cloudevents import EVENT_PREFIX, TwilioWire
from .state import SimBrand, SimBundle, SimCampaign, TwilioState
from .views import now_iso

if TYPE_CHECKING:
    from ..sandbox import Sandbox

BRAND = "brand-registration."
CAMPAIGN = "campaign-registration."
NUMBER = "number-registration."
DENUMBER = "number-deregistration."
#: carriers' rejection reasons as Twilio relays them (error 30899: "failed because of carrier rejection(s)")
CARRIER_REASONS: Mapping[str, str] = {
    "10017": "AT&T rejected the campaign: message flow does not show how consent is collected",
    "10035": "T-Mobile rejected the campaign: opt-out language missing from sample messages",
    "10038": "Verizon Wireless rejected the campaign: sample messages do not match the use case",
    "10037": "US Cellular rejected the campaign: brand name missing from sample messages",
}


def error_entry(code: int, description: str, fields: list[str]) -> dict[str, Any]:
    """One ``errors[]`` element of a brand or campaign. **[UNCONFIRMED]** key names: the spec types the array
    as free objects; these mirror the Event Streams ``registrationerror*`` keys (§3.7)."""
    return {
        "code": code,
        "description": description,
        "fields": fields,
        "url": f"https://www.twilio.com/docs/api/errors/{code}",
    }


def millis(sandbox: Sandbox) -> int:
    return int(sandbox.clock.timestamp() * 1000)


class TwilioMachine(Machine):
    """Drives one sandbox's Twilio objects through virtual time."""

    def now(self) -> str:
        """messaging/trusthub/events v1 timestamps (no milliseconds)."""
        return now_iso(self.sb)

    def emit(self, state: TwilioState, event_type: str, data: dict[str, Any], source: str) -> None:
        """Queue ``event_type`` to every active sink of the account subscribed to it."""
        full = EVENT_PREFIX + event_type
        payload = {"accountsid": state.account_sid, **data, "timestamp": millis(self.sb), "_source": source}
        for sub in state.subscriptions.values():
            if full not in {t.get("type") for t in sub["_types"]}:
                continue
            sink = state.sinks.get(sub["sink_sid"])
            if sink is None or sink["status"] not in ("initialized", "active"):
                continue
            url = sink["sink_configuration"].get("destination")
            if url:
                self.sb.webhooks.enqueue(url, None, event_type, payload, wire=TwilioWire(state.auth_token))

    # ------------------------------------------------------------------ Trust Hub
    def submit_bundle(self, state: TwilioState, bundle: SimBundle) -> None:
        """``pending-review`` now, ``in-review`` a third of the way, ``twilio-approved`` at ``trust_hub_review``."""
        self._bundle_status(bundle, "pending-review")
        delay = self.sb.delays.trust_hub_review

        def review() -> None:
            if bundle.status == "pending-review":
                self._bundle_status(bundle, "in-review")

        def approve() -> None:
            if bundle.status in ("pending-review", "in-review"):
                self._bundle_status(bundle, "twilio-approved")
                self.bundles_changed(state)

        self._after(delay / 3, f"trust hub review {bundle.sid}", review)
        self._after(delay, f"trust hub approval {bundle.sid}", approve)

    def _bundle_status(self, bundle: SimBundle, status: str) -> None:
        bundle.data["status"] = status
        bundle.data["date_updated"] = self.now()

    def bundles_changed(self, state: TwilioState) -> None:
        """Brands whose bundles are now both approved go on to TCR registration."""
        for brand in state.brands.values():
            if not brand.registered and brand.data["status"] == "PENDING":
                self.try_register(state, brand)

    # ------------------------------------------------------------------ brands
    def _bundles_approved(self, state: TwilioState, brand: SimBrand) -> bool:
        sids = (brand.data["customer_profile_bundle_sid"], brand.data["a2p_profile_bundle_sid"])
        return all((b := state.bundle(s)) is not None and b.status == "twilio-approved" for s in sids)

    def try_register(
        self, state: TwilioState, brand: SimBrand, *, first: bool = True, delay: float | None = None
    ) -> None:
        """Schedule registration once both bundles are approved (now, if they already are)."""
        if not self._bundles_approved(state, brand) or brand.scheduled:
            return
        brand.scheduled = True

        def run() -> None:
            brand.scheduled = False
            self._register(state, brand, first=first)

        self._after(self.sb.delays.brand_scoring if delay is None else delay, f"register brand {brand.sid}", run)

    def identity_fingerprint(self, state: TwilioState, brand: SimBrand) -> str:
        """The end-user attributes of the brand's bundles: what TCR scores identity on."""
        attrs = []
        for bundle_sid in (brand.data["customer_profile_bundle_sid"], brand.data["a2p_profile_bundle_sid"]):
            bundle = state.bundle(bundle_sid)
            for obj in bundle.object_sids() if bundle else ():
                if obj in state.end_users:
                    attrs.append(state.end_users[obj]["attributes"])
        return json.dumps(attrs, sort_keys=True)

    def _register(self, state: TwilioState, brand: SimBrand, *, first: bool) -> None:
        if brand.sid not in state.brands:
            return
        data, scenario = brand.data, brand.scenario
        data["date_updated"] = self.now()
        source = f"/v1/a2p/BrandRegistrations/{brand.sid}"
        if first and scenario.registration_failed:
            brand.registered = True
            data["status"] = "FAILED"
            data["failure_reason"] = "TCR could not verify the EIN and legal company name combination"
            # 30792 "Brand Registration Failure: General error" (twilio.com/docs/api/errors/30792)
            data["errors"] = [
                error_entry(30792, data["failure_reason"], ["business_registration_number", "business_name"])
            ]
            self.emit(state, BRAND + "brand-failure", self._brand_event(state, brand, "registration_failed"), source)
            return
        brand.registered = True
        if not data.get("tcr_id"):
            data["tcr_id"] = self.sb.ids.tcr("B")
        fingerprint = self.identity_fingerprint(state, brand)
        changed = brand.scored not in (None, fingerprint)
        brand.scored = fingerprint
        data["errors"] = []
        data["failure_reason"] = None
        if data.get("identity_status") == "VETTED_VERIFIED" or scenario.vetted:
            identity, status, event = "VETTED_VERIFIED", "APPROVED", "brand-vetted-verified"
        elif scenario.unverified and not changed:
            identity, status, event = "UNVERIFIED", "APPROVED", "brand-unverified"
        elif data["brand_type"] == "SOLE_PROPRIETOR" or scenario.otp:
            identity = "VERIFIED" if brand.otp_confirmed else "SELF_DECLARED"
            status = "APPROVED" if brand.otp_confirmed else "PENDING"
            event = "brand-registered"
            if not brand.otp_confirmed:
                brand.otp_sent += 1  # Twilio texts the sole proprietor's mobile on registration
        else:
            identity, status, event = "VERIFIED", "APPROVED", "brand-registered"
        data["identity_status"] = identity
        data["status"] = status
        data["brand_feedback"] = ["TAX_ID"] if identity == "UNVERIFIED" else []
        data["brand_score"] = {"UNVERIFIED": 12, "VETTED_VERIFIED": 82}.get(identity, 63)
        self.emit(state, BRAND + event, self._brand_event(state, brand, "registered"), source)
        if first and data["brand_type"] == "STANDARD" and not data["skip_automatic_sec_vet"]:
            self.order_vetting(state, brand, "aegis", secondary=True)

    def _brand_event(self, state: TwilioState, brand: SimBrand, status: str) -> dict[str, Any]:
        data = brand.data
        event: dict[str, Any] = {
            "brandsid": brand.sid,
            "brandstatus": status,
            "identitystatus": data.get("identity_status"),
            "tcrbrandid": data.get("tcr_id"),
            "createddate": millis(self.sb),
            "updateddate": millis(self.sb),
        }
        if data.get("errors"):
            event["brandregistrationerrors"] = [
                {
                    "registrationerrorcode": e["code"],
                    "registrationerrordescription": e["description"],
                    "registrationerrorurl": e["url"],
                    "registrationerrorfields": e["fields"],
                }
                for e in data["errors"]
            ]
        return event

    def resubmit_brand(self, state: TwilioState, brand: SimBrand) -> None:
        """``POST /a2p/BrandRegistrations/{BN}``: score again (after fixing the bundles)."""
        brand.data["status"] = "PENDING"
        brand.data["date_updated"] = self.now()
        self.try_register(state, brand, first=False, delay=self.sb.delays.revet)

    def confirm_otp(self, state: TwilioState, brand: SimBrand) -> None:
        """The sole proprietor replied to the OTP text: identity VERIFIED, brand APPROVED."""
        brand.otp_confirmed = True
        if brand.registered and brand.data["status"] == "PENDING":
            brand.data.update({"identity_status": "VERIFIED", "status": "APPROVED", "date_updated": self.now()})
            self.emit(
                state,
                BRAND + "brand-verified",
                self._brand_event(state, brand, "registered"),
                f"/v1/a2p/BrandRegistrations/{brand.sid}",
            )

    def order_vetting(
        self, state: TwilioState, brand: SimBrand, provider: str, *, secondary: bool = False
    ) -> dict[str, Any]:
        """A vetting (``VT``): PENDING now, SUCCESS / FAILED after ``vetting`` seconds; billable."""
        from .views import sid

        vetting = {
            "account_sid": state.account_sid,
            "brand_sid": brand.sid,
            "brand_vetting_sid": sid(self.sb, "VT"),
            "vetting_id": None,
            "vetting_class": "POLITICAL" if provider == "campaign-verify" else "STANDARD",
            "vetting_status": "PENDING",
            "vetting_provider": provider,
            "date_created": self.now(),
            "date_updated": self.now(),
        }
        brand.vettings.append(vetting)
        self.charge(state, "secondary_vetting" if secondary else "external_vetting", EXTERNAL_VETTING_FEE, brand.sid)

        def done() -> None:
            if brand.sid not in state.brands:
                return
            failed = brand.scenario.vetting_failed
            vetting.update(
                {
                    "vetting_status": "FAILED" if failed else "SUCCESS",
                    "vetting_id": None if failed else self.sb.ids.tcr("V"),
                    "date_updated": self.now(),
                }
            )
            source = f"/v1/a2p/BrandRegistrations/{brand.sid}"
            if failed:
                self.emit(
                    state,
                    BRAND + "brand-secondary-vetting-failure",
                    self._brand_event(state, brand, "registered"),
                    source,
                )
                return
            if not secondary or brand.scenario.vetted:
                brand.data.update(
                    {
                        "identity_status": "VETTED_VERIFIED",
                        "status": "APPROVED",
                        "brand_feedback": [],
                        "date_updated": self.now(),
                    }
                )
                self.emit(state, BRAND + "brand-vetted-verified", self._brand_event(state, brand, "registered"), source)

        self._after(self.sb.delays.vetting, f"vetting of brand {brand.sid}", done)
        return vetting

    # ------------------------------------------------------------------ campaigns
    def _campaign_event(self, campaign: SimCampaign, status: str, **extra: Any) -> dict[str, Any]:
        data = campaign.data
        return {
            "brandsid": data["brand_registration_sid"],
            "campaignsid": campaign.sid,
            "messagingservicesid": campaign.service_sid,
            "externalcampaignid": data.get("campaign_id"),
            "a2pusecase": data.get("us_app_to_person_usecase"),
            "campaignregistrationstatus": status,
            "createddate": millis(self.sb),
            "updateddate": millis(self.sb),
            "errorcode": None,
            **extra,
        }

    def _source(self, campaign: SimCampaign) -> str:
        return f"/v1/Services/{campaign.service_sid}/Compliance/Usa2p/{campaign.sid}"

    def _set(self, campaign: SimCampaign, status: str) -> None:
        campaign.data["campaign_status"] = status
        campaign.data["date_updated"] = self.now()

    def submit_campaign(self, state: TwilioState, campaign: SimCampaign, *, charge: bool = True) -> None:
        """Schedule TCR registration and the reviews of a new (or resubmitted) campaign."""
        if charge:
            self.charge(state, "campaign_vetting", CAMPAIGN_VETTING_FEE, campaign.sid)
        review_round = campaign.review_round

        def tcr() -> None:
            if campaign.sid not in state.campaigns or campaign.review_round != review_round:
                return
            if campaign.scenario.tcr_failed:
                self._fail(
                    state,
                    campaign,
                    [
                        error_entry(
                            30900, "The campaign use case is ineligible for registration.", ["UsAppToPersonUsecase"]
                        )
                    ],
                )
                return
            if not campaign.data.get("campaign_id"):
                campaign.data["campaign_id"] = self.sb.ids.tcr("C")
            self._set(campaign, "IN_PROGRESS")
            self.emit(
                state,
                CAMPAIGN + "campaign-submitted",
                self._campaign_event(campaign, "submitted"),
                self._source(campaign),
            )
            self._after(self.sb.delays.twilio_review, f"twilio review {campaign.sid}", review)

        def review() -> None:
            if campaign.sid not in state.campaigns or campaign.review_round != review_round:
                return
            if campaign.scenario.telnyx_reject and review_round == 1:
                # 30886 "Campaign vetting rejection - Invalid Campaign Description" (twilio.com/docs/api/errors/30886)
                self._fail(
                    state,
                    campaign,
                    [
                        error_entry(
                            30886,
                            "The campaign description does not explain who sends what to whom and why.",
                            ["Description"],
                        )
                    ],
                )
                return
            pending = [m for m in MNOS if campaign.decisions.get(m) != "REGISTERED"]
            for mno in pending:
                campaign.decisions[mno] = "REVIEW"
                self._after(
                    self.sb.delays.for_carrier(mno), f"{MNOS[mno]} review {campaign.sid}", lambda mno=mno: carrier(mno)
                )
            if not pending:
                finish()

        def carrier(mno: str) -> None:
            if campaign.sid not in state.campaigns or campaign.review_round != review_round:
                return
            campaign.decisions[mno] = "REJECTED" if campaign.scenario.rejects(mno, review_round) else "REGISTERED"
            if "REVIEW" not in campaign.decisions.values():
                finish()

        def finish() -> None:
            rejected = [m for m, d in campaign.decisions.items() if d == "REJECTED"]
            if rejected:
                # 30899 "The campaign registration failed because of carrier rejection(s)"
                self._fail(
                    state, campaign, [error_entry(30899, CARRIER_REASONS[m], ["MessageSamples"]) for m in rejected]
                )
                return
            self._set(campaign, "VERIFIED")
            self.emit(
                state,
                CAMPAIGN + "campaign-approved",
                self._campaign_event(campaign, "approved"),
                self._source(campaign),
            )
            service = state.services.get(campaign.service_sid)
            if service is not None:
                service["us_app_to_person_registered"] = True
            for number_sid in list(state.service_numbers.get(campaign.service_sid, {})):
                self.register_number(state, campaign, number_sid)
            if campaign.scenario.suspend_after_approval:
                self._after(self.sb.delays.suspension, f"suspend {campaign.sid}", lambda: self._suspend(campaign, True))
            if campaign.scenario.expire_after_approval:
                self._after(
                    self.sb.delays.expiry, f"expire {campaign.sid}", lambda: self.delete_campaign(state, campaign)
                )

        self._after(self.sb.delays.tcr_review, f"tcr registration {campaign.sid}", tcr)

    def _fail(self, state: TwilioState, campaign: SimCampaign, errors: list[dict[str, Any]]) -> None:
        campaign.data["errors"] = errors
        self._set(campaign, "FAILED")
        event = self._campaign_event(campaign, "failure", errorcode=errors[0]["code"])
        self.emit(state, CAMPAIGN + "campaign-failure", event, self._source(campaign))

    def _suspend(self, campaign: SimCampaign, suspended: bool) -> None:
        if campaign.status not in ("VERIFIED", "SUSPENDED"):
            return
        self._set(campaign, "SUSPENDED" if suspended else "VERIFIED")
        if suspended:
            self._after(
                self.sb.delays.unsuspension, f"unsuspend {campaign.sid}", lambda: self._suspend(campaign, False)
            )

    def resubmit_campaign(self, state: TwilioState, campaign: SimCampaign) -> None:
        """Editing a FAILED campaign sends it through review again (rejected carriers review again)."""
        campaign.review_round += 1
        campaign.data["errors"] = []
        for mno, decision in list(campaign.decisions.items()):
            if decision == "REJECTED":
                del campaign.decisions[mno]
        self._set(campaign, "PENDING")
        self.submit_campaign(state, campaign, charge=False)

    def delete_campaign(self, state: TwilioState, campaign: SimCampaign) -> None:
        """The campaign is gone (DELETE or TCR expiry): its numbers are deregistered."""
        if state.campaigns.pop(campaign.sid, None) is None:
            return
        service = state.services.get(campaign.service_sid)
        if service is not None:
            service["us_app_to_person_registered"] = False
        self.emit(
            state, CAMPAIGN + "campaign-deleted", self._campaign_event(campaign, "deleted"), self._source(campaign)
        )
        for number_sid in list(state.service_numbers.get(campaign.service_sid, {})):
            self.deregister_number(state, campaign, number_sid)

    # ------------------------------------------------------------------ numbers
    def _number_event(self, state: TwilioState, campaign: SimCampaign, number_sid: str, status: str) -> dict[str, Any]:
        number = state.numbers.get(number_sid, {})
        return {
            "phonenumber": number.get("phone_number"),
            "phonenumbersid": number_sid,
            "messagingservicesid": campaign.service_sid,
            "campaignsid": campaign.sid,
            "brandsid": campaign.data["brand_registration_sid"],
            "externalcampaignid": campaign.data.get("campaign_id"),
            "numberregistrationstatus": status,
            "errorcode": None,
        }

    def register_number(self, state: TwilioState, campaign: SimCampaign, number_sid: str) -> None:
        """``number-registration.pending`` now, ``.successful`` after ``number_assignment`` seconds."""
        source = f"/v1/Services/{campaign.service_sid}/PhoneNumbers/{number_sid}"
        self.emit(state, NUMBER + "pending", self._number_event(state, campaign, number_sid, "pending"), source)

        def done() -> None:
            if number_sid in state.service_numbers.get(campaign.service_sid, {}) and campaign.sid in state.campaigns:
                self.emit(
                    state, NUMBER + "successful", self._number_event(state, campaign, number_sid, "successful"), source
                )

        self._after(self.sb.delays.number_assignment, f"register number {number_sid}", done)

    def deregister_number(self, state: TwilioState, campaign: SimCampaign, number_sid: str) -> None:
        """``number-deregistration.pending`` now, ``.successful`` after ``number_unassignment`` seconds."""
        source = f"/v1/Services/{campaign.service_sid}/PhoneNumbers/{number_sid}"
        event = self._number_event(state, campaign, number_sid, "pending")
        self.emit(state, DENUMBER + "pending", event, source)
        done_event = {**event, "numberregistrationstatus": "successful"}
        self._after(
            self.sb.delays.number_unassignment,
            f"deregister number {number_sid}",
            lambda: self.emit(state, DENUMBER + "successful", done_event, source),
        )
