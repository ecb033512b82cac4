"""Reference data the simulated registry serves: MNOs, use cases, verticals, fees.

Values mirror TCR's enumerations as documented in domain/provider-apis.md §0 and §5 (fees: brand $4,
standard vet $40, campaign vetting $15, monthly $1.50-$10); the use-case list is indicative, like TCR's own
``/enum/usecase`` it is data, not code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: the carriers the simulator reviews campaigns with, in review order
MNOS: Mapping[str, str] = {
    "10017": "AT&T",
    "10035": "T-Mobile",
    "10038": "Verizon Wireless",
    "10037": "US Cellular",
}
CARRIER_SLUGS: Mapping[str, str] = {
    "att": "10017",
    "tmobile": "10035",
    "verizon": "10038",
    "uscellular": "10037",
}

ENTITY_TYPES = ("PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT", "SOLE_PROPRIETOR")
VERTICALS = (
    "AGRICULTURE", "COMMUNICATION", "CONSTRUCTION", "EDUCATION", "ENERGY", "ENTERTAINMENT", "FINANCIAL",
    "GAMBLING", "GOVERNMENT", "HEALTHCARE", "HOSPITALITY", "HUMAN_RESOURCES", "INSURANCE", "LEGAL",
    "MANUFACTURING", "NGO", "POLITICAL", "POSTAL", "PROFESSIONAL", "REAL_ESTATE", "RETAIL", "TECHNOLOGY",
    "TRANSPORTATION",
)  # fmt: skip
STOCK_EXCHANGES = (
    "NONE",
    "NASDAQ",
    "NYSE",
    "AMEX",
    "AMX",
    "ASX",
    "B3",
    "BME",
    "BSE",
    "FRA",
    "ICEX",
    "JPX",
    "JSE",
    "KRX",
    "LON",
    "NSE",
    "OMX",
    "SEHK",
    "SSE",
    "STO",
    "SWX",
    "SZSE",
    "TSX",
    "TWSE",
    "VSE",
)
BRAND_RELATIONSHIPS = ("BASIC_ACCOUNT", "SMALL_ACCOUNT", "MEDIUM_ACCOUNT", "LARGE_ACCOUNT", "KEY_ACCOUNT")
VETTING_PROVIDERS = ("AEGIS", "WMC", "CV")
VETTING_CLASSES = ("STANDARD", "ENHANCED", "POLITICAL")

BRAND_FEE = 4.0
EXTERNAL_VETTING_FEE = 40.0
CAMPAIGN_VETTING_FEE = 15.0

_STANDARD_SUBS = (
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
)


def _usecase(
    name: str,
    classification: str,
    description: str,
    fee: float,
    *,
    samples: int = 2,
    min_sub: int = 0,
    max_sub: int = 0,
    subs: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "classification": classification,
        "displayName": name,
        "description": description,
        "minSubUsecases": min_sub,
        "maxSubUsecases": max_sub,
        "validSubUsecase": list(subs),
        "monthlyFee": fee,
        "minMsgSamples": samples,
    }


USECASES: Mapping[str, Mapping[str, Any]] = {
    "2FA": _usecase("2FA", "STANDARD", "Authentication, account verification or one-time passcodes.", 10.0, samples=1),
    "ACCOUNT_NOTIFICATION": _usecase(
        "Account Notification", "STANDARD", "Standard notifications for account holders.", 10.0
    ),
    "CUSTOMER_CARE": _usecase("Customer Care", "STANDARD", "Interactions about the customer's account.", 10.0),
    "DELIVERY_NOTIFICATION": _usecase(
        "Delivery Notification", "STANDARD", "Status of delivery of a product or service.", 10.0
    ),
    "FRAUD_ALERT": _usecase(
        "Fraud Alert Messaging", "STANDARD", "Notifications of potentially fraudulent activity.", 10.0
    ),
    "HIGHER_EDUCATION": _usecase("Higher Education", "STANDARD", "Messages by colleges and school districts.", 10.0),
    "MARKETING": _usecase("Marketing", "STANDARD", "Marketing and promotional content.", 10.0),
    "MIXED": _usecase(
        "Mixed",
        "STANDARD",
        "Several standard use cases on one campaign.",
        10.0,
        min_sub=2,
        max_sub=5,
        subs=_STANDARD_SUBS,
    ),
    "LOW_VOLUME": _usecase(
        "Low Volume Mixed",
        "STANDARD",
        "Low throughput mixed use for small senders.",
        1.5,
        min_sub=1,
        max_sub=5,
        subs=_STANDARD_SUBS,
    ),
    "POLLING_VOTING": _usecase("Polling and voting", "STANDARD", "Surveys and polls, not political.", 10.0),
    "PUBLIC_SERVICE_ANNOUNCEMENT": _usecase(
        "Public Service Announcement", "STANDARD", "Informational awareness messages.", 10.0
    ),
    "SECURITY_ALERT": _usecase("Security Alert", "STANDARD", "Notices of a compromised system.", 10.0),
    "SOLE_PROPRIETOR": _usecase(
        "Sole Proprietor", "SPECIAL", "Any standard use case for a sole proprietor brand.", 2.0, samples=1
    ),
}


def mno_metadata(usecase: str) -> dict[str, dict[str, Any]]:
    """Per-MNO terms for a use case, keyed by network id (TCR ``Metadata`` fields)."""
    info = USECASES[usecase]
    samples = info["minMsgSamples"]
    terms: dict[str, dict[str, Any]] = {
        "10017": {"msgClass": "A", "tpm": 4500, "mmsTpm": 2400},
        "10035": {"brandTier": "LOW", "brandDailyCap": 2000},
        "10038": {},
        "10037": {},
    }
    return {
        mno: {
            "mno": name,
            "qualify": True,
            "mnoSupport": True,
            "mnoReview": usecase in ("POLITICAL", "SWEEPSTAKE"),
            "minMsgSamples": samples,
            "reqSubscriberOptin": True,
            "reqSubscriberOptout": True,
            "reqSubscriberHelp": True,
            "noEmbeddedLink": False,
            "noEmbeddedPhone": False,
            "tpmScope": "CAMPAIGN",
            **terms.get(mno, {}),
        }
        for mno, name in MNOS.items()
    }
