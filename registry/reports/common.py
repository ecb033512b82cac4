"""What every report builder needs: the header facts (organization, times, audit chain head) and formatting of
values for print."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit.chain import GENESIS
from registry.audit.models import AuditChainHead
from registry.auth.models import Organization, User
from registry.states import CARRIERS

from .model import Meta


def chain_head(session: Session, organization_id: int) -> tuple[int, str]:
    """The organization's audit chain head (seq, hash) as this transaction sees it."""
    head = session.get(AuditChainHead, organization_id, populate_existing=True)
    return (head.seq, head.hash) if head else (0, GENESIS)


def make_meta(session: Session, org: Organization, *, kind: str, title: str, subject: str, generated_by: str,
              now: datetime | None = None) -> Meta:
    now = (now or datetime.now(UTC)).astimezone(UTC)
    zone = ZoneInfo(org.timezone)
    local = now.astimezone(zone)
    seq, digest = chain_head(session, org.id)
    return Meta(kind=kind, title=title, subject=subject, organization=org.name, timezone=org.timezone,
                generated_utc=now.strftime("%Y-%m-%d %H:%M:%S UTC"),
                generated_local=local.strftime("%Y-%m-%d %H:%M:%S %Z") + f" ({org.timezone})",
                generated_iso=now.strftime("%Y-%m-%dT%H:%M:%SZ"), generated_by=generated_by,
                chain_seq=seq, chain_hash=digest)


class Formatter:
    """Values as printed: times in the organization's zone (with its abbreviation), empty as a dash."""

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)

    def time(self, value: datetime | None, *, seconds: bool = False) -> str:
        if value is None:
            return "—"
        fmt = "%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z"
        return value.astimezone(self.zone).strftime(fmt)

    def date(self, value: datetime | None) -> str:
        return value.astimezone(self.zone).strftime("%Y-%m-%d") if value else "—"

    @staticmethod
    def value(value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        if hasattr(value, "label"):
            return str(value.label)
        return str(value)


def utc_iso(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value else ""


def carrier_name(code: str | None) -> str:
    if not code:
        return "overall"
    return CARRIERS.get(code, code)


def user_label(user: User | None, fallback: str = "—") -> str:
    if user is None:
        return fallback
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


def users_by_id(session: Session, ids: set[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.scalars(sa.select(User).where(User.id.in_(wanted)))}
