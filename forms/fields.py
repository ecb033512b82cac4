"""Field helpers: every registration field is named by its TCR API name and limited by the TCR length."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp


def _length(spec_fields: dict, name: str) -> list[Any]:
    spec = spec_fields.get(name)
    if spec and spec.max_len:
        return [Length(max=spec.max_len, message=f"At most {spec.max_len} characters (TCR limit).")]
    return []


def text(spec_fields: dict, name: str, label: str, *, description: str = "", area: bool = False,
         **kw: Any) -> StringField:
    """An optional text field: drafts may be incomplete; the rule engine says what is missing."""
    cls = TextAreaField if area else StringField
    return cls(label, validators=[Optional(strip_whitespace=True), *_length(spec_fields, name)],
               description=description, filters=[_strip], **kw)


def choice(label: str, values: list[tuple[str, str]], *, description: str = "", blank: str = "Choose…",
           **kw: Any) -> SelectField:
    choices = [SelectChoice("", blank)] + [SelectChoice(v, lbl) for v, lbl in values]
    return SelectField(label, choices=choices, validators=[Optional()], description=description, **kw)


def flag(label: str, *, description: str = "", default: bool = False) -> BooleanField:
    return BooleanField(label, description=description, default=default)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def titled(value: str) -> str:
    """``HUMAN_RESOURCES`` → ``Human resources``; acronyms such as ``2FA`` stay as they are."""
    if "_" not in value and any(ch.isdigit() for ch in value):
        return value
    return value.replace("_", " ").capitalize()


def reference_field(kind: str) -> StringField:
    """Our key for a brand or campaign (TCR ``referenceId``): required, short, URL- and CLI-friendly."""
    return StringField(
        "Reference",
        validators=[DataRequired(f"Give the {kind} a reference: a short key of your own, unique in your "
                                 "organization."),
                    Length(max=50, message="At most 50 characters (TCR limit)."),
                    Regexp(r"^[A-Za-z0-9_-]+$", message="Use letters, digits, - and _ only.")],
        filters=[_strip],
        description=f"Your own short key for this {kind} (letters, digits, - and _), unique in your "
                    "organization; sent to TCR as referenceId.")
