"""Everything the lifecycle view shows about one brand, campaign or number, in a few queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from registry.audit.models import AuditEvent
from registry.audit.queries import entity_history
from registry.campaigns.models import Campaign
from registry.revisions.models import Revision
from registry.submissions.models import Submission, SubmissionStep

from .models import CarrierStatus, StatusChange
from .operations import SUBJECTS


@dataclass
class Lifecycle:
    timeline: list[StatusChange]
    revisions: list[Revision]
    history: list[AuditEvent]
    carriers: list[CarrierStatus] = field(default_factory=list)
    #: every attempt to file it with a provider (Submission rows, newest first), whichever account
    filings: list[Submission] = field(default_factory=list)


def lifecycle(session: Session, obj: Any) -> Lifecycle:
    subject, _ = SUBJECTS[type(obj)]
    timeline = list(session.scalars(
        sa.select(StatusChange).where(StatusChange.subject == subject, StatusChange.subject_id == obj.id)
        .order_by(StatusChange.id.desc()).limit(200)))
    revisions: list[Revision] = []
    if subject in ("brand", "campaign"):
        fk = Revision.brand_id if subject == "brand" else Revision.campaign_id
        revisions = list(session.scalars(
            sa.select(Revision).where(fk == obj.id).order_by(Revision.number.desc())
            .options(selectinload(Revision.author), selectinload(Revision.reviewer),
                     selectinload(Revision.acknowledgements))))
    carriers: list[CarrierStatus] = []
    if isinstance(obj, Campaign):
        carriers = list(session.scalars(sa.select(CarrierStatus).where(CarrierStatus.campaign_id == obj.id)
                                        .order_by(CarrierStatus.carrier)))
    filings: list[Submission] = []
    if subject in ("brand", "campaign"):
        step, fk = ((SubmissionStep.BRAND, Submission.brand_id) if subject == "brand"
                    else (SubmissionStep.CAMPAIGN, Submission.campaign_id))
        filings = list(session.scalars(
            sa.select(Submission).where(Submission.step == step, fk == obj.id).order_by(Submission.id.desc())
            .limit(50).options(selectinload(Submission.account), selectinload(Submission.revision))))
    return Lifecycle(timeline=timeline, revisions=revisions, carriers=carriers, filings=filings,
                     history=entity_history(session, obj.organization_id, subject, obj.id))
