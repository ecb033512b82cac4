"""``registry serve``: the web app, a background worker and the sandbox provider in one process.

Threads, not subprocesses: one Ctrl+C (SIGINT) or SIGTERM reaches the Huey consumer's signal handler in the
main thread, which stops the workers gracefully; then the web server and the simulator are closed.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from typing import Any


def serve_all(
    *,
    host: str,
    port: int,
    threads: int,
    sim_port: int | None,
    sim_speed: float,
    workers: int,
    echo: Callable[[str], Any] = print,
) -> None:
    from waitress import create_server

    from registry.app import create_app
    from registry.tasks import huey

    overrides: dict[str, Any] = {}
    if not os.environ.get("REGISTRY_PUBLIC_URL"):
        overrides["PUBLIC_URL"] = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"  # noqa: S104
    app = create_app(overrides)
    sim = _start_simulator(sim_port, sim_speed, echo) if sim_port is not None else None
    server = create_server(app, host=host, port=port, threads=threads, ident="registry")
    web = threading.Thread(target=server.run, name="web", daemon=True)
    web.start()
    echo(f"registry serving on http://{host}:{port} (Ctrl+C to stop)")
    try:
        if workers > 0:
            consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
            echo(f"background worker: {workers} thread(s), periodic sync every minute")
            consumer.run()  # returns after SIGINT/SIGTERM, once the workers have stopped
        else:
            _wait_for_signal()
    finally:
        server.close()
        server.task_dispatcher.shutdown()
        if sim is not None:
            sim.stop()
        echo("registry stopped")


def _start_simulator(port: int, speed: float, echo: Callable[[str], Any]) -> Any:
    from registry.provider_accounts.sandbox import SANDBOX_API_KEY, SANDBOX_KEY_SEED
    from registry.providers.simulator.sandbox import Sandbox
    from registry.providers.simulator.server import Simulator

    sandbox = Sandbox(api_keys=[SANDBOX_API_KEY], key_seed=SANDBOX_KEY_SEED, speed=speed)
    sim = Simulator(sandbox, host="127.0.0.1", port=port).start()
    echo(f"sandbox provider on {sim.url}: Telnyx {sim.telnyx_base_url}, Twilio {sim.twilio_base_url}, "
         f"TCR {sim.tcr_base_url}; {speed:g} virtual s per s")
    return sim


def _wait_for_signal() -> None:
    stop = threading.Event()

    def handler(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
