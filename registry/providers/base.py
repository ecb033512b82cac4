"""The provider-neutral contract: normalized enums, records, the one ``ProviderError``, the adapter protocol.

Every provider adapter (Telnyx today; Twilio, direct TCR and Bandwidth later) speaks this vocabulary, so sync
jobs, webhooks and screens never see a provider's raw statuses except as ``raw_status``/``raw`` kept beside
the normalized values (domain/provider-apis.md §6). Nothing here knows any provider's wire format.

Inputs to create/update calls are plain dicts keyed by TCR CSP API field names (``entityType``,
``displayName``, ``ein``, ``usecase``, ``sample1`` ...), the vocabulary of the rule engine and the forms.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from registry.errors import RegistryError
from registry.states import CARRIERS, CarrierState, IdentityStatus

#: a provider's own id for an object (Telnyx UUID, Twilio SID, Bandwidth id)
ProviderRef = str
#: brand / campaign request bodies keyed by TCR CSP API field names
BrandInput = Mapping[str, Any]
CampaignInput = Mapping[str, Any]


class Lifecycle(enum.StrEnum):
    """Normalized lifecycle of a brand, vetting, campaign or number assignment (§6.1)."""

    DRAFT = "draft"  # exists only locally / Trust Hub draft
    SUBMITTED = "submitted"  # provider accepted the request, nothing processed yet
    PENDING = "pending"  # automated processing (scoring, provisioning, deletion in progress)
    ACTION_REQUIRED = "action_required"  # blocked on us/customer: OTP, Auth+ email, UNVERIFIED identity
    IN_REVIEW = "in_review"  # human / DCA / MNO review
    APPROVED = "approved"  # usable
    REJECTED = "rejected"  # review decision: fix and resubmit/appeal
    FAILED = "failed"  # technical or validation failure
    SUSPENDED = "suspended"
    DEACTIVATED = "deactivated"  # expired / deleted / unassigned (terminal)


# Identity and per-carrier state are the domain's own vocabularies (registry.states): one enum each, so what a
# provider reports is stored and shown without translation. MNO_NAMES is the open-ended network-id map.
Identity = IdentityStatus
MNO_NAMES: Mapping[str, str] = CARRIERS


def derive_campaign_lifecycle(*, fully_provisioned: bool, carriers: Mapping[str, CarrierState]) -> Lifecycle:
    """Apply the provider-independent campaign rule of §6.1 to a carrier map.

    Any carrier SUSPENDED wins; then any REJECTED while none is still in REVIEW; APPROVED only with the
    provider's "fully provisioned" signal; everything else is still IN_REVIEW.
    """
    states = set(carriers.values())
    if CarrierState.SUSPENDED in states:
        return Lifecycle.SUSPENDED
    if CarrierState.REJECTED in states and CarrierState.REVIEW not in states:
        return Lifecycle.REJECTED
    if fully_provisioned:
        return Lifecycle.APPROVED
    return Lifecycle.IN_REVIEW


class ProviderErrorKind(enum.StrEnum):
    """What kind of failure a provider call ended in; callers branch on this, never on HTTP codes."""

    VALIDATION = "validation"  # the provider refused our data; fix the fields named
    AUTH = "auth"  # bad or missing credentials, or a webhook signature that does not verify
    FORBIDDEN = "forbidden"  # credentials fine, not allowed (role, feature not enabled)
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"  # duplicate (reference id already used, number already assigned)
    PRECONDITION = "precondition"  # wrong state for this call (brand unverified/pending, ...)
    RATE_LIMITED = "rate_limited"
    TRANSIENT = "transient"  # timeouts, connection failures, 5xx: try again later
    MALFORMED = "malformed"  # the provider answered something we cannot read


class ProviderError(RegistryError):
    """The one error every provider call raises, whatever the provider."""

    status_code = 502
    title = "The messaging provider could not complete the request"

    def __init__(
        self,
        kind: ProviderErrorKind,
        message: str,
        provider_code: str | None = None,
        fields: Sequence[str] = (),
        retry_after: float | None = None,
        status: int | None = None,
        *,
        maybe_committed: bool = False,
        issues: Sequence[Issue] = (),
    ) -> None:
        super().__init__(message, field=fields[0] if fields else None)
        self.kind = ProviderErrorKind(kind)
        #: the provider's own error code (Telnyx "10012", TCR "527"), as a string
        self.provider_code = provider_code
        #: TCR field names the provider blamed
        self.fields = tuple(fields)
        #: seconds the provider asked us to wait before trying again
        self.retry_after = retry_after
        #: HTTP status of the final response, None when no response arrived
        self.status = status
        #: True when the request may have been carried out although we saw no success (read timeout on a
        #: create): reconcile by reference before creating again
        self.maybe_committed = maybe_committed
        #: every error the provider listed, not just the first
        self.issues = tuple(issues)

    @property
    def retryable(self) -> bool:
        """Whether trying the same call again later can succeed without changing anything."""
        return self.kind in (ProviderErrorKind.RATE_LIMITED, ProviderErrorKind.TRANSIENT)

    def __repr__(self) -> str:
        return (
            f"ProviderError({self.kind.value!r}, {self.message!r}, provider_code={self.provider_code!r}, "
            f"fields={self.fields!r}, status={self.status!r}, maybe_committed={self.maybe_committed!r})"
        )


@dataclass(frozen=True)
class Issue:
    """One problem the provider reported (feedback category, failure reason, error entry)."""

    code: str
    message: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Capabilities:
    """What an adapter can do, so callers can hide features a provider lacks."""

    webhooks: bool = False
    qualify: bool = False
    cost_estimate: bool = False
    bulk_assign_by_profile: bool = False
    trust_bundles: bool = False
    brand_delete: bool = False
    otp: bool = False
    appeal: bool = False
    #: False when the provider cannot put numbers on a campaign itself (direct TCR: the DCA provisions them
    #: into the number registry, TCR only shows what was provisioned)
    assigns_numbers: bool = True


@dataclass(frozen=True)
class BrandRecord:
    """A brand as the provider currently reports it."""

    provider: str
    provider_id: str
    registry_id: str | None  # TCR brand id (B...), once registered
    #: None: the provider reported a status we do not recognize; keep the previous lifecycle (needs_review)
    lifecycle: Lifecycle | None
    identity: Identity
    raw_status: str | None
    raw_identity: str | None = None
    client_ref: str | None = None
    issues: tuple[Issue, ...] = ()
    updated_at: datetime | None = None
    needs_review: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def lifecycle_or(self, previous: Lifecycle) -> Lifecycle:
        """The normalized lifecycle, or ``previous`` when the raw status was not recognized."""
        return self.lifecycle if self.lifecycle is not None else previous


@dataclass(frozen=True)
class VettingRecord:
    """An external vetting (Aegis, WMC, Campaign Verify ...) of a brand."""

    provider: str
    brand_id: str
    evp_id: str | None
    vetting_class: str | None
    vetting_id: str | None
    lifecycle: Lifecycle | None
    raw_status: str | None
    score: int | None = None
    vetted_at: datetime | None = None
    created_at: datetime | None = None
    needs_review: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class OtpRecord:
    """The sole-proprietor mobile OTP of a brand."""

    provider: str
    brand_id: str
    reference_id: str | None
    lifecycle: Lifecycle
    delivery_status: str | None = None
    requested_at: datetime | None = None
    verified_at: datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class UseCase:
    """A campaign use case the provider accepts."""

    code: str
    display_name: str
    classification: str | None = None
    description: str | None = None
    min_sub_usecases: int = 0
    max_sub_usecases: int = 0
    valid_sub_usecases: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Qualification:
    """Whether a brand qualifies for a use case: fees and per-MNO terms."""

    use_case: str
    qualified: bool
    monthly_fee: float | None = None
    quarterly_fee: float | None = None
    annual_fee: float | None = None
    min_sub_usecases: int = 0
    max_sub_usecases: int = 0
    #: MNO id -> terms (qualify, tpm, brandTier, minMsgSamples, ...) as the provider gave them
    carriers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class CostEstimate:
    """What a campaign of a use case costs at this provider (strings kept as given)."""

    use_case: str
    monthly: str | None
    up_front: str | None
    description: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class CampaignRecord:
    """A campaign as the provider currently reports it, with its per-carrier map."""

    provider: str
    provider_id: str
    registry_id: str | None  # TCR campaign id (C...)
    brand_id: str | None
    lifecycle: Lifecycle | None
    raw_status: str | None
    carriers: Mapping[str, CarrierState] = field(default_factory=dict)
    raw_carriers: Mapping[str, str] = field(default_factory=dict)
    client_ref: str | None = None
    use_case: str | None = None
    issues: tuple[Issue, ...] = ()
    updated_at: datetime | None = None
    needs_review: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)
    #: TCR ``nextRenewalOrExpirationDate``: the end of the campaign's current billing term, when it renews
    #: (``autoRenewal`` on) or expires (off); None when the provider does not report it (Twilio)
    term_ends_on: date | None = None

    def lifecycle_or(self, previous: Lifecycle) -> Lifecycle:
        """The normalized lifecycle, or ``previous`` when the raw status was not recognized."""
        return self.lifecycle if self.lifecycle is not None else previous


@dataclass(frozen=True)
class AssignmentRecord:
    """One phone number's assignment to a campaign."""

    provider: str
    phone_number: str
    campaign_id: str | None
    lifecycle: Lifecycle | None
    raw_status: str | None
    registry_campaign_id: str | None = None
    issues: tuple[Issue, ...] = ()
    updated_at: datetime | None = None
    needs_review: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class AssignmentJob:
    """A (possibly asynchronous) assignment of many numbers; per-number outcomes in ``assignments``."""

    provider: str
    job_id: str | None  # provider task id; None when the adapter assigned number by number
    campaign_id: str | None
    lifecycle: Lifecycle | None
    raw_status: str | None
    assignments: tuple[AssignmentRecord, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def failed(self) -> tuple[AssignmentRecord, ...]:
        """The numbers whose assignment failed."""
        return tuple(a for a in self.assignments if a.lifecycle is Lifecycle.FAILED)

    @property
    def succeeded(self) -> tuple[AssignmentRecord, ...]:
        """The numbers whose assignment is done."""
        return tuple(a for a in self.assignments if a.lifecycle is Lifecycle.APPROVED)


class EventEntity(enum.StrEnum):
    """Which kind of object a webhook event is about."""

    BRAND = "brand"
    CAMPAIGN = "campaign"
    NUMBER = "number"
    VETTING = "vetting"


@dataclass(frozen=True)
class NormalizedEvent:
    """A webhook event reduced to what the sync needs: which object to re-fetch, and a hint of why.

    The handler must re-fetch the object rather than trust ``lifecycle``/``carrier_state``: they are hints
    (events arrive duplicated, late and out of order).
    """

    provider: str
    entity: EventEntity
    provider_id: str | None
    dedupe_key: str
    raw_type: str
    raw_status: str | None
    occurred_at: datetime | None
    lifecycle: Lifecycle | None = None
    carrier: str | None = None
    carrier_state: CarrierState | None = None
    registry_id: str | None = None
    client_ref: str | None = None
    attempt: int | None = None
    description: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


@runtime_checkable
class TenDlcProvider(Protocol):
    """The adapter interface every provider implements (§6.2)."""

    name: str

    def capabilities(self) -> Capabilities:
        """What this provider supports."""
        ...

    # brands
    def create_brand(self, brand: BrandInput, *, client_ref: str) -> BrandRecord:
        """Register a brand; billable. Raises ProviderError(maybe_committed=True) when unsure."""
        ...

    def find_brand_by_reference(self, client_ref: str, brand: BrandInput | None = None) -> BrandRecord | None:
        """Find a brand an earlier create may have made, before creating again."""
        ...

    def get_brand(self, ref: ProviderRef) -> BrandRecord:
        """Fetch a brand's current state."""
        ...

    def update_brand(self, ref: ProviderRef, patch: BrandInput) -> BrandRecord:
        """Change a brand's data."""
        ...

    def delete_brand(self, ref: ProviderRef) -> None:
        """Delete a brand (refused while it has active campaigns)."""
        ...

    def revet_brand(self, ref: ProviderRef) -> BrandRecord:
        """Run identity verification again after edits."""
        ...

    def get_brand_feedback(self, ref: ProviderRef) -> list[Issue]:
        """Why identity verification came out badly."""
        ...

    def order_vetting(self, ref: ProviderRef, provider: str, vetting_class: str) -> VettingRecord:
        """Order an external vetting; billable."""
        ...

    def list_vettings(self, ref: ProviderRef) -> list[VettingRecord]:
        """The brand's external vettings."""
        ...

    def send_brand_otp(self, ref: ProviderRef) -> OtpRecord:
        """Text the sole proprietor's mobile phone a one-time PIN."""
        ...

    def get_brand_otp(self, ref: ProviderRef) -> OtpRecord:
        """Delivery and verification state of the brand's OTP."""
        ...

    def verify_brand_otp(self, ref: ProviderRef, pin: str) -> OtpRecord:
        """Submit the PIN the sole proprietor received."""
        ...

    # use cases & cost
    def list_use_cases(self, brand: ProviderRef | None = None) -> list[UseCase]:
        """Use cases the provider accepts."""
        ...

    def qualify(self, brand: ProviderRef, use_case: str) -> Qualification:
        """Whether the brand qualifies for a use case, with fees and per-MNO terms."""
        ...

    def estimate_cost(self, use_case: str) -> CostEstimate:
        """Monthly and up-front cost of a campaign of this use case."""
        ...

    # campaigns
    def create_campaign(self, brand: ProviderRef, campaign: CampaignInput, *, client_ref: str) -> CampaignRecord:
        """Submit a campaign; billable."""
        ...

    def find_campaign_by_reference(self, brand: ProviderRef, client_ref: str) -> CampaignRecord | None:
        """Find a campaign an earlier create may have made, before creating again."""
        ...

    def get_campaign(self, ref: ProviderRef) -> CampaignRecord:
        """Fetch a campaign with its per-carrier map."""
        ...

    def list_campaigns(self, brand: ProviderRef) -> list[CampaignRecord]:
        """Every campaign of a brand as the provider's list shows it: status and ``updated_at``, no carrier map
        (cheap change detection: fetch only the campaigns that moved)."""
        ...

    def update_campaign(self, ref: ProviderRef, patch: CampaignInput) -> CampaignRecord:
        """Change the mutable fields of a campaign (samples, flow, help text ...)."""
        ...

    def deactivate_campaign(self, ref: ProviderRef) -> CampaignRecord:
        """Deactivate a campaign for good."""
        ...

    def appeal_campaign(self, ref: ProviderRef, reason: str) -> None:
        """Ask for a rejected campaign to be reviewed again."""
        ...

    # numbers
    def assign_number(self, campaign: ProviderRef, number: str) -> AssignmentRecord:
        """Assign one E.164 number to a campaign."""
        ...

    def assign_numbers(self, campaign: ProviderRef, numbers: Sequence[str]) -> AssignmentJob:
        """Assign many numbers; per-number failures are reported, not raised."""
        ...

    def get_assignment_job(self, job_id: str) -> AssignmentJob:
        """Progress of a bulk assignment."""
        ...

    def get_assignment(self, number: str) -> AssignmentRecord:
        """A number's assignment state."""
        ...

    def list_assignments(self, campaign: ProviderRef) -> list[AssignmentRecord]:
        """Every number assigned to a campaign."""
        ...

    def unassign_number(self, number: str) -> AssignmentRecord:
        """Remove a number from its campaign."""
        ...

    # webhooks
    def verify_webhook(self, url: str, headers: Mapping[str, str], raw_body: bytes) -> bool:
        """Whether a webhook request is authentic and fresh; check before parsing."""
        ...

    def parse_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> list[NormalizedEvent]:
        """Turn a verified webhook body into normalized events with dedupe keys."""
        ...
