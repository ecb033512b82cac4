"""The direct-TCR driver: the adapter on the simulator's ``/tcr/v2`` surface, sharing campaigns with the
simulated DCA (which accepts or declines them, elects the MNOs, and provisions numbers into nnSR)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from registry.providers.simulator import Simulator
from registry.providers.simulator import tcr as sim_tcr
from registry.providers.tcr import TcrProvider

from . import DRIVERS


class TcrDriver:
    name = "tcr"
    assigns_numbers = False
    otp_by_pin = True
    signs_webhooks = False  # TCR webhooks are unsigned (provider-apis.md §1.6)
    brands_can_fail = False  # a TCR brand is ACTIVE or DELETED; a failed check leaves it UNVERIFIED

    def build(self, sim: Simulator, options: dict[str, Any]) -> TcrProvider:
        key, secret = sim.tcr_credentials()
        options = {"base_url": sim.tcr_base_url, "upstream_cnp_id": sim_tcr.DEFAULT_UPSTREAM_CNP, **options}
        return TcrProvider(options.pop("api_key", key), options.pop("api_secret", secret), **options)

    def wrong_credentials(self) -> dict[str, Any]:
        return {"api_key": "KEYNOTAREALKEY", "api_secret": "not-the-secret"}

    def brand_create(self) -> tuple[str, str]:
        return "POST", "/tcr/v2/brand/nonBlocking"

    def campaign_create(self) -> tuple[str, str]:
        return "POST", "/tcr/v2/campaignBuilder"

    def brands_created(self, sim: Simulator) -> int:
        with sim.sandbox.lock:
            return len(sim_tcr.tcr_state(sim.sandbox).brands)

    def campaigns_created(self, sim: Simulator) -> int:
        with sim.sandbox.lock:
            return len(sim_tcr.tcr_state(sim.sandbox).campaigns)

    def otp_pin(self, sim: Simulator, brand_ref: str) -> str:
        return sim_tcr.otp_pin(sim.sandbox, brand_ref)

    def provide_numbers(self, sim: Simulator, campaign_ref: str, numbers: Sequence[str]) -> None:
        """The DCA provisions the numbers into nnSR (those ending in 666 fail there and never show)."""
        sim_tcr.provision_numbers(sim.sandbox, None, campaign_ref, numbers)


DRIVERS["tcr"] = TcrDriver
