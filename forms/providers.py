"""Provider account forms: adding an account and replacing its credentials.

Credentials are ``PasswordField``s: WTForms never renders their value back, so a form re-shown with an error
does not put a key or secret into the page (the user types them again).
"""

from __future__ import annotations

import re
from typing import Any

from wtforms import BooleanField, FloatField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from registry.provider_accounts.models import ProviderName

from .base import BaseForm
from .fields import _strip

#: the order the select shows them in (the sandbox last: it is the local simulator)
PROVIDER_CHOICES = [SelectChoice(p.value, p.display) for p in
                    (ProviderName.TELNYX, ProviderName.TWILIO, ProviderName.TCR, ProviderName.SANDBOX)]
#: fields a browser must never fill in from the user's saved login password
NO_AUTOFILL = {"autocomplete": "new-password", "spellcheck": "false"}


def _secret(label: str, *, description: str, required: str = "") -> PasswordField:
    """A credential field (never rendered back); ``required``: the message when it is left empty."""
    validators: list[Any] = [DataRequired(required)] if required else [Optional()]
    return PasswordField(label, validators=[*validators, Length(max=500)], filters=[_strip],
                         description=description, render_kw=NO_AUTOFILL)


KEY_HELP = ("Telnyx and the sandbox: the API key. Twilio: the account SID (starts with AC) or an API key SID (SK). "
            "TCR: the API key. Stored encrypted and never shown again.")
CONFIDENTIAL_HELP = ("Twilio: the auth token (or the API key's secret). TCR: the API secret. Not used for Telnyx or "
                     "the sandbox. Stored encrypted and never shown again.")
KEY_MISSING = "Enter the API key (Twilio: the account SID)."


class ProviderAccountForm(BaseForm):
    provider = SelectField("Provider", choices=PROVIDER_CHOICES, validators=[DataRequired("Choose a provider.")],
                           description="Who the registrations are filed with. Sandbox is the local simulator.")
    label = StringField("Label", validators=[DataRequired("Give the account a name, e.g. Telnyx production."),
                                             Length(max=100)], filters=[_strip],
                        description="What your organization calls it, e.g. Telnyx production.")
    base_url = StringField("API base URL", validators=[Optional(), Length(max=255)], filters=[_strip],
                           description="Leave empty for the provider's production API. Telnyx: "
                                       "https://api.telnyx.com/v2. Twilio: a template over its hosts, "
                                       "https://{service}.twilio.com. TCR: "
                                       "https://csp-api.campaignregistry.com/v2.")
    api_key = _secret("API key (Twilio: account SID)", description=KEY_HELP, required=KEY_MISSING)
    api_secret = _secret("API secret (Twilio: auth token)", description=CONFIDENTIAL_HELP)
    webhook_public_key = StringField("Webhook public key", validators=[Optional(), Length(max=200)],
                                     filters=[_strip],
                                     description="Telnyx and the sandbox: the base64 Ed25519 public key Telnyx "
                                                 "signs webhooks with (Mission Control › Keys & Credentials › "
                                                 "Public Key). Public, not a secret. Not used by Twilio or TCR.")
    upstream_cnp_id = StringField("TCR upstream CNP id", validators=[Optional(), Length(max=50)], filters=[_strip],
                                  description="TCR only: the CNP (DCA) your campaigns are shared with, e.g. SZ1234.")
    mno_ids = StringField("TCR MNO ids", validators=[Optional(), Length(max=200)], filters=[_strip],
                          description="TCR only: comma-separated network ids to elect, e.g. 10017, 10035 "
                                      "(AT&T, T-Mobile). Leave empty for all.")
    rate = FloatField("Requests per second", default=10.0,
                      validators=[InputRequired("Enter a rate, e.g. 10."),
                                  NumberRange(min=0.01, max=1000,
                                              message="Enter more than 0 and at most 1000 requests per second.")],
                      description="How fast we call this account's API (all providers); at most 1000.")
    burst = IntegerField("Burst", default=5,
                         validators=[InputRequired("Enter a burst size, e.g. 5."),
                                     NumberRange(min=1, max=1000, message="Enter a whole number from 1 to 1000.")],
                         description="How many calls may go out at once before the rate applies (1–1000).")
    is_default = BooleanField("Make it the default account",
                              description="New submissions of the organization go to the default account. The "
                                          "first account becomes the default anyway.")

    def settings(self) -> dict[str, Any]:
        """The non-secret provider settings as ``create_account`` takes them."""
        mno_ids = [m for m in re.split(r"[\s,;]+", self.mno_ids.data or "") if m]
        return {"upstream_cnp_id": self.upstream_cnp_id.data or None, "mno_ids": mno_ids or None}

    def attach_error(self, exc: Any) -> None:
        # "settings" means a TCR-only setting given to another provider: show it on the field that was filled in
        if exc.field == "settings":
            exc.field = "mno_ids" if self.mno_ids.data and not self.upstream_cnp_id.data else "upstream_cnp_id"
        super().attach_error(exc)


class ReplaceCredentialsForm(BaseForm):
    api_key = _secret("New API key (Twilio: account SID)", description=KEY_HELP, required=KEY_MISSING)
    api_secret = _secret("New API secret (Twilio: auth token)", description=CONFIDENTIAL_HELP)
