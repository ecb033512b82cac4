"""Friendly error pages, or JSON for clients that ask for it. The 500 handler rolls back."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from registry.db import peek_session
from registry.errors import IntegrityViolation, RegistryError, StaleState

log = logging.getLogger(__name__)

DESCRIPTIONS = {
    400: "The request could not be understood. If you were submitting a form, go back, reload it and try again.",
    401: "Please log in to continue.",
    403: "Your role does not allow this action.",
    404: "There is nothing here. The record may have been deleted, or the link may be wrong.",
    405: "This address does not accept that kind of request.",
    409: "The record was changed by someone else meanwhile.",
    413: "The file is too large.",
    500: "Something went wrong on our side. Nothing was saved. The error was logged; please try again, and "
         "tell your administrator if it keeps happening.",
}
TEMPLATES = {400, 403, 404, 409, 500}


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def render_error(status: int, title: str, message: str, *, field: str | None = None):
    if wants_json():
        body = {"error": {"status": status, "title": title, "message": message}}
        if field:
            body["error"]["field"] = field
        return jsonify(body), status
    template = f"errors/{status if status in TEMPLATES else 'generic'}.html"
    return render_template(template, status=status, title=title, message=message), status


def handle_registry_error(exc: RegistryError):
    return render_error(exc.status_code, exc.title, exc.message, field=exc.field)


def handle_csrf_error(exc: CSRFError):
    return render_error(400, "The form could not be accepted",
                        "The form was missing its security token or it had expired (this protects you "
                        "against forged requests). Go back, reload the page and submit it again.")


def handle_http_error(exc: HTTPException):
    status = exc.code or 500
    custom = exc.description if exc.description != type(exc).description else None
    message = custom or DESCRIPTIONS.get(status, exc.description or "")
    return render_error(status, exc.name, message)


def handle_stale_data(exc: StaleDataError):
    _rollback()
    return handle_registry_error(StaleState(
        "Someone else saved this record at the same moment. Your changes were not saved; reload the page "
        "and apply them again."))


def handle_integrity_error(exc: IntegrityError):
    _rollback()
    log.warning("integrity error on %s %s: %s", request.method, request.path, exc.orig)
    return handle_registry_error(IntegrityViolation(
        "This conflicts with a record saved at the same moment (for example the same reference). Nothing was "
        "saved; reload and try again."))


def _rollback() -> None:
    session = peek_session()
    if session is not None:
        session.rollback()


def handle_server_error(exc: InternalServerError):
    _rollback()
    log.exception("unhandled error on %s %s", request.method, request.path,
                  exc_info=exc.original_exception or exc)
    return render_error(500, "Internal error", DESCRIPTIONS[500])


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(RegistryError, handle_registry_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(StaleDataError, handle_stale_data)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(HTTPException, handle_http_error)
