"""How long each asynchronous step takes, in virtual seconds (configurable per simulator)."""

from __future__ import annotations

from dataclasses import dataclass, field

HOUR = 3600.0
DAY = 24 * HOUR


@dataclass
class Delays:
    """Review and processing times; defaults follow the timelines in provider-apis.md §1.5 and §2.4."""

    brand_scoring: float = 60.0  # TCR identity scoring: seconds to minutes
    revet: float = 60.0
    vetting: float = 2 * HOUR  # standard external vet: minutes to days
    otp_delivery: float = 30.0
    tcr_review: float = 5 * 60.0  # campaign accepted (or failed) by TCR
    telnyx_review: float = DAY  # Telnyx: same or next business day
    dca_review: float = DAY  # direct TCR: the upstream CNP/DCA accepts or declines the campaign share
    mno_submission: float = 10 * 60.0  # elected to the MNOs
    mno_review: float = 3 * DAY  # carriers: 3-10 business days
    mno_review_by_carrier: dict[str, float] = field(default_factory=dict)  # MNO id -> override
    provisioning: float = 2 * HOUR
    suspension: float = DAY  # after provisioning, for [sim:suspend-after-approval]
    unsuspension: float = 2 * DAY
    expiry: float = 30 * DAY  # after provisioning, for [sim:expire-after-approval]
    number_assignment: float = 30 * 60.0
    number_unassignment: float = 10 * 60.0
    bulk_task: float = 10 * 60.0
    trust_hub_review: float = 30.0  # Twilio Trust Hub: customer profile / trust product review
    twilio_review: float = DAY  # Twilio's own campaign review (DCA) before the carriers

    def for_carrier(self, mno: str) -> float:
        """The review time of one carrier."""
        return self.mno_review_by_carrier.get(mno, self.mno_review)

    def update(self, values: dict[str, float]) -> None:
        """Change some delays; unknown names raise KeyError."""
        for name, value in values.items():
            if name not in self.__dataclass_fields__:
                raise KeyError(name)
            setattr(self, name, value if name == "mno_review_by_carrier" else float(value))
