"""Twilio A2P 10DLC adapter: the TenDlcProvider protocol over Twilio's four REST hosts.

Paths, parameters and response fields follow Twilio's OpenAPI repo (twilio-oai ``twilio_messaging_v1.json``,
``twilio_trusthub_v1.json``, ``twilio_events_v1.json``) and twilio-python; requests are form-encoded
PascalCase (arrays as repeated keys, Trust Hub ``Attributes`` a JSON string), responses snake_case JSON
(provider-apis.md §3). One HttpClient per host (``messaging``, ``trusthub``, ``api``, ``events``) shares the
token bucket and the call recorder.

Brand = the Trust Hub chain of §3.2 (twilio_trusthub) then a BrandRegistration. It is **resumable and never
double-billed**: ``client_ref`` is the FriendlyName of the customer profile and of the trust product, so a
repeated ``create_brand`` finds what an earlier attempt made (profiles, their assignments, the brand
registration of the profile) and continues from there; only the BrandRegistration is billable and it is
created only when no registration of the profile exists. ``find_brand_by_reference`` looks the same way.

Campaign = a Messaging Service (FriendlyName = client_ref) + its UsAppToPerson; the adapter's campaign id is
``"MG.../QE..."`` so ``get_campaign`` can fetch it (the Usa2p resource lives under its service). Twilio shows
no per-carrier map: ``carriers`` stays empty. Numbers are "assigned" by adding them to the campaign's
Messaging Service; see twilio_status.assignment_lifecycle for what REST does and does not tell.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from typing_extensions import Unpack

from . import twilio_status as st
from . import twilio_trusthub as th
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
from .http import HttpClient, quote_segment
from .times import parse_time
from .transport import HttpAdapter, TransportOptions, basic_auth
from .twilio_errors import twilio_error
from .twilio_webhooks import EVENT_TYPES, parse_events, verify

TWILIO_BASE_URL = "https://{service}.twilio.com"
VERSIONS = {"messaging": "/v1", "trusthub": "/v1", "events": "/v1", "api": "/2010-04-01"}
PAGE_SIZE = 100
#: brand_feedback categories (deprecated but still sent) -> TCR fields to fix
FEEDBACK_FIELDS: Mapping[str, tuple[str, ...]] = {
    "TAX_ID": ("ein", "companyName"),
    "STOCK_SYMBOL": ("stockSymbol", "stockExchange"),
    "NONPROFIT": ("entityType",),
    "GOVERNMENT_ENTITY": ("entityType",),
    "OTHERS": (),
}
#: Twilio brand/campaign error ``fields`` (Trust Hub attributes or request parameters) -> TCR fields
ERROR_FIELDS: Mapping[str, str] = {
    **th.ATTRIBUTE_FIELDS,
    "Description": "description",
    "MessageFlow": "messageFlow",
    "MessageSamples": "sample1",
    "UsAppToPersonUsecase": "usecase",
    "HasEmbeddedLinks": "embeddedLink",
    "HasEmbeddedPhone": "embeddedPhone",
}
VETTING_PROVIDERS = {"AEGIS": "aegis", "CV": "campaign-verify", "CAMPAIGN_VERIFY": "campaign-verify"}
SAMPLES = ("sample1", "sample2", "sample3", "sample4", "sample5")


def _bool(value: Any) -> str:
    return "true" if value else "false"


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [w.strip() for w in value.split(",") if w.strip()]
    return [str(w).strip() for w in value or () if str(w).strip()]


def _issues(errors: Any) -> tuple[Issue, ...]:
    """Brand/campaign ``errors[]`` as Issues with Twilio's codes (key names tolerated both ways)."""
    issues = []
    for entry in errors or ():
        if not isinstance(entry, Mapping):
            continue
        code = entry.get("code") or entry.get("error_code") or entry.get("registrationerrorcode")
        message = entry.get("description") or entry.get("message") or entry.get("registrationerrordescription")
        raw_fields = entry.get("fields") or entry.get("registrationerrorfields") or ()
        fields = tuple(ERROR_FIELDS.get(str(f), str(f)) for f in raw_fields)
        issues.append(Issue(str(code or ""), str(message or "error"), fields))
    return tuple(issues)


def split_campaign_ref(ref: str) -> tuple[str | None, str]:
    """``"MG.../QE..."`` -> (service SID, campaign SID); a bare ``QE...`` -> (None, QE)."""
    service, sep, campaign = ref.partition("/")
    return (service, campaign) if sep else (None, ref)


class TwilioProvider(HttpAdapter):
    """TenDlcProvider for one Twilio account (account SID + auth token)."""

    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        base_url: str = TWILIO_BASE_URL,
        webhook_url: str | None = None,
        primary_profile_sid: str | None = None,
        low_volume: bool = False,
        **transport: Unpack[TransportOptions],
    ) -> None:
        super().__init__(**transport)
        self.account_sid = account_sid
        self._auth_token = auth_token
        self.webhook_url = webhook_url
        self.primary_profile_sid = primary_profile_sid
        #: register STANDARD brands as Low-Volume Standard (``SkipAutomaticSecVet``, no paid secondary vet);
        #: a brand input's ``lowVolume`` overrides it
        self.low_volume = low_volume
        self._sink_ready_for: str | None = None
        headers = basic_auth(account_sid, auth_token)
        self.clients = {
            service: self.client(base_url.format(service=service) + version, headers, twilio_error)
            for service, version in VERSIONS.items()
        }
        self.http = self.messaging = self.clients["messaging"]
        self.trusthub = self.clients["trusthub"]
        self.api = self.clients["api"]
        self.events = self.clients["events"]

    def capabilities(self) -> Capabilities:
        """Trust bundles, Event Streams webhooks, sole-prop OTP, appeal by editing a FAILED campaign, use cases
        per brand (qualify); no brand delete, no fee endpoint, no bulk assignment."""
        return Capabilities(
            webhooks=True,
            qualify=True,
            cost_estimate=False,
            bulk_assign_by_profile=False,
            trust_bundles=True,
            brand_delete=False,
            otp=True,
            appeal=True,
        )

    # ---------------------------------------------------------------- paging
    def _pages(
        self, client: HttpClient, path: str, key: str, query: Mapping[str, Any] | None = None
    ) -> Iterator[Mapping[str, Any]]:
        """Rows of a list, following ``meta.next_page_url`` (v1) or ``next_page_uri`` (2010 API)."""
        params: dict[str, Any] = {**(query or {}), "PageSize": PAGE_SIZE}
        while True:
            body = client.get(path, query=params).body or {}
            for row in body.get(key) or ():
                if isinstance(row, Mapping):
                    yield row
            meta = body.get("meta") if isinstance(body.get("meta"), Mapping) else {}
            following = meta.get("next_page_url") or body.get("next_page_uri")
            if not following:
                return
            params = dict(parse_qsl(urlsplit(str(following)).query))

    # ---------------------------------------------------------------- event streams
    def ensure_event_sink(self) -> str | None:
        """A webhook sink for ``webhook_url`` subscribed to every A2P event type; idempotent (lists first).
        Returns the sink SID (None without a webhook URL). Needed per (sub)account (§3.7)."""
        if not self.webhook_url:
            return None
        sink_sid = next(
            (
                s["sid"]
                for s in self._pages(self.events, "/Sinks", "sinks")
                if (s.get("sink_configuration") or {}).get("destination") == self.webhook_url
            ),
            None,
        )
        if sink_sid is None:
            config = {"destination": self.webhook_url, "method": "POST", "batch_events": False}
            form = [
                ("Description", "registry A2P events"),
                ("SinkType", "webhook"),
                ("SinkConfiguration", json.dumps(config)),
            ]
            sink_sid = self.events.post("/Sinks", form=form).body["sid"]
        if not any(True for _ in self._pages(self.events, "/Subscriptions", "subscriptions", {"SinkSid": sink_sid})):
            types = [("Types", json.dumps({"type": t, "schema_version": 1})) for t in EVENT_TYPES]
            self.events.post(
                "/Subscriptions", form=[("Description", "registry A2P events"), ("SinkSid", sink_sid), *types]
            )
        self._sink_ready_for = self.webhook_url
        return sink_sid

    def _events_ready(self) -> None:
        if self.webhook_url and self._sink_ready_for != self.webhook_url:
            self.ensure_event_sink()

    # ---------------------------------------------------------------- trust hub
    def _find_bundle(self, kind: str, client_ref: str) -> Mapping[str, Any] | None:
        rows = list(self._pages(self.trusthub, f"/{kind}", "results", {"FriendlyName": client_ref}))
        return rows[0] if rows else None

    def _primary_profile(self) -> str:
        if self.primary_profile_sid:
            return self.primary_profile_sid
        query = {"PolicySid": th.PRIMARY_PROFILE_POLICY, "Status": "twilio-approved"}
        row = next(iter(self._pages(self.trusthub, "/CustomerProfiles", "results", query)), None)
        if row is None:
            raise ProviderError(
                ProviderErrorKind.PRECONDITION,
                "the Twilio account has no twilio-approved primary customer profile (create it in Console)",
            )
        self.primary_profile_sid = str(row["sid"])
        return self.primary_profile_sid

    def _assigned(self, kind: str, bundle_sid: str) -> dict[str, str]:
        """Object SID -> what it is (end-user or document type, or ``bundle``) for a bundle's assignments."""
        found: dict[str, str] = {}
        path = f"/{kind}/{quote_segment(bundle_sid)}/EntityAssignments"
        for row in self._pages(self.trusthub, path, "results"):
            obj = str(row.get("object_sid"))
            if obj.startswith("IT"):
                found[obj] = str(self.trusthub.get(f"/EndUsers/{quote_segment(obj)}").body.get("type"))
            elif obj.startswith("RD"):
                found[obj] = str(self.trusthub.get(f"/SupportingDocuments/{quote_segment(obj)}").body.get("type"))
            else:
                found[obj] = "bundle"
        return found

    def _assign(self, kind: str, bundle_sid: str, object_sid: str) -> None:
        path = f"/{kind}/{quote_segment(bundle_sid)}/EntityAssignments"
        self.trusthub.post(path, form=[("ObjectSid", object_sid)])

    def _end_user(self, user: th.EndUser) -> str:
        attributes = {k: v for k, v in user.attributes.items() if v is not None}
        form = [("FriendlyName", user.friendly_name), ("Type", user.type), ("Attributes", json.dumps(attributes))]
        return str(self.trusthub.post("/EndUsers", form=form).body["sid"])

    def _address_document(self, plan: th.Plan) -> str:
        path = f"/Accounts/{quote_segment(self.account_sid)}/Addresses.json"
        address = self.api.post(path, form=list(plan.address.items())).body["sid"]
        form = [
            ("FriendlyName", f"{plan.address['CustomerName']} address"),
            ("Type", th.ADDRESS_DOCUMENT),
            ("Attributes", json.dumps({"address_sids": address})),
        ]
        return str(self.trusthub.post("/SupportingDocuments", form=form).body["sid"])

    def _evaluate_and_submit(self, kind: str, bundle_sid: str, policy: str) -> None:
        """Evaluate against the policy; raise VALIDATION naming TCR fields when noncompliant; else submit."""
        path = f"/{kind}/{quote_segment(bundle_sid)}"
        evaluation = self.trusthub.post(path + "/Evaluations", form=[("PolicySid", policy)]).body or {}
        if str(evaluation.get("status")).lower() != "compliant":
            fields, problems = th.evaluation_fields(evaluation)
            issues = tuple(Issue(code, message, names) for code, message, names in problems)
            raise ProviderError(
                ProviderErrorKind.VALIDATION,
                "Twilio Trust Hub evaluation is noncompliant: " + "; ".join(i.message for i in issues),
                provider_code="noncompliant",
                fields=fields,
                issues=issues,
            )
        self.trusthub.post(path, form=[("Status", "pending-review")])

    def _bundle(self, kind: str, client_ref: str, plan: th.Plan, policy: str) -> Mapping[str, Any]:
        found = self._find_bundle(kind, client_ref)
        if found is not None:
            return found
        form = [("FriendlyName", client_ref), ("Email", plan.email), ("PolicySid", policy)]
        return self.trusthub.post(f"/{kind}", form=form).body

    def _customer_profile(self, client_ref: str, plan: th.Plan) -> str:
        profile = self._bundle("CustomerProfiles", client_ref, plan, plan.profile_policy)
        sid = str(profile["sid"])
        if profile.get("status") not in ("draft", "twilio-rejected"):
            return sid
        have = self._assigned("CustomerProfiles", sid)
        for user in plan.profile_users:
            if user.type not in have.values():
                self._assign("CustomerProfiles", sid, self._end_user(user))
        if th.ADDRESS_DOCUMENT not in have.values():
            self._assign("CustomerProfiles", sid, self._address_document(plan))
        primary = self._primary_profile()
        if primary not in have:
            self._assign("CustomerProfiles", sid, primary)
        self._evaluate_and_submit("CustomerProfiles", sid, plan.profile_policy)
        return sid

    def _trust_product(self, client_ref: str, plan: th.Plan, profile_sid: str) -> str:
        product = self._bundle("TrustProducts", client_ref, plan, plan.product_policy)
        sid = str(product["sid"])
        if product.get("status") not in ("draft", "twilio-rejected"):
            return sid
        have = self._assigned("TrustProducts", sid)
        if plan.product_user.type not in have.values():
            self._assign("TrustProducts", sid, self._end_user(plan.product_user))
        if profile_sid not in have:
            self._assign("TrustProducts", sid, profile_sid)
        self._evaluate_and_submit("TrustProducts", sid, plan.product_policy)
        return sid

    # ---------------------------------------------------------------- brands
    def create_brand(self, brand: BrandInput, *, client_ref: str) -> BrandRecord:
        """The Trust Hub chain then ``POST /a2p/BrandRegistrations`` (billable), resuming whatever an earlier
        attempt with the same ``client_ref`` made (module docs). VALIDATION when Twilio's policy evaluation
        says noncompliant (or a field it needs is missing), naming TCR fields."""
        plan = th.plan(brand)
        if plan.missing:
            raise ProviderError(
                ProviderErrorKind.VALIDATION,
                "Twilio needs these brand fields: " + ", ".join(plan.missing),
                fields=plan.missing,
            )
        self._events_ready()
        profile = self._customer_profile(client_ref, plan)
        product = self._trust_product(client_ref, plan, profile)
        existing = self._brand_of_profile(profile)
        if existing is not None:
            return self._brand_record(existing, client_ref=client_ref)
        low_volume = bool(brand.get("lowVolume", self.low_volume))
        form = [
            ("CustomerProfileBundleSid", profile),
            ("A2PProfileBundleSid", product),
            ("BrandType", plan.brand_type),
            ("SkipAutomaticSecVet", _bool(low_volume and not plan.sole_proprietor)),
            ("Mock", _bool(brand.get("mock"))),
        ]
        resp = self.messaging.post("/a2p/BrandRegistrations", form=form)
        return self._brand_record(resp.body, client_ref=client_ref)

    def _brand_of_profile(self, profile_sid: str) -> Mapping[str, Any] | None:
        for row in self._pages(self.messaging, "/a2p/BrandRegistrations", "data"):
            if row.get("customer_profile_bundle_sid") == profile_sid:
                return row
        return None

    def find_brand_by_reference(self, client_ref: str, brand: BrandInput | None = None) -> BrandRecord | None:
        """The brand registration of the customer profile named ``client_ref``; None when the chain has not
        reached the (billable) registration yet (``create_brand`` then resumes it)."""
        profile = self._find_bundle("CustomerProfiles", client_ref)
        if profile is None:
            return None
        row = self._brand_of_profile(str(profile["sid"]))
        return self._brand_record(row, client_ref=client_ref) if row is not None else None

    def get_brand(self, ref: ProviderRef) -> BrandRecord:
        """``GET /a2p/BrandRegistrations/{BN}`` (one request: ``client_ref`` is only filled by create/find, it
        lives on the customer profile)."""
        body = self.messaging.get(f"/a2p/BrandRegistrations/{quote_segment(ref)}").body
        return self._brand_record(body)

    def update_brand(self, ref: ProviderRef, patch: BrandInput) -> BrandRecord:
        """Change the end users' attributes (and FriendlyName) behind the brand, then, if the brand is FAILED
        or UNVERIFIED, resubmit it (``POST /a2p/BrandRegistrations/{BN}``, Twilio's "update"). Address fields
        are not changed here (a new Address would be needed)."""
        current = self.messaging.get(f"/a2p/BrandRegistrations/{quote_segment(ref)}").body
        for kind, bundle in (
            ("CustomerProfiles", current["customer_profile_bundle_sid"]),
            ("TrustProducts", current["a2p_profile_bundle_sid"]),
        ):
            for obj, obj_type in self._assigned(kind, bundle).items():
                if not obj.startswith("IT"):
                    continue
                row = self.trusthub.get(f"/EndUsers/{quote_segment(obj)}").body
                attributes = dict(row.get("attributes") or {})
                updated = self._patched_attributes(obj_type, attributes, patch)
                if updated != attributes:
                    self.trusthub.post(f"/EndUsers/{quote_segment(obj)}", form=[("Attributes", json.dumps(updated))])
        status, identity = str(current.get("status")).upper(), str(current.get("identity_status")).upper()
        if status == "FAILED" or (status == "APPROVED" and identity == "UNVERIFIED"):
            self.messaging.post(f"/a2p/BrandRegistrations/{quote_segment(ref)}", idempotent=True)
        return self.get_brand(ref)

    @staticmethod
    def _patched_attributes(obj_type: str, attributes: dict[str, Any], patch: BrandInput) -> dict[str, Any]:
        new = th.plan({**_brand_from_attributes(obj_type, attributes), **patch})
        for user in (*new.profile_users, new.product_user):
            if user.type == obj_type:
                return {
                    **attributes,
                    **{k: v for k, v in user.attributes.items() if v is not None and _tcr_key(k) in patch},
                }
        return attributes

    def delete_brand(self, ref: ProviderRef) -> None:
        """Twilio's API has no brand DELETE (§3.3): FORBIDDEN (delete it in Console)."""
        raise ProviderError(ProviderErrorKind.FORBIDDEN, "Twilio's API cannot delete a brand registration")

    def revet_brand(self, ref: ProviderRef) -> BrandRecord:
        """``POST /a2p/BrandRegistrations/{BN}``: resubmit a FAILED / UNVERIFIED brand for scoring."""
        body = self.messaging.post(f"/a2p/BrandRegistrations/{quote_segment(ref)}", idempotent=True).body
        return self._brand_record(body)

    def get_brand_feedback(self, ref: ProviderRef) -> list[Issue]:
        """``errors[]`` and the (deprecated) ``brand_feedback`` categories of the brand as Issues."""
        body = self.messaging.get(f"/a2p/BrandRegistrations/{quote_segment(ref)}").body or {}
        issues = list(_issues(body.get("errors")))
        for category in body.get("brand_feedback") or ():
            key = str(category).upper()
            issues.append(Issue(key, f"Twilio brand feedback: {key}", FEEDBACK_FIELDS.get(key, ())))
        return issues

    def _brand_record(self, body: Any, *, client_ref: str | None = None) -> BrandRecord:
        if not isinstance(body, Mapping) or not body.get("sid"):
            raise ProviderError(ProviderErrorKind.MALFORMED, "Twilio brand response has no sid")
        lifecycle, known = st.brand_lifecycle(body.get("status"), body.get("identity_status"), body.get("brand_type"))
        issues = _issues(body.get("errors"))
        if not issues and body.get("failure_reason"):
            issues = (Issue("failure_reason", str(body["failure_reason"])),)
        return BrandRecord(
            provider=self.name,
            provider_id=str(body["sid"]),
            registry_id=body.get("tcr_id"),
            lifecycle=lifecycle,
            identity=st.identity(body.get("identity_status")),
            raw_status=body.get("status"),
            raw_identity=body.get("identity_status"),
            client_ref=client_ref,
            issues=issues,
            updated_at=parse_time(body.get("date_updated")),
            needs_review=not known,
            raw=dict(body),
        )

    # ---------------------------------------------------------------- vetting & OTP
    def order_vetting(self, ref: ProviderRef, provider: str, vetting_class: str) -> VettingRecord:
        """``POST /a2p/BrandRegistrations/{BN}/Vettings`` ``VettingProvider`` (aegis | campaign-verify);
        billable, never repeated blindly. Twilio infers the class from the provider."""
        twilio_provider = VETTING_PROVIDERS.get(provider.upper(), provider.lower())
        if twilio_provider not in ("aegis", "campaign-verify"):
            raise ProviderError(
                ProviderErrorKind.VALIDATION,
                f"Twilio vets with aegis or campaign-verify, not {provider}",
                fields=("evpId",),
            )
        body = self.messaging.post(
            f"/a2p/BrandRegistrations/{quote_segment(ref)}/Vettings", form=[("VettingProvider", twilio_provider)]
        ).body
        return self._vetting_record(ref, body)

    def list_vettings(self, ref: ProviderRef) -> list[VettingRecord]:
        """``GET /a2p/BrandRegistrations/{BN}/Vettings`` (key ``data``)."""
        rows = self._pages(self.messaging, f"/a2p/BrandRegistrations/{quote_segment(ref)}/Vettings", "data")
        return [self._vetting_record(ref, row) for row in rows]

    def _vetting_record(self, brand_id: str, body: Mapping[str, Any]) -> VettingRecord:
        lifecycle, known = st.vetting_lifecycle(body.get("vetting_status"))
        done = lifecycle is Lifecycle.APPROVED
        return VettingRecord(
            provider=self.name,
            brand_id=brand_id,
            evp_id=body.get("vetting_provider"),
            vetting_class=body.get("vetting_class"),
            vetting_id=body.get("vetting_id"),
            lifecycle=lifecycle,
            raw_status=body.get("vetting_status"),
            vetted_at=parse_time(body.get("date_updated")) if done else None,
            created_at=parse_time(body.get("date_created")),
            needs_review=not known,
            raw=dict(body),
        )

    def send_brand_otp(self, ref: ProviderRef) -> OtpRecord:
        """``POST /a2p/BrandRegistrations/{BN}/SmsOtp``: text the sole proprietor again (Twilio also texts
        once on registration). The owner confirms by replying to that text."""
        body = self.messaging.post(f"/a2p/BrandRegistrations/{quote_segment(ref)}/SmsOtp").body or {}
        return OtpRecord(self.name, ref, None, Lifecycle.PENDING, raw=dict(body))

    def get_brand_otp(self, ref: ProviderRef) -> OtpRecord:
        """Twilio has no OTP status resource: the brand tells. A sole proprietor brand APPROVED (identity
        VERIFIED) has confirmed; PENDING / SELF_DECLARED is still waiting for the owner's reply."""
        body = self.messaging.get(f"/a2p/BrandRegistrations/{quote_segment(ref)}").body or {}
        confirmed = str(body.get("status")).upper() == "APPROVED" and str(body.get("identity_status")).upper() in (
            "VERIFIED",
            "VETTED_VERIFIED",
            "SELF_DECLARED",
        )
        return OtpRecord(
            provider=self.name,
            brand_id=ref,
            reference_id=None,
            lifecycle=Lifecycle.APPROVED if confirmed else Lifecycle.PENDING,
            verified_at=parse_time(body.get("date_updated")) if confirmed else None,
            raw=dict(body),
        )

    def verify_brand_otp(self, ref: ProviderRef, pin: str) -> OtpRecord:
        """Twilio has no PIN-submission call: the sole proprietor confirms by replying to Twilio's text, so
        ``pin`` is not sent anywhere. This re-reads the brand and says whether the confirmation arrived."""
        return self.get_brand_otp(ref)

    # ---------------------------------------------------------------- use cases
    def _any_service(self) -> str:
        row = next(iter(self._pages(self.messaging, "/Services", "services")), None)
        if row is None:
            raise ProviderError(
                ProviderErrorKind.PRECONDITION,
                "Twilio lists A2P use cases per Messaging Service; the account has none yet",
            )
        return str(row["sid"])

    def list_use_cases(self, brand: ProviderRef | None = None) -> list[UseCase]:
        """``GET /Services/{MG}/Compliance/Usa2p/Usecases?BrandRegistrationSid=``: what this brand may register
        (Twilio has no brand-independent list; PRECONDITION without a brand)."""
        if not brand:
            raise ProviderError(ProviderErrorKind.PRECONDITION, "Twilio lists A2P use cases per brand")
        path = f"/Services/{quote_segment(self._any_service())}/Compliance/Usa2p/Usecases"
        body = self.messaging.get(path, query={"BrandRegistrationSid": brand}).body or {}
        return [
            UseCase(
                code=str(row.get("code")),
                display_name=str(row.get("name") or row.get("code")),
                description=row.get("description"),
                raw=dict(row),
            )
            for row in body.get("us_app_to_person_usecases") or ()
            if isinstance(row, Mapping) and row.get("code")
        ]

    def qualify(self, brand: ProviderRef, use_case: str) -> Qualification:
        """Whether ``use_case`` is among the brand's Usecases (Twilio gives no fees or per-MNO terms)."""
        cases = {u.code: u for u in self.list_use_cases(brand)}
        found = cases.get(use_case)
        return Qualification(use_case=use_case, qualified=found is not None, raw=dict(found.raw) if found else {})

    def estimate_cost(self, use_case: str) -> CostEstimate:
        """Twilio's API publishes no campaign fees: FORBIDDEN (capabilities().cost_estimate is False)."""
        raise ProviderError(ProviderErrorKind.FORBIDDEN, "Twilio's API has no campaign fee endpoint")

    # ---------------------------------------------------------------- campaigns
    @staticmethod
    def _campaign_form(campaign: CampaignInput, *, create: bool) -> list[tuple[str, str]]:
        form: list[tuple[str, str]] = []
        if create:
            form.append(("UsAppToPersonUsecase", str(campaign.get("usecase") or "")))
        form += [
            ("Description", str(campaign.get("description") or "")),
            ("MessageFlow", str(campaign.get("messageFlow") or "")),
            *(("MessageSamples", str(campaign[s])) for s in SAMPLES if campaign.get(s)),
            ("HasEmbeddedLinks", _bool(campaign.get("embeddedLink"))),
            ("HasEmbeddedPhone", _bool(campaign.get("embeddedPhone"))),
            ("AgeGated", _bool(campaign.get("ageGated"))),
            ("DirectLending", _bool(campaign.get("directLending"))),
        ]
        if create and "subscriberOptin" in campaign:
            form.append(("SubscriberOptIn", _bool(campaign.get("subscriberOptin"))))
        for tcr, twilio in (
            ("optinMessage", "OptInMessage"),
            ("optoutMessage", "OptOutMessage"),
            ("helpMessage", "HelpMessage"),
            ("privacyPolicyLink", "PrivacyPolicyUrl"),
            ("termsAndConditionsLink", "TermsAndConditionsUrl"),
        ):
            if campaign.get(tcr):
                form.append((twilio, str(campaign[tcr])))
        for tcr, twilio in (
            ("optinKeywords", "OptInKeywords"),
            ("optoutKeywords", "OptOutKeywords"),
            ("helpKeywords", "HelpKeywords"),
        ):
            form += [(twilio, word) for word in _keywords(campaign.get(tcr))]
        return form

    def _service_by_name(self, client_ref: str) -> Mapping[str, Any] | None:
        return next(
            (s for s in self._pages(self.messaging, "/Services", "services") if s.get("friendly_name") == client_ref),
            None,
        )

    def _campaign_of_service(self, service_sid: str) -> Mapping[str, Any] | None:
        return next(
            iter(self._pages(self.messaging, f"/Services/{quote_segment(service_sid)}/Compliance/Usa2p", "compliance")),
            None,
        )

    def create_campaign(self, brand: ProviderRef, campaign: CampaignInput, *, client_ref: str) -> CampaignRecord:
        """A Messaging Service named ``client_ref`` (reused if an earlier attempt made it) and its
        UsAppToPerson (``POST /Services/{MG}/Compliance/Usa2p``, billable); a repeat returns the campaign the
        service already has."""
        self._events_ready()
        service = self._service_by_name(client_ref)
        if service is None:
            service = self.messaging.post("/Services", form=[("FriendlyName", client_ref)]).body
        service_sid = str(service["sid"])
        existing = self._campaign_of_service(service_sid)
        if existing is not None:
            return self._campaign_record(existing, client_ref=client_ref)
        form = [("BrandRegistrationSid", brand), *self._campaign_form(campaign, create=True)]
        body = self.messaging.post(f"/Services/{quote_segment(service_sid)}/Compliance/Usa2p", form=form).body
        return self._campaign_record(body, client_ref=client_ref)

    def find_campaign_by_reference(self, brand: ProviderRef, client_ref: str) -> CampaignRecord | None:
        """The campaign of the Messaging Service named ``client_ref``, if it belongs to ``brand``."""
        service = self._service_by_name(client_ref)
        if service is None:
            return None
        row = self._campaign_of_service(str(service["sid"]))
        if row is None or row.get("brand_registration_sid") != brand:
            return None
        return self._campaign_record(row, client_ref=client_ref)

    def _locate(self, ref: ProviderRef) -> tuple[str, str]:
        service, campaign = split_campaign_ref(ref)
        if service:
            return service, campaign
        for row in self._pages(self.messaging, "/Services", "services"):
            found = self._campaign_of_service(str(row["sid"]))
            if found is not None and found.get("sid") == campaign:
                return str(row["sid"]), campaign
        raise ProviderError(ProviderErrorKind.NOT_FOUND, f"no Messaging Service holds campaign {campaign}")

    def _campaign_path(self, ref: ProviderRef) -> str:
        service, campaign = self._locate(ref)
        return f"/Services/{quote_segment(service)}/Compliance/Usa2p/{quote_segment(campaign)}"

    def get_campaign(self, ref: ProviderRef) -> CampaignRecord:
        """``GET /Services/{MG}/Compliance/Usa2p/{QE}`` (``ref`` = ``"MG.../QE..."``)."""
        return self._campaign_record(self.messaging.get(self._campaign_path(ref)).body)

    def list_campaigns(self, brand: ProviderRef) -> list[CampaignRecord]:
        """The brand's campaigns: Twilio lists them per Messaging Service, so every service is looked at."""
        records = []
        for service in self._pages(self.messaging, "/Services", "services"):
            row = self._campaign_of_service(str(service["sid"]))
            if row is not None and row.get("brand_registration_sid") == brand:
                records.append(self._campaign_record(row, client_ref=service.get("friendly_name")))
        return records

    def update_campaign(self, ref: ProviderRef, patch: CampaignInput) -> CampaignRecord:
        """``POST .../Usa2p/{QE}`` with the full editable set (Twilio requires it), current values merged
        under the patch. Editing a FAILED campaign resubmits it for review."""
        path = self._campaign_path(ref)
        current = self.messaging.get(path).body or {}
        merged = {**_campaign_from_twilio(current), **patch}
        self.messaging.post(path, form=self._campaign_form(merged, create=False), idempotent=True)
        return self.get_campaign(ref)

    def deactivate_campaign(self, ref: ProviderRef) -> CampaignRecord:
        """``DELETE .../Usa2p/{QE}`` (A2P stops for the service; irreversible)."""
        service, campaign = self._locate(ref)
        self.messaging.delete(f"/Services/{quote_segment(service)}/Compliance/Usa2p/{quote_segment(campaign)}")
        return CampaignRecord(self.name, f"{service}/{campaign}", None, None, Lifecycle.DEACTIVATED, None)

    def appeal_campaign(self, ref: ProviderRef, reason: str) -> None:
        """Twilio's appeal is editing the FAILED campaign: it is resubmitted unchanged (Twilio takes no appeal
        text; ``reason`` is not sent). ``update_campaign`` on a FAILED campaign already resubmits it, so a
        campaign back in review (PENDING / IN_PROGRESS) needs nothing more; VERIFIED / SUSPENDED: PRECONDITION."""
        path = self._campaign_path(ref)
        current = self.messaging.get(path).body or {}
        status = str(current.get("campaign_status")).upper()
        if status in ("PENDING", "IN_PROGRESS"):
            return
        if status != "FAILED":
            raise ProviderError(
                ProviderErrorKind.PRECONDITION,
                f"only a FAILED campaign can be resubmitted (it is {current.get('campaign_status')})",
            )
        self.messaging.post(
            path, form=self._campaign_form(_campaign_from_twilio(current), create=False), idempotent=True
        )

    def _campaign_record(self, body: Any, *, client_ref: str | None = None) -> CampaignRecord:
        if not isinstance(body, Mapping) or not body.get("sid"):
            raise ProviderError(ProviderErrorKind.MALFORMED, "Twilio campaign response has no sid")
        lifecycle, known = st.campaign_lifecycle(body.get("campaign_status"))
        service = body.get("messaging_service_sid")
        return CampaignRecord(
            provider=self.name,
            provider_id=f"{service}/{body['sid']}" if service else str(body["sid"]),
            registry_id=body.get("campaign_id"),
            brand_id=body.get("brand_registration_sid"),
            lifecycle=lifecycle,
            raw_status=body.get("campaign_status"),
            client_ref=client_ref,
            use_case=body.get("us_app_to_person_usecase"),
            issues=_issues(body.get("errors")),
            updated_at=parse_time(body.get("date_updated")),
            needs_review=not known,
            raw=dict(body),
        )

    # ---------------------------------------------------------------- numbers
    def _number_sid(self, number: str) -> str:
        path = f"/Accounts/{quote_segment(self.account_sid)}/IncomingPhoneNumbers.json"
        row = next(iter(self._pages(self.api, path, "incoming_phone_numbers", {"PhoneNumber": number})), None)
        if row is None:
            raise ProviderError(
                ProviderErrorKind.NOT_FOUND,
                f"{number} is not a phone number of this Twilio account",
                fields=("phoneNumber",),
            )
        return str(row["sid"])

    def assign_number(self, campaign: ProviderRef, number: str) -> AssignmentRecord:
        """Add the number (by its PN SID) to the campaign's Messaging Service; Twilio registers it once the
        campaign is VERIFIED. A repeat finding it already in this service is fine (21710)."""
        service, _ = self._locate(campaign)
        return self._attach(service, campaign, number, self._campaign_of_service(service))

    def _attach(self, service: str, campaign: str, number: str, row: Mapping[str, Any] | None) -> AssignmentRecord:
        pn = self._number_sid(number)
        try:
            self.messaging.post(
                f"/Services/{quote_segment(service)}/PhoneNumbers", form=[("PhoneNumberSid", pn)], idempotent=True
            )
        except ProviderError as exc:
            if exc.provider_code != "21710":
                raise
        return self._assignment(number, service, row)

    def assign_numbers(self, campaign: ProviderRef, numbers: Sequence[str]) -> AssignmentJob:
        """Assign one by one; each failure is reported on its number (auth errors still raise)."""
        service, _ = self._locate(campaign)
        row = self._campaign_of_service(service)
        records = []
        for number in numbers:
            try:
                records.append(self._attach(service, campaign, number, row))
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
            self.name, None, campaign, Lifecycle.PENDING if pending else Lifecycle.APPROVED, None, tuple(records)
        )

    def get_assignment_job(self, job_id: str) -> AssignmentJob:
        """Twilio has no bulk assignment jobs (assign_numbers works number by number): NOT_FOUND."""
        raise ProviderError(ProviderErrorKind.NOT_FOUND, "Twilio has no bulk assignment jobs")

    def _assignment(self, number: str, service: str, campaign: Mapping[str, Any] | None) -> AssignmentRecord:
        lifecycle, raw = st.assignment_lifecycle(campaign.get("campaign_status") if campaign else None)
        return AssignmentRecord(
            provider=self.name,
            phone_number=number,
            campaign_id=f"{service}/{campaign['sid']}" if campaign else None,
            lifecycle=lifecycle,
            raw_status=raw,
            registry_campaign_id=campaign.get("campaign_id") if campaign else None,
            raw={"messaging_service_sid": service, **({"campaign": dict(campaign)} if campaign else {})},
        )

    def _service_of_number(self, pn: str) -> str | None:
        for service in self._pages(self.messaging, "/Services", "services"):
            try:
                self.messaging.get(f"/Services/{quote_segment(str(service['sid']))}/PhoneNumbers/{quote_segment(pn)}")
            except ProviderError as exc:
                if exc.kind is ProviderErrorKind.NOT_FOUND:
                    continue
                raise
            return str(service["sid"])
        return None

    def get_assignment(self, number: str) -> AssignmentRecord:
        """The number's Messaging Service and that service's campaign status (twilio_status.assignment_lifecycle
        explains the inference); NOT_FOUND when the number is in no service."""
        service = self._service_of_number(self._number_sid(number))
        if service is None:
            raise ProviderError(ProviderErrorKind.NOT_FOUND, f"{number} is in no Messaging Service")
        return self._assignment(number, service, self._campaign_of_service(service))

    def list_assignments(self, campaign: ProviderRef) -> list[AssignmentRecord]:
        """``GET /Services/{MG}/PhoneNumbers`` of the campaign's service."""
        service, _ = self._locate(campaign)
        row = self._campaign_of_service(service)
        rows = self._pages(self.messaging, f"/Services/{quote_segment(service)}/PhoneNumbers", "phone_numbers")
        return [self._assignment(str(r.get("phone_number")), service, row) for r in rows]

    def unassign_number(self, number: str) -> AssignmentRecord:
        """``DELETE /Services/{MG}/PhoneNumbers/{PN}``: out of the service at once; when its campaign was
        registered the deregistration runs on (PENDING, events ``number-deregistration.*``)."""
        pn = self._number_sid(number)
        service = self._service_of_number(pn)
        if service is None:
            raise ProviderError(ProviderErrorKind.NOT_FOUND, f"{number} is in no Messaging Service")
        campaign = self._campaign_of_service(service)
        self.messaging.delete(f"/Services/{quote_segment(service)}/PhoneNumbers/{quote_segment(pn)}")
        registered = campaign is not None and str(campaign.get("campaign_status")).upper() in ("VERIFIED", "SUSPENDED")
        return AssignmentRecord(
            provider=self.name,
            phone_number=number,
            campaign_id=f"{service}/{campaign['sid']}" if campaign else None,
            lifecycle=Lifecycle.PENDING if registered else Lifecycle.DEACTIVATED,
            raw_status="REMOVED_FROM_SERVICE",
        )

    # ---------------------------------------------------------------- webhooks
    def verify_webhook(self, url: str, headers: Mapping[str, str], raw_body: bytes) -> bool:
        """``X-Twilio-Signature`` with this account's auth token: the bodySHA256 variant (Event Streams) or the
        form variant; constant-time, with and without the default port."""
        return verify(url, headers, raw_body, self._auth_token)

    def parse_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> list[NormalizedEvent]:
        """Normalized events of an Event Streams delivery (verify first)."""
        return parse_events(raw_body, provider=self.name)


def _tcr_key(attribute: str) -> str:
    return th.ATTRIBUTE_FIELDS.get(attribute, attribute)


def _brand_from_attributes(obj_type: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Enough of a TCR brand, rebuilt from one end user's attributes, for th.plan to map a patch over it."""
    brand: dict[str, Any] = {_tcr_key(k): v for k, v in attributes.items()}
    if obj_type in ("starter_customer_profile_information", "sole_proprietor_information"):
        brand["entityType"] = "SOLE_PROPRIETOR"
    else:
        brand["entityType"] = {"public": "PUBLIC_PROFIT", "non-profit": "NON_PROFIT", "government": "GOVERNMENT"}.get(
            str(attributes.get("company_type")), "PRIVATE_PROFIT"
        )
    return brand


def _campaign_from_twilio(body: Mapping[str, Any]) -> dict[str, Any]:
    """A UsAppToPerson as TCR campaign fields (for merging a patch over the current campaign)."""
    samples = list(body.get("message_samples") or ())
    data: dict[str, Any] = {
        "description": body.get("description"),
        "messageFlow": body.get("message_flow"),
        "embeddedLink": body.get("has_embedded_links"),
        "embeddedPhone": body.get("has_embedded_phone"),
        "ageGated": body.get("age_gated"),
        "directLending": body.get("direct_lending"),
        "optinMessage": body.get("opt_in_message"),
        "optoutMessage": body.get("opt_out_message"),
        "helpMessage": body.get("help_message"),
        "optinKeywords": body.get("opt_in_keywords"),
        "optoutKeywords": body.get("opt_out_keywords"),
        "helpKeywords": body.get("help_keywords"),
        "privacyPolicyLink": body.get("privacy_policy_url"),
        "termsAndConditionsLink": body.get("terms_and_conditions_url"),
    }
    data.update({SAMPLES[i]: s for i, s in enumerate(samples[:5])})
    return data
