"""Disclosures: the words shown at opt-in, versioned per campaign and compared with what was registered.

A version is identified by the SHA-256 of its text and never changes (the table is append-only). When it is
first recorded, the rule engine checks it as a call to action (CAMPAIGN-CTA-DISCLOSURES: brand, frequency,
"Msg & data rates may apply", STOP, HELP, terms, privacy) and it is linked to the registered campaign revision
whose ``messageFlow`` contains it. A drift warning appears when a version shown at opt-ins since the
registration is not part of the registered message flow.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.campaigns.models import Campaign
from registry.compliance import brand_payload
from registry.errors import UserValueError
from registry.revisions.models import Revision
from registry.rules import lint
from registry.states import RevisionStatus

from .chain import hold
from .models import ConsentDisclosure, ConsentDisclosureUse

#: the rule that checks disclosure text (a call to action)
RULE = "CAMPAIGN-CTA-DISCLOSURES"
MAX_LENGTH = 10_000
REGISTERED = (RevisionStatus.SUBMITTED, RevisionStatus.APPROVED)


def normalize_text(text: str | None) -> str:
    """Line endings as ``\\n``, outer whitespace trimmed; the SHA-256 is taken of exactly this."""
    value = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in value:
        raise UserValueError("The disclosure text contains a NUL character.", field="disclosure_text")
    if len(value) > MAX_LENGTH:
        raise UserValueError(f"The disclosure text is {len(value):,} characters; at most {MAX_LENGTH:,}.",
                             field="disclosure_text")
    return value


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def check_text(campaign: Campaign, text: str) -> list[dict[str, Any]]:
    """The rule engine's call-to-action findings on ``text`` as this campaign's message flow."""
    payload = {"usecase": campaign.usecase, "messageFlow": text, "subscriberOptin": True}
    report = lint(brand_payload(campaign.brand), payload)
    return [f.to_dict() | {"field": "disclosure_text"} for f in report.findings if f.rule == RULE]


def registered_revision(session: Session, campaign_id: int) -> Revision | None:
    """The revision the campaign is registered with: the newest submitted one, else the newest approved one."""
    for status in REGISTERED:
        found = session.scalar(sa.select(Revision).where(Revision.campaign_id == campaign_id,
                                                         Revision.status == status)
                               .order_by(Revision.number.desc()).limit(1))
        if found is not None:
            return found
    return None


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", " ": " "})
_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()).strip()


def is_registered_in(text: str, revision: Revision | None) -> bool:
    """Whether ``text`` is (part of) the message flow ``revision`` registered (case, quotes, spacing aside)."""
    flow = (revision.snapshot or {}).get("messageFlow") if revision is not None else None
    return bool(flow) and _fold(text) in _fold(str(flow))


def disclosure_for(session: Session, campaign: Campaign, text: str, *, actor: Actor) -> ConsentDisclosure:
    """The disclosure version with exactly this text, recorded (checked, linked, audited) when new."""
    text = normalize_text(text)
    if not text:
        raise UserValueError("The disclosure text is empty.", field="disclosure_text")
    sha = text_sha256(text)
    found = session.scalar(sa.select(ConsentDisclosure).where(ConsentDisclosure.campaign_id == campaign.id,
                                                              ConsentDisclosure.sha256 == sha))
    if found is not None:
        return found
    hold(session, campaign.organization_id)  # versions are numbered under the chain lock
    version = (session.scalar(sa.select(sa.func.max(ConsentDisclosure.version))
                              .where(ConsentDisclosure.campaign_id == campaign.id)) or 0) + 1
    revision = registered_revision(session, campaign.id)
    disclosure = ConsentDisclosure(
        organization_id=campaign.organization_id, campaign_id=campaign.id, version=version, sha256=sha, text=text,
        revision_id=revision.id if is_registered_in(text, revision) else None, findings=check_text(campaign, text),
        created_by_id=actor.user_id, created_by=actor.label[:254])
    session.add(disclosure)
    session.flush()
    record(session, organization_id=campaign.organization_id, actor=actor, action="create",
           entity_type="consent_disclosure", entity_id=disclosure.id,
           summary=f"{campaign.reference}: consent disclosure v{version} recorded"
                   + ("" if disclosure.revision_id else " (not in the registered message flow)"),
           changes={"sha256": [None, sha], "version": [None, version],
                    "findings": [None, len(disclosure.findings)]})
    return disclosure


@dataclass(frozen=True)
class VersionStatus:
    disclosure: ConsentDisclosure
    #: opt-ins it was shown at, and the first and last such time
    opt_ins: int
    first_shown_at: datetime | None
    last_shown_at: datetime | None
    registered: bool


@dataclass
class DisclosureStatus:
    """What the campaign page and ``registry consent show`` say about a campaign's disclosures."""

    campaign: Campaign
    registered_revision: Revision | None
    versions: list[VersionStatus] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def disclosure_status(session: Session, campaign: Campaign) -> DisclosureStatus:
    """Every version with its use, and a warning for each one in use that differs from the registration."""
    revision = registered_revision(session, campaign.id)
    status = DisclosureStatus(campaign, revision)
    rows = session.execute(sa.select(ConsentDisclosure, ConsentDisclosureUse)
                           .outerjoin(ConsentDisclosureUse,
                                      ConsentDisclosureUse.disclosure_id == ConsentDisclosure.id)
                           .where(ConsentDisclosure.campaign_id == campaign.id)
                           .order_by(ConsentDisclosure.version)).all()
    for disclosure, use in rows:
        registered = is_registered_in(disclosure.text, revision)
        status.versions.append(VersionStatus(disclosure, use.opt_ins if use else 0,
                                             use.first_shown_at if use else None,
                                             use.last_shown_at if use else None, registered))
    since = revision.created_at if revision is not None else None
    for v in status.versions:
        if v.registered or not v.opt_ins or v.last_shown_at is None:
            continue
        if revision is None:
            status.warnings.append(
                f"Disclosure v{v.disclosure.version} was shown at {v.opt_ins:,} opt-in(s) but {campaign.reference} "
                "has no registered message flow to compare it with: register the campaign with this call to action.")
        elif since is None or v.last_shown_at >= since:
            status.warnings.append(
                f"Disclosure v{v.disclosure.version} (shown at {v.opt_ins:,} opt-in(s), last "
                f"{v.last_shown_at:%Y-%m-%d %H:%M} UTC) differs from the message flow registered with revision "
                f"{revision.number}: show the registered call to action, or register the new one "
                "(CAMPAIGN-CTA-DISCLOSURES).")
    return status
