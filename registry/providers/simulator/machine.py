"""What the state machines of the simulated providers share: the sandbox's clock in wire format, scheduling on
virtual time, the account's ledger of billable lines, and a count of observable transitions."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Protocol

from .clock import iso

if TYPE_CHECKING:
    from .sandbox import Sandbox


class Ledgered(Protocol):
    """An account state with a ledger (every surface's state has one)."""

    ledger: list[dict[str, Any]]


class Machine:
    """Base of ``TelnyxMachine``, ``TcrMachine`` and ``TwilioMachine``: one per sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox
        #: observable changes made so far, by kind (``campaign_status``, ``carrier``, ...; ``GET /_sim/stats``)
        self.transitions: Counter[str] = Counter()

    def now(self) -> str:
        """Virtual now in wire format."""
        return iso(self.sb.clock.now())

    def _after(self, seconds: float, label: str, action: Any) -> None:
        self.sb.scheduler.after(seconds, label, action)

    def charge(self, state: Ledgered, kind: str, amount: float, ref: str) -> None:
        """Add a billable line to the account's ledger."""
        state.ledger.append({"at": iso(self.sb.clock.now()), "kind": kind, "amount": round(amount, 2), "ref": ref})
