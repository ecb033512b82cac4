"""The review decision form; one written acknowledgement per warning is read by name (``ack-<rule>-<field>``)."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from .base import BaseForm


def ack_name(rule: str, field: str | None) -> str:
    return f"ack-{rule}-{field or ''}"


class ReviewForm(BaseForm):
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=4000)],
                            description="Required when sending back: say what needs to change.")
