"""The autouse guard refuses non-loopback connections before any packet leaves."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import NetworkGuard, NonLoopbackConnection


@pytest.mark.parametrize("address", [("10.255.255.1", 80), ("192.0.2.1", 443), ("example.com", 80)])
def test_non_loopback_connections_are_refused(network_guard: NetworkGuard, address: tuple[str, int]) -> None:
    with pytest.raises(NonLoopbackConnection):
        socket.create_connection(address, timeout=0.1)
    with socket.socket() as s, pytest.raises(NonLoopbackConnection):
        s.connect(address)
    assert network_guard.violations
    network_guard.violations.clear()  # expected here; anywhere else they fail the test


def test_loopback_is_allowed(network_guard: NetworkGuard) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
    assert network_guard.violations == []
