"""Checking every organization's chains (``registry audit verify``): the audit trail's and the consent trail's."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.auth.models import Organization

from .chain import ChainProblem, verify_organization
from .models import AuditChainHead, AuditEvent


def verify(session: Session) -> list[ChainProblem]:
    """The first problem of each broken chain; an empty list when every chain is intact."""
    from registry.consent.chain import verify_consent

    org_ids = set(session.scalars(sa.select(Organization.id)))
    org_ids |= set(session.scalars(sa.select(AuditEvent.organization_id).distinct()))
    org_ids |= set(session.scalars(sa.select(AuditChainHead.organization_id)))
    problems = []
    for org_id in sorted(org_ids):
        problem = verify_organization(session, org_id)
        if problem:
            problems.append(problem)
    problems.extend(verify_consent(session))
    return problems
