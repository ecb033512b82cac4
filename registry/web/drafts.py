"""What the brand and campaign editors share: filling a form from a record, saving a draft, telling the user
what the checks found."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash

from forms.base import BaseForm
from registry.db import get_session
from registry.errors import RegistryError, StaleState
from registry.rules import Report
from registry.tcr import to_tcr_payload


class FormSource:
    """A brand or campaign seen under its TCR field names, so a form named by TCR fields fills itself."""

    def __init__(self, obj: Any) -> None:
        self.__dict__.update(to_tcr_payload(obj, skip_empty=False))
        self.version = obj.version


def loaded_version(form: BaseForm) -> int | None:
    """The version of the record the user loaded (optimistic locking); ``None`` when the form had none."""
    value = form.version.data  # type: ignore[attr-defined]
    return int(value) if value and str(value).isdigit() else None


def save(form: BaseForm, action: Callable[[], Any]) -> tuple[Any, int]:
    """Run ``action`` when the form is valid. Returns ``(result, status)``: the action's result and 200, or
    ``None`` and the status to re-render with (422 bad input, 409 someone else saved first), with the error
    attached to its field and nothing saved."""
    if not form.validate_on_submit():
        return None, 422 if form.is_submitted() else 200
    try:
        return action(), 200
    except RegistryError as exc:
        get_session().rollback()
        form.attach_error(exc)
        return None, 409 if isinstance(exc, StaleState) else 422


def flash_saved(report: Report, *, changed: bool = True) -> None:
    errors, warnings = len(report.errors), len(report.warnings)
    state = "Draft saved." if changed else "No changes to save."
    flash(f"{state} The checks found {errors} error(s) and {warnings} warning(s)."
          + (" Fix the errors before sending it for review." if errors else ""), "info" if errors else "success")
