"""The simulated Twilio A2P 10DLC surface, mounted under ``/twilio/<service>`` (``/twilio/messaging/v1``,
``/twilio/trusthub/v1``, ``/twilio/api/2010-04-01``, ``/twilio/events/v1``) for Twilio's four hosts
(``https://<service>.twilio.com``). Authentication is HTTP basic with the account SID and auth token.

Modules: ``trusthub`` (bundles, end users, documents, evaluations), ``api`` (addresses, incoming numbers),
``messaging`` (brands, services, numbers, campaigns), ``events`` (sinks, subscriptions), ``lifecycle`` (the
state machine and its Event Streams events), ``cloudevents`` (webhook wire format and signature).

Levers for tests and the demo: :func:`add_incoming_numbers` (numbers an account owns), :func:`confirm_otp`
(the sole proprietor answers the OTP text), :func:`twilio_state` (read an account's objects and ledger).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..wire import Route
from . import api, events, messaging, trusthub
from .accounts import account_sid, auth_token, login
from .api import add_incoming_numbers
from .errors import body as _error_body
from .lifecycle import TwilioMachine
from .state import TwilioState
from .views import account_state

if TYPE_CHECKING:
    from ..sandbox import Sandbox

PREFIX = "/twilio"
ROUTES: list[Route] = [*trusthub.ROUTES, *api.ROUTES, *messaging.ROUTES, *events.ROUTES]

__all__ = [
    "PREFIX",
    "ROUTES",
    "account_sid",
    "add_incoming_numbers",
    "auth_token",
    "confirm_otp",
    "error_body",
    "login",
    "twilio_state",
]


def error_body(status: int, detail: str) -> dict[str, Any]:
    """Twilio's error envelope for errors the sandbox raises itself (auth, rate limit, faults, routing)."""
    code = {401: 20003, 403: 20003, 404: 20404, 405: 20004, 429: 20429, 500: 20500, 503: 20503}.get(status, 20001)
    return _error_body(status, code, detail)


def twilio_state(sandbox: Sandbox, key: str | None = None) -> TwilioState:
    """The Twilio objects of an account (the first by default); read under ``sandbox.lock`` when busy."""
    with sandbox.lock:
        return account_state(sandbox, key or sandbox.default_key)


def confirm_otp(sandbox: Sandbox, brand_sid: str, key: str | None = None) -> None:
    """The sole proprietor replies to Twilio's OTP text (Twilio verifies by that reply, not by a PIN typed
    into an API): the brand becomes APPROVED / VERIFIED if it is registered and waiting for it."""
    with sandbox.lock:
        state = account_state(sandbox, key or sandbox.default_key)
        brand = state.brands[brand_sid]
        if brand.otp_sent == 0:
            raise KeyError(f"no OTP was sent for brand {brand_sid}")
        sandbox.machine("twilio", TwilioMachine).confirm_otp(state, brand)
