"""What the campaign tells reviewers and subscribers: description, message flow and call to action, privacy
policy and terms (the content attributes are in ``campaign_flags``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, mentions, registrable_domain, wordset
from .campaign_text import (
    SHARE_WORDS,
    brand_domain,
    campaign_text,
    flag,
    link_urls,
    says_help,
    says_stop,
    states_frequency,
    states_rates,
    text,
    unnegated,
)
from .campaign_usecases import USECASES

_PRECHECKED = re.compile(
    r"\b(?:pre-?checked|pre-?selected|pre-?ticked|pre-?filled consent|(?:checked|ticked|selected) by default"
    r"|auto(?:matically)?[- ](?:checked|ticked|opted[- ]in|enrolled|subscribed))\b"
)
_MANDATORY = re.compile(
    r"\b(?:required|mandatory|must (?:check|tick|agree|consent|accept|opt[- ]in))\b[^.]{0,40}?\bto "
    r"(?:complete|continue|proceed|purchase|check ?out|create|register|sign up|submit|book|use)\b"
    r"|\bcondition of (?:purchase|service|sign(?:ing)?[- ]?up|enrollment|registration|employment|using)\b"
    r"|\b(?:checkbox|check box|box|consent|opt-in) is (?:required|mandatory)\b"
    r"|\b(?:required|mandatory) (?:checkbox|check box|consent|opt-in)\b"
)
_PRECHECK_WORDS = wordset("pre prechecked preselected preticked default auto automatically")
_MANDATORY_WORDS = frozenset(["required", "mandatory", "must", "condition"])
_WEB_METHODS = frozenset(
    {
        "website",
        "web form",
        "webform",
        "online form",
        "form",
        "forms",
        "sign up page",
        "checkout",
        "app",
        "mobile app",
        "in app",
        "qr code",
    }
)
_OFFLINE_METHODS = frozenset(
    {"paper form", "verbal", "verbally", "in person", "phone call", "ivr", "in store", "point of sale"}
)
_SHARE_ACTIVE = re.compile(
    r"\b(?:share|sell|rent|disclose|transfer|trade)s?\b[^.]{0,60}?\b(?:mobile|phone|cell|numbers?|opt-?in|sms|"
    r"text(?:ing)?)\b[^.]{0,60}?\b(?:third[- ]part(?:y|ies"
    r")|partners?|affiliates?|sponsors?|vendors?|others)\b"
)
_SHARE_PASSIVE = re.compile(
    r"\b(?:mobile|phone|cell|numbers?|opt-?in|sms)\b[^.]{0,60}?\b(?:shared|sold|rented|disclosed|transferred|"
    r"traded)\b[^.]{0,60}?\b(?:third[- ]part(?:y|ies)|partners?|affiliates?|sponsors?|vendors?|others)\b"
)
_CONSENT_EXCEPTION = re.compile(r"\b(?:except|unless|other than)\b[^.]{0,50}\b(?:consent|permission|agree)")


@check("CAMPAIGN-DESCRIPTION-QUALITY", needs=CAMPAIGN)
def description_quality(ctx: LintContext) -> Iterator[Finding]:
    """Description names the sender, the recipients and a purpose that fits the use case."""
    ct = campaign_text(ctx)
    d = ct.get("description")
    if d is None:
        return
    rule = "CAMPAIGN-DESCRIPTION-QUALITY"
    uc = USECASES.get(ctx.campaign.get("usecase")) if isinstance(ctx.campaign.get("usecase"), str) else None
    has_brand = mentions(d, ct.brand) if ct.brand else None
    fits_usecase = bool(uc and uc.vocabulary and ct.has_word(d, uc.vocabulary))
    has_purpose = fits_usecase or ct.any("purposes", d)
    if not has_purpose and not has_brand:
        yield finding(
            rule,
            "description",
            "The description is generic: it names neither the brand nor any "
            "concrete kind of message or purpose.",
        )
        return
    if has_brand is False:
        yield finding(
            rule, "description", "The description does not name the sender (the brand).", severity="warning"
        )
    gaps = []
    if not ct.any("recipients", d):
        gaps.append("who receives the messages")
    if uc and uc.vocabulary and not fits_usecase:
        gaps.append(f"messages that fit the {uc.id} use case")
    if gaps:
        yield finding(
            rule, "description", "The description does not say " + " or ".join(gaps) + ".", severity="warning"
        )


@check("CAMPAIGN-MESSAGEFLOW-VERIFIABLE", needs=CAMPAIGN)
def messageflow_verifiable(ctx: LintContext) -> Iterator[Finding]:
    """Message flow describes each opt-in path verifiably, with optional, unticked consent."""
    if ctx.campaign.get("usecase") == "M2M":
        return
    ct = campaign_text(ctx)
    flow = ct.get("messageFlow")
    if flow is None:
        return
    rule = "CAMPAIGN-MESSAGEFLOW-VERIFIABLE"
    methods = set(ct.find("optin_methods", flow))
    if not methods:
        yield finding(
            rule,
            "messageFlow",
            "The message flow does not describe how subscribers opt in (web form, "
            "keyword, paper form, verbal, app...).",
        )
    elif not flow.urls and methods & (_WEB_METHODS | _OFFLINE_METHODS):
        kinds = sorted(methods & (_WEB_METHODS | _OFFLINE_METHODS))
        yield finding(
            rule,
            "messageFlow",
            f"The opt-in ({', '.join(kinds)}) cannot be verified: give the public "
            "URL of the form, or a link to a hosted screenshot or script.",
            severity="warning",
        )
    low = flow.lower
    if ct.has_word(flow, _PRECHECK_WORDS) and unnegated(_PRECHECKED, low):
        yield finding(
            rule,
            "messageFlow",
            "The consent checkbox is pre-checked; consent must be given through an unchecked box.",
        )
    if ct.has_word(flow, _MANDATORY_WORDS) and unnegated(_MANDATORY, low):
        yield finding(
            rule,
            "messageFlow",
            "Consent to texts is required to buy or sign up; SMS consent must be optional.",
        )


@check("CAMPAIGN-CTA-DISCLOSURES", needs=CAMPAIGN)
def cta_disclosures(ctx: LintContext) -> Iterator[Finding]:
    """The call to action quoted in the message flow carries every required disclosure."""
    campaign = ctx.campaign
    if campaign.get("usecase") == "M2M" or flag(campaign, "subscriberOptin") is False:
        return
    ct = campaign_text(ctx)
    flow = ct.get("messageFlow")
    if flow is None:
        return
    rule = "CAMPAIGN-CTA-DISCLOSURES"
    if ct.brand and not mentions(flow, ct.brand):
        yield finding(rule, "messageFlow", "The call to action does not name the brand or program.")
    if not states_frequency(flow):
        yield finding(rule, "messageFlow", "The call to action does not state the message frequency.")
    if not states_rates(flow):
        yield finding(rule, "messageFlow", "The call to action lacks 'Msg & data rates may apply'.")
    if not says_stop(flow):
        yield finding(rule, "messageFlow", "The call to action does not say how to opt out (STOP).")
    if not says_help(flow):
        yield finding(rule, "messageFlow", "The call to action does not say how to get help (HELP).")
    norm = flow.norm
    if " terms " not in norm and " conditions " not in norm and " t c " not in norm:
        yield finding(
            rule,
            "messageFlow",
            "The call to action does not link the terms and conditions.",
            severity="warning",
        )
    if " privacy " not in norm:
        yield finding(
            rule, "messageFlow", "The call to action does not link the privacy policy.", severity="warning"
        )


def _link_findings(
    ctx: LintContext, rule: str, field: str, what: str, missing_severity: str | None
) -> Iterator[Finding]:
    link = text(ctx.campaign, field)
    if not link:
        yield finding(rule, field, f"No {what} link.", severity=missing_severity)
        return
    urls = link_urls(link)
    if not urls or urls[0].text != link:
        yield finding(rule, field, f"{field} is not a single web address: {link!r}.")
        return
    url = urls[0]
    if url.scheme != "https":
        yield finding(rule, field, f"The {what} link must use https://, not {url.scheme or 'no scheme'}.")
    domain = brand_domain(ctx)
    if domain and registrable_domain(url.host) != domain:
        yield finding(
            rule,
            field,
            f"The {what} is hosted on {url.host}, not on the brand's site ({domain}); "
            "reviewers expect it to match the brand.",
            severity="warning",
        )


@check("CAMPAIGN-PRIVACY-POLICY", needs=CAMPAIGN)
def privacy_policy(ctx: LintContext) -> Iterator[Finding]:
    """Privacy link present, https, on the brand's site; no sharing of mobile data in the text."""
    rule = "CAMPAIGN-PRIVACY-POLICY"
    yield from _link_findings(ctx, rule, "privacyPolicyLink", "privacy policy", None)
    ct = campaign_text(ctx)
    if SHARE_WORDS.isdisjoint(ct.all.words):
        return
    for field in ("description", "messageFlow"):
        d: Doc | None = ct.get(field)
        if d is None:
            continue
        low = d.lower
        m = unnegated(_SHARE_ACTIVE, low) or unnegated(_SHARE_PASSIVE, low)
        if m:
            yield finding(
                rule,
                field,
                f"The text allows sharing mobile numbers or opt-in data with third parties "
                f"('{d.raw[m.start() : m.end()][:80]}').",
            )
        elif (_SHARE_ACTIVE.search(low) or _SHARE_PASSIVE.search(low)) and _CONSENT_EXCEPTION.search(low):
            yield finding(
                rule,
                field,
                "The no-sharing statement has a consent exception; reviewers reject "
                "'except with your consent' sharing of mobile data.",
            )


@check("CAMPAIGN-TERMS", needs=CAMPAIGN)
def terms(ctx: LintContext) -> Iterator[Finding]:
    """Terms and conditions link present, https, on the brand's site."""
    yield from _link_findings(ctx, "CAMPAIGN-TERMS", "termsAndConditionsLink", "terms and conditions", None)
