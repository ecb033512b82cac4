"""The brand wizard: entity type first, then only the fields that entity type uses (TCR field names)."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField

from registry.rules.vocabulary import (
    ALT_ID_TYPES,
    BRAND_NOT_APPLICABLE,
    BRAND_REQUIRED_BY_ENTITY,
    ENTITY_TYPES,
    RELATIONSHIPS,
    STOCK_EXCHANGES,
    VERTICALS,
)
from registry.rules.vocabulary import BRAND_FIELDS as F

from .base import BaseForm
from .fields import choice, reference_field, text, titled

#: what each entity type means, in plain language (TCR KB "Information Needed"; tcr-rules.md §1.1)
ENTITY_TYPE_HELP = {
    "PRIVATE_PROFIT": ("Private company", "A privately held for-profit business (LLC, corporation, partnership). "
                       "Needs its EIN and the legal name exactly as on the IRS record."),
    "PUBLIC_PROFIT": ("Public company", "A publicly traded company. Needs the stock symbol and exchange, a website "
                      "and a named business contact e-mail for TCR's Authentication+ check before any campaign."),
    "NON_PROFIT": ("Non-profit", "A charity or non-profit organization with a US EIN. A verified 501(c)(3) status "
                   "unlocks the CHARITY use case."),
    "GOVERNMENT": ("Government", "A US local, state or federal government body."),
    "SOLE_PROPRIETOR": ("Sole proprietor", "An individual or unincorporated one-owner business in the US or "
                        "Canada with no EIN (an LLC is not eligible). Needs the owner's name and a mobile number "
                        "for a one-time passcode; limited to one campaign and one number."),
}
ENTITY_ORDER = ["PRIVATE_PROFIT", "PUBLIC_PROFIT", "NON_PROFIT", "GOVERNMENT", "SOLE_PROPRIETOR"]
assert set(ENTITY_ORDER) == ENTITY_TYPES

#: the wizard's steps and the fields on each, in display order
STEPS: list[tuple[str, str, tuple[str, ...]]] = [
    ("identity", "Identity", ("displayName", "companyName", "firstName", "lastName", "ein", "einIssuingCountry",
                              "vertical", "altBusinessIdType", "altBusinessId", "stockSymbol", "stockExchange")),
    ("contact", "Address and contact", ("street", "city", "state", "postalCode", "country", "phone",
                                        "mobilePhone", "email", "businessContactEmail", "website")),
    ("account", "Account", ("brandRelationship", "referenceId")),
]


#: TCR asks a person's name of sole proprietors only, but a provider may need one for every brand: Twilio files
#: a company with an authorized representative (rule BRAND-PROVIDER-FIELDS), so the form always offers them
REPRESENTATIVE = frozenset({"firstName", "lastName"})


def fields_for(entity_type: str | None) -> list[str]:
    """The brand fields shown for ``entity_type``, in step order."""
    hidden = BRAND_NOT_APPLICABLE.get(entity_type or "", frozenset()) - REPRESENTATIVE
    return [name for _, _, names in STEPS for name in names if name not in hidden]


def required_for(entity_type: str | None) -> frozenset[str]:
    return frozenset(BRAND_REQUIRED_BY_ENTITY.get(entity_type or "", ())) | {"referenceId"}


class EntityTypeForm(BaseForm):
    entityType = choice("Entity type", [(e, ENTITY_TYPE_HELP[e][0]) for e in ENTITY_ORDER],
                        description="Decides which fields TCR asks for.")


class BrandForm(BaseForm):
    """Every TCR brand field; the template shows those of the chosen entity type."""

    version = HiddenField()
    entityType = choice("Entity type", [(e, ENTITY_TYPE_HELP[e][0]) for e in ENTITY_ORDER])
    referenceId = reference_field("brand")
    displayName = text(F, "displayName", "Brand name (DBA)",
                       description="The name customers know, used in every message.")
    companyName = text(F, "companyName", "Legal company name",
                       description="Exactly as on the IRS record for the EIN (first line of the CP-575 / SS-4).")
    ein = text(F, "ein", "EIN / tax id", description="US: 9 digits, e.g. 12-3456789.")
    einIssuingCountry = text(F, "einIssuingCountry", "Tax id issuing country",
                             description="Two-letter code; US when empty.")
    firstName = text(F, "firstName", "Owner's first name")
    lastName = text(F, "lastName", "Owner's last name")
    mobilePhone = text(F, "mobilePhone", "Owner's mobile phone",
                       description="A US or Canadian mobile number in E.164 (+1…); TCR texts a one-time passcode.")
    phone = text(F, "phone", "Support phone", description="E.164, e.g. +13125550142.")
    street = text(F, "street", "Street address", description="House number and street; no PO box.")
    city = text(F, "city", "City")
    state = text(F, "state", "State", description="Two-letter code, e.g. IL.")
    postalCode = text(F, "postalCode", "ZIP / postal code")
    country = text(F, "country", "Country", description="Two-letter code, e.g. US.")
    email = text(F, "email", "Support e-mail", description="On the brand's own domain.")
    website = text(F, "website", "Website", description="https://… the brand's own site.")
    vertical = choice("Industry (vertical)", [(v, titled(v)) for v in sorted(VERTICALS)])
    brandRelationship = choice("Relationship with your account",
                               [(r, titled(r)) for r in sorted(RELATIONSHIPS)],
                               description="How well you know this brand; can change once every 3 months.")
    stockSymbol = text(F, "stockSymbol", "Stock symbol")
    stockExchange = choice("Stock exchange", [(x, x) for x in sorted(STOCK_EXCHANGES)])
    businessContactEmail = text(F, "businessContactEmail", "Business contact e-mail",
                                description="A named person at the brand (not sales@ or a free-mail address): "
                                            "TCR sends the Authentication+ PIN here.")
    altBusinessIdType = choice("Other business id type", [(t, t) for t in sorted(ALT_ID_TYPES)])
    altBusinessId = text(F, "altBusinessId", "Other business id")

    def for_entity(self, entity_type: str) -> BrandForm:
        """Label the person fields for ``entity_type``: the owner of a sole proprietorship, else the
        authorized representative."""
        if entity_type != "SOLE_PROPRIETOR":
            self.firstName.label.text = "Authorized representative: first name"
            self.lastName.label.text = "Authorized representative: last name"
            self.firstName.description = ("The person who answers for the business. TCR does not ask for it; "
                                          "Twilio requires it for every brand.")
        return self

    def payload(self, entity_type: str) -> dict[str, Any]:
        """The TCR payload of this form for ``entity_type``; fields the type does not use are cleared."""
        shown = set(fields_for(entity_type))
        values: dict[str, Any] = {"entityType": entity_type}
        for name in PAYLOAD_FIELDS:
            values[name] = self[name].data if name in shown else None
        return values


#: the TCR fields the brand form edits
PAYLOAD_FIELDS = tuple(name for _, _, names in STEPS for name in names)
