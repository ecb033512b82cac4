"""Organizations, users and their memberships."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column
from registry.states import Role


class Organization(TimestampMixin, Base):
    """A business, or a platform (ISV) that registers many customer brands; every record belongs to one."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: display name, unique
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    #: short identifier used on the command line (``--org demo``)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: IANA time zone in which times are shown to this organization's users
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/New_York")

    memberships: Mapped[list[Membership]] = relationship(back_populates="organization")

    def __repr__(self) -> str:
        return f"<Organization {self.slug}>"


def _new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(TimestampMixin, Base):
    """A person who logs in; what they may do depends on their membership role in each organization."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: login e-mail, stored lower-cased
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: name shown in the audit trail and on review decisions
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    #: argon2id hash (``registry.auth.passwords``)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: rotated on password change or deactivation: logs the user out everywhere
    session_token: Mapped[str] = mapped_column(sa.String(64), default=_new_session_token)
    #: deactivated users cannot log in; their history stays
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    #: last successful login (UTC)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user")

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(TimestampMixin, VersionedMixin, Base):
    """A user's role in one organization."""

    __tablename__ = "membership"
    __table_args__ = (sa.UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    #: admin > compliance_officer > submitter > viewer (``registry.auth.permissions``)
    role: Mapped[Role] = enum_column(Role, "role")

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships")
