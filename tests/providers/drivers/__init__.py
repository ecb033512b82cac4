"""One driver per provider, so the journey and fault suites run unchanged over Telnyx, Twilio and TCR.

A driver knows what differs between providers on the simulator: how to build the adapter, where its billable
creates live (fault injection), how a test reads an OTP PIN or makes numbers available, and the few raw
statuses a test may name. Everything else a test asserts is the normalized vocabulary of ``registry.providers.base``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from registry.providers.base import TenDlcProvider
from registry.providers.simulator import Simulator


class Driver(Protocol):
    """What a parametrized test needs to know about one provider (see module docs)."""

    #: ``telnyx``, ``twilio`` or ``tcr`` (the pytest id)
    name: str
    #: whether the provider assigns numbers to campaigns itself (TCR does not: the DCA does, TCR shows nnSR)
    assigns_numbers: bool
    #: whether its webhooks are signed (TCR's are not: provider-apis.md §1.6)
    signs_webhooks: bool
    #: whether the sole proprietor's OTP is a PIN we submit (Twilio: the owner replies to Twilio's text instead)
    otp_by_pin: bool
    #: whether a brand registration can end FAILED (a TCR brand is ACTIVE or DELETED; identity says the rest)
    brands_can_fail: bool

    def build(self, sim: Simulator, options: dict[str, Any]) -> TenDlcProvider:
        """The adapter against ``sim``; ``options`` are the common keyword arguments every adapter takes
        (``timeout``, ``retry``, ``recorder``, ``sleep``, ``account``, optionally ``webhook_url``) plus any
        a test adds."""
        ...

    def wrong_credentials(self) -> dict[str, Any]:
        """Keyword arguments for ``build`` that make every call fail authentication."""
        ...

    def brand_create(self) -> tuple[str, str]:
        """``(method, path)`` on the simulator of the billable brand-registration request (fault injection)."""
        ...

    def campaign_create(self) -> tuple[str, str]:
        """``(method, path)`` of the billable campaign-creation request; a path may contain ``*`` wildcards
        as the fault plan accepts them."""
        ...

    def brands_created(self, sim: Simulator) -> int:
        """How many brands the simulator holds for the default account (duplicate-create checks)."""
        ...

    def campaigns_created(self, sim: Simulator) -> int:
        """How many campaigns the simulator holds for the default account."""
        ...

    def otp_pin(self, sim: Simulator, brand_ref: str) -> str:
        """The PIN the sole proprietor's handset received for brand ``brand_ref`` (the adapter's id)."""
        ...

    def provide_numbers(self, sim: Simulator, campaign_ref: str, numbers: Sequence[str]) -> None:
        """Make ``numbers`` assignable to ``campaign_ref`` (owned by the account, on a profile, or, for TCR,
        provisioned by the DCA into the registry's number view)."""
        ...


#: the drivers by name, filled by the modules below (import order = parametrization order)
DRIVERS: dict[str, Callable[[], Driver]] = {}
