"""What one simulated Twilio account holds: Trust Hub objects, addresses and numbers, brand registrations,
Messaging Services with their A2P campaign, Event Streams sinks, and the ledger of billable creates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..scenarios import Scenario

#: Trust Hub policy SIDs (global Twilio constants quoted by Twilio's ISV guide, provider-apis.md §3.2 [2ND])
PRIMARY_PROFILE_POLICY = "RN6433641899984f951173ef1738c3bdd0"
SECONDARY_PROFILE_POLICY = "RNdfbf3fae0e1107f8aded0e7cead80bf5"
STARTER_PROFILE_POLICY = "RN806dd6cd175f314e1f96a9727ee271f4"
A2P_TRUST_PRODUCT_POLICY = "RNb0d4771c2c98518d916a3d4cd70a8f8b"
SOLE_PROP_TRUST_PRODUCT_POLICY = "RN670d5d2e282a6130ae063b234b6019c8"
CUSTOMER_PROFILE_POLICIES = (PRIMARY_PROFILE_POLICY, SECONDARY_PROFILE_POLICY, STARTER_PROFILE_POLICY)
TRUST_PRODUCT_POLICIES = (A2P_TRUST_PRODUCT_POLICY, SOLE_PROP_TRUST_PRODUCT_POLICY)


@dataclass
class SimBundle:
    """A CustomerProfile or TrustProduct (``BU``): wire fields, entity assignments, evaluations."""

    data: dict[str, Any]
    kind: str  # "customer_profile" | "trust_product"
    assignments: dict[str, dict[str, Any]] = field(default_factory=dict)  # BV... -> assignment
    evaluations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sid(self) -> str:
        return self.data["sid"]

    @property
    def status(self) -> str:
        return self.data["status"]

    def object_sids(self) -> list[str]:
        """SIDs of the objects assigned to this bundle."""
        return [a["object_sid"] for a in self.assignments.values()]


@dataclass
class SimBrand:
    """A BrandRegistration (``BN``) and what drives it."""

    data: dict[str, Any]
    scenario: Scenario
    mobile_phone: str | None = None
    otp_sent: int = 0
    otp_confirmed: bool = False
    vettings: list[dict[str, Any]] = field(default_factory=list)
    registered: bool = False
    #: a registration is scheduled (waiting for the clock)
    scheduled: bool = False
    #: end-user attributes at the last identity scoring (a resubmit with nothing changed scores the same)
    scored: str | None = None

    @property
    def sid(self) -> str:
        return self.data["sid"]


@dataclass
class SimCampaign:
    """A UsAppToPerson campaign (``QE``) of one Messaging Service."""

    data: dict[str, Any]
    scenario: Scenario
    review_round: int = 1
    #: MNO id -> REVIEW / REGISTERED / REJECTED (Twilio does not show this map; it decides the outcome)
    decisions: dict[str, str] = field(default_factory=dict)

    @property
    def sid(self) -> str:
        return self.data["sid"]

    @property
    def service_sid(self) -> str:
        return self.data["messaging_service_sid"]

    @property
    def status(self) -> str:
        return self.data["campaign_status"]


@dataclass
class TwilioState:
    """All Twilio objects of one sandbox account."""

    account_sid: str = ""
    auth_token: str = ""
    customer_profiles: dict[str, SimBundle] = field(default_factory=dict)
    trust_products: dict[str, SimBundle] = field(default_factory=dict)
    end_users: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    addresses: dict[str, dict[str, Any]] = field(default_factory=dict)
    numbers: dict[str, dict[str, Any]] = field(default_factory=dict)  # PN -> IncomingPhoneNumber
    brands: dict[str, SimBrand] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    service_numbers: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # MG -> PN -> row
    campaigns: dict[str, SimCampaign] = field(default_factory=dict)  # QE -> campaign
    sinks: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    ledger: list[dict[str, Any]] = field(default_factory=list)

    def bundle(self, sid: str) -> SimBundle | None:
        """A customer profile or trust product by SID."""
        return self.customer_profiles.get(sid) or self.trust_products.get(sid)

    def campaign_of(self, service_sid: str) -> SimCampaign | None:
        """The (one) A2P campaign of a Messaging Service."""
        return next((c for c in self.campaigns.values() if c.service_sid == service_sid), None)

    def service_of(self, number_sid: str) -> str | None:
        """The Messaging Service a number is in, if any."""
        return next((mg for mg, rows in self.service_numbers.items() if number_sid in rows), None)
