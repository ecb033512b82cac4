"""Transport-neutral request/response types shared by the simulator's provider surfaces."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


class ApiError(Exception):
    """An error answer: the surface already built the body in its provider's error shape."""

    def __init__(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@dataclass
class Request:
    """An incoming request, decoded."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        return self.headers.get(name.lower())

    def bearer(self) -> str | None:
        """The token of an ``Authorization: Bearer`` header."""
        value = self.header("authorization") or ""
        scheme, _, token = value.partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    def basic(self) -> tuple[str, str] | None:
        """``(user, password)`` of an ``Authorization: Basic`` header, None when absent or unreadable."""
        value = self.header("authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, sep, password = base64.b64decode(token.strip(), validate=True).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return (user, password) if sep else None

    def form(self) -> list[tuple[str, str]]:
        """The ``application/x-www-form-urlencoded`` body as pairs (a name may repeat)."""
        return parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def json(self) -> Any:
        """The JSON body (None when empty); ValueError when it is not JSON."""
        return json.loads(self.body) if self.body.strip() else None


@dataclass
class Response:
    """An answer; ``raw`` bytes are sent as-is (for malformed-body faults), else ``body`` as JSON."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None

    def payload(self) -> bytes:
        """The bytes to send."""
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b""
        return json.dumps(self.body, separators=(",", ":")).encode()


@dataclass
class Outcome:
    """What the transport must do: send ``response``, possibly after ``delay`` seconds, or ``drop`` it."""

    response: Response
    delay: float = 0.0
    drop: bool = False


@dataclass(frozen=True)
class Route:
    """One URL rule of a surface: werkzeug rule syntax, methods, and ``handler(ctx, **url_args)``."""

    rule: str
    methods: tuple[str, ...]
    handler: Any
