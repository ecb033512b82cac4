"""What each role may do, checked on the server for every request that changes data."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g

from registry.errors import PermissionDenied
from registry.states import Role


class Permission(enum.StrEnum):
    VIEW = "view"
    #: create and edit drafts, send them for review, manage numbers
    EDIT = "edit"
    #: approve or send back a revision (never one's own)
    REVIEW = "review"
    #: manage members and organization settings
    ADMIN = "admin"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.VIEW}),
    Role.SUBMITTER: frozenset({Permission.VIEW, Permission.EDIT}),
    Role.COMPLIANCE_OFFICER: frozenset({Permission.VIEW, Permission.EDIT, Permission.REVIEW}),
    Role.ADMIN: frozenset(Permission),
}

MESSAGES = {
    Permission.EDIT: "Your role ({role}) can view registrations but not change them. Ask an admin for the "
                     "submitter or compliance officer role.",
    Permission.REVIEW: "Only a compliance officer or admin can review submissions; your role is {role}.",
    Permission.ADMIN: "Only an admin of this organization can manage members; your role is {role}.",
    Permission.VIEW: "You are not a member of this organization.",
}


def has_permission(role: Role | None, permission: Permission) -> bool:
    return role is not None and permission in ROLE_PERMISSIONS[role]


def check_permission(role: Role | None, permission: Permission) -> None:
    if not has_permission(role, permission):
        raise PermissionDenied(MESSAGES[permission].format(role=role.label if role else "none"))


F = TypeVar("F", bound=Callable[..., Any])


def requires(permission: Permission) -> Callable[[F], F]:
    """View decorator: the current member's role must grant ``permission`` (403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            check_permission(g.membership.role if g.get("membership") else None, permission)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
