"""What the database knows that the rule engine's state-scope rules read.

``lint()`` is pure: rules such as BRAND-LOCKED-FIELDS, BRAND-DUPLICATE-CONTACTS, BRAND-REFERENCEID-UNIQUE,
BRAND-SP-MOBILE, BRAND-PROVIDER-FIELDS, CAMPAIGN-IMMUTABLE-FIELDS, CAMPAIGN-REFERENCEID, CAMPAIGN-EXPIRED-READONLY and
CAMPAIGN-LIMIT-PER-BRAND stay silent unless the caller hands them a ``state`` mapping (the keys are documented
in ``registry/rules/checks/brand_state.py`` and ``campaign_state.py``). This module builds that mapping from
the organization's registrations, so the forms, the review gate, the dossier and the API see the same
findings. It reads only; it never flushes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.brands.models import Brand
from registry.campaigns.models import Campaign
from registry.provider_accounts.models import ProviderAccount, ProviderName
from registry.provider_accounts.operations import default_account
from registry.providers.twilio_trusthub import missing_beyond_tcr
from registry.revisions.models import Revision
from registry.states import RegistrationStatus
from registry.submissions.models import Submission
from registry.submissions.operations import linked_account

S = RegistrationStatus
#: a campaign TCR holds and counts: filed (or about to be) and not deactivated; TCR keeps a carrier-rejected
#: campaign ACTIVE until it is deactivated, so it counts too
CAMPAIGN_IN_TCR = frozenset(
    {S.QUEUED, S.SUBMITTED, S.PENDING, S.ACTION_REQUIRED, S.IN_REVIEW, S.APPROVED, S.REJECTED, S.SUSPENDED}
)
#: the brand fields whose reuse across brands TCR limits (rule key -> column)
CONTACT_COLUMNS = {"phone": Brand.phone, "email": Brand.email, "mobilePhone": Brand.mobile_phone}


def brand_state(
    session: Session, organization_id: int, payload: Mapping[str, Any], brand: Brand | None = None
) -> dict[str, Any]:
    """The state for linting ``payload`` as brand ``brand`` (None: a brand not saved yet) of the organization."""
    others = sa.and_(
        Brand.organization_id == organization_id,
        Brand.status != S.DEACTIVATED,
        Brand.id != (brand.id if brand is not None and brand.id is not None else -1),
    )
    state: dict[str, Any] = {"contact_usage": _contact_usage(session, others, payload)}
    reference = _text(payload.get("referenceId"))
    if reference:
        state["brand_reference_ids"] = session.scalars(
            sa.select(Brand.reference).where(others, sa.func.lower(Brand.reference) == reference.lower())
        ).all()
    provider_fields = _provider_fields(session, organization_id, payload, brand)
    if provider_fields is not None:
        state["provider_fields"] = provider_fields
    if brand is not None and brand.id is not None:
        previous = _filed_snapshot(session, Revision.brand_id, brand.id)
        if previous is not None:
            state["previous_brand"] = previous
            state["active_campaign_count"] = (
                session.scalar(
                    sa.select(sa.func.count())
                    .select_from(Campaign)
                    .where(Campaign.brand_id == brand.id, Campaign.status.in_(CAMPAIGN_IN_TCR))
                )
                or 0
            )
    return state


def campaign_state(
    session: Session, organization_id: int, payload: Mapping[str, Any], brand: Brand, campaign: Campaign | None = None
) -> dict[str, Any]:
    """The state for linting ``payload`` as campaign ``campaign`` (None: not saved yet) of ``brand``."""
    own_id = campaign.id if campaign is not None and campaign.id is not None else -1
    state: dict[str, Any] = {}
    if brand.id is not None:
        state["brand_campaign_count"] = (
            session.scalar(
                sa.select(sa.func.count())
                .select_from(Campaign)
                .where(Campaign.brand_id == brand.id, Campaign.id != own_id, Campaign.status.in_(CAMPAIGN_IN_TCR))
            )
            or 0
        )
    reference = _text(payload.get("referenceId"))
    if reference:
        state["campaign_reference_ids"] = session.scalars(
            sa.select(Campaign.reference).where(
                Campaign.organization_id == organization_id,
                Campaign.id != own_id,
                sa.func.lower(Campaign.reference) == reference.lower(),
            )
        ).all()
    if campaign is not None and campaign.id is not None:
        previous = _filed_snapshot(session, Revision.campaign_id, campaign.id)
        if previous is not None:
            previous.pop("brandReferenceId", None)  # ours, not a TCR field
            state["previous_campaign"] = previous
            state["campaign_status"] = "EXPIRED" if campaign.status is S.DEACTIVATED else "ACTIVE"
    return state


def _provider_fields(session: Session, organization_id: int, payload: Mapping[str, Any],
                     brand: Brand | None) -> dict[str, Any] | None:
    """What the account the brand will be filed with (the one it is registered with, else the organization's
    default) needs beyond TCR's fields and the payload lacks; None when nothing is missing or no account."""
    linked = linked_account(session, "brand", brand.id) if brand is not None and brand.id is not None else None
    account = session.get(ProviderAccount, linked) if linked is not None else default_account(session,
                                                                                              organization_id)
    if account is None or account.provider is not ProviderName.TWILIO:
        return None
    missing = missing_beyond_tcr(payload)
    return {"provider": account.provider.display, "missing": missing} if missing else None


def _contact_usage(session: Session, others: sa.ColumnElement[bool], payload: Mapping[str, Any]) -> dict[str, int]:
    """How many other live brands of the organization use the payload's phone, e-mail, mobile phone and street
    address (compared ignoring case; the address by street and ZIP)."""
    usage: dict[str, int] = {}
    for key, column in CONTACT_COLUMNS.items():
        value = _text(payload.get(key))
        if value:
            usage[key] = _count(session, others, sa.func.lower(column) == value.lower())
    street, zip_code = _text(payload.get("street")), _text(payload.get("postalCode"))
    if street and zip_code:
        usage["street"] = _count(
            session, others, sa.func.lower(Brand.street) == street.lower(), Brand.postal_code == zip_code
        )
    return usage


def _count(session: Session, *where: sa.ColumnElement[bool]) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Brand).where(*where)) or 0


def _filed_snapshot(session: Session, column: Any, subject_id: int) -> dict[str, Any] | None:
    """The payload of the latest revision a provider accepted (what TCR holds now: a submission of it got the
    provider's id), or None if never filed."""
    snapshot = session.scalar(
        sa.select(Revision.snapshot)
        .join(Submission, Submission.revision_id == Revision.id)
        .where(column == subject_id, Submission.provider_id.is_not(None))
        .order_by(Revision.number.desc())
        .limit(1)
    )
    return dict(snapshot) if snapshot is not None else None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
