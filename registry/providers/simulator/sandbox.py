"""The sandbox: accounts, virtual time, faults, rate limits, webhooks behind every simulated provider surface.

A surface is one provider's wire format mounted under its own prefix (Telnyx under ``/v2``, Twilio under
``/twilio/<service>``, TCR under ``/tcr/v2``; the control API under ``/_sim``). ``handle`` routes a request to
its surface, authenticates it (each surface its own way: Telnyx bearer keys, Twilio and TCR basic auth),
applies the rate limit and any armed fault, and runs the handler under one lock.

One sandbox account (API key) holds the objects of every surface: ``account.state(name, factory)`` gives a
surface its own per-account state, ``sandbox.machine(name, factory)`` its one state machine.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import random
import secrets
import string
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from . import control, tcr, telnyx, twilio
from .clock import VirtualClock, iso
from .delays import Delays
from .faults import MALFORMED_BODY, FaultPlan, KeyRateLimiter
from .scheduler import Scheduler
from .telnyx.lifecycle import TelnyxMachine
from .telnyx.state import TelnyxState
from .webhooks import WebhookConfig, WebhookDispatcher, keypair
from .wire import ApiError, Outcome, Request, Response, Route

log = logging.getLogger(__name__)


def derive_secret(key_seed: str, key: str, purpose: str) -> str:
    """What :meth:`Sandbox.secret` answers for a sandbox made with ``key_seed``."""
    return hmac.new(key_seed.encode(), f"{purpose}:{key}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Surface:
    """One provider's wire format (or the control API) as the sandbox serves it."""

    name: str
    routes: Sequence[Route]
    authenticated: bool
    faultable: bool
    error_body: Callable[[int, str], Any]
    prefix: str
    locked: bool = True  # run handlers under the sandbox lock (control handlers lock for themselves)
    #: the API key of the account a request authenticates as, or None (default: ``Authorization: Bearer``)
    login: Callable[[Sandbox, Request], str | None] | None = None


SURFACES: tuple[Surface, ...] = (
    Surface("telnyx", telnyx.ROUTES, True, True, telnyx.error_body, telnyx.PREFIX),
    Surface("twilio", twilio.ROUTES, True, True, twilio.error_body, twilio.PREFIX, login=twilio.login),
    Surface("tcr", tcr.ROUTES, True, True, tcr.error_body, tcr.PREFIX, login=tcr.login),
    Surface("control", control.ROUTES, False, False, control.error_body, control.PREFIX, locked=False),
)


@dataclass
class Account:
    """One API key and the objects it owns, per provider surface."""

    key: str
    telnyx: TelnyxState = field(default_factory=TelnyxState)
    #: the state of the other surfaces, by surface name (see :meth:`state`)
    states: dict[str, Any] = field(default_factory=dict)

    def state(self, name: str, factory: Callable[[], Any]) -> Any:
        """Surface ``name``'s objects of this account, made by ``factory`` on first use."""
        found = self.states.get(name)
        if found is None:
            found = self.states[name] = factory()
        return found


@dataclass
class Context:
    """What a route handler gets."""

    sandbox: Sandbox
    account: Account
    request: Request

    @property
    def machine(self) -> TelnyxMachine:
        """The Telnyx state machine of this sandbox."""
        return self.sandbox.telnyx


class Ids:
    """Deterministic ids from a seed: Telnyx UUIDs, TCR ``B``/``C`` + 6 ids, OTP PINs."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def uuid(self) -> str:
        """A Telnyx-style UUID4."""
        with self._lock:
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def tcr(self, prefix: str) -> str:
        """A TCR id: ``prefix`` + 6 upper-case alphanumerics (``B`` brand, ``C`` campaign, ``S`` CSP)."""
        with self._lock:
            return prefix + "".join(self._rng.choices(string.ascii_uppercase + string.digits, k=6))

    def pin(self) -> str:
        """A 6-digit OTP PIN."""
        with self._lock:
            return f"{self._rng.randrange(10**6):06d}"


class Sandbox:
    """Every simulated provider, one virtual clock, one lock."""

    def __init__(
        self,
        *,
        api_keys: Sequence[str] | None = None,
        seed: int = 0,
        start: datetime | None = None,
        speed: float = 0.0,
        delays: Delays | Mapping[str, Any] | None = None,
        rate_limit: tuple[float, int] | None = None,
        webhook_url: str | None = None,
        webhook_config: Mapping[str, Any] | None = None,
        key_seed: str | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.clock = VirtualClock(start, speed=speed)
        self.scheduler = Scheduler(self.clock)
        self.ids = Ids(seed)
        if isinstance(delays, Delays):
            self.delays = delays
        else:
            self.delays = Delays()
            self.delays.update(dict(delays or {}))
        keys = list(api_keys or ["KEY" + secrets.token_hex(16).upper()])
        self.accounts: dict[str, Account] = {k: Account(k) for k in keys}
        self.default_key = keys[0]
        self.faults = FaultPlan()
        self.limiter = KeyRateLimiter(*rate_limit) if rate_limit else None
        self.default_webhook_url = webhook_url
        self.webhooks = WebhookDispatcher(
            keypair(key_seed),
            self.clock,
            WebhookConfig(**dict(webhook_config or {})),
            id_factory=self.ids.uuid,
        )
        self.csp_id = self.ids.tcr("S")
        self.telnyx = TelnyxMachine(self)
        self._key_seed = key_seed or "registry-simulator"
        #: the state machines of the other surfaces, by surface name (see :meth:`machine`)
        self.machines: dict[str, Any] = {}
        #: requests answered per surface, plus ``rate_limited`` (429s from the limiter); ``GET /_sim/stats``
        self.requests: Counter[str] = Counter()
        self._surfaces: dict[str, tuple[Surface, Route]] = {}
        rules = []
        for surface in SURFACES:
            for i, route in enumerate(surface.routes):
                endpoint = f"{surface.name}:{i}"
                self._surfaces[endpoint] = (surface, route)
                rules.append(Rule(route.rule, endpoint=endpoint, methods=list(route.methods)))
        self._map = Map(rules, strict_slashes=False, merge_slashes=False)
        self._urls = self._map.bind("sandbox")

    # ------------------------------------------------------------------ accounts & time
    def account(self, key: str | None = None) -> Account:
        """An account by API key (the first one by default)."""
        return self.accounts[key or self.default_key]

    def secret(self, key: str, purpose: str) -> str:
        """A stable secret of account ``key`` for ``purpose`` (Twilio auth token, TCR API secret): 32 hex
        digits derived from the sandbox's key seed, so a test or the demo can compute it too."""
        return derive_secret(self._key_seed, key, purpose)

    def machine(self, name: str, factory: Callable[[Sandbox], Any]) -> Any:
        """Surface ``name``'s state machine, made by ``factory(sandbox)`` on first use."""
        with self.lock:
            found = self.machines.get(name)
            if found is None:
                found = self.machines[name] = factory(self)
            return found

    def add_account(self, key: str | None = None) -> str:
        """Create another API key (another account); return it."""
        key = key or "KEY" + secrets.token_hex(16).upper()
        with self.lock:
            self.accounts.setdefault(key, Account(key))
        return key

    def advance(self, seconds: float) -> dict[str, Any]:
        """Move virtual time, run the transitions on the way, then deliver the webhooks now due."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self.lock:
            ran = self.scheduler.run_until(self.clock.seconds() + seconds)
        delivered = self.webhooks.deliver_due()
        return {"now": iso(self.clock.now()), "transitions": ran, "deliveries": len(delivered)}

    def tick(self) -> None:
        """Catch up with the clock when it runs by itself (speed > 0) and deliver due webhooks."""
        with self.lock:
            self.scheduler.run_due()
        self.webhooks.deliver_due()

    def close(self) -> None:
        """Release network resources."""
        self.webhooks.close()

    # ------------------------------------------------------------------ requests
    def _surface_for(self, path: str) -> Surface:
        for surface in SURFACES:
            if path == surface.prefix or path.startswith(surface.prefix + "/"):
                return surface
        return SURFACES[0]

    def handle(self, req: Request) -> Outcome:
        """Answer one request (see module docs)."""
        try:
            endpoint, args = self._urls.match(req.path, req.method)
        except (NotFound, RequestRedirect):
            surface = self._surface_for(req.path)
            return Outcome(Response(404, surface.error_body(404, f"No route for {req.method} {req.path}.")))
        except MethodNotAllowed:
            surface = self._surface_for(req.path)
            return Outcome(Response(405, surface.error_body(405, f"{req.method} is not allowed on {req.path}.")))
        surface, route = self._surfaces[endpoint]
        login = surface.login(self, req) if surface.login is not None else req.bearer()
        account = self.accounts.get(login or "")
        self.requests[surface.name] += 1
        if surface.authenticated:
            if account is None:
                detail = "The required authentication headers were either invalid or not included in the request."
                return Outcome(Response(401, surface.error_body(401, detail)))
            if self.limiter is not None:
                wait = self.limiter.check(account.key)
                if wait is not None:
                    self.requests["rate_limited"] += 1
                    headers = {"Retry-After": str(max(1, math.ceil(wait)))}
                    detail = "You have exceeded the maximum number of allowed requests."
                    return Outcome(Response(429, surface.error_body(429, detail), headers))
        account = account or self.account()
        fault = self.faults.take(req.method, req.path) if surface.faultable else None
        if fault is not None and not fault.commits:
            return Outcome(self._fault_response(surface, fault))
        response = self._run(surface, route, Context(self, account, req), args)
        if fault is None:
            return Outcome(response)
        if fault.kind == "drop":
            return Outcome(response, drop=True)
        if fault.kind == "timeout":
            return Outcome(response, delay=fault.delay)
        return Outcome(self._fault_response(surface, fault))

    def _run(self, surface: Surface, route: Route, ctx: Context, args: Mapping[str, Any]) -> Response:
        if not surface.locked:
            return self._call(surface, route, ctx, args)
        with self.lock:
            self.scheduler.run_due()
            return self._call(surface, route, ctx, args)

    @staticmethod
    def _call(surface: Surface, route: Route, ctx: Context, args: Mapping[str, Any]) -> Response:
        try:
            return route.handler(ctx, **args)
        except ApiError as exc:
            return Response(exc.status, exc.body, exc.headers)
        except Exception:
            log.exception("simulator handler failed: %s %s", ctx.request.method, ctx.request.path)
            return Response(500, surface.error_body(500, "An unexpected error occurred."))

    @staticmethod
    def _fault_response(surface: Surface, fault: Any) -> Response:
        if fault.kind == "malformed":
            return Response(200, raw=MALFORMED_BODY)
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        if isinstance(fault.retry_after, float) and fault.retry_after.is_integer():
            headers["Retry-After"] = str(int(fault.retry_after))
        return Response(fault.status, surface.error_body(fault.status, "Injected fault."), headers)
