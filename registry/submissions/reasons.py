"""Provider errors and review outcomes as rejection reasons in our vocabulary.

A reason is ``{"code", "message", "field", "rule", "source"}``: the provider's code and words, the TCR field it
blames, the rule of our catalog that checks the same thing (so the officer lands on the check the linter
runs), and who said it (``Telnyx``, ``TCR``, a carrier name). A provider code or field that means what one of
our rules checks is mapped to that rule; anything else keeps ``rule: None`` rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from registry.providers import tcr_errors, twilio_errors
from registry.providers.base import Issue, ProviderError
from registry.rules import CATALOG

#: provider codes whose meaning is one of our rules, whatever the field: TCR's 5xx codes (direct, or passed
#: through by Telnyx), Twilio's 30xxx registration codes, Telnyx's own. The code ranges do not overlap.
CODE_RULES: Mapping[str, str] = {
    "10016": "BRAND-PHONE-E164",
    **tcr_errors.RULE_CODES,
    **twilio_errors.RULE_CODES,
}
#: codes meaning "required field missing"
MISSING_CODES = frozenset({"10004"})

BRAND_FIELD_RULES: Mapping[str, str] = {
    "ein": "BRAND-EIN-FORMAT",
    "companyName": "BRAND-LEGALNAME-MATCHES-EIN",
    "email": "BRAND-EMAIL-VALID",
    "businessContactEmail": "BRAND-CONTACT-EMAIL-QUALITY",
    "phone": "BRAND-PHONE-E164",
    "mobilePhone": "BRAND-PHONE-E164",
    "entityType": "BRAND-ENTITY-TYPE-ENUM",
    "vertical": "BRAND-VERTICAL-ENUM",
    "stockExchange": "BRAND-STOCK-EXCHANGE-ENUM",
    "stockSymbol": "BRAND-STOCK-EXCHANGE-ENUM",
    "country": "BRAND-ADDRESS-FORMAT",
    "state": "BRAND-ADDRESS-FORMAT",
    "postalCode": "BRAND-ADDRESS-FORMAT",
    "street": "BRAND-ADDRESS-FORMAT",
    "city": "BRAND-ADDRESS-FORMAT",
    "altBusinessId": "BRAND-ALTID-CONSISTENT",
    "altBusinessIdType": "BRAND-ALTID-CONSISTENT",
    "displayName": "BRAND-FIELD-LENGTHS",
    "website": "BRAND-WEBSITE-LIVE",
}
CAMPAIGN_FIELD_RULES: Mapping[str, str] = {
    "usecase": "CAMPAIGN-USECASE-ENUM",
    "subUsecases": "CAMPAIGN-SUBUSECASE-COUNT",
    "description": "CAMPAIGN-FIELD-LENGTHS",
    "messageFlow": "CAMPAIGN-FIELD-LENGTHS",
    "helpMessage": "CAMPAIGN-FIELD-LENGTHS",
    "optoutMessage": "CAMPAIGN-FIELD-LENGTHS",
    "optinMessage": "CAMPAIGN-FIELD-LENGTHS",
    "optinKeywords": "CAMPAIGN-KEYWORD-FORMAT",
    "optoutKeywords": "CAMPAIGN-KEYWORD-FORMAT",
    "helpKeywords": "CAMPAIGN-KEYWORD-FORMAT",
    "referenceId": "CAMPAIGN-REFERENCEID",
    "mnoIds": "CAMPAIGN-MNOIDS-VALID",
    "resellerId": "CAMPAIGN-RESELLER",
    "privacyPolicyLink": "CAMPAIGN-PRIVACY-POLICY",
    "termsAndConditionsLink": "CAMPAIGN-TERMS",
    **{f"sample{i}": "CAMPAIGN-FIELD-LENGTHS" for i in range(1, 6)},
}
#: words in a reviewer's free-text reason -> the rule that checks the same thing (first match wins)
TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), rule)
    for pattern, rule in (
        (r"opt[- ]?out", "CAMPAIGN-SAMPLE-OPTOUT-LANGUAGE"),
        (r"opt[- ]?in disclosure|disclosure", "CAMPAIGN-CTA-DISCLOSURES"),
        (r"consent|opt[- ]?in|call to action|message flow", "CAMPAIGN-MESSAGEFLOW-VERIFIABLE"),
        (r"brand name", "CAMPAIGN-SAMPLE-BRAND-NAME"),
        (r"(do not|does not|don't) match the use ?case|use ?case", "CAMPAIGN-SAMPLE-USECASE-MATCH"),
        (r"privacy", "CAMPAIGN-PRIVACY-POLICY"),
        (r"terms", "CAMPAIGN-TERMS"),
        (r"\bEIN\b|tax id|legal (company )?name|IRS", "BRAND-LEGALNAME-MATCHES-EIN"),
        (r"sample count|at least \d+ (message )?samples", "CAMPAIGN-SAMPLE-COUNT"),
    )
)
SAMPLE_COUNT = re.compile(r"at least \d+ (message )?samples", re.IGNORECASE)


def source_label(provider: str, raw_status: str | None = None) -> str:
    """Who said it, for a reason's ``source``: the provider's name (TCR when Telnyx passes a TCR refusal on)."""
    if raw_status == "TCR_FAILED":
        return "TCR"
    return {"telnyx": "Telnyx", "sandbox": "Sandbox provider", "twilio": "Twilio", "tcr": "TCR"}.get(provider, provider)


def rule_for(subject: str, code: str | None, field: str | None, message: str) -> str | None:
    """The catalog rule a provider complaint corresponds to, or None."""
    if code and code in CODE_RULES:
        return CODE_RULES[code]
    if code in MISSING_CODES:
        return "BRAND-REQUIRED-BY-ENTITY" if subject == "brand" else "CAMPAIGN-FIELD-LENGTHS"
    if subject == "campaign" and SAMPLE_COUNT.search(message):
        return "CAMPAIGN-SAMPLE-COUNT"
    if field:
        table = BRAND_FIELD_RULES if subject == "brand" else CAMPAIGN_FIELD_RULES
        if field in table:
            return table[field]
    for pattern, rule in TEXT_RULES:
        if pattern.search(message) and (
            rule.startswith("CAMPAIGN") == (subject == "campaign") or rule.startswith("BRAND")
        ):
            return rule
    return None


def reason(subject: str, *, code: str | None, message: str, field: str | None, source: str) -> dict[str, Any]:
    """One reason, with the rule it maps to and, when the provider named no field, that rule's first field."""
    rule = rule_for(subject, code, field, message)
    if field is None and rule is not None and rule in CATALOG and CATALOG[rule].fields:
        field = CATALOG[rule].fields[0]
    return {"code": code or "", "message": message[:1000], "field": field, "rule": rule, "source": source}


def from_error(subject: str, error: ProviderError, *, source: str) -> list[dict[str, Any]]:
    """Every problem a refused request listed (not just the first)."""
    issues: Iterable[Issue] = error.issues or (
        Issue(error.provider_code or error.kind.value, error.message, tuple(error.fields)),
    )
    return [
        reason(subject, code=i.code or None, message=i.message, field=i.fields[0] if i.fields else None, source=source)
        for i in issues
    ]


def from_issues(subject: str, issues: Iterable[Issue], *, source: str) -> list[dict[str, Any]]:
    """Reasons from the issues a fetched record reports (failureReasons, identity feedback)."""
    return [
        reason(subject, code=i.code or None, message=i.message, field=i.fields[0] if i.fields else None, source=source)
        for i in issues
    ]
