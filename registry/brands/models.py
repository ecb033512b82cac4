"""The Brand model: TCR ``BrandRequest`` fields plus our workflow state.

Column comments name the TCR CSP API field (https://csp-api.campaignregistry.com/v2, ``BrandRequest``); lengths
follow that schema (``shared/domain/tcr-rules.md`` §1.2). Values are not validated here: drafts may be
incomplete; ``registry.rules`` decides what may be submitted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampMixin, VersionedMixin, enum_column
from registry.jsontype import JSONType
from registry.states import IdentityStatus, RegistrationStatus
from registry.tcr import tcr_column

if TYPE_CHECKING:
    from registry.auth.models import Organization, User
    from registry.campaigns.models import Campaign


class Brand(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "brand"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "reference"),
        #: lists and the dashboard: by state, most recently changed first
        sa.Index("ix_brand_org_status_updated", "organization_id", "status", "updated_at"),
        sa.Index("ix_brand_org_updated", "organization_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    #: TCR ``referenceId``: our key for the brand, unique in the organization (CLI ``--brand REF``)
    reference: Mapped[str] = tcr_column("referenceId", sa.String(50))
    #: normalized state (draft → four-eyes review → provider lifecycle)
    status: Mapped[RegistrationStatus] = enum_column(RegistrationStatus, "status",
                                                     default=RegistrationStatus.DRAFT)
    #: TCR ``identityStatus`` once the brand is scored
    identity_status: Mapped[IdentityStatus] = enum_column(IdentityStatus, "identity_status",
                                                          default=IdentityStatus.UNKNOWN)
    #: TCR ``brandId`` (``B`` + 6) once registered
    tcr_brand_id: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    #: the user who created the draft
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: errors the rule engine found at the last save (for "drafts with errors" without re-linting every row)
    lint_errors: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: warnings the rule engine found at the last save
    lint_warnings: Mapped[int] = mapped_column(sa.Integer, default=0)

    #: TCR ``entityType``: PRIVATE_PROFIT, PUBLIC_PROFIT, NON_PROFIT, GOVERNMENT, SOLE_PROPRIETOR
    entity_type: Mapped[str] = tcr_column("entityType", sa.String(20))
    #: TCR ``displayName``: brand / DBA name, 1–255
    display_name: Mapped[str] = tcr_column("displayName", sa.String(255))
    #: TCR ``companyName``: legal name as on the tax record (not for sole proprietors)
    company_name: Mapped[str | None] = tcr_column("companyName", sa.String(255))
    #: TCR ``ein``: tax id (US EIN: 9 digits; not for sole proprietors)
    ein: Mapped[str | None] = tcr_column("ein", sa.String(21))
    #: TCR ``einIssuingCountry``: ISO 3166-1 alpha-2, US by default
    ein_issuing_country: Mapped[str | None] = tcr_column("einIssuingCountry", sa.String(2))
    #: TCR ``firstName`` (sole proprietor)
    first_name: Mapped[str | None] = tcr_column("firstName", sa.String(100))
    #: TCR ``lastName`` (sole proprietor)
    last_name: Mapped[str | None] = tcr_column("lastName", sa.String(100))
    #: TCR ``phone``: brand support phone, E.164
    phone: Mapped[str | None] = tcr_column("phone", sa.String(20))
    #: TCR ``mobilePhone``: sole proprietor's US/CA mobile for the OTP, E.164
    mobile_phone: Mapped[str | None] = tcr_column("mobilePhone", sa.String(20))
    #: TCR ``street``
    street: Mapped[str | None] = tcr_column("street", sa.String(255))
    #: TCR ``city``
    city: Mapped[str | None] = tcr_column("city", sa.String(100))
    #: TCR ``state``: US two-letter code
    state: Mapped[str | None] = tcr_column("state", sa.String(20))
    #: TCR ``postalCode``: US 5-digit ZIP
    postal_code: Mapped[str | None] = tcr_column("postalCode", sa.String(10))
    #: TCR ``country``: ISO 3166-1 alpha-2
    country: Mapped[str | None] = tcr_column("country", sa.String(2))
    #: TCR ``email``: brand support e-mail
    email: Mapped[str | None] = tcr_column("email", sa.String(100))
    #: TCR ``website``
    website: Mapped[str | None] = tcr_column("website", sa.String(255))
    #: TCR ``vertical``: industry (23 values)
    vertical: Mapped[str | None] = tcr_column("vertical", sa.String(50))
    #: TCR ``brandRelationship``: BASIC_ACCOUNT … KEY_ACCOUNT
    brand_relationship: Mapped[str | None] = tcr_column("brandRelationship", sa.String(20))
    #: TCR ``stockSymbol`` (public companies)
    stock_symbol: Mapped[str | None] = tcr_column("stockSymbol", sa.String(10))
    #: TCR ``stockExchange`` (public companies)
    stock_exchange: Mapped[str | None] = tcr_column("stockExchange", sa.String(10))
    #: TCR ``businessContactEmail``: named person for Auth+ (required for public companies)
    business_contact_email: Mapped[str | None] = tcr_column("businessContactEmail", sa.String(255))
    #: TCR ``altBusinessIdType``: NONE, DUNS, GIIN, LEI
    alt_business_id_type: Mapped[str | None] = tcr_column("altBusinessIdType", sa.String(10))
    #: TCR ``altBusinessId``
    alt_business_id: Mapped[str | None] = tcr_column("altBusinessId", sa.String(50))
    #: TCR ``tag``: up to 10 labels
    tags: Mapped[list[str]] = tcr_column("tag", JSONType, default=list)

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[User | None] = relationship()
    campaigns: Mapped[list[Campaign]] = relationship(back_populates="brand", order_by="Campaign.id")

    def __repr__(self) -> str:
        return f"<Brand {self.reference}>"

    @property
    def audit_label(self) -> str:
        return f"{self.display_name} ({self.reference})"

    def audit_key(self) -> dict[str, Any]:
        return {"entity_type": "brand", "entity_id": str(self.id)}
