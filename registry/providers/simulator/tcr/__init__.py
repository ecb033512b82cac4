"""The simulated TCR CSP API v2, mounted under ``/tcr/v2`` (the real base is
``https://csp-api.campaignregistry.com/v2``). Authentication is HTTP basic with the API key and secret.

Routes: brands.py (``/brand...``), campaigns.py (``/campaignBuilder...``, ``/campaign...``), misc.py (``/enum``,
``/error``, ``/webhook/subscription``); the state machine and webhooks in lifecycle.py. Python-level levers for
tests and the demo: ``provision_numbers`` (the DCA putting numbers into nnSR), ``arm_error`` (a TCR business
error such as 591 answered before processing), ``tcr_state`` and ``otp_pin``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..wire import Request, Route
from . import brands, campaigns, misc
from .errors import entry
from .lifecycle import UPSTREAM_CNPS, TcrMachine
from .state import TcrState
from .views import guarded, machine_for

if TYPE_CHECKING:
    from ..sandbox import Sandbox

PREFIX = "/tcr/v2"
ROUTES: list[Route] = [
    Route(PREFIX + r.rule, r.methods, guarded(r.handler)) for r in (*brands.ROUTES, *campaigns.ROUTES, *misc.ROUTES)
]
#: the upstream CNP (DCA) id a CSP shares its campaigns with in the simulator
DEFAULT_UPSTREAM_CNP = next(iter(UPSTREAM_CNPS))


def api_secret(sandbox: Sandbox, key: str) -> str:
    """The API secret of sandbox account ``key`` (its API key is the key itself)."""
    return sandbox.secret(key, "tcr-api-secret")


def login(sandbox: Sandbox, request: Request) -> str | None:
    """The sandbox key of the request's basic auth (API key and secret)."""
    credentials = request.basic()
    if credentials is None:
        return None
    key, secret = credentials
    return key if key in sandbox.accounts and api_secret(sandbox, key) == secret else None


def error_body(status: int, detail: str) -> list[dict[str, Any]]:
    """TCR's error list for errors the sandbox raises itself (auth, rate limit, faults, routing)."""
    codes = {401: 401, 404: 502, 429: 429, 500: 590, 502: 590, 503: 591, 504: 591}
    code = codes.get(status, 501 if status < 500 else 590)
    return [{"code": code, "description": detail, "fields": []}]


def tcr_state(sandbox: Sandbox, key: str | None = None) -> TcrState:
    """The TCR objects of an account (read under ``sandbox.lock`` while the server is busy)."""
    return sandbox.account(key).state("tcr", TcrState)


def machine(sandbox: Sandbox) -> TcrMachine:
    """The sandbox's TCR state machine."""
    return machine_for(sandbox)


def provision_numbers(sandbox: Sandbox, key: str | None, campaign_id: str, numbers: Sequence[str]) -> list[str]:
    """Play the DCA: provision ``numbers`` into nnSR for a campaign whose share it accepted; return those that
    failed (numbers ending in 666, like every simulated provider). Raises ValueError when the DCA would refuse."""
    with sandbox.lock:
        state = tcr_state(sandbox, key)
        campaign = state.campaigns.get(campaign_id)
        if campaign is None:
            raise ValueError(f"no TCR campaign {campaign_id} in account {key or sandbox.default_key}")
        if not campaign.active:
            raise ValueError(f"campaign {campaign_id} is expired")
        if (campaign.shared_by_me or {}).get("sharingStatus") != "ACCEPTED":
            raise ValueError(f"the DCA has not accepted campaign {campaign_id}'s share")
        return machine_for(sandbox).provision(state, campaign, list(numbers))


def arm_error(
    sandbox: Sandbox,
    code: int,
    *,
    method: str,
    path: str,
    count: int = 1,
    description: str | None = None,
    key: str | None = None,
) -> None:
    """Answer the next ``count`` requests matching ``method`` and ``path`` (a glob under ``/tcr/v2``) with HTTP 400
    ``[{code, ...}]`` before processing, e.g. the transient 591/620/630 (-1: until disarmed)."""
    with sandbox.lock:
        tcr_state(sandbox, key).armed.append([method.upper(), path, [entry(code, description)], count])


def otp_pin(sandbox: Sandbox, brand_id: str, key: str | None = None) -> str:
    """The PIN texted to a sole proprietor's handset."""
    with sandbox.lock:
        otp = tcr_state(sandbox, key).brands[brand_id].otp
    if otp is None:
        raise KeyError(f"no OTP was requested for brand {brand_id}")
    return otp.pin
