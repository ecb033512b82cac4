"""The request edge: the one place a web request's transaction is committed.

Views run, then :class:`RegistryFlask` commits the request's session *inside* Flask's error handling, so a
failed commit (an optimistic-lock conflict, a uniqueness race) becomes a friendly 409 instead of a 500, and a
view that raises leaves nothing behind (the teardown rolls back).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from registry.db import peek_session, sqlite_begin
from registry.errors import IntegrityViolation, StaleState

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RegistryFlask(Flask):
    def dispatch_request(self) -> Any:  # type: ignore[override]
        sqlite_begin.set("DEFERRED" if request.method in READ_ONLY_METHODS else "IMMEDIATE")
        rv = super().dispatch_request()
        session = peek_session()
        if session is not None:
            commit(session)
        return rv


def commit(session: Any) -> None:
    """Commit, translating concurrency failures into messages for the user."""
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise StaleState("Someone else saved this record at the same moment. Your changes were not saved; "
                         "reload the page and apply them again.") from None
    except IntegrityError:
        session.rollback()
        raise IntegrityViolation("This conflicts with a record saved at the same moment (for example the "
                                 "same reference). Nothing was saved; reload and try again.") from None
