"""What the campaign tells reviewers and subscribers: description, message flow and call to action, privacy
policy and terms (the content attributes are in ``campaign_flags``)."""

from __future__ import annotations

import functools
import re

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, WordIndex, fact, registrable_domain, wordset
from ..text.patterns import LEAD, Alternatives
from .campaign_text import brand_domain, campaign_text, flag, link_urls, text
from .campaign_usecases import USECASES
from .campaign_words import names_brand, tokens, word_group
from .campaign_words import terms as listed
from .wording import SHARE_WORDS, says_help, says_stop, states_frequency, states_rates, unnegated

_PRECHECKED = Alternatives((
    ("pre", "by default", "auto"),
    r"\b(?:pre-?checked|pre-?selected|pre-?ticked|pre-?filled consent|(?:checked|ticked|selected) by default"
    r"|auto(?:matically)?[- ](?:checked|ticked|opted[- ]in|enrolled|subscribed))\b",
))
_MANDATORY = Alternatives(
    (("required", "mandatory", "must "),
     r"\b(?:required|mandatory|must (?:check|tick|agree|consent|accept|opt[- ]in))\b[^.]{0,40}?\bto "
     r"(?:complete|continue|proceed|purchase|check ?out|create|register|sign up|submit|book|use)\b", LEAD),
    (("condition of ",),
     r"\bcondition of (?:purchase|service|sign(?:ing)?[- ]?up|enrollment|registration|employment|using)\b",
     LEAD),
    ((" is required", " is mandatory"), r"\b(?:checkbox|check box|box|consent|opt-in) is (?:required|mandatory)\b"),
    (("required ", "mandatory "), r"\b(?:required|mandatory) (?:checkbox|check box|consent|opt-in)\b", LEAD),
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
#: the literals a sentence about sharing with others needs (one of the recipients the patterns below name)
_RECIPIENTS = ("third", "partner", "affiliate", "sponsor", "vendor", "others")
_SHARE_ACTIVE = Alternatives((
    _RECIPIENTS,
    r"\b(?:share|sell|rent|disclose|transfer|trade)s?\b[^.]{0,60}?\b(?:mobile|phone|cell|numbers?|opt-?in|sms|"
    r"text(?:ing)?)\b[^.]{0,60}?\b(?:third[- ]part(?:y|ies"
    r")|partners?|affiliates?|sponsors?|vendors?|others)\b",
))
_SHARE_PASSIVE = Alternatives((
    _RECIPIENTS,
    r"\b(?:mobile|phone|cell|numbers?|opt-?in|sms)\b[^.]{0,60}?\b(?:shared|sold|rented|disclosed|transferred|"
    r"traded)\b[^.]{0,60}?\b(?:third[- ]part(?:y|ies)|partners?|affiliates?|sponsors?|vendors?|others)\b",
))
_CONSENT_EXCEPTION = re.compile(r"\b(?:except|unless|other than)\b[^.]{0,50}\b(?:consent|permission|agree)")


#: use case id -> its description vocabulary, inverted: which use cases a description's words fit
_VOCABULARY = WordIndex({uc.id: uc.vocabulary for uc in USECASES.values() if uc.vocabulary})


def _fitting_usecases(d: Doc) -> tuple[str, ...]:
    return tuple(_VOCABULARY.names(tokens(d)))


def description_quality(ctx: LintContext) -> list[Finding]:
    """Description names the sender, the recipients and a purpose that fits the use case."""
    ct = campaign_text(ctx)
    d = ct.get("description")
    if d is None:
        return []
    rule = "CAMPAIGN-DESCRIPTION-QUALITY"
    uc = USECASES.get(ctx.campaign.get("usecase")) if isinstance(ctx.campaign.get("usecase"), str) else None
    has_brand = names_brand(d, ct.brand) if ct.brand else None
    fits_usecase = bool(uc and uc.vocabulary and uc.id in fact(d, _fitting_usecases))
    has_purpose = fits_usecase or bool(listed("purposes", d))
    if not has_purpose and not has_brand:
        return [finding(
            rule,
            "description",
            "The description is generic: it names neither the brand nor any "
            "concrete kind of message or purpose.",
        )]
    out = []
    if has_brand is False:
        out.append(finding(
            rule, "description", "The description does not name the sender (the brand).", severity="warning"
        ))
    gaps = []
    if not listed("recipients", d):
        gaps.append("who receives the messages")
    if uc and uc.vocabulary and not fits_usecase:
        gaps.append(f"messages that fit the {uc.id} use case")
    if gaps:
        out.append(finding(
            rule, "description", "The description does not say " + " or ".join(gaps) + ".", severity="warning"
        ))
    return out


#: a finding as plain values, (rule, field, message, severity or None), as texts memoise them (a Finding
#: object on a cached text would keep it in the garbage collector's sight)
_Spec = tuple[str, str, str, "str | None"]


def _spec(rule: str, field: str, message: str, *, severity: str | None = None) -> _Spec:
    return rule, field, message, severity


@functools.lru_cache(maxsize=1024)
def _shared_finding(rule: str, field: str, message: str, severity: str | None) -> Finding:
    return finding(rule, field, message, severity=severity)


def _findings(specs: tuple[_Spec, ...]) -> tuple[Finding, ...]:
    return tuple(_shared_finding(*s) for s in specs) if specs else ()


def _flow_findings(flow: Doc) -> tuple[_Spec, ...]:
    """The CAMPAIGN-MESSAGEFLOW-VERIFIABLE findings of a message flow (its text alone decides them)."""
    rule = "CAMPAIGN-MESSAGEFLOW-VERIFIABLE"
    out = []
    methods = set(listed("optin_methods", flow))
    if not methods:
        out.append(_spec(
            rule,
            "messageFlow",
            "The message flow does not describe how subscribers opt in (web form, "
            "keyword, paper form, verbal, app...).",
        ))
    elif not flow.url_parts and methods & _VERIFIABLE_METHODS:
        kinds = sorted(methods & _VERIFIABLE_METHODS)
        out.append(_spec(
            rule,
            "messageFlow",
            f"The opt-in ({', '.join(kinds)}) cannot be verified: give the public "
            "URL of the form, or a link to a hosted screenshot or script.",
            severity="warning",
        ))
    low = flow.lower
    words = tokens(flow)
    if not _PRECHECK_WORDS.isdisjoint(words) and unnegated(_PRECHECKED, low):
        out.append(_spec(
            rule,
            "messageFlow",
            "The consent checkbox is pre-checked; consent must be given through an unchecked box.",
        ))
    if not _MANDATORY_WORDS.isdisjoint(words) and unnegated(_MANDATORY, low):
        out.append(_spec(
            rule,
            "messageFlow",
            "Consent to texts is required to buy or sign up; SMS consent must be optional.",
        ))
    return tuple(out)


_VERIFIABLE_METHODS = _WEB_METHODS | _OFFLINE_METHODS


def messageflow_verifiable(ctx: LintContext) -> tuple[Finding, ...]:
    """Message flow describes each opt-in path verifiably, with optional, unticked consent."""
    if ctx.campaign.get("usecase") == "M2M":
        return ()
    flow = campaign_text(ctx).get("messageFlow")
    if flow is None:
        return ()
    return _findings(fact(flow, _flow_findings))


def _cta_findings(flow: Doc) -> tuple[_Spec, ...]:
    """The CAMPAIGN-CTA-DISCLOSURES findings a message flow's text decides (all but the brand name)."""
    rule = "CAMPAIGN-CTA-DISCLOSURES"
    out = []
    if not fact(flow, states_frequency):
        out.append(_spec(rule, "messageFlow", "The call to action does not state the message frequency."))
    if not fact(flow, states_rates):
        out.append(_spec(rule, "messageFlow", "The call to action lacks 'Msg & data rates may apply'."))
    if not fact(flow, says_stop):
        out.append(_spec(rule, "messageFlow", "The call to action does not say how to opt out (STOP)."))
    if not says_help(flow):
        out.append(_spec(rule, "messageFlow", "The call to action does not say how to get help (HELP)."))
    norm = flow.norm
    if " terms " not in norm and " conditions " not in norm and " t c " not in norm:
        out.append(_spec(
            rule,
            "messageFlow",
            "The call to action does not link the terms and conditions.",
            severity="warning",
        ))
    if " privacy " not in norm:
        out.append(_spec(
            rule, "messageFlow", "The call to action does not link the privacy policy.", severity="warning"
        ))
    return tuple(out)


def cta_disclosures(ctx: LintContext) -> tuple[Finding, ...] | list[Finding]:
    """The call to action quoted in the message flow carries every required disclosure."""
    campaign = ctx.campaign
    if campaign.get("usecase") == "M2M" or flag(campaign, "subscriberOptin") is False:
        return ()
    ct = campaign_text(ctx)
    flow = ct.get("messageFlow")
    if flow is None:
        return ()
    found = _findings(fact(flow, _cta_findings))
    if ct.brand and not names_brand(flow, ct.brand):
        return [finding("CAMPAIGN-CTA-DISCLOSURES", "messageFlow",
                        "The call to action does not name the brand or program."), *found]
    return found


_LINK_FIELDS = {
    "privacyPolicyLink": ("CAMPAIGN-PRIVACY-POLICY", "privacy policy"),
    "termsAndConditionsLink": ("CAMPAIGN-TERMS", "terms and conditions"),
}


@functools.lru_cache(maxsize=65536)
def _link_findings(field: str, link: str, domain: str | None) -> tuple[Finding, ...]:
    """The findings on a privacy or terms link (stripped) given the brand's registrable domain."""
    rule, what = _LINK_FIELDS[field]
    if not link:
        return (finding(rule, field, f"No {what} link."),)
    urls = link_urls(link)
    if not urls or urls[0][0] != link:
        return (finding(rule, field, f"{field} is not a single web address: {link!r}."),)
    _, scheme, host, _ = urls[0]
    out = []
    if scheme != "https":
        out.append(finding(rule, field, f"The {what} link must use https://, not {scheme or 'no scheme'}."))
    if domain and registrable_domain(host) != domain:
        out.append(finding(
            rule,
            field,
            f"The {what} is hosted on {host}, not on the brand's site ({domain}); "
            "reviewers expect it to match the brand.",
            severity="warning",
        ))
    return tuple(out)


def _link_findings_of(ctx: LintContext, field: str) -> tuple[Finding, ...]:
    link = text(ctx.campaign, field)
    return _link_findings(field, link, brand_domain(ctx) if link else None)


def _sharing(d: Doc) -> tuple[str, str] | None:
    """("share", quote) or ("exception", "") when the text allows sharing mobile data, else ``None``."""
    low = d.lower
    m = unnegated(_SHARE_ACTIVE, low) or unnegated(_SHARE_PASSIVE, low)
    if m:
        return "share", d.raw[m.start() : m.end()][:80]
    if (_SHARE_ACTIVE.found(low) or _SHARE_PASSIVE.found(low)) and _CONSENT_EXCEPTION.search(low):
        return "exception", ""
    return None


_SHARE_GROUP = word_group("share", SHARE_WORDS)


def privacy_policy(ctx: LintContext) -> tuple[Finding, ...] | list[Finding]:
    """Privacy link present, https, on the brand's site; no sharing of mobile data in the text."""
    rule = "CAMPAIGN-PRIVACY-POLICY"
    found = _link_findings_of(ctx, "privacyPolicyLink")
    ct = campaign_text(ctx)
    if not ct.has_group(_SHARE_GROUP):
        return found
    out = list(found)
    for field in ("description", "messageFlow"):
        d: Doc | None = ct.get(field)
        if d is None:
            continue
        sharing = fact(d, _sharing)
        if sharing is None:
            continue
        if sharing[0] == "share":
            out.append(finding(
                rule,
                field,
                f"The text allows sharing mobile numbers or opt-in data with third parties ('{sharing[1]}').",
            ))
        else:
            out.append(finding(
                rule,
                field,
                "The no-sharing statement has a consent exception; reviewers reject "
                "'except with your consent' sharing of mobile data.",
            ))
    return out


def terms(ctx: LintContext) -> tuple[Finding, ...]:
    """Terms and conditions link present, https, on the brand's site."""
    return _link_findings_of(ctx, "termsAndConditionsLink")


@check("CAMPAIGN-DESCRIPTION-QUALITY", "CAMPAIGN-MESSAGEFLOW-VERIFIABLE", "CAMPAIGN-CTA-DISCLOSURES",
       "CAMPAIGN-PRIVACY-POLICY", "CAMPAIGN-TERMS", needs=CAMPAIGN)
def disclosures(ctx: LintContext) -> list[Finding]:
    """The description, message-flow, call-to-action, privacy and terms rules above, as one check."""
    return [*description_quality(ctx), *messageflow_verifiable(ctx), *cta_disclosures(ctx), *privacy_policy(ctx),
            *terms(ctx)]
