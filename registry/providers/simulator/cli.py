"""``registry simulator serve``: the sandbox provider on its own (attach ``simulator`` to the CLI group)."""

from __future__ import annotations

import click

from .sandbox import Sandbox
from .server import Simulator


@click.group("simulator")
def simulator() -> None:
    """The local sandbox provider."""


@simulator.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5055, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--api-key",
    envvar="REGISTRY_SIMULATOR_API_KEY",
    default=None,
    help="API key clients must send as Bearer (default: a fresh random key).",
)
@click.option(
    "--key-seed",
    envvar="REGISTRY_SIMULATOR_KEY_SEED",
    default=None,
    help="Derive the webhook signing key from this text, so the public key stays the same.",
)
@click.option(
    "--webhook-url",
    envvar="REGISTRY_SIMULATOR_WEBHOOK_URL",
    default=None,
    help="Where to send webhooks for objects created without a webhookURL.",
)
@click.option(
    "--speed",
    default=0.0,
    show_default=True,
    type=float,
    help="Virtual seconds per real second (0: time moves only via POST /_sim/advance).",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Seed for ids and simulated flakiness.")
@click.option("--rate", default=None, type=float, help="Requests per second allowed per API key (429 above).")
@click.option("--burst", default=10, show_default=True, type=int, help="Burst size of the rate limit.")
def serve(
    host: str,
    port: int,
    api_key: str | None,
    key_seed: str | None,
    webhook_url: str | None,
    speed: float,
    seed: int,
    rate: float | None,
    burst: int,
) -> None:
    """Serve the simulated Telnyx API under /v2 and the control API under /_sim until interrupted."""
    sandbox = Sandbox(
        api_keys=[api_key] if api_key else None,
        seed=seed,
        speed=speed,
        key_seed=key_seed,
        webhook_url=webhook_url,
        rate_limit=(rate, burst) if rate else None,
    )
    sim = Simulator(sandbox, host=host, port=port)
    click.echo(f"URL:                {sim.url}")
    click.echo(f"Telnyx base URL:    {sim.telnyx_base_url}")
    click.echo(f"API key:            {sim.api_key}")
    click.echo(f"Webhook public key: {sim.public_key}")
    click.echo("Advance time with:  curl -X POST " + sim.url + "/_sim/advance -d '{\"hours\": 24}'")
    try:
        sim.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
