"""What one simulated TCR CSP account holds: brands, campaigns, shares, nnSR numbers, subscriptions, the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..otp import SimOtp
from ..scenarios import UNKNOWN_MNO, Scenario

#: webhook categories a CSP can subscribe to (``PUT /webhook/subscription``, provider-apis.md §1.6)
EVENT_CATEGORIES = ("BRAND", "CAMPAIGN", "VETTING", "CSP", "INCIDENCE")


@dataclass
class SimBrand:
    """A brand (``Brand_CSP`` fields in ``data``) plus what the simulator needs to drive it."""

    data: dict[str, Any]
    scenario: Scenario
    seq: int
    otp: SimOtp | None = None
    vettings: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    #: identity fields at the last scoring (a revet with nothing changed is refused with 525)
    scored: tuple[Any, ...] | None = None
    #: virtual seconds of the last brandRelationship change (528 within three months)
    relationship_changed: float = 0.0

    @property
    def id(self) -> str:
        """The TCR brand id (B + 6)."""
        return self.data["brandId"]


@dataclass
class SimCampaign:
    """A campaign (``Campaign_CSP`` fields in ``data``), its share to the upstream DCA and per-MNO decisions."""

    data: dict[str, Any]
    scenario: Scenario
    seq: int
    mno_ids: list[str] = field(default_factory=list)
    #: ``CampaignSharingStatus`` of the share to the upstream CNP, None until shared
    shared_by_me: dict[str, Any] | None = None
    #: MNO id -> REVIEW | REGISTERED | REJECTED | SUSPENDED (every carrier, reporting or not)
    decisions: dict[str, str] = field(default_factory=dict)
    #: carrier review round (1 = first election; appeals and resubmissions add one)
    review_round: int = 1
    #: DCA review round of the share (a declined share reviewed again after an appeal nudge is round 2)
    share_round: int = 1
    nudges: list[dict[str, Any]] = field(default_factory=list)
    #: every targeted carrier has registered once (scripted suspension/expiry are scheduled then)
    approved_once: bool = False

    @property
    def id(self) -> str:
        """The TCR campaign id (C + 6)."""
        return self.data["campaignId"]

    @property
    def active(self) -> bool:
        """``status`` ACTIVE (not EXPIRED)."""
        return self.data.get("status") == "ACTIVE"

    def operation_status(self) -> dict[str, str]:
        """``/operationStatus``: the carriers that report (silent ones are missing), plus an unknown MNO if asked."""
        shown = {mno: state for mno, state in self.decisions.items() if mno not in self.scenario.silent}
        if self.scenario.unknown_mno and shown:
            shown[UNKNOWN_MNO] = "REGISTERED"
        return shown


@dataclass
class TcrState:
    """All TCR objects of one CSP account (one API key)."""

    brands: dict[str, SimBrand] = field(default_factory=dict)
    campaigns: dict[str, SimCampaign] = field(default_factory=dict)
    brand_references: dict[str, str] = field(default_factory=dict)  # referenceId -> brandId
    campaign_references: dict[str, str] = field(default_factory=dict)  # referenceId -> campaignId
    #: nnSR view: campaign id -> provisioned number rows (``GET /campaign/{id}/osr/phones``)
    osr: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: event category -> webhook endpoint
    subscriptions: dict[str, str] = field(default_factory=dict)
    ledger: list[dict[str, Any]] = field(default_factory=list)
    #: armed business errors: (method, path glob, [error entries], count) answered with HTTP 400 before processing
    armed: list[list[Any]] = field(default_factory=list)
    next_seq: int = 0

    def seq(self) -> int:
        """A monotonically increasing creation counter (tie-breaker for equal virtual times)."""
        self.next_seq += 1
        return self.next_seq
