"""Telnyx error envelopes -> ProviderError kinds and field names."""

from __future__ import annotations

import pytest

from registry.providers.base import ProviderError, ProviderErrorKind
from registry.providers.http import status_kind
from registry.providers.telnyx_errors import pointer_field, telnyx_error

K = ProviderErrorKind


def env(*entries: dict) -> dict:
    return {"errors": list(entries)}


@pytest.mark.parametrize(
    ("status", "body", "kind", "code"),
    [
        (
            422,
            env({"code": "10004", "title": "Missing required parameter", "source": {"pointer": "/ein"}}),
            K.VALIDATION,
            "10004",
        ),
        (401, env({"code": "10009", "title": "Authentication failed"}), K.AUTH, "10009"),
        (403, env({"code": "10010", "title": "Authorization failed"}), K.FORBIDDEN, "10010"),
        (404, env({"code": "10005", "title": "Resource not found"}), K.NOT_FOUND, "10005"),
        (400, env({"code": "10012", "title": "Duplicate resource"}), K.CONFLICT, "10012"),
        (400, env({"code": "527", "detail": "brand pending"}), K.PRECONDITION, "527"),
        (400, env({"code": "542", "detail": "active campaigns"}), K.PRECONDITION, "542"),
        (400, env({"code": "591", "detail": "temporary"}), K.TRANSIENT, "591"),
        (429, env({"code": "10011", "title": "Too many requests"}), K.RATE_LIMITED, "10011"),
        (500, env({"code": "10007", "title": "Unexpected error"}), K.TRANSIENT, "10007"),
        (409, env({"code": "99999"}), K.CONFLICT, "99999"),
        (400, env({"code": "10015", "title": "Bad Request"}), K.VALIDATION, "10015"),
    ],
)
def test_envelope_to_kind(status: int, body: dict, kind: ProviderErrorKind, code: str) -> None:
    error = telnyx_error(status, body, "", {})
    assert (error.kind, error.provider_code, error.status) == (kind, code, status)


def test_every_error_and_field_is_kept() -> None:
    body = env(
        {
            "code": "10004",
            "title": "Missing required parameter",
            "detail": "companyName is required",
            "source": {"pointer": "/companyName"},
        },
        {
            "code": "10015",
            "title": "Bad Request",
            "detail": "EIN must be 9 digits",
            "source": {"pointer": "/ein"},
        },
        {"code": "10015", "detail": "again", "source": {"pointer": "/ein"}},
    )
    error = telnyx_error(422, body, "", {})
    assert error.fields == ("companyName", "ein")
    assert error.field == "companyName"  # RegistryError's field for the edge
    assert len(error.issues) == 3
    assert error.issues[1].message == "EIN must be 9 digits"
    assert "companyName is required" in error.message


@pytest.mark.parametrize(
    ("status", "text", "kind"),
    [(502, "<html>Bad gateway</html>", K.TRANSIENT), (400, "", K.VALIDATION), (404, "nope", K.NOT_FOUND)],
)
def test_bodies_that_are_not_the_envelope(status: int, text: str, kind: ProviderErrorKind) -> None:
    error = telnyx_error(status, None, text, {})
    assert error.kind is kind
    assert error.provider_code is None


def test_error_text_is_redacted() -> None:
    error = telnyx_error(500, None, '{"ein": "123456789", "oops": true', {})
    assert "123456789" not in error.message


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, K.VALIDATION),
        (401, K.AUTH),
        (403, K.FORBIDDEN),
        (404, K.NOT_FOUND),
        (409, K.CONFLICT),
        (412, K.PRECONDITION),
        (422, K.VALIDATION),
        (429, K.RATE_LIMITED),
        (500, K.TRANSIENT),
        (503, K.TRANSIENT),
        (408, K.TRANSIENT),
    ],
)
def test_status_kinds(status: int, kind: ProviderErrorKind) -> None:
    assert status_kind(status) is kind


@pytest.mark.parametrize(
    ("pointer", "field"),
    [("/ein", "ein"), ("/data/attributes/companyName", "companyName"), ("", None), (None, None), ("/", None)],
)
def test_pointer_field(pointer: str | None, field: str | None) -> None:
    assert pointer_field(pointer) == field


def test_provider_error_is_a_registry_error_with_retryability() -> None:
    from registry.errors import RegistryError

    error = ProviderError(K.RATE_LIMITED, "slow down", retry_after=3)
    assert isinstance(error, RegistryError)
    assert error.retryable
    assert not ProviderError(K.VALIDATION, "bad").retryable
    assert "rate_limited" in repr(error)
