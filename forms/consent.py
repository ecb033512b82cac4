"""Consent forms: record one event, upload a CSV, add a disclosure version, review a flagged revocation."""

from __future__ import annotations

from wtforms import FileField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from registry.consent.models import EventKind, Method

from .base import BaseForm


class RecordEventForm(BaseForm):
    campaign = SelectField("Campaign", validators=[DataRequired("Choose the campaign.")], choices=[])
    event = SelectField("Event", choices=[SelectChoice(k.value, k.label) for k in EventKind],
                        validators=[DataRequired("Choose what happened.")])
    phone = StringField("Subscriber's number", validators=[DataRequired("Enter the subscriber's number."),
                                                           Length(max=30)],
                        description="E.164 (+13125550142) or a US/Canadian number.")
    occurred_at = StringField("When", validators=[DataRequired("Enter when it happened."), Length(max=40)],
                              description="Date and time in your organization's time zone (2026-03-01 14:05), or "
                                          "ISO 8601 with a zone (2026-03-01T14:05:00-05:00).")
    method = SelectField("Method", choices=[SelectChoice(m.value, m.label) for m in Method],
                         validators=[DataRequired("Choose how consent was given or revoked.")])
    source = StringField("Source", validators=[Optional(), Length(max=500, message="At most 500 characters.")],
                         description="Where: the form's URL, the keyword and number (JOIN to +13125550100), or "
                                     "the paper form's document id.")
    disclosure_text = TextAreaField("Disclosure shown", validators=[Optional(), Length(max=10_000)],
                                    description="The exact words the subscriber saw at opt-in.")
    ip = StringField("IP address", validators=[Optional(), Length(max=45)])
    user_agent = StringField("User agent", validators=[Optional(), Length(max=1000)])
    evidence = FileField("Evidence file", description="Optional: a screenshot, scanned form or recording "
                                                      "(at most 10 MB), kept with its SHA-256.")


class ImportConsentForm(BaseForm):
    file = FileField("CSV file", description="Columns: phone, event, occurred_at, method, source, campaign and "
                                             "optionally disclosure_text, ip, user_agent. Valid rows are imported; "
                                             "the others are listed in an error report.")


class DisclosureForm(BaseForm):
    text = TextAreaField("New disclosure version", validators=[DataRequired("Enter the disclosure text."),
                                                                Length(max=10_000)],
                         description="The exact call to action shown at opt-in; it is checked by the rule engine "
                                     "and compared with the registered message flow.")


class ReviewForm(BaseForm):
    decision = HiddenField(validators=[DataRequired()])
    note = StringField("Note", validators=[Optional(), Length(max=500)])
