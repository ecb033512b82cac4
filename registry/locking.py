"""Optimistic locking at the edge: a save based on an old page is refused with a clear message."""

from __future__ import annotations

from typing import Any

from registry.errors import StaleState


def check_version(obj: Any, expected_version: int | None, *, what: str) -> None:
    """Raise :class:`StaleState` when ``obj`` changed since the user loaded version ``expected_version``."""
    if expected_version is None or obj.version == expected_version:
        return
    when = obj.updated_at.strftime("%Y-%m-%d %H:%M UTC") if getattr(obj, "updated_at", None) else "meanwhile"
    raise StaleState(
        f"{what} was changed by someone else ({when}) after you opened it. Your changes were not saved, so "
        "nothing was overwritten: reload the page to see the current version and apply your changes again.")
