"""Prohibited and restricted content in the registration text: S.H.A.F.T., cannabis and controlled substances,
high-risk finance, lead generation, gambling and sweepstakes, phishing patterns.

Word lists (``data/wordlists``) match whole words, with neutralising phrases ("glue gun", "weed control"), so
"Gunther", "screenshot" or a dental "cleaning" never count. The joined text of all fields is tested first;
single fields are scanned only when it matches. Alcohol, tobacco and firearms belong to CAMPAIGN-AGE-GATE.
"""

from __future__ import annotations

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, fact, wordlist, wordset
from ..text.patterns import LEAD, Alternatives
from .campaign_text import CampaignText, campaign_text
from .campaign_words import terms, word_group
from .wording import unnegated

_SHAFT = (
    ("sex", "sexual content"),
    ("hate", "hate speech"),
    ("violence", "threats of violence"),
    ("profanity", "profanity"),
)
_CRYPTO = frozenset(
    {
        "crypto",
        "cryptocurrency",
        "cryptocurrencies",
        "bitcoin",
        "ethereum",
        "dogecoin",
        "altcoin",
        "altcoins",
        "nft",
        "nfts",
    }
)
#: use cases where a stock or crypto platform may message its own users (2FA and transactional only)
_TRANSACTIONAL_USECASES = frozenset(
    {"2FA", "ACCOUNT_NOTIFICATION", "SECURITY_ALERT", "FRAUD_ALERT", "CUSTOMER_CARE"}
)

_CREDENTIAL = Alternatives((
    ("password", "pin", "social security", "ssn", "card number", "credit card", "debit card", "cvv", "cvc",
     "bank account", "routing number", "login details", "credentials", "account number"),
    r"\b(?:send|reply(?: with)?|text|provide|confirm|enter|update|verify|give|share|submit)\b[^.!?]{0,30}?"
    r"\b(?:password|pin|social security(?: number)?|ssn|car"
    r"d number|credit card|debit card|cvv|cvc|bank account|"
    r"routing number|login details|credentials|account number)\b",
))
_LURE = Alternatives(
    (("account ",), r"\baccount (?:has been |is |was |will be )?(?:locked|suspended|frozen|disabled|closed|"
                    r"deactivated|compromised|on hold)\b", LEAD),
    (("verify your ",), r"\bverify your (?:account|identity|information)\b", LEAD),
    ((" now", " immediately", " within "),
     r"\b(?:act|respond|verify|click|confirm) (?:now|immediately|within \d+ hours?)\b"),
    (("final ",), r"\bfinal (?:notice|warning)\b", LEAD),
    (("unusual ",), r"\bunusual (?:activity|sign-?in)\b", LEAD),
    (("package ",), r"\bpackage (?:could not|cannot|can't) be delivered\b", LEAD),
    (("unpaid ",), r"\bunpaid (?:toll|fee|invoice|balance)\b", LEAD),
)
_CREDENTIAL_WORDS = wordset(
    "password pin social ssn card credit debit cvv cvc bank routing login credentials account"
)
_LURE_WORDS = wordset("account verify act respond click confirm final unusual package unpaid")
_TRIGGERS = wordset(
    "password pin ssn social card cvv cvc bank routing credentials login account verify locked "
    "suspended frozen immediately final unusual delivered unpaid"
)


_SETS: dict[tuple[str, ...], frozenset[str]] = {}


def _scan(ct: CampaignText, names: tuple[str, ...]) -> list[tuple[str, str, list[str]]]:
    """``(field, list name, terms)`` for each field where a list matches (fast negative test on the whole)."""
    if not ct.may_match(_SETS.get(names) or _SETS.setdefault(names, frozenset(names))):
        return []
    hits = [wl for n in names if ct.any(wl := wordlist(n))]
    if not hits:
        return []
    return [(field, wl.name, found) for field, d in ct.docs.items() for wl in hits if (found := ct.find(wl, d))]


_SHAFT_LABELS = dict(_SHAFT)
_SHAFT_NAMES = tuple(_SHAFT_LABELS)


def shaft(ctx: LintContext) -> list[Finding]:
    """No sexual, hateful, violent or profane content."""
    by_field: dict[str, list[str]] = {}
    for field, name, found in _scan(campaign_text(ctx), _SHAFT_NAMES):
        by_field.setdefault(field, []).append(f"{_SHAFT_LABELS[name]}: {', '.join(found)}")
    return [finding("CONTENT-SHAFT", field, f"{field} contains disallowed content ({'; '.join(parts)}).")
            for field, parts in by_field.items()]


def cannabis(ctx: LintContext) -> list[Finding]:
    """No cannabis, CBD or other controlled-substance content."""
    return [
        finding(
            "CONTENT-CANNABIS-CBD",
            field,
            f"{field} mentions controlled substances or drugs without a prescription ({', '.join(found)}).",
        )
        for field, _, found in _scan(campaign_text(ctx), ("cannabis",))
    ]


def high_risk_finance(ctx: LintContext) -> list[Finding]:
    """No high-risk financial services."""
    transactional = ctx.campaign.get("usecase") in _TRANSACTIONAL_USECASES
    out = []
    for field, _, found in _scan(campaign_text(ctx), ("high_risk_finance",)):
        if transactional and set(found) <= _CRYPTO:
            out.append(finding(
                "CONTENT-HIGH-RISK-FINANCE",
                field,
                f"{field} mentions cryptocurrency ({', '.join(found)}): allowed only for the platform's "
                "own 2FA and account notices, never for promotion.",
                severity="warning",
            ))
        else:
            out.append(finding(
                "CONTENT-HIGH-RISK-FINANCE",
                field,
                f"{field} mentions a high-risk financial service ({', '.join(found)}).",
            ))
    return out


_LEAD_GEN_LABELS = {
    "lead_generation": "lead generation or data resale",
    "gambling": "gambling",
    "sweepstakes": "a sweepstakes outside the SWEEPSTAKE use case",
}


def lead_gen_gambling(ctx: LintContext) -> list[Finding]:
    """No lead generation, gambling, or sweepstakes outside SWEEPSTAKE."""
    names = (
        ("lead_generation", "gambling")
        if ctx.campaign.get("usecase") == "SWEEPSTAKE"
        else ("lead_generation", "gambling", "sweepstakes")
    )
    return [
        finding("CONTENT-LEAD-GEN-GAMBLING", field, f"{field} mentions {_LEAD_GEN_LABELS[name]} ({', '.join(found)}).")
        for field, name, found in _scan(campaign_text(ctx), names)
    ]


def _phishing_verdict(d: Doc) -> tuple[str | None, tuple[str, ...]]:
    """(why the field looks like phishing, or None; impersonated names still to be checked against the
    brand's own name): everything but the brand comparison, worked out once per distinct text."""
    low = d.lower
    words = d.tokens
    m = unnegated(_CREDENTIAL, low) if not _CREDENTIAL_WORDS.isdisjoint(words) else None
    if m:
        return f"asks for sensitive data ('{d.raw[m.start() : m.end()]}')", ()
    m = _LURE.search(low) if not _LURE_WORDS.isdisjoint(words) else None
    lure = d.raw[m.start() : m.end()] if m else None
    linked = bool(d.url_parts) or any(kind == "link" for _, _, kind in d.placeholder_parts)
    if lure and linked:
        return f"pairs an urgent account lure ('{lure}') with a link", ()
    if lure or linked:
        return None, terms("impersonation", d)
    return None, ()


def _phishing(d: Doc, brand: tuple[str, ...]) -> str | None:
    why, names = fact(d, _phishing_verdict)
    if why is None and names:
        if brand:
            names = [n for n in names if not any(f" {n} " in b for b in brand)]
        if names:
            return f"names {', '.join(names)} next to a link or an urgent request, as impersonation scams do"
    return why


_TRIGGER_GROUP = word_group("phishing", _TRIGGERS)


def phishing(ctx: LintContext) -> list[Finding]:
    """No credential requests, urgent account lures or impersonation in the messages."""
    ct = campaign_text(ctx)
    impersonation = wordlist("impersonation")
    if not ct.has_group(_TRIGGER_GROUP) and not ct.any(impersonation):
        return []
    out = []
    brand = ct.brand
    for field, d in ct.docs.items():
        if field in ("description", "messageFlow"):
            continue
        why = _phishing(d, brand)
        if why:
            out.append(finding("CONTENT-PHISHING-PATTERNS", field, f"{field} {why}."))
    return out


#: every word list and group the content rules start from: a campaign touching none of them is clean
_CONTENT_NAMES = frozenset(
    ["sex", "hate", "violence", "profanity", "cannabis", "high_risk_finance", "lead_generation", "gambling",
     "sweepstakes", "impersonation", _TRIGGER_GROUP]
)


@check("CONTENT-SHAFT", "CONTENT-CANNABIS-CBD", "CONTENT-HIGH-RISK-FINANCE", "CONTENT-LEAD-GEN-GAMBLING",
       "CONTENT-PHISHING-PATTERNS", needs=CAMPAIGN)
def content(ctx: LintContext) -> list[Finding]:
    """The prohibited-content rules above, as one check: they share the campaign's word lists, and a campaign
    that touches none of them is done after one set test."""
    if not campaign_text(ctx).may_match(_CONTENT_NAMES):
        return []
    return [*shaft(ctx), *cannabis(ctx), *high_risk_finance(ctx), *lead_gen_gambling(ctx), *phishing(ctx)]
