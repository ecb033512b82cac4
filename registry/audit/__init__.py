"""Append-only, hash-chained audit log: ``record()`` writes, ``verify()`` checks."""

from .log import SYSTEM, Actor, record
from .verify import verify

__all__ = ["SYSTEM", "Actor", "record", "verify"]
