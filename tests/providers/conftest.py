"""Provider test fixtures: a simulator, a webhook receiver, providers (the loopback guard is suite-wide)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from registry.providers.http import CallRecord, RetryPolicy
from registry.providers.simulator import Simulator, run_simulator

START = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A fresh simulator on an ephemeral loopback port, clock frozen at START."""
    with run_simulator(start=START, seed=7) as simulator:
        yield simulator


@dataclass
class Received:
    """One webhook request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A loopback HTTP endpoint that records webhook deliveries."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.status = 200
        self.on_request: Callable[[Received], None] | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                item = Received(self.path, dict(self.headers.items()), body)
                outer.requests.append(item)
                if outer.on_request is not None:
                    outer.on_request(item)
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/webhooks/telnyx/acct-1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on loopback."""
    r = Receiver()
    yield r
    r.close()


@dataclass
class Harness:
    """A provider wired to the simulator, with its call records and the sleeps it asked for."""

    provider: Any  # TelnyxProvider here; the driver's adapter in the parametrized suites
    calls: list[CallRecord]
    sleeps: list[float]


class Builder:
    """Builds a driver's adapter against the simulator with test options (short timeouts, retries without real
    sleeps: the sleeps asked for are recorded); keyword arguments override them. Closes what it built."""

    def __init__(self, sim: Simulator, driver: Any) -> None:
        self.sim = sim
        self.driver = driver
        self.made: list[Any] = []

    def __call__(self, **kwargs: Any) -> Harness:
        calls: list[CallRecord] = []
        sleeps: list[float] = []
        options: dict[str, Any] = {
            "timeout": (1.0, 2.0),
            "retry": RetryPolicy(max_attempts=4, backoff_base=0.5, backoff_max=8.0),
            "recorder": calls.append,
            "sleep": sleeps.append,
            "account": "acct-1",
            **kwargs,
        }
        provider = self.driver.build(self.sim, options)
        self.made.append(provider)
        return Harness(provider, calls, sleeps)

    def close(self) -> None:
        for provider in self.made:
            provider.close()


def driver_named(name: str) -> Any:
    """The driver of provider ``name`` (tests/providers/drivers); a missing driver fails, never skips."""
    import importlib

    from .drivers import DRIVERS

    importlib.import_module(f"tests.providers.drivers.{name}")
    return DRIVERS[name]()


@pytest.fixture
def make_provider(sim: Simulator) -> Iterator[Builder]:
    """Build TelnyxProviders against the simulator."""
    builder = Builder(sim, driver_named("telnyx"))
    yield builder
    builder.close()


@pytest.fixture
def harness(make_provider: Builder) -> Harness:
    """The default provider harness."""
    return make_provider()


# --- provider-parametrized suites (test_provider_*.py) ------------------------------------------------------

PROVIDERS = ("telnyx", "twilio", "tcr")


@pytest.fixture(params=PROVIDERS)
def driver(request: pytest.FixtureRequest) -> Any:
    """Each provider's driver in turn."""
    return driver_named(request.param)


@pytest.fixture
def build(sim: Simulator, driver: Any) -> Iterator[Builder]:
    """Build the driver's adapter against the simulator."""
    builder = Builder(sim, driver)
    yield builder
    builder.close()


@pytest.fixture
def adapter(build: Builder) -> Harness:
    """The driver's adapter with default options."""
    return build()
