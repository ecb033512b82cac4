"""What one simulated Telnyx account holds: brands, campaigns, assignments, tasks, profiles, the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..otp import SimOtp
from ..scenarios import UNKNOWN_MNO, Scenario


@dataclass
class SimBrand:
    """A brand: its wire fields plus what the simulator needs to drive it."""

    data: dict[str, Any]
    scenario: Scenario
    seq: int
    otp: SimOtp | None = None
    vettings: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    #: identity fields at the last scoring, to tell whether a revet has anything new to look at
    scored: tuple[Any, ...] | None = None

    @property
    def id(self) -> str:
        """The Telnyx brand id."""
        return self.data["brandId"]


@dataclass
class SimCampaign:
    """A campaign: wire fields, every carrier's decision (reporting or not) and the review round."""

    data: dict[str, Any]
    scenario: Scenario
    seq: int
    decisions: dict[str, str] = field(default_factory=dict)
    review_round: int = 1

    @property
    def id(self) -> str:
        """The Telnyx campaign id."""
        return self.data["campaignId"]

    @property
    def status(self) -> str:
        """The ``campaignStatus``."""
        return self.data["campaignStatus"]

    def operation_status(self) -> dict[str, str]:
        """What ``/operationStatus`` shows: reporting carriers only, plus an unknown MNO if asked."""
        shown = {mno: state for mno, state in self.decisions.items() if mno not in self.scenario.silent}
        if self.scenario.unknown_mno and shown:
            shown[UNKNOWN_MNO] = "REGISTERED"
        return shown


@dataclass
class SimTask:
    """A bulk assignment task."""

    data: dict[str, Any]
    campaign_id: str
    numbers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class TelnyxState:
    """All Telnyx objects of one API key."""

    brands: dict[str, SimBrand] = field(default_factory=dict)
    campaigns: dict[str, SimCampaign] = field(default_factory=dict)
    assignments: dict[str, dict[str, Any]] = field(default_factory=dict)
    assignment_seq: dict[str, int] = field(default_factory=dict)
    tasks: dict[str, SimTask] = field(default_factory=dict)
    profiles: dict[str, list[str]] = field(default_factory=dict)
    reference_ids: set[str] = field(default_factory=set)
    ledger: list[dict[str, Any]] = field(default_factory=list)
    next_seq: int = 0

    def seq(self) -> int:
        """A monotonically increasing creation counter (tie-breaker for equal virtual times)."""
        self.next_seq += 1
        return self.next_seq
