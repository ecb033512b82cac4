"""The Telnyx driver: the adapter on the simulator's ``/v2`` surface."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from registry.providers.simulator import Simulator
from registry.providers.telnyx import TelnyxProvider

from . import DRIVERS


class TelnyxDriver:
    name = "telnyx"
    assigns_numbers = True
    otp_by_pin = True
    signs_webhooks = True
    brands_can_fail = True

    def build(self, sim: Simulator, options: dict[str, Any]) -> TelnyxProvider:
        options = {"base_url": sim.telnyx_base_url, "webhook_public_key": sim.public_key, **options}
        return TelnyxProvider(options.pop("api_key", sim.api_key), **options)

    def wrong_credentials(self) -> dict[str, Any]:
        return {"api_key": "KEYNOTAREALKEY"}

    def brand_create(self) -> tuple[str, str]:
        return "POST", "/v2/10dlc/brand"

    def campaign_create(self) -> tuple[str, str]:
        return "POST", "/v2/10dlc/campaignBuilder"

    def brands_created(self, sim: Simulator) -> int:
        return len(sim.telnyx().brands)

    def campaigns_created(self, sim: Simulator) -> int:
        return len(sim.telnyx().campaigns)

    def otp_pin(self, sim: Simulator, brand_ref: str) -> str:
        return sim.otp_pin(brand_ref)

    def provide_numbers(self, sim: Simulator, campaign_ref: str, numbers: Sequence[str]) -> None:
        """Telnyx assigns any number of the account one by one; nothing to prepare."""


DRIVERS["telnyx"] = TelnyxDriver
