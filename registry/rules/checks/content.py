"""Prohibited and restricted content in the registration text: S.H.A.F.T., cannabis and controlled substances,
high-risk finance, lead generation, gambling and sweepstakes, phishing patterns.

Word lists (``data/wordlists``) match whole words, with neutralising phrases ("glue gun", "weed control"), so
"Gunther", "screenshot" or a dental "cleaning" never count. The joined text of all fields is tested first;
single fields are scanned only when it matches. Alcohol, tobacco and firearms belong to CAMPAIGN-AGE-GATE.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, WordList, wordlist, wordset
from .campaign_text import CampaignText, campaign_text, unnegated

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

_CREDENTIAL = re.compile(
    r"\b(?:send|reply(?: with)?|text|provide|confirm|enter|update|verify|give|share|submit)\b[^.!?]{0,30}?"
    r"\b(?:password|pin|social security(?: number)?|ssn|car"
    r"d number|credit card|debit card|cvv|cvc|bank account|"
    r"routing number|login details|credentials|account number)\b"
)
_LURE = re.compile(
    r"\baccount (?:has been |is |was |will be )?(?:locked|suspended|frozen|disabled|closed|deactivated|"
    r"compromised|on hold)\b|\bverify your (?:account|identity|information)\b|\b(?:act|respond|verify|click|"
    r"confirm) (?:now|immediately|within \d+ hours?)\b|\bfina"
    r"l (?:notice|warning)\b|\bunusual (?:activity|sign-?in)\b"
    r"|\bpackage (?:could not|cannot|can't) be delivered\b|\bunpaid (?:toll|fee|invoice|balance)\b"
)
_CREDENTIAL_WORDS = wordset(
    "password pin social ssn card credit debit cvv cvc bank routing login credentials account"
)
_LURE_WORDS = wordset("account verify act respond click confirm final unusual package unpaid")
_TRIGGERS = wordset(
    "password pin ssn social card cvv cvc bank routing credentials login account verify locked "
    "suspended frozen immediately final unusual delivered unpaid"
)


def _scan(ct: CampaignText, names: tuple[str, ...]) -> Iterator[tuple[str, str, list[str]]]:
    """``(field, list name, terms)`` for each field where a list matches (fast negative test on the whole)."""
    hits = [wl for n in names if ct.any(wl := wordlist(n))]
    if not hits:
        return
    for field, d in ct.docs.items():
        for wl in hits:
            found = ct.find(wl, d)
            if found:
                yield field, wl.name, found


@check("CONTENT-SHAFT", needs=CAMPAIGN)
def shaft(ctx: LintContext) -> Iterator[Finding]:
    """No sexual, hateful, violent or profane content."""
    labels = dict(_SHAFT)
    by_field: dict[str, list[str]] = {}
    for field, name, found in _scan(campaign_text(ctx), tuple(labels)):
        by_field.setdefault(field, []).append(f"{labels[name]}: {', '.join(found)}")
    for field, parts in by_field.items():
        yield finding("CONTENT-SHAFT", field, f"{field} contains disallowed content ({'; '.join(parts)}).")


@check("CONTENT-CANNABIS-CBD", needs=CAMPAIGN)
def cannabis(ctx: LintContext) -> Iterator[Finding]:
    """No cannabis, CBD or other controlled-substance content."""
    for field, _, found in _scan(campaign_text(ctx), ("cannabis",)):
        yield finding(
            "CONTENT-CANNABIS-CBD",
            field,
            f"{field} mentions controlled substances or drugs without a prescription ({', '.join(found)}).",
        )


@check("CONTENT-HIGH-RISK-FINANCE", needs=CAMPAIGN)
def high_risk_finance(ctx: LintContext) -> Iterator[Finding]:
    """No high-risk financial services."""
    transactional = ctx.campaign.get("usecase") in _TRANSACTIONAL_USECASES
    for field, _, found in _scan(campaign_text(ctx), ("high_risk_finance",)):
        if transactional and set(found) <= _CRYPTO:
            yield finding(
                "CONTENT-HIGH-RISK-FINANCE",
                field,
                f"{field} mentions cryptocurrency ({', '.join(found)}): allowed only for the platform's "
                "own 2FA and account notices, never for promotion.",
                severity="warning",
            )
        else:
            yield finding(
                "CONTENT-HIGH-RISK-FINANCE",
                field,
                f"{field} mentions a high-risk financial service ({', '.join(found)}).",
            )


@check("CONTENT-LEAD-GEN-GAMBLING", needs=CAMPAIGN)
def lead_gen_gambling(ctx: LintContext) -> Iterator[Finding]:
    """No lead generation, gambling, or sweepstakes outside SWEEPSTAKE."""
    names = (
        ("lead_generation", "gambling")
        if ctx.campaign.get("usecase") == "SWEEPSTAKE"
        else ("lead_generation", "gambling", "sweepstakes")
    )
    labels = {
        "lead_generation": "lead generation or data resale",
        "gambling": "gambling",
        "sweepstakes": "a sweepstakes outside the SWEEPSTAKE use case",
    }
    for field, name, found in _scan(campaign_text(ctx), names):
        yield finding(
            "CONTENT-LEAD-GEN-GAMBLING", field, f"{field} mentions {labels[name]} ({', '.join(found)})."
        )


def _phishing(d: Doc, ct: CampaignText, impersonation: WordList) -> str | None:
    low = d.lower
    cred = unnegated(_CREDENTIAL, low) if ct.has_word(d, _CREDENTIAL_WORDS) else None
    if cred:
        return f"asks for sensitive data ('{d.raw[cred.start() : cred.end()]}')"
    lure = _LURE.search(low) if ct.has_word(d, _LURE_WORDS) else None
    linked = bool(d.urls) or any(p.kind == "link" for p in d.placeholders)
    if lure and linked:
        return f"pairs an urgent account lure ('{d.raw[lure.start() : lure.end()]}') with a link"
    names = ct.find(impersonation, d)
    names = [n for n in names if not any(f" {n} " in b for b in ct.brand)]
    if names and (lure or linked):
        return f"names {', '.join(names)} next to a link or an urgent request, as impersonation scams do"
    return None


@check("CONTENT-PHISHING-PATTERNS", needs=CAMPAIGN)
def phishing(ctx: LintContext) -> Iterator[Finding]:
    """No credential requests, urgent account lures or impersonation in the messages."""
    ct = campaign_text(ctx)
    impersonation = wordlist("impersonation")
    if _TRIGGERS.isdisjoint(ct.all.words) and not ct.any(impersonation):
        return
    for field, d in ct.docs.items():
        if field in ("description", "messageFlow"):
            continue
        why = _phishing(d, ct, impersonation)
        if why:
            yield finding("CONTENT-PHISHING-PATTERNS", field, f"{field} {why}.")
