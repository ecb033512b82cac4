"""The demo's Twilio and TCR accounts authenticate against the sandbox `registry serve` runs (their secrets are
derived from the published seed exactly as the sandbox derives them)."""

from __future__ import annotations

import pytest

from registry.provider_accounts.sandbox import SANDBOX_API_KEY, SANDBOX_KEY_SEED, other_sandbox_accounts
from registry.providers.base import ProviderError, ProviderErrorKind
from registry.providers.simulator import run_simulator
from registry.providers.tcr import TcrProvider
from registry.providers.twilio import TwilioProvider

from .conftest import SIM_START


def test_the_demo_twilio_and_tcr_accounts_log_in_to_the_sandbox() -> None:
    with run_simulator(api_keys=[SANDBOX_API_KEY], key_seed=SANDBOX_KEY_SEED, start=SIM_START) as sim:
        twilio, tcr = other_sandbox_accounts(port=sim.port)
        assert (twilio["api_key"], twilio["api_secret"]) == sim.twilio_credentials()
        assert (tcr["api_key"], tcr["api_secret"]) == sim.tcr_credentials()
        t = TwilioProvider(twilio["api_key"], twilio["api_secret"], base_url=twilio["base_url"])
        c = TcrProvider(tcr["api_key"], tcr["api_secret"], base_url=tcr["base_url"],
                        upstream_cnp_id=tcr["settings"]["upstream_cnp_id"])
        try:
            for provider in (t, c):  # authenticated: the brand is simply not there
                with pytest.raises(ProviderError) as missing:
                    provider.get_brand("BN00000000000000000000000000000000")
                assert missing.value.kind is ProviderErrorKind.NOT_FOUND
        finally:
            t.close()
            c.close()
