"""The simulator as a real HTTP server (stdlib ``ThreadingHTTPServer``), and its Python handle for tests.

    with run_simulator() as sim:
        provider = TelnyxProvider(
            sim.api_key, base_url=sim.telnyx_base_url, webhook_public_key=sim.public_key
        )
        ...
        sim.advance(hours=30)

The transport is stdlib rather than a WSGI server because faults need the raw socket: a ``drop`` fault
closes the connection without an answer after the request was processed.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .delays import Delays
from .faults import Fault, KeyRateLimiter
from .sandbox import Sandbox
from .telnyx.state import TelnyxState
from .webhooks import Delivery
from .wire import Outcome, Request, Response

log = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "registry-simulator"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms per call
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=unquote(parts.path),
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            outcome = self.server.sandbox.handle(request)
        except Exception:
            log.exception("simulator failed on %s %s", self.command, self.path)
            outcome = Outcome(Response(500, {"errors": [{"code": "10007", "title": "Unexpected error"}]}))
        if outcome.drop:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if outcome.delay:
            time.sleep(outcome.delay)
        self._write(outcome.response)

    def _write(self, response: Response) -> None:
        payload = response.payload()
        try:
            self.send_response(response.status)
            headers = {"Content-Type": "application/json", **response.headers}
            if response.status == 204:
                payload = b""
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if payload:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout fault)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        super().__init__(address, _Handler)
        self.sandbox = sandbox

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection error from %s", client_address, exc_info=True)


class Simulator:
    """A running simulator: its URL, credentials, webhook key, and the levers tests pull."""

    def __init__(self, sandbox: Sandbox, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.sandbox = sandbox
        self._server = _Server((host, port), sandbox)
        self.host, self.port = self._server.server_address[:2]
        self._thread: threading.Thread | None = None
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> Simulator:
        """Serve in a background thread (and tick the clock if it runs by itself)."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="simulator-http",
            daemon=True,
        )
        self._thread.start()
        if self.sandbox.clock.speed > 0:
            self._ticker = threading.Thread(target=self._tick, name="simulator-clock", daemon=True)
            self._ticker.start()
        return self

    def _tick(self) -> None:
        while not self._stop.wait(0.25):
            try:
                self.sandbox.tick()
            except Exception:
                log.exception("simulator tick failed")

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._ticker is not None:
            self._ticker.join(timeout=5)
        self.sandbox.close()

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (the CLI)."""
        if self.sandbox.clock.speed > 0:
            self._ticker = threading.Thread(target=self._tick, name="simulator-clock", daemon=True)
            self._ticker.start()
        try:
            self._server.serve_forever(poll_interval=0.2)
        finally:
            self._stop.set()
            self._server.server_close()
            self.sandbox.close()

    # ------------------------------------------------------------------ where and who
    @property
    def url(self) -> str:
        """Root URL, e.g. ``http://127.0.0.1:5055``."""
        return f"http://{self.host}:{self.port}"

    @property
    def telnyx_base_url(self) -> str:
        """What to give TelnyxProvider as ``base_url`` (the real one is ``https://api.telnyx.com/v2``)."""
        return self.url + "/v2"

    @property
    def twilio_base_url(self) -> str:
        """What to give TwilioProvider as ``base_url``: a template with ``{service}`` for Twilio's hosts (the
        real one is ``https://{service}.twilio.com``)."""
        return self.url + "/twilio/{service}"

    @property
    def tcr_base_url(self) -> str:
        """What to give TcrProvider as ``base_url`` (the real one is ``https://csp-api.campaignregistry.com/v2``)."""
        return self.url + "/tcr/v2"

    def twilio_credentials(self, api_key: str | None = None) -> tuple[str, str]:
        """(account SID, auth token) of an account (the first one by default)."""
        from .twilio import account_sid, auth_token

        key = api_key or self.api_key
        return account_sid(self.sandbox, key), auth_token(self.sandbox, key)

    def tcr_credentials(self, api_key: str | None = None) -> tuple[str, str]:
        """(API key, API secret) of an account (the first one by default)."""
        from .tcr import api_secret

        key = api_key or self.api_key
        return key, api_secret(self.sandbox, key)

    @property
    def api_key(self) -> str:
        """The first account's API key."""
        return self.sandbox.default_key

    @property
    def public_key(self) -> str:
        """Base64 Ed25519 public key that verifies the simulator's webhooks."""
        return self.sandbox.webhooks.public_key

    def add_account(self, key: str | None = None) -> str:
        """Another API key with its own objects and rate limit."""
        return self.sandbox.add_account(key)

    # ------------------------------------------------------------------ time
    @property
    def now(self) -> datetime:
        """Virtual now."""
        return self.sandbox.clock.now()

    def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0) -> dict[str, Any]:
        """Move virtual time, run due transitions, deliver due webhooks."""
        total = timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days).total_seconds()
        return self.sandbox.advance(total)

    def pending(self) -> list[tuple[float, str]]:
        """Scheduled transitions: (seconds from now, label)."""
        with self.sandbox.lock:
            return self.sandbox.scheduler.pending()

    # ------------------------------------------------------------------ levers
    def inject_fault(self, kind: str, **spec: Any) -> Fault:
        """Arm a fault (faults.py), e.g. ``inject_fault("drop", method="POST", path="/v2/10dlc/brand")``."""
        return self.sandbox.faults.add({"kind": kind, **spec})

    def clear_faults(self) -> None:
        """Disarm all faults."""
        self.sandbox.faults.clear()

    def configure_webhooks(self, *, default_url: str | None = None, **config: Any) -> None:
        """Change webhook delivery (duplicate/drop probability, order, skew, ...) and the default URL."""
        if default_url is not None:
            self.sandbox.default_webhook_url = default_url
        if config:
            self.sandbox.webhooks.configure(**config)

    def set_delays(self, **delays: Any) -> None:
        """Change review delays (virtual seconds)."""
        with self.sandbox.lock:
            self.sandbox.delays.update(delays)

    def set_rate_limit(self, rate: float | None, burst: int = 1) -> None:
        """Per-key server rate limit (None disables it)."""
        self.sandbox.limiter = KeyRateLimiter(rate, burst) if rate else None

    def add_numbers(self, messaging_profile_id: str, numbers: Sequence[str], *, api_key: str | None = None) -> None:
        """Put numbers on a messaging profile (needed for bulk assignment)."""
        with self.sandbox.lock:
            self.telnyx(api_key).profiles.setdefault(messaging_profile_id, []).extend(numbers)

    # ------------------------------------------------------------------ what happened
    def telnyx(self, api_key: str | None = None) -> TelnyxState:
        """The Telnyx objects of an account (read under ``sandbox.lock`` if the server is busy)."""
        return self.sandbox.account(api_key).telnyx

    def otp_pin(self, brand_id: str, *, api_key: str | None = None) -> str:
        """The PIN texted to a sole proprietor."""
        with self.sandbox.lock:
            otp = self.telnyx(api_key).brands[brand_id].otp
        if otp is None:
            raise KeyError(f"no OTP was requested for brand {brand_id}")
        return otp.pin

    def ledger(self, *, api_key: str | None = None) -> list[dict[str, Any]]:
        """Billable creates of an account."""
        with self.sandbox.lock:
            return list(self.telnyx(api_key).ledger)

    @property
    def deliveries(self) -> list[Delivery]:
        """Every webhook delivery attempt so far."""
        return list(self.sandbox.webhooks.log)


@contextlib.contextmanager
def run_simulator(
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
    host: str = "127.0.0.1",
    port: int = 0,
) -> Iterator[Simulator]:
    """Start a simulator on an ephemeral loopback port for the duration of a ``with`` block."""
    sandbox = Sandbox(
        api_keys=api_keys,
        seed=seed,
        start=start,
        speed=speed,
        delays=delays,
        rate_limit=rate_limit,
        webhook_url=webhook_url,
        webhook_config=webhook_config,
        key_seed=key_seed,
    )
    sim = Simulator(sandbox, host=host, port=port).start()
    try:
        yield sim
    finally:
        sim.stop()
