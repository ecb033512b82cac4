"""Errors raised by operations, written for the compliance officer who will read them.

The web edge turns them into friendly pages or JSON (``registry.web.errors``); the CLI prints the message and
exits non-zero. Bugs are not ``RegistryError``s: they stay 500s.
"""

from __future__ import annotations


class RegistryError(Exception):
    """Base class: an expected failure with a message fit to show a user."""

    status_code = 400
    title = "The request could not be completed"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: the form/TCR field the problem concerns, when there is one
        self.field = field


class UserValueError(RegistryError):
    """The user entered data that cannot be accepted."""

    title = "Please check what you entered"


class PermissionDenied(RegistryError):
    """The user's role does not allow this action."""

    status_code = 403
    title = "You are not allowed to do this"


class NotFound(RegistryError):
    """The record does not exist, or belongs to another organization (we never say which)."""

    status_code = 404
    title = "Not found"


class StaleState(RegistryError):
    """Someone else changed the record after it was loaded (optimistic locking)."""

    status_code = 409
    title = "This record was changed by someone else"


class IntegrityViolation(RegistryError):
    """The change would break a uniqueness or consistency rule (e.g. a reference already in use)."""

    status_code = 409
    title = "This conflicts with an existing record"
