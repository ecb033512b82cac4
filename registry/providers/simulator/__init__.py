"""A faithful local sandbox of the providers' 10DLC APIs (Telnyx today), for tests and the embedded demo.

Real HTTP on loopback, the provider's own wire format under its own prefix, a virtual clock, scripted review
chains, scenario markers (scenarios.py), rate limits, injected faults (faults.py) and signed webhooks
(webhooks.py). Control API under ``/_sim`` (control.py).
"""

from .delays import Delays
from .server import Simulator, run_simulator

__all__ = ["Delays", "Simulator", "run_simulator"]
