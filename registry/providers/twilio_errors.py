"""Twilio error envelope -> ProviderError, and Twilio A2P failure codes -> our rule IDs.

Twilio REST errors are ``{"code": 21717, "message": "...", "more_info": "https://www.twilio.com/docs/errors/21717",
"status": 400}`` (twilio-python ``base/exceptions.py`` ``TwilioRestException``; provider-apis.md §3.9). The kind
comes from the code when we know it, else from the HTTP status. A parameter Twilio names in its message
("Missing required parameter Description in the post body", "Invalid parameter MessageSamples: ...") is
reported as the TCR field it carries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .base import Issue, ProviderError, ProviderErrorKind
from .http import status_kind
from .redaction import redact_text

K = ProviderErrorKind

#: Twilio codes whose meaning is more precise than the HTTP status (Twilio error dictionary
#: twilio.com/docs/api/errors/<code>; provider-apis.md §3.9)
CODE_KINDS: Mapping[str, ProviderErrorKind] = {
    "20003": K.AUTH,  # authentication failed
    "20404": K.NOT_FOUND,  # resource not found
    "20429": K.RATE_LIMITED,  # too many requests
    "20500": K.TRANSIENT,  # internal server error
    "20503": K.TRANSIENT,  # service unavailable
    "21717": K.PRECONDITION,  # brand registration not registered / not valid for this use
    "21729": K.PRECONDITION,  # operation on a suspended campaign
    "30991": K.PRECONDITION,  # campaign refused: brand unverified
    "30994": K.PRECONDITION,  # campaign refused: brand still pending
    "30712": K.PRECONDITION,  # account reached its maximum of brand registrations
    "30930": K.PRECONDITION,  # brand reached its 100-campaign limit
    "21710": K.CONFLICT,  # number already in this Messaging Service
    "21712": K.CONFLICT,  # number already in another Messaging Service
}

#: Twilio campaign (308xx-309xx) failure codes -> rule IDs of registry/rules/data/catalog that mean the same
#: thing. Titles from twilio.com/docs/api/errors/<code>; only codes whose title names exactly what one rule
#: checks. 30893 is "Inconsistency between Sample Message and Use-case", so it maps to the sample/use-case rule
#: (not to CAMPAIGN-SAMPLE-BRAND-NAME, which is one of several fixes its page suggests).
RULE_CODES: Mapping[str, str] = {
    "30882": "CAMPAIGN-TERMS",  # terms and conditions
    "30886": "CAMPAIGN-DESCRIPTION-QUALITY",  # invalid campaign description
    "30888": "CAMPAIGN-AGE-GATE",  # age-gated content
    "30889": "CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY",  # embedded phone number selection not in samples
    "30892": "CONTENT-PUBLIC-SHORTENER",  # public URL shortener
    "30893": "CAMPAIGN-SAMPLE-USECASE-MATCH",  # sample messages inconsistent with the use case
    "30895": "CAMPAIGN-DIRECT-LENDING-FLAG",  # direct lending content without the attribute
    "30908": "CAMPAIGN-PRIVACY-POLICY",  # privacy policy
    "30909": "CAMPAIGN-MESSAGEFLOW-VERIFIABLE",  # call to action / message flow cannot be verified
    "30910": "CAMPAIGN-ENGLISH",  # registration content not in English
    "30930": "CAMPAIGN-LIMIT-PER-BRAND",  # brand campaign limit of 100 reached
}

#: Twilio request parameters -> the TCR field names our inputs use
PARAM_FIELDS: Mapping[str, str] = {
    "Description": "description",
    "MessageFlow": "messageFlow",
    "MessageSamples": "sample1",
    "UsAppToPersonUsecase": "usecase",
    "HasEmbeddedLinks": "embeddedLink",
    "HasEmbeddedPhone": "embeddedPhone",
    "OptInMessage": "optinMessage",
    "OptOutMessage": "optoutMessage",
    "HelpMessage": "helpMessage",
    "OptInKeywords": "optinKeywords",
    "OptOutKeywords": "optoutKeywords",
    "HelpKeywords": "helpKeywords",
    "SubscriberOptIn": "subscriberOptin",
    "AgeGated": "ageGated",
    "DirectLending": "directLending",
    "PrivacyPolicyUrl": "privacyPolicyLink",
    "TermsAndConditionsUrl": "termsAndConditionsLink",
    "BrandRegistrationSid": "brandId",
    "PhoneNumberSid": "phoneNumber",
}
_PARAM = re.compile(r"(?:required parameter|parameter)\s+([A-Za-z0-9]+)", re.IGNORECASE)


def param_field(message: str) -> str | None:
    """The TCR field of the parameter a Twilio message names, if any."""
    match = _PARAM.search(message or "")
    if not match:
        return None
    name = match.group(1)
    return PARAM_FIELDS.get(name, name)


def twilio_error(status: int, body: Any, text: str, headers: Mapping[str, str]) -> ProviderError:
    """Build the ProviderError for a non-2xx Twilio response."""
    if not isinstance(body, Mapping) or ("code" not in body and "message" not in body):
        detail = redact_text(text[:200]).strip() if text else ""
        return ProviderError(status_kind(status), detail or f"Twilio answered HTTP {status}", status=status)
    code = str(body.get("code")) if body.get("code") is not None else None
    message = str(body.get("message") or f"Twilio answered HTTP {status}")
    kind = CODE_KINDS.get(code or "", status_kind(status))
    field = param_field(message)
    fields = (field,) if field else ()
    issue = Issue(code=code or str(status), message=message, fields=fields)
    return ProviderError(kind, message, provider_code=code, fields=fields, status=status, issues=(issue,))
