"""TCR brand fields -> Twilio Trust Hub objects (provider-apis.md §3.2).

Standard / low-volume standard brands: a secondary customer profile with a
``customer_profile_business_information`` end user, an ``authorized_representative_1`` end user and an address
document, then an A2P trust product with a ``us_a2p_messaging_profile_information`` end user. Sole
proprietors: a starter customer profile (``starter_customer_profile_information`` + address) and a sole
proprietor trust product (``sole_proprietor_information``). Policy SIDs are Twilio's global constants and the
attribute names come from Twilio's ISV guide as quoted by public integrations **[2ND]** (the OpenAPI spec
types ``Attributes`` as free JSON).

The brand's display name is sent as the end users' ``FriendlyName`` (Twilio's business information has no
DBA attribute); ``business_name`` is the legal ``companyName``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PRIMARY_PROFILE_POLICY = "RN6433641899984f951173ef1738c3bdd0"
SECONDARY_PROFILE_POLICY = "RNdfbf3fae0e1107f8aded0e7cead80bf5"
STARTER_PROFILE_POLICY = "RN806dd6cd175f314e1f96a9727ee271f4"
A2P_TRUST_PRODUCT_POLICY = "RNb0d4771c2c98518d916a3d4cd70a8f8b"
SOLE_PROP_TRUST_PRODUCT_POLICY = "RN670d5d2e282a6130ae063b234b6019c8"
ADDRESS_DOCUMENT = "customer_profile_address"

#: TCR entityType -> Twilio ``business_type`` / ``company_type``
BUSINESS_TYPE = {
    "PRIVATE_PROFIT": "Corporation",
    "PUBLIC_PROFIT": "Corporation",
    "NON_PROFIT": "Non-profit Corporation",
    "GOVERNMENT": "Corporation",
}
COMPANY_TYPE = {
    "PRIVATE_PROFIT": "private",
    "PUBLIC_PROFIT": "public",
    "NON_PROFIT": "non-profit",
    "GOVERNMENT": "government",
}
#: TCR verticals whose Twilio ``business_industry`` is spelled differently; the others are the same word
INDUSTRY = {"COMMUNICATION": "TELECOMMUNICATIONS", "PROFESSIONAL": "ONLINE", "NGO": "NOT_FOR_PROFIT"}

#: Trust Hub attribute (``object_field`` in evaluation results) -> TCR field
ATTRIBUTE_FIELDS: Mapping[str, str] = {
    "business_name": "companyName",
    "business_type": "entityType",
    "business_industry": "vertical",
    "business_registration_identifier": "einIssuingCountry",
    "business_registration_number": "ein",
    "business_regions_of_operation": "country",
    "website_url": "website",
    "business_identity": "brandRelationship",
    "first_name": "firstName",
    "last_name": "lastName",
    "email": "email",
    "phone_number": "phone",
    "business_title": "businessTitle",
    "job_position": "jobPosition",
    "company_type": "entityType",
    "stock_exchange": "stockExchange",
    "stock_ticker": "stockSymbol",
    "brand_contact_email": "businessContactEmail",
    "brand_name": "displayName",
    "vertical": "vertical",
    "mobile_phone_number": "mobilePhone",
    "address_sids": "street",
    "customer_profile_sid": "entityType",
}


@dataclass(frozen=True)
class EndUser:
    """One end user to create: Trust Hub type, FriendlyName, Attributes."""

    type: str
    friendly_name: str
    attributes: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """Every Trust Hub object a brand needs."""

    sole_proprietor: bool
    profile_policy: str
    product_policy: str
    email: str
    profile_users: tuple[EndUser, ...]
    product_user: EndUser
    address: dict[str, str]
    missing: tuple[str, ...] = field(default=())

    @property
    def brand_type(self) -> str:
        return "SOLE_PROPRIETOR" if self.sole_proprietor else "STANDARD"


def _digits_ein(ein: Any) -> str | None:
    if not isinstance(ein, str) or not ein.strip():
        return None
    digits = re.sub(r"\D", "", ein)
    return f"{digits[:2]}-{digits[2:]}" if len(digits) == 9 else ein.strip()


#: the authorized representative of a standard brand: TCR fields Twilio needs that TCR does not ask of a company
REPRESENTATIVE = ("firstName", "lastName")


def missing_beyond_tcr(brand: Mapping[str, Any]) -> list[str]:
    """TCR fields Twilio needs for this brand beyond TCR's own minimum, and the brand lacks (the rule engine's
    BRAND-PROVIDER-FIELDS reports them before review; the rest TCR's own rules report)."""
    sole = str(brand.get("entityType") or "").upper() == "SOLE_PROPRIETOR"
    return [] if sole else [f for f in plan(brand).missing if f in REPRESENTATIVE]


def plan(brand: Mapping[str, Any]) -> Plan:
    """The Trust Hub objects for a TCR brand; ``missing`` names the TCR fields Twilio needs and we lack."""
    entity = str(brand.get("entityType") or "").upper()
    sole = entity == "SOLE_PROPRIETOR"
    display = str(brand.get("displayName") or brand.get("companyName") or "").strip()
    email = str(brand.get("email") or "").strip()
    needed = ["displayName", "email", "country", "street", "city", "state", "postalCode"]
    address = {
        "CustomerName": str(
            brand.get("companyName") or f"{brand.get('firstName', '')} {brand.get('lastName', '')}"
        ).strip(),
        "Street": str(brand.get("street") or ""),
        "City": str(brand.get("city") or ""),
        "Region": str(brand.get("state") or ""),
        "PostalCode": str(brand.get("postalCode") or ""),
        "IsoCountry": str(brand.get("country") or "US"),
    }
    if sole:
        needed += ["firstName", "lastName", "mobilePhone", "vertical"]
        users = (
            EndUser(
                "starter_customer_profile_information",
                f"{display} contact",
                {
                    "first_name": brand.get("firstName"),
                    "last_name": brand.get("lastName"),
                    "email": email,
                    "phone_number": brand.get("phone") or brand.get("mobilePhone"),
                },
            ),
        )
        product = EndUser(
            "sole_proprietor_information",
            f"{display} sole proprietor",
            {"brand_name": display, "vertical": brand.get("vertical"), "mobile_phone_number": brand.get("mobilePhone")},
        )
        policies = (STARTER_PROFILE_POLICY, SOLE_PROP_TRUST_PRODUCT_POLICY)
    else:
        needed += ["companyName", "ein", "website", "vertical", "phone", *REPRESENTATIVE]
        if entity == "PUBLIC_PROFIT":
            needed += ["stockSymbol", "stockExchange"]
        alt = str(brand.get("altBusinessIdType") or "").upper()
        identifier = alt if alt in ("DUNS", "LEI", "GIIN") and brand.get("altBusinessId") else "EIN"
        business = {
            "business_name": brand.get("companyName"),
            "business_identity": "direct_customer",
            "business_type": str(brand.get("businessType") or BUSINESS_TYPE.get(entity, "Corporation")),
            "business_industry": INDUSTRY.get(str(brand.get("vertical") or ""), brand.get("vertical")),
            "business_registration_identifier": identifier,
            "business_registration_number": brand.get("altBusinessId")
            if identifier != "EIN"
            else _digits_ein(brand.get("ein")),
            "business_regions_of_operation": "USA_AND_CANADA",
            "website_url": brand.get("website"),
            "social_media_profile_urls": "",
        }
        representative = {
            "first_name": brand.get("firstName"),
            "last_name": brand.get("lastName"),
            "email": email,
            "phone_number": brand.get("phone"),
            "business_title": str(brand.get("businessTitle") or "Authorized representative"),
            "job_position": str(brand.get("jobPosition") or "Other"),
        }
        users = (
            EndUser("customer_profile_business_information", f"{display}", business),
            EndUser("authorized_representative_1", f"{display} authorized representative", representative),
        )
        messaging: dict[str, Any] = {"company_type": COMPANY_TYPE.get(entity, "private")}
        if entity == "PUBLIC_PROFIT":
            messaging |= {"stock_exchange": brand.get("stockExchange"), "stock_ticker": brand.get("stockSymbol")}
            if brand.get("businessContactEmail"):
                messaging["brand_contact_email"] = brand.get("businessContactEmail")
        product = EndUser("us_a2p_messaging_profile_information", f"{display} A2P messaging profile", messaging)
        policies = (SECONDARY_PROFILE_POLICY, A2P_TRUST_PRODUCT_POLICY)
    missing = tuple(f for f in needed if not str(brand.get(f) or "").strip())
    return Plan(sole, policies[0], policies[1], email, users, product, address, missing)


def evaluation_fields(evaluation: Mapping[str, Any]) -> tuple[list[str], list[tuple[str, str, tuple[str, ...]]]]:
    """TCR fields blamed by a noncompliant evaluation, and (code, message, fields) per failed requirement."""
    fields: list[str] = []
    problems = []
    for result in evaluation.get("results") or []:
        if not isinstance(result, Mapping) or result.get("passed"):
            continue
        names = []
        for item in result.get("invalid") or []:
            if isinstance(item, Mapping) and item.get("object_field"):
                name = ATTRIBUTE_FIELDS.get(str(item["object_field"]), str(item["object_field"]))
                names.append(name)
                if name not in fields:
                    fields.append(name)
        label = result.get("requirement_friendly_name") or result.get("friendly_name") or "requirement"
        message = f"{label}: {result.get('failure_reason') or 'not compliant'}"
        problems.append((str(result.get("error_code") or "noncompliant"), message, tuple(names)))
    return fields, problems
