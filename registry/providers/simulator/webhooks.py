"""Signed webhook delivery with the misbehaviour real providers show: duplicates, reordering, drops, retries.

Telnyx signing (telnyx-python ``lib/webhook_verification.py``): Ed25519 over ``f"{timestamp}|{body}"``,
base64 in ``telnyx-signature-ed25519``, unix seconds in ``telnyx-timestamp``. The timestamp is the real wall
clock at sending (it is what the receiver compares with its own clock); ``occurred_at`` in the body is the
virtual time of the transition. Delivery is synchronous and happens outside the sandbox lock, so a receiver
may call the simulator back (re-fetch) while handling an event.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .clock import VirtualClock, iso


def keypair(seed: str | None = None) -> Ed25519PrivateKey:
    """A fresh Ed25519 key, or a deterministic one derived from ``seed`` (stable demo configuration)."""
    if seed is None:
        return Ed25519PrivateKey.generate()
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed.encode()).digest())


def public_key_b64(key: Ed25519PrivateKey) -> str:
    """The base64 public key, as Telnyx shows it in the portal."""
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def sign(key: Ed25519PrivateKey, body: bytes, timestamp: int) -> dict[str, str]:
    """Telnyx signature headers for ``body`` sent at ``timestamp``."""
    signature = key.sign(str(timestamp).encode() + b"|" + body)
    return {
        "telnyx-signature-ed25519": base64.b64encode(signature).decode(),
        "telnyx-timestamp": str(timestamp),
    }


@dataclass
class WebhookConfig:
    """How badly delivery behaves (``/_sim/webhooks``)."""

    duplicate_probability: float = 0.0
    drop_probability: float = 0.0
    order: str = "in_order"  # in_order | reverse | shuffle
    seed: int = 0
    timeout: float = 2.0
    max_attempts: int = 3
    retry_delay: float = 60.0  # virtual seconds before the next attempt after a non-2xx
    timestamp_skew: float = 0.0  # added to the signing timestamp (e.g. -600 to send expired signatures)
    sign_with: str | None = None  # seed of a *different* key to sign with (bad-signature tests)


class WireFormat(Protocol):
    """How one provider shapes and signs its webhook requests (Telnyx below; Twilio and TCR in their packages)."""

    def event(self, event_id: str, event_type: str, occurred_at: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The stored event (what every delivery attempt of it carries)."""
        ...

    def encode(
        self, data: Mapping[str, Any], *, attempt: int, url: str, config: WebhookConfig, wall: float
    ) -> tuple[str, bytes, dict[str, str]]:
        """``(url, body, headers)`` of one delivery attempt (the URL may gain a query, e.g. Twilio's
        ``bodySHA256``)."""
        ...


class TelnyxWire:
    """Telnyx: ``{"data": event, "meta": {attempt, delivered_to}}`` signed with Ed25519 (module docs)."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self.key = key

    def event(self, event_id: str, event_type: str, occurred_at: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "event_type": event_type,
            "id": event_id,
            "occurred_at": occurred_at,
            "payload": dict(payload),
            "record_type": "event",
        }

    def encode(
        self, data: Mapping[str, Any], *, attempt: int, url: str, config: WebhookConfig, wall: float
    ) -> tuple[str, bytes, dict[str, str]]:
        envelope = {"data": data, "meta": {"attempt": attempt, "delivered_to": url}}
        body = json.dumps(envelope, separators=(",", ":")).encode()
        signer = keypair(config.sign_with) if config.sign_with else self.key
        headers = {"Content-Type": "application/json", "User-Agent": "telnyx-webhooks (registry simulator)"}
        headers |= sign(signer, body, int(wall + config.timestamp_skew))
        return url, body, headers


@dataclass
class PendingEvent:
    """An event waiting for (re)delivery."""

    event_id: str
    url: str
    failover_url: str | None
    data: dict[str, Any]
    attempt: int = 1
    due: float = 0.0
    event_type: str = ""
    wire: WireFormat | None = None


@dataclass
class Delivery:
    """One delivery attempt, as the simulator log shows it."""

    event_id: str
    event_type: str
    url: str
    attempt: int
    status: int | None
    error: str | None
    body: bytes = field(repr=False)
    headers: dict[str, str] = field(repr=False)
    duplicate: bool = False
    dropped: bool = False


class WebhookDispatcher:
    """Queues events and delivers them signed; thread-safe."""

    def __init__(
        self,
        key: Ed25519PrivateKey,
        clock: VirtualClock,
        config: WebhookConfig | None = None,
        *,
        wall: Callable[[], float] = time.time,
        id_factory: Callable[[], str] | None = None,
    ) -> None:
        self.key = key
        self.telnyx = TelnyxWire(key)
        self.clock = clock
        self.config = config or WebhookConfig()
        self._wall = wall
        self._ids = id_factory or (lambda: str(uuid.uuid4()))
        self._rng = random.Random(self.config.seed)
        self._queue: list[PendingEvent] = []
        self._lock = threading.Lock()
        self._session = requests.Session()
        self.log: list[Delivery] = []

    @property
    def public_key(self) -> str:
        """Base64 public key receivers verify with."""
        return public_key_b64(self.key)

    def configure(self, **changes: Any) -> WebhookConfig:
        """Change delivery behaviour; unknown keys raise TypeError."""
        with self._lock:
            values = {**self.config.__dict__, **changes}
            self.config = WebhookConfig(**values)
            self._rng = random.Random(self.config.seed)
            return self.config

    def enqueue(
        self,
        url: str,
        failover_url: str | None,
        event_type: str,
        payload: Mapping[str, Any],
        *,
        wire: WireFormat | None = None,
    ) -> str:
        """Queue an event for delivery now in ``wire``'s format (Telnyx's by default); return its id."""
        event_id = self._ids()
        wire = wire or self.telnyx
        data = wire.event(event_id, event_type, iso(self.clock.now()), payload)
        with self._lock:
            self._queue.append(
                PendingEvent(event_id, url, failover_url, data, 1, self.clock.seconds(), event_type, wire)
            )
        return event_id

    def pending(self) -> int:
        """How many events wait for delivery."""
        with self._lock:
            return len(self._queue)

    def deliver_due(self) -> list[Delivery]:
        """Deliver every due event (with the configured misbehaviour); return the attempts made."""
        now = self.clock.seconds()
        with self._lock:
            due = [e for e in self._queue if e.due <= now]
            self._queue = [e for e in self._queue if e.due > now]
            config, rng = self.config, self._rng
            if config.order == "reverse":
                due.reverse()
            elif config.order == "shuffle":
                rng.shuffle(due)
            plan = [
                (e, rng.random() < config.drop_probability, rng.random() < config.duplicate_probability) for e in due
            ]
        made: list[Delivery] = []
        for event, dropped, duplicated in plan:
            if dropped:
                made.append(
                    self._logged(
                        Delivery(
                            event.event_id,
                            event.event_type,
                            event.url,
                            event.attempt,
                            None,
                            "dropped",
                            b"",
                            {},
                            dropped=True,
                        )
                    )
                )
                continue
            delivery = self._post(event, config)
            made.append(delivery)
            if duplicated:
                made.append(self._post(event, config, duplicate=True))
            if delivery.status is None or not 200 <= delivery.status < 300:
                self._retry(event, config)
        return made

    def _retry(self, event: PendingEvent, config: WebhookConfig) -> None:
        if event.attempt >= config.max_attempts:
            return
        url = event.failover_url or event.url  # Telnyx fails over after a non-2xx
        retry = PendingEvent(
            event.event_id,
            url,
            event.failover_url,
            event.data,
            event.attempt + 1,
            self.clock.seconds() + config.retry_delay,
            event.event_type,
            event.wire,
        )
        with self._lock:
            self._queue.append(retry)

    def _post(self, event: PendingEvent, config: WebhookConfig, *, duplicate: bool = False) -> Delivery:
        wire = event.wire or self.telnyx
        url, body, headers = wire.encode(
            event.data, attempt=event.attempt, url=event.url, config=config, wall=self._wall()
        )
        status: int | None = None
        error: str | None = None
        try:
            resp = self._session.post(url, data=body, headers=headers, timeout=config.timeout)
            status = resp.status_code
            resp.close()
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
        return self._logged(
            Delivery(
                event.event_id,
                event.event_type,
                url,
                event.attempt,
                status,
                error,
                body,
                headers,
                duplicate=duplicate,
            )
        )

    def _logged(self, delivery: Delivery) -> Delivery:
        with self._lock:
            self.log.append(delivery)
        return delivery

    def close(self) -> None:
        """Close the delivery connections."""
        self._session.close()
