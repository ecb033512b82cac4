"""TCR campaign use cases and sub-use cases: the table every campaign rule reads (no checks here).

Figures from the TCR KB "Campaign Use Cases", "Special Use Case Requirements" and "Sample Message
Requirements" (Dec 2025 export) and the Telnyx/Bandwidth enums, as collected in
``shared/domain/tcr-rules.md`` 2.3. The live values (``minMsgSamples``, ``minSubUsecases``,
``maxSubUsecases``) come from the qualify call; callers that made it pass it as ``state["qualify"]`` (see
``campaign_structure``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class UseCase:
    id: str
    special: bool
    #: TCR KB minimum number of sample messages (the qualify call's ``minMsgSamples`` is the live value)
    min_samples: int
    #: sub-use-case bounds
    min_sub: int = 0
    max_sub: int = 0
    #: the bounds come from the TCR KB (True) or only from a Bandwidth code comment (False: warn, don't
    # refuse)
    sub_bounds_confirmed: bool = True
    #: promotional content belongs to this use case
    promotional: bool = False
    #: words one of which a description of this use case is expected to contain
    vocabulary: frozenset[str] = frozenset()


def _v(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ACCOUNT = _v(
    "account accounts billing bill bills payment payments balance statement statements password renewal "
    "renewals subscription subscriptions appointment appointments reminder reminders status notification "
    "notifications alert alerts update updates order orders reservation reservations booking bookings "
    "policy claim claims"
)

USECASES: dict[str, UseCase] = {
    u.id: u
    for u in (
        UseCase(
            "2FA",
            False,
            1,
            vocabulary=_v(
                "verification verify code codes passcode passcodes login log sign "
                "authentication authenticate 2fa otp password one-time security "
                "identity"
            ),
        ),
        UseCase("ACCOUNT_NOTIFICATION", False, 1, vocabulary=_ACCOUNT),
        UseCase(
            "CUSTOMER_CARE",
            False,
            1,
            vocabulary=_v(
                "support service services care help questions question "
                "inquiries inquiry ticket tickets assistance account "
                "issue issues request requests"
            ),
        ),
        UseCase(
            "DELIVERY_NOTIFICATION",
            False,
            1,
            vocabulary=_v(
                "delivery deliveries deliver delivered shipping "
                "shipment shipments shipped tracking track order "
                "orders package packages pickup courier"
            ),
        ),
        UseCase(
            "FRAUD_ALERT",
            False,
            1,
            vocabulary=_v(
                "fraud fraudulent suspicious transaction transactions alert "
                "alerts activity unauthorized unusual"
            ),
        ),
        UseCase(
            "HIGHER_EDUCATION",
            False,
            1,
            vocabulary=_v(
                "college colleges university "
                "universities campus tuition enrollment admissions class "
                "classes course courses semester financial aid faculty"
            ),
        ),
        UseCase("LOW_VOLUME", False, 1, 1, 5, sub_bounds_confirmed=False, promotional=True),
        UseCase("M2M", False, 1),
        UseCase(
            "MARKETING",
            False,
            2,
            promotional=True,
            vocabulary=_v(
                "promotion promotions promotional offer offers discount discounts sale sales deal deals "
                "coupon coupons marketing special specials products product news newsletter rewards "
                "loyalty events event new arrivals"
            ),
        ),
        UseCase("MIXED", False, 2, 2, 5, promotional=True),
        UseCase(
            "POLLING_VOTING",
            False,
            1,
            vocabulary=_v(
                "survey surveys poll polls vote votes voting feedback opinion opinions rate rating"
            ),
        ),
        UseCase(
            "PUBLIC_SERVICE_ANNOUNCEMENT",
            False,
            1,
            vocabulary=_v(
                "announcement announcements awareness public community information safety health "
                "resources services"
            ),
        ),
        UseCase(
            "SECURITY_ALERT",
            False,
            1,
            vocabulary=_v("security breach login password suspicious compromised access alert alerts sign"),
        ),
        UseCase("AGENTS_FRANCHISES", True, 2, promotional=True),
        UseCase("CARRIER_EXEMPT", True, 2, 1, 5, sub_bounds_confirmed=False, promotional=True),
        UseCase(
            "CHARITY",
            True,
            2,
            0,
            5,
            sub_bounds_confirmed=False,
            promotional=True,
            vocabulary=_v(
                "donation donations donate fundraising fundraiser charity charitable volunteer "
                "cause nonprofit mission"
            ),
        ),
        UseCase(
            "EMERGENCY",
            True,
            2,
            vocabulary=_v(
                "emergency emergencies alert alerts safety evacuation weather outage outages warning warnings"
            ),
        ),
        UseCase(
            "K12_EDUCATION",
            True,
            2,
            vocabulary=_v("school schools class classes attendance teacher teachers district grades "),
        ),
        UseCase(
            "POLITICAL",
            True,
            2,
            0,
            5,
            sub_bounds_confirmed=False,
            promotional=True,
            vocabulary=_v(
                "election elections campaign vote voting candidate political rally volunteer "
                "donate donation donations ballot"
            ),
        ),
        UseCase("PROXY", True, 2, 0, 5, sub_bounds_confirmed=False, promotional=True),
        UseCase("SOCIAL", True, 2, 0, 5, sub_bounds_confirmed=False, promotional=True),
        UseCase("SOLE_PROPRIETOR", True, 2, promotional=True),
        UseCase(
            "SWEEPSTAKE",
            True,
            2,
            promotional=True,
            vocabulary=_v(
                "sweepstakes sweepstake contest contests giveaway giveaways prize prizes win winner "
                "winners entry entries"
            ),
        ),
        UseCase("TRIAL", True, 2, promotional=True),
        UseCase("UCAAS_LOW", True, 1, promotional=True),
        UseCase("UCAAS_HIGH", True, 1, promotional=True),
    )
}

#: ids seen in one provider's enum but not in the TCR KB; accepted with a warning
UNCONFIRMED_USECASES: dict[str, str] = {
    "CONVERSATIONAL": "appears only in Bandwidth's enum, not in the TCR use-case list",
    "PUBLIC_SAFETY": "the TCR KB lists 'Public Safety' as a"
    " restricted use case, but no published enum names its "
    "API id",
}

#: the ten standard sub-use cases (TCR API ``subUsecases``; Bandwidth enum)
SUB_USECASES = frozenset(
    {
        "2FA",
        "ACCOUNT_NOTIFICATION",
        "CUSTOMER_CARE",
        "DELIVERY_NOTIFICATION",
        "FRAUD_ALERT",
        "HIGHER_EDUCATION",
        "MARKETING",
        "POLLING_VOTING",
        "PUBLIC_SERVICE_ANNOUNCEMENT",
        "SECURITY_ALERT",
    }
)

#: use cases where opt-in/opt-out are not mandatory (TCR KB "Campaign and Content Attributes")
OPTIN_EXEMPT = frozenset({"M2M"})
OPTOUT_EXEMPT = frozenset({"2FA", "M2M"})

#: use cases that need a CSP-level pre-approval or contract with TCR/the MNOs (TCR KB; TCR API 533/534)
CSP_ENABLEMENT = frozenset({"SOCIAL", "SOLE_PROPRIETOR", "TRIAL", "UCAAS_LOW", "UCAAS_HIGH", "PUBLIC_SAFETY"})

#: special use cases a 501(c)(3) organisation may not register (TCR KB special-use-case table)
NOT_FOR_501C3 = frozenset({"AGENTS_FRANCHISES", "CARRIER_EXEMPT", "PROXY", "SOCIAL", "SWEEPSTAKE", "TRIAL"})

#: TCR network ids (``/enum/mno``)
MNO_IDS: dict[int, str] = {
    10017: "AT&T",
    10035: "T-Mobile",
    10037: "US Cellular",
    10038: "Verizon Wireless",
    10631: "ClearSky",
    10901: "Interop",
}


def usecase(campaign: Mapping[str, Any]) -> UseCase | None:
    """The campaign's use case from the table, or ``None`` when it is absent or unknown."""
    value = campaign.get("usecase")
    return USECASES.get(value) if isinstance(value, str) else None


def sub_usecases(campaign: Mapping[str, Any]) -> list[str]:
    """The campaign's sub-use cases as a list of strings (anything else is ignored)."""
    value = campaign.get("subUsecases")
    if not isinstance(value, (list, tuple)):
        return []
    return [v for v in value if isinstance(v, str)]


def mno_metadata(
    campaign: Mapping[str, Any], state: Mapping[str, Any]
) -> list[tuple[str, Mapping[str, Any]]]:
    """``(network name, metadata)`` for each network the campaign targets, from ``state["qualify"]`` (the
    qualify response: ``{"mnoMetadata": {"10017": {...}, ...}}``); empty without a qualify call."""
    qualify = state.get("qualify")
    if qualify is None or not isinstance(qualify, Mapping):
        return []
    meta = qualify.get("mnoMetadata")
    if not isinstance(meta, Mapping):
        return []
    targeted = campaign.get("mnoIds")
    wanted = {str(i) for i in targeted} if isinstance(targeted, (list, tuple)) and targeted else None
    out = []
    for net_id, entry in meta.items():
        if not isinstance(entry, Mapping) or (wanted is not None and str(net_id) not in wanted):
            continue
        name = entry.get("mno") or MNO_IDS.get(int(net_id) if str(net_id).isdigit() else -1) or str(net_id)
        out.append((str(name), entry))
    return out
