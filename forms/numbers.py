"""Adding numbers one by one or by CSV upload."""

from __future__ import annotations

from wtforms import FileField, StringField
from wtforms.validators import DataRequired, Length, Optional

from .base import BaseForm


class AddNumberForm(BaseForm):
    phone = StringField("Phone number", validators=[DataRequired("Enter the number."), Length(max=30)],
                        description="E.164 (+13125550100) or a US/Canadian number.")
    label = StringField("Label", validators=[Optional(), Length(max=100)],
                        description="What the number is used for, e.g. Front desk.")
    campaign = StringField("Assign to approved campaign", validators=[Optional(), Length(max=50)],
                           description="The campaign's reference or TCR id; leave empty to assign later. A "
                                       "number of yours on no campaign (e.g. released) is assigned.")


class UploadNumbersForm(BaseForm):
    file = FileField("CSV file", description="Columns: phone (required), label, campaign (reference or TCR "
                                             "campaign id). Every row is checked first; if any row is wrong, "
                                             "nothing is added.")
