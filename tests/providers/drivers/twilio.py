"""The Twilio driver: TwilioProvider on the simulator's Twilio surface (see drivers/__init__.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from registry.providers.simulator import Simulator
from registry.providers.simulator.twilio import add_incoming_numbers, confirm_otp, twilio_state
from registry.providers.twilio import TwilioProvider

from . import DRIVERS


class TwilioDriver:
    """Twilio: form-encoded, four hosts, Trust Hub bundles before a brand, Messaging Service per campaign."""

    name = "twilio"
    assigns_numbers = True
    otp_by_pin = False
    brands_can_fail = True
    signs_webhooks = True

    def build(self, sim: Simulator, options: dict[str, Any]) -> TwilioProvider:
        sid, token = sim.twilio_credentials()
        options = dict(options)
        sid = options.pop("account_sid", sid)
        token = options.pop("auth_token", token)
        return TwilioProvider(sid, token, **{"base_url": sim.twilio_base_url, **options})

    def wrong_credentials(self) -> dict[str, Any]:
        return {"auth_token": "not-the-auth-token"}

    def brand_create(self) -> tuple[str, str]:
        return ("POST", "/twilio/messaging/v1/a2p/BrandRegistrations")

    def campaign_create(self) -> tuple[str, str]:
        return ("POST", "/twilio/messaging/v1/Services/*/Compliance/Usa2p")

    def brands_created(self, sim: Simulator) -> int:
        return len(twilio_state(sim.sandbox).brands)

    def campaigns_created(self, sim: Simulator) -> int:
        return len(twilio_state(sim.sandbox).campaigns)

    def otp_pin(self, sim: Simulator, brand_ref: str) -> str:
        """Twilio verifies a sole proprietor by the owner's reply to its text, not by a PIN: the handset
        replies here, and ``YES`` is what it sent (TwilioProvider.verify_brand_otp then reads the outcome)."""
        confirm_otp(sim.sandbox, brand_ref)
        return "YES"

    def provide_numbers(self, sim: Simulator, campaign_ref: str, numbers: Sequence[str]) -> None:
        add_incoming_numbers(sim.sandbox, sim.api_key, numbers)


DRIVERS["twilio"] = TwilioDriver
