"""The campaign wizard: pick a use case (explained), then describe the program (TCR field names)."""

from __future__ import annotations

from typing import Any

from wtforms import FileField, HiddenField, SelectMultipleField, widgets
from wtforms.fields import SelectChoice
from wtforms.validators import Optional

from registry.rules.vocabulary import CAMPAIGN_FIELDS as F
from registry.rules.vocabulary import NOT_FOR_501C3, SUB_USECASES, USECASES

from .base import BaseForm
from .fields import choice, flag, reference_field, text, titled

#: what each use case is for, in plain language (TCR KB "Campaign Use Cases"; tcr-rules.md §2.3). The
#: requirements shown beside it (samples, sub-use cases, special) come from the rule engine's table.
USECASE_HELP: dict[str, tuple[str, str]] = {
    "2FA": ("Two-factor authentication", "One-time passcodes for login, account verification or password resets."),
    "ACCOUNT_NOTIFICATION": ("Account notifications", "Status updates about an account: appointments, "
                             "billing, renewals, password changes."),
    "CUSTOMER_CARE": ("Customer care", "Support conversations and account management with existing customers."),
    "DELIVERY_NOTIFICATION": ("Delivery notifications", "Order and shipping status, tracking, pickup."),
    "FRAUD_ALERT": ("Fraud alerts", "Warnings about possibly fraudulent account activity."),
    "HIGHER_EDUCATION": ("Higher education", "Messages from colleges, universities and school districts to "
                         "students (not free-to-consumer messaging)."),
    "LOW_VOLUME": ("Low-volume mixed", "Several kinds of messages at very low volume (about 2,000 a day at "
                   "T-Mobile, 75 a minute at AT&T); lists the sub-use cases it covers."),
    "M2M": ("Machine to machine", "Traffic between devices with no human recipient."),
    "MARKETING": ("Marketing", "Promotions, offers and other marketing content."),
    "MIXED": ("Mixed", "Two to five kinds of messages in one campaign; list them as sub-use cases."),
    "POLLING_VOTING": ("Polling and voting", "Non-political surveys and polls."),
    "PUBLIC_SERVICE_ANNOUNCEMENT": ("Public service announcements", "Informational messages raising awareness "
                                    "of an issue."),
    "SECURITY_ALERT": ("Security alerts", "Notices that a system or account may have been compromised."),
    "AGENTS_FRANCHISES": ("Agents and franchises", "Brands with many local agents or franchisees, each with "
                          "their own numbers (up to 5,000); AT&T approves after registration."),
    "CARRIER_EXEMPT": ("Carrier exempt", "Exempt by carrier agreement; needs carrier approval."),
    "CHARITY": ("Charity", "Non-profits with a verified 501(c)(3) status."),
    "EMERGENCY": ("Emergency", "Public safety notices during natural disasters and similar emergencies."),
    "K12_EDUCATION": ("K-12 education", "Schools from kindergarten to 12th grade and distance-learning centres."),
    "POLITICAL": ("Political", "Election campaigns and advocacy; needs a political vet (Campaign Verify or "
                  "Aegis) or a verified 501(c)(4/5/6); billed monthly."),
    "PROXY": ("Proxy", "Person-to-person messaging through an app using pooled numbers."),
    "SOCIAL": ("Social", "Influencers and celebrities messaging their community; pre-approved providers only."),
    "SOLE_PROPRIETOR": ("Sole proprietor", "The one campaign a sole-proprietor brand may register."),
    "SWEEPSTAKE": ("Sweepstakes", "Sweepstakes and contests; AT&T and T-Mobile approve after registration."),
    "TRIAL": ("Platform free trial", "Free-trial traffic of a messaging platform; separate contract needed."),
    "UCAAS_LOW": ("UCaaS low volume", "Unified-communications providers' person-to-person traffic, low volume; "
                  "pre-approved providers only."),
    "UCAAS_HIGH": ("UCaaS high volume", "As UCaaS low volume, for higher volumes."),
}
assert set(USECASE_HELP) == set(USECASES)


def usecase_cards() -> list[dict[str, Any]]:
    """The use-case picker: standard ones first, each with what TCR requires of it."""
    cards = []
    for uc in sorted(USECASES.values(), key=lambda u: (u.special, USECASE_HELP[u.id][0])):
        needs = [f"{uc.min_samples} sample message{'s' if uc.min_samples > 1 else ''}"]
        if uc.max_sub:
            needs.append(f"{uc.min_sub}–{uc.max_sub} sub-use cases" if uc.min_sub else
                         f"up to {uc.max_sub} sub-use cases")
        if uc.special:
            needs.append("special: extra vetting or carrier approval")
        if uc.id in NOT_FOR_501C3:
            needs.append("not for 501(c)(3) organizations")
        cards.append({"id": uc.id, "label": USECASE_HELP[uc.id][0], "help": USECASE_HELP[uc.id][1],
                      "needs": needs, "special": uc.special})
    return cards


STEPS: list[tuple[str, str, tuple[str, ...]]] = [
    ("usecase", "Use case", ("usecase", "subUsecases")),
    ("content", "Description and sample messages", ("description", "messageFlow", "sample1", "sample2", "sample3",
                                                    "sample4", "sample5")),
    ("keywords", "Opt-in, opt-out and help", ("subscriberOptin", "optinKeywords", "optinMessage",
                                             "subscriberOptout", "optoutKeywords", "optoutMessage",
                                             "subscriberHelp", "helpKeywords", "helpMessage")),
    ("attributes", "Content attributes", ("embeddedLink", "embeddedLinkSample", "embeddedPhone", "numberPool",
                                          "ageGated", "directLending", "termsAndConditions", "autoRenewal")),
    ("policies", "Privacy policy and terms", ("privacyPolicyLink", "termsAndConditionsLink")),
    ("account", "Account", ("referenceId", "resellerId")),
]
PAYLOAD_FIELDS = tuple(name for _, _, names in STEPS for name in names)
BOOLEAN_FIELDS = frozenset({"subscriberOptin", "subscriberOptout", "subscriberHelp", "embeddedLink",
                            "embeddedPhone", "numberPool", "ageGated", "directLending", "termsAndConditions",
                            "autoRenewal"})


class CheckboxList(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _sample(n: int) -> Any:
    return text(F, f"sample{n}", f"Sample message {n}", area=True,
                description="A real example, 20–1024 characters: the brand name, [bracketed] variable parts, "
                            "and 'Reply STOP to opt out' where messages are recurring." if n == 1 else "")


class CampaignForm(BaseForm):
    version = HiddenField()
    usecase = choice("Use case", [(u, USECASE_HELP[u][0]) for u in sorted(USECASES)])
    subUsecases = CheckboxList("Sub-use cases", choices=[SelectChoice(s, titled(s)) for s in sorted(SUB_USECASES)],
                               validators=[Optional()],
                               description="The kinds of messages this campaign sends (MIXED: 2–5).")
    description = text(F, "description", "Campaign description", area=True,
                       description="Who sends what to whom and why, 40–4096 characters; name the brand.")
    messageFlow = text(F, "messageFlow", "Message flow / call to action", area=True,
                       description="Every way subscribers opt in (web form URL, keyword, paper, verbal), with the "
                                   "exact disclosure they see: brand, message frequency, 'Msg & data rates may "
                                   "apply', HELP and STOP, terms and privacy links. Consent box unchecked.")
    sample1, sample2, sample3, sample4, sample5 = (_sample(n) for n in range(1, 6))
    subscriberOptin = flag("Subscribers opt in", default=True)
    optinKeywords = text(F, "optinKeywords", "Opt-in keywords",
                         description="Comma-separated, no spaces, e.g. JOIN,START.")
    optinMessage = text(F, "optinMessage", "Opt-in confirmation message", area=True,
                        description="Brand, frequency, 'Msg & data rates may apply', HELP and STOP.")
    subscriberOptout = flag("Subscribers can opt out", default=True)
    optoutKeywords = text(F, "optoutKeywords", "Opt-out keywords", default="STOP",
                          description="Must include STOP.")
    optoutMessage = text(F, "optoutMessage", "Opt-out confirmation message", area=True,
                         description="Brand and 'you will receive no further messages'; no marketing.")
    subscriberHelp = flag("Subscribers can ask for help", default=True)
    helpKeywords = text(F, "helpKeywords", "Help keywords", default="HELP",
                        description="Must include HELP.")
    helpMessage = text(F, "helpMessage", "Help reply", area=True,
                       description="Brand, a support phone, e-mail or URL, and how to opt out.")
    embeddedLink = flag("Messages contain links")
    embeddedLinkSample = text(F, "embeddedLinkSample", "Example link",
                              description="A link exactly as sent, on the brand's own domain; no public "
                                          "shorteners such as bit.ly.")
    embeddedPhone = flag("Messages contain phone numbers (other than the HELP number)")
    numberPool = flag("Uses more than 50 numbers (number pool)")
    ageGated = flag("Age-restricted content (alcohol, tobacco, firearms …)")
    directLending = flag("Direct lending or loan arrangement content")
    termsAndConditions = flag("I confirm the campaign involves no affiliate marketing or lead sharing "
                              "(TCR terms attestation)", default=True)
    autoRenewal = flag("Renew automatically", default=True,
                       description="Turning this off deactivates the campaign at the end of its term, for good.")
    privacyPolicyLink = text(F, "privacyPolicyLink", "Privacy policy link",
                             description="Public https page stating that mobile numbers and opt-in data are not "
                                         "shared with third parties for marketing.")
    termsAndConditionsLink = text(F, "termsAndConditionsLink", "Terms and conditions link")
    referenceId = reference_field("campaign")
    resellerId = text(F, "resellerId", "Reseller id", default="R000000",
                      description="R000000 when there is no reseller.")

    def payload(self, usecase: str) -> dict[str, Any]:
        values: dict[str, Any] = {"usecase": usecase}
        for name in PAYLOAD_FIELDS:
            if name == "usecase":
                continue
            data = self[name].data
            values[name] = bool(data) if name in BOOLEAN_FIELDS else data
        values["subUsecases"] = list(values.get("subUsecases") or [])
        return values


class MediaForm(BaseForm):
    file = FileField("MMS sample file", description="JPEG, PNG or GIF images, MP4/3GP video, MP3/AMR audio; "
                                                    "keep it under 500 KB.")
