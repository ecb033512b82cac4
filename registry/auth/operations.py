"""Creating organizations, users and memberships, and checking credentials. Flushes, never commits."""

from __future__ import annotations

import re
import secrets
import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.db import utcnow
from registry.errors import IntegrityViolation, NotFound, UserValueError
from registry.states import Role

from .models import Membership, Organization, User
from .passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password


def normalize_email(email: str) -> str:
    """The address as stored: syntax-checked offline and lower-cased."""
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise UserValueError(f"{email!r} is not a valid e-mail address: {exc}", field="email") from None
    return result.normalized.lower()


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64] or "org"


def find_organization(session: Session, key: str) -> Organization | None:
    """The organization whose slug or name is ``key`` (case-insensitive)."""
    return session.scalar(sa.select(Organization).where(
        sa.or_(Organization.slug == key.lower(), sa.func.lower(Organization.name) == key.lower())))


def create_organization(session: Session, name: str, *, actor: Actor, slug: str | None = None,
                        timezone: str = "America/New_York") -> Organization:
    name = name.strip()
    if not name:
        raise UserValueError("An organization needs a name.", field="name")
    slug = slugify(slug or name)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserValueError(f"Unknown time zone {timezone!r}; use an IANA name such as America/Chicago.",
                             field="timezone") from None
    clash = session.scalar(sa.select(Organization).where(
        sa.or_(Organization.slug == slug, sa.func.lower(Organization.name) == name.lower())))
    if clash:
        raise IntegrityViolation(f"An organization named {clash.name!r} ({clash.slug}) already exists.",
                                 field="name")
    org = Organization(name=name, slug=slug, timezone=timezone)
    session.add(org)
    session.flush()
    record(session, organization_id=org.id, actor=actor, action="create", entity_type="organization",
           entity_id=org.id, summary=f"Organization {name} created",
           changes={"name": [None, name], "slug": [None, slug], "timezone": [None, timezone]})
    return org


def check_password_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise UserValueError(f"The password must have at least {MIN_LENGTH} characters.", field="password")


def create_user(session: Session, email: str, password: str, *, full_name: str = "") -> User:
    email = normalize_email(email)
    if session.scalar(sa.select(User.id).where(User.email == email)):
        raise IntegrityViolation(f"A user with the e-mail {email} already exists.", field="email")
    check_password_strength(password)
    user = User(email=email, full_name=full_name.strip(), password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def add_member(session: Session, org: Organization, user: User, role: Role, *, actor: Actor) -> Membership:
    existing = session.scalar(sa.select(Membership).where(
        Membership.organization_id == org.id, Membership.user_id == user.id))
    if existing:
        raise IntegrityViolation(f"{user.email} is already a member of {org.name} ({existing.role.label}).",
                                 field="email")
    membership = Membership(organization=org, user=user, role=role)
    session.add(membership)
    session.flush()
    record(session, organization_id=org.id, actor=actor, action="create", entity_type="membership",
           entity_id=membership.id, summary=f"{user.email} added as {role.label}",
           changes={"user": [None, user.email], "role": [None, role.value]})
    return membership


def change_role(session: Session, membership: Membership, role: Role, *, actor: Actor,
                expected_version: int | None = None) -> None:
    from registry.locking import check_version

    check_version(membership, expected_version, what="This membership")
    if membership.role == role:
        return
    _ensure_admin_remains(session, membership, new_role=role)
    old = membership.role
    membership.role = role
    session.flush()
    record(session, organization_id=membership.organization_id, actor=actor, action="update",
           entity_type="membership", entity_id=membership.id,
           summary=f"{membership.user.email}: role changed from {old.label} to {role.label}",
           changes={"role": [old.value, role.value]})


def remove_member(session: Session, membership: Membership, *, actor: Actor) -> None:
    _ensure_admin_remains(session, membership, new_role=None)
    record(session, organization_id=membership.organization_id, actor=actor, action="delete",
           entity_type="membership", entity_id=membership.id,
           summary=f"{membership.user.email} removed ({membership.role.label})",
           changes={"user": [membership.user.email, None], "role": [membership.role.value, None]})
    session.delete(membership)
    session.flush()


def _ensure_admin_remains(session: Session, membership: Membership, new_role: Role | None) -> None:
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    admins = session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
        Membership.organization_id == membership.organization_id, Membership.role == Role.ADMIN))
    if admins <= 1:
        raise UserValueError("An organization must keep at least one admin: make someone else admin first.",
                             field="role")


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or ``None`` (same work either way)."""
    user = find_user(session, email)
    if not verify_password(user.password_hash if user else None, password) or not (user and user.is_active):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    """Change the password and log the user out of every other session."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_urlsafe(24)


def get_membership(session: Session, org: Organization, membership_id: int) -> Membership:
    membership = session.scalar(sa.select(Membership).where(
        Membership.id == membership_id, Membership.organization_id == org.id))
    if membership is None:
        raise NotFound("No such member in this organization.")
    return membership
