"""What every adapter does with its transport: one rate-limit bucket per account shared by all its HTTP clients,
clients built with the account's common options (timeouts, retries, recorder, clocks), closed together."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from typing import Any, Self, TypedDict

from .http import DEFAULT_TIMEOUT, ErrorParser, HttpClient, Recorder, RetryPolicy
from .ratelimit import TokenBucket


def basic_auth(user: str, password: str) -> dict[str, str]:
    """The ``Authorization`` header of HTTP basic authentication (RFC 7617) for ``user``/``password``."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def bearer(token: str) -> dict[str, str]:
    """The ``Authorization`` header of a bearer token (RFC 6750)."""
    return {"Authorization": f"Bearer {token}"}


class TransportOptions(TypedDict, total=False):
    """The options every adapter takes for its transport (see :class:`HttpAdapter`)."""

    account: str
    timeout: tuple[float, float]
    retry: RetryPolicy | None
    rate: float | None
    burst: int
    bucket: TokenBucket | None
    recorder: Recorder | None
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    wall: Callable[[], float]


class HttpAdapter:
    """Base of the provider adapters: holds the account's transport options and the clients built from them.

    ``rate``/``burst`` make a token bucket when no ``bucket`` is given; every client of the adapter draws from
    it, so an adapter that talks to several hosts (Twilio's services) still keeps one limit per account.
    """

    name: str

    def __init__(
        self,
        *,
        account: str = "default",
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        rate: float | None = None,
        burst: int = 5,
        bucket: TokenBucket | None = None,
        recorder: Recorder | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if bucket is None and rate is not None:
            bucket = TokenBucket(rate, burst, clock=clock, sleep=sleep)
        self.account = account
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._wall = wall
        self._options: dict[str, Any] = {
            "timeout": timeout,
            "retry": self.retry,
            "bucket": bucket,
            "recorder": recorder,
            "sleep": sleep,
            "clock": clock,
            "wall": wall,
        }
        self._clients: list[HttpClient] = []

    def client(self, base_url: str, headers: Mapping[str, str], error_parser: ErrorParser) -> HttpClient:
        """A client for ``base_url`` with the adapter's options; closed with the adapter."""
        client = HttpClient(
            provider=self.name,
            account=self.account,
            base_url=base_url,
            headers=headers,
            error_parser=error_parser,
            **self._options,
        )
        self._clients.append(client)
        return client

    def close(self) -> None:
        """Close pooled connections."""
        for client in self._clients:
            client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
