"""Deterministic scenario triggers: magic markers in the data we submit choose what the simulator does.

Put a marker in a brand's ``displayName`` (applies to the brand and all its campaigns) or in a campaign's
``description`` (that campaign only). Markers are case-insensitive and may be combined.

- ``[sim:unverified]``: identity scoring ends UNVERIFIED (feedback TAX_ID); fix the data and revet, or vet;
- ``[sim:vetted]``: identity scoring ends VETTED_VERIFIED;
- ``[sim:otp]``: identity SELF_DECLARED until the SMS OTP is verified (always so for SOLE_PROPRIETOR);
- ``[sim:registration-failed]``: brand registration fails (REGISTRATION_FAILED, failureReasons on ``ein``);
- ``[sim:vetting-failed]``: external vetting fails;
- ``[sim:tcr-failed]``: campaign submission fails at TCR (TCR_FAILED);
- ``[sim:reject:telnyx]`` (alias ``[sim:reject:dca]``): the provider's own review rejects the campaign the
  first time (Telnyx: TELNYX_FAILED; Twilio: its campaign review; TCR: the upstream DCA declines the share);
- ``[sim:reject:<carrier>]``: that carrier (``att``, ``tmobile``, ``verizon``, ``uscellular``) rejects the
  first review; the review after an appeal passes;
- ``[sim:reject-always:<carrier>]``: that carrier rejects every review;
- ``[sim:silent:<carrier>]``: that carrier never reports (missing from operationStatus);
- ``[sim:unknown-mno]``: operationStatus also reports an MNO id we do not know (``10999``);
- ``[sim:provisioning-failed]``: carriers approve, provisioning fails (MNO_PROVISIONING_FAILED);
- ``[sim:suspend-after-approval]``: T-Mobile suspends the campaign a day after provisioning and lifts the
  suspension two days later;
- ``[sim:expire-after-approval]``: the campaign expires (TCR_EXPIRED) after provisioning.

Phone numbers whose digits end in ``FAILING_NUMBER_SUFFIX`` (``666``) fail assignment (FAILED_ASSIGNMENT),
single or bulk: a messaging profile mixing such numbers with others gives a bulk task with partial success.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .catalog import CARRIER_SLUGS

MARKER = re.compile(r"\[sim:([a-z0-9:\-_]+)\]", re.IGNORECASE)
FAILING_NUMBER_SUFFIX = "666"
UNKNOWN_MNO = "10999"


@dataclass(frozen=True)
class Scenario:
    """What the markers found ask for."""

    unverified: bool = False
    vetted: bool = False
    otp: bool = False
    registration_failed: bool = False
    vetting_failed: bool = False
    tcr_failed: bool = False
    telnyx_reject: bool = False
    reject_once: frozenset[str] = field(default_factory=frozenset)
    reject_always: frozenset[str] = field(default_factory=frozenset)
    silent: frozenset[str] = field(default_factory=frozenset)
    unknown_mno: bool = False
    provisioning_failed: bool = False
    suspend_after_approval: bool = False
    expire_after_approval: bool = False

    def rejects(self, mno: str, review_round: int) -> bool:
        """Whether carrier ``mno`` rejects review number ``review_round`` (1 = first submission)."""
        return mno in self.reject_always or (mno in self.reject_once and review_round == 1)

    def merged(self, other: Scenario) -> Scenario:
        """Both scenarios' effects (brand markers + campaign markers)."""
        values = {}
        for name in self.__dataclass_fields__:
            a, b = getattr(self, name), getattr(other, name)
            values[name] = a | b
        return Scenario(**values)


def parse(*texts: object) -> Scenario:
    """The scenario the markers in ``texts`` ask for; unknown markers raise ValueError (typos fail loudly)."""
    flags: dict[str, bool] = {}
    sets: dict[str, set[str]] = {"reject_once": set(), "reject_always": set(), "silent": set()}
    simple = {
        "unverified": "unverified",
        "vetted": "vetted",
        "otp": "otp",
        "registration-failed": "registration_failed",
        "vetting-failed": "vetting_failed",
        "tcr-failed": "tcr_failed",
        "unknown-mno": "unknown_mno",
        "provisioning-failed": "provisioning_failed",
        "suspend-after-approval": "suspend_after_approval",
        "expire-after-approval": "expire_after_approval",
    }
    for text in texts:
        if not isinstance(text, str):
            continue
        for marker in MARKER.findall(text):
            marker = marker.lower()
            name, _, arg = marker.partition(":")
            if marker in simple:
                flags[simple[marker]] = True
            elif marker in ("reject:telnyx", "reject:dca"):
                flags["telnyx_reject"] = True
            elif name in ("reject", "reject-always", "silent") and arg in CARRIER_SLUGS:
                key = {"reject": "reject_once", "reject-always": "reject_always", "silent": "silent"}[name]
                sets[key].add(CARRIER_SLUGS[arg])
            else:
                raise ValueError(f"unknown simulator marker [sim:{marker}]")
    return Scenario(**flags, **{k: frozenset(v) for k, v in sets.items()})


def number_fails(number: str) -> bool:
    """Whether assigning this phone number fails."""
    return re.sub(r"\D", "", number).endswith(FAILING_NUMBER_SUFFIX)
