"""The Campaign model: TCR ``CampaignRequest`` fields (``POST /campaignBuilder``) plus our workflow state.

Column comments name the TCR CSP API field; lengths follow that schema (``shared/domain/tcr-rules.md`` §2.1).
Drafts may be incomplete; ``registry.rules`` decides what may be submitted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column, utcnow
from registry.jsontype import JSONType
from registry.states import RegistrationStatus
from registry.tcr import tcr_column

if TYPE_CHECKING:
    from registry.auth.models import Organization, User
    from registry.brands.models import Brand
    from registry.numbers.models import PhoneNumber


class Campaign(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "campaign"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "reference"),
        #: lists and the dashboard: by state, most recently changed first
        sa.Index("ix_campaign_org_status_updated", "organization_id", "status", "updated_at"),
        sa.Index("ix_campaign_org_updated", "organization_id", "updated_at"),
        #: the dashboard's "terms ending": by end of term
        sa.Index("ix_campaign_org_term_ends", "organization_id", "term_ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    #: the brand this campaign is registered under (TCR ``brandId`` once the brand is registered)
    brand_id: Mapped[int] = mapped_column(sa.ForeignKey("brand.id"), index=True)
    #: TCR ``referenceId``: our key, unique in the organization (CLI ``--campaign REF``)
    reference: Mapped[str] = tcr_column("referenceId", sa.String(50))
    #: normalized state (draft → four-eyes review → provider lifecycle)
    status: Mapped[RegistrationStatus] = enum_column(RegistrationStatus, "status",
                                                     default=RegistrationStatus.DRAFT)
    #: TCR ``campaignId`` (``C`` + 6) once registered
    tcr_campaign_id: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    #: end of the current billing term as the provider reports it (TCR ``nextRenewalOrExpirationDate``): the
    #: campaign renews then when ``auto_renewal`` is on, and expires otherwise; None until reported
    term_ends_on: Mapped[date | None] = mapped_column(sa.Date)
    #: the user who created the draft
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: errors the rule engine found at the last save (for "drafts with errors" without re-linting every row)
    lint_errors: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: warnings the rule engine found at the last save
    lint_warnings: Mapped[int] = mapped_column(sa.Integer, default=0)

    #: TCR ``usecase``: e.g. MARKETING, 2FA, MIXED (cannot change after registration)
    usecase: Mapped[str] = tcr_column("usecase", sa.String(50))
    #: TCR ``subUsecases``: standard use cases covered by MIXED / LOW_VOLUME
    sub_usecases: Mapped[list[str]] = tcr_column("subUsecases", JSONType, default=list)
    #: TCR ``resellerId``: ``R000000`` when there is no reseller
    reseller_id: Mapped[str | None] = tcr_column("resellerId", sa.String(8))
    #: TCR ``description``: purpose of the program, 40–4096
    description: Mapped[str | None] = tcr_column("description", sa.String(4096))
    #: TCR ``messageFlow``: how subscribers opt in (call to action), 40–4096
    message_flow: Mapped[str | None] = tcr_column("messageFlow", sa.String(4096))
    #: TCR ``sample1``: 20–1024
    sample1: Mapped[str | None] = tcr_column("sample1", sa.String(1024))
    #: TCR ``sample2``
    sample2: Mapped[str | None] = tcr_column("sample2", sa.String(1024))
    #: TCR ``sample3``
    sample3: Mapped[str | None] = tcr_column("sample3", sa.String(1024))
    #: TCR ``sample4``
    sample4: Mapped[str | None] = tcr_column("sample4", sa.String(1024))
    #: TCR ``sample5``
    sample5: Mapped[str | None] = tcr_column("sample5", sa.String(1024))
    #: TCR ``subscriberOptin``: the campaign collects opt-in
    subscriber_optin: Mapped[bool] = tcr_column("subscriberOptin", sa.Boolean, default=True)
    #: TCR ``subscriberOptout``: the campaign honours opt-out keywords
    subscriber_optout: Mapped[bool] = tcr_column("subscriberOptout", sa.Boolean, default=True)
    #: TCR ``subscriberHelp``: the campaign answers HELP
    subscriber_help: Mapped[bool] = tcr_column("subscriberHelp", sa.Boolean, default=True)
    #: TCR ``optinKeywords``: comma-separated, no spaces
    optin_keywords: Mapped[str | None] = tcr_column("optinKeywords", sa.String(255))
    #: TCR ``optinMessage``: opt-in confirmation, 20–1024
    optin_message: Mapped[str | None] = tcr_column("optinMessage", sa.String(1024))
    #: TCR ``optoutKeywords``: comma-separated, must include STOP
    optout_keywords: Mapped[str | None] = tcr_column("optoutKeywords", sa.String(255))
    #: TCR ``optoutMessage``: opt-out confirmation, 20–1024
    optout_message: Mapped[str | None] = tcr_column("optoutMessage", sa.String(1024))
    #: TCR ``helpKeywords``: comma-separated, must include HELP
    help_keywords: Mapped[str | None] = tcr_column("helpKeywords", sa.String(255))
    #: TCR ``helpMessage``: HELP reply, 20–1024
    help_message: Mapped[str | None] = tcr_column("helpMessage", sa.String(1024))
    #: TCR ``embeddedLink``: messages contain links
    embedded_link: Mapped[bool] = tcr_column("embeddedLink", sa.Boolean, default=False)
    #: TCR ``embeddedLinkSample``: an example of the link used, ≤255
    embedded_link_sample: Mapped[str | None] = tcr_column("embeddedLinkSample", sa.String(255))
    #: TCR ``embeddedPhone``: messages contain phone numbers other than the HELP number
    embedded_phone: Mapped[bool] = tcr_column("embeddedPhone", sa.Boolean, default=False)
    #: TCR ``numberPool``: the campaign uses more than 50 numbers
    number_pool: Mapped[bool] = tcr_column("numberPool", sa.Boolean, default=False)
    #: TCR ``ageGated``: age-restricted content
    age_gated: Mapped[bool] = tcr_column("ageGated", sa.Boolean, default=False)
    #: TCR ``directLending``: direct lending or loan arrangement content
    direct_lending: Mapped[bool] = tcr_column("directLending", sa.Boolean, default=False)
    #: TCR ``termsAndConditions``: attestation of TCR terms (no affiliate marketing)
    terms_and_conditions: Mapped[bool] = tcr_column("termsAndConditions", sa.Boolean, default=True)
    #: TCR ``privacyPolicyLink``
    privacy_policy_link: Mapped[str | None] = tcr_column("privacyPolicyLink", sa.String(2048))
    #: TCR ``termsAndConditionsLink``
    terms_and_conditions_link: Mapped[str | None] = tcr_column("termsAndConditionsLink", sa.String(2048))
    #: TCR ``autoRenewal``: false deactivates at the end of the term (irreversible)
    auto_renewal: Mapped[bool] = tcr_column("autoRenewal", sa.Boolean, default=True)
    #: TCR ``mnoIds``: targeted networks (empty = all)
    mno_ids: Mapped[list[int]] = tcr_column("mnoIds", JSONType, default=list)
    #: TCR ``tag``
    tags: Mapped[list[str]] = tcr_column("tag", JSONType, default=list)

    organization: Mapped[Organization] = relationship()
    brand: Mapped[Brand] = relationship(back_populates="campaigns")
    created_by: Mapped[User | None] = relationship()
    numbers: Mapped[list[PhoneNumber]] = relationship(back_populates="campaign")
    media: Mapped[list[CampaignMedia]] = relationship(back_populates="campaign", order_by="CampaignMedia.id")

    def __repr__(self) -> str:
        return f"<Campaign {self.reference}>"

    @property
    def audit_label(self) -> str:
        return f"{self.reference} ({self.usecase})"

    @property
    def samples(self) -> list[str]:
        return [s for s in (self.sample1, self.sample2, self.sample3, self.sample4, self.sample5) if s]


class CampaignMedia(Base):
    """An MMS sample file of a campaign, stored by content hash in ``instance/media/``."""

    __tablename__ = "campaign_media"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    #: the name it was uploaded with
    filename: Mapped[str] = mapped_column(sa.String(255))
    #: MIME type as detected from the content (not as claimed by the browser)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size_bytes: Mapped[int] = mapped_column(sa.Integer)
    #: SHA-256 of the content; also its storage key
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: when (UTC)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="media")

    @property
    def audit_label(self) -> str:
        return self.filename
