"""The TCR vocabularies the rule engine knows, for the forms and pages that offer them as choices.

Re-exported from the rule families so the UI never keeps a second copy of a list or a requirement.
"""

from __future__ import annotations

from .checks.brand_identity import ALT_ID_TYPES, ENTITY_TYPES, RELATIONSHIPS, STOCK_EXCHANGES, VERTICALS
from .checks.brand_identity import REQUIRED as BRAND_REQUIRED_BY_ENTITY
from .checks.campaign_usecases import (
    MNO_IDS,
    NOT_FOR_501C3,
    OPTIN_EXEMPT,
    OPTOUT_EXEMPT,
    SUB_USECASES,
    USECASES,
    UseCase,
)
from .fields import BRAND_FIELDS, CAMPAIGN_FIELDS

#: brand fields that do not apply to an entity type (TCR ``POST /brand/nonBlocking`` entity table)
BRAND_NOT_APPLICABLE: dict[str, frozenset[str]] = {
    "SOLE_PROPRIETOR": frozenset({"companyName", "ein", "einIssuingCountry", "stockSymbol", "stockExchange",
                                  "businessContactEmail", "brandRelationship"}),
    "PRIVATE_PROFIT": frozenset({"firstName", "lastName", "mobilePhone", "stockSymbol", "stockExchange"}),
    "PUBLIC_PROFIT": frozenset({"firstName", "lastName", "mobilePhone"}),
    "NON_PROFIT": frozenset({"firstName", "lastName", "mobilePhone", "stockSymbol", "stockExchange"}),
    "GOVERNMENT": frozenset({"firstName", "lastName", "mobilePhone", "stockSymbol", "stockExchange"}),
}

__all__ = [
    "ALT_ID_TYPES",
    "BRAND_FIELDS",
    "BRAND_NOT_APPLICABLE",
    "BRAND_REQUIRED_BY_ENTITY",
    "CAMPAIGN_FIELDS",
    "ENTITY_TYPES",
    "MNO_IDS",
    "NOT_FOR_501C3",
    "OPTIN_EXEMPT",
    "OPTOUT_EXEMPT",
    "RELATIONSHIPS",
    "STOCK_EXCHANGES",
    "SUB_USECASES",
    "USECASES",
    "VERTICALS",
    "UseCase",
    "max_length",
]


def max_length(fields: dict, name: str) -> int | None:
    spec = fields.get(name)
    return spec.max_len if spec else None
