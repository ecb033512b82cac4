"""The simulated Telnyx 10DLC API, mounted under ``/v2`` like the real one (``https://api.telnyx.com/v2``)."""

from __future__ import annotations

from typing import Any

from ..wire import Route
from . import brands, campaigns, enums, numbers
from .errors import entry, envelope

PREFIX = "/v2"
ROUTES: list[Route] = [
    Route(PREFIX + r.rule, r.methods, r.handler)
    for r in (*brands.ROUTES, *campaigns.ROUTES, *numbers.ROUTES, *enums.ROUTES)
]

_GENERIC_CODES = {
    401: "10009",
    404: "10005",
    405: "10015",
    429: "10011",
    500: "10007",
    502: "10007",
    503: "10007",
    504: "10008",
}


def error_body(status: int, detail: str) -> dict[str, Any]:
    """The Telnyx error envelope for errors the sandbox raises itself (auth, rate limit, faults, routing)."""
    return envelope(entry(_GENERIC_CODES.get(status, "10015"), detail))
