"""Sample messages: brand name, opt-out language, fit with the use case, placeholders and test text, English,
distinct samples (Twilio 30893/30910; TCR ``SAMPLE_MESSAGE``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..engine import BOTH, CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, mentions, wordlist, wordset
from .campaign_text import OPTOUT_INSTRUCTION, CampaignText, campaign_text, flag, keywords
from .campaign_usecases import OPTOUT_EXEMPT, USECASES, sub_usecases

_PERCENT_OFF = re.compile(r"\d+\s?%\s?off\b|\bsave\s+(?:\$|\d+\s?%)|\$\d+\s+off\b")
#: one-time passcodes
OTP = re.compile(
    r"\b(?:verification|security|login|log-in|sign-in|one[- ]time|access|confirmation|authentication|2fa)\s+"
    r"(?:code|pin|passcode)\b|\bpass ?codes?\b|\botp\b|\bcode\s*(?:is|:)\s*[\[{(]?[\w-]*\d"
    r"|\bcode\s*(?:is|:)\s*[\[{]|\b\d{4,8}\s+is your\b|\byour code\b"
)
#: transactional notices (orders, deliveries, appointments, payments, account changes)
TRANSACTIONAL = re.compile(
    r"\b(?:has|have|was|were)\s+(?:been\s+)?(?:shipped|delivered|dispatched)\b|\bout for delivery\b"
    r"|\btracking (?:number|link|#|code)\b|\bpayment (?:is "
    r"|was |of )?(?:due|received|processed|failed|overdue)\b"
    r"|\bappointment (?:is |has been |was )?(?:confirmed|scheduled|reminder|cancell?ed|rescheduled)\b"
    r"|\breminder:? (?:your|you have an?) appointment\b|\byour (?:order|package|prescription|statement|bill|"
    r"invoice|payment|reservation|booking)\b|\bpassword (?:was|has been) (?:changed|reset)\b"
)
_TEST_TEXT = re.compile(
    r" (?:lorem ipsum|this is (?:a |just a |only a )?test|te"
    r"st (?:message|msg|sms|text)|testing (?:message|msg|sms|"
    r"text|123|1 2 3|testing)|sample (?:message|msg|text) "
    r"(?:here|goes here)|(?:message|text|content) goes here"
    r"|insert (?:\w+ ){0,2}here|asdf\w*|qwerty|foo bar|hello world) "
)
_TRIVIAL = frozenset(
    {
        "test",
        "testing",
        "test test",
        "hello",
        "hi",
        "sample",
        "tbd",
        "todo",
        "n a",
        "na",
        "xxx",
        "message",
        "text",
        "sms",
    }
)
_UNBRACKETED = re.compile(
    r"%[A-Za-z_]{2,}%|\$\{?[A-Za-z_]{2,}\}?|<[A-Za-z_ ]{2,30}>|\b[A-Z]+_[A-Z_]+\b"
    r"|(?<![A-Za-z])[Xx]{4,}(?![A-Za-z])|#{3,}"
)
_UNBRACKETED_HINT = re.compile(r"[%$<_#]|[Xx]{4}")
_TEST_WORDS = wordset("lorem test testing sample goes insert asdf qwerty foo hello")
_FREEMAIL = re.compile(
    r"[\w.+-]+@(?:gmail|yahoo|hotmail|outlook|aol|icloud|live|msn|proton(?:mail)?)\.\w+", re.IGNORECASE
)
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
_CARD = re.compile(r"\b\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}\b")


def _digits(raw: str) -> int:
    return sum(raw.count(c) for c in "0123456789")


def promo_terms(ct: CampaignText, d: Doc) -> list[str]:
    """The promotional wording in the parsed field ``d`` ('discount', '% off', ...)."""
    found = ct.find("promotional", d)
    raw = d.raw
    if ("%" in raw or "$" in raw or " save " in d.norm) and _PERCENT_OFF.search(d.lower):
        found.append("% off")
    return found


@check("CAMPAIGN-SAMPLE-BRAND-NAME", needs=BOTH)
def sample_brand_name(ctx: LintContext) -> Iterator[Finding]:
    """At least one sample, preferably each, names the brand."""
    ct = campaign_text(ctx)
    if not ct.brand or not ct.samples:
        return
    missing = [f for f, d in ct.samples if not mentions(d, ct.brand)]
    if len(missing) == len(ct.samples):
        name = ctx.brand.get("displayName") or ctx.brand.get("companyName") or "the brand"
        yield finding("CAMPAIGN-SAMPLE-BRAND-NAME", missing[0], f"No sample names the brand ({name}).")
    else:
        for f in missing:
            yield finding(
                "CAMPAIGN-SAMPLE-BRAND-NAME",
                f,
                f"{f} does not name the brand; reviewers prefer every sample to identify the sender.",
                severity="warning",
            )


@check("CAMPAIGN-SAMPLE-OPTOUT-LANGUAGE", needs=CAMPAIGN)
def sample_optout_language(ctx: LintContext) -> Iterator[Finding]:
    """At least one sample carries an opt-out instruction when opt-out applies."""
    campaign = ctx.campaign
    # 2FA and M2M need no opt-out (TCR KB), so their samples need no opt-out line even when it is offered
    if flag(campaign, "subscriberOptout") is False or campaign.get("usecase") in OPTOUT_EXEMPT:
        return
    ct = campaign_text(ctx)
    if not ct.samples:
        return
    for _, d in ct.samples:
        if OPTOUT_INSTRUCTION.search(d.lower):
            return
    for kw in keywords(campaign, "optoutKeywords"):
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(kw)}(?![A-Za-z0-9])")
        if any(pattern.search(d.raw) for _, d in ct.samples):
            return
    yield finding(
        "CAMPAIGN-SAMPLE-OPTOUT-LANGUAGE",
        ct.samples[0][0],
        "No sample tells subscribers how to opt out (e.g. 'Reply STOP to opt out').",
    )


@check("CAMPAIGN-SAMPLE-USECASE-MATCH", needs=CAMPAIGN)
def sample_usecase_match(ctx: LintContext) -> Iterator[Finding]:
    """Samples fit the declared use case and its sub-use cases."""
    campaign = ctx.campaign
    uc = USECASES.get(campaign.get("usecase")) if isinstance(campaign.get("usecase"), str) else None
    ct = campaign_text(ctx)
    if uc is None or not ct.samples:
        return
    rule = "CAMPAIGN-SAMPLE-USECASE-MATCH"
    if uc.id == "POLLING_VOTING":
        for f, d in ct.samples:
            found = promo_terms(ct, d) + ct.find("incentives", d)
            if found:
                yield finding(
                    rule,
                    f,
                    f"{f} mixes an incentive or promotion ({', '.join(found)}) into a survey; "
                    "reviewers may read it as marketing.",
                    severity="warning",
                )
        return
    if not uc.promotional:
        for f, d in ct.samples:
            found = promo_terms(ct, d)
            if found:
                yield finding(
                    rule,
                    f,
                    f"{f} is promotional ({', '.join(found)}), which does not belong in a "
                    f"{uc.id} campaign; promotions need MARKETING or MIXED.",
                )
        if uc.id == "2FA" and not any(OTP.search(d.lower) for _, d in ct.samples):
            yield finding(
                rule,
                ct.samples[0][0],
                "No sample shows a one-time passcode, which is what a 2FA campaign sends.",
                severity="warning",
            )
        return
    if uc.id in ("MIXED", "LOW_VOLUME"):
        subs = sub_usecases(campaign)
        if subs and "MARKETING" not in subs:
            for f, d in ct.samples:
                found = promo_terms(ct, d)
                if found:
                    yield finding(
                        rule,
                        f,
                        f"{f} is promotional ({', '.join(found)}) but MARKETING is not among "
                        "the sub-use cases.",
                        severity="warning",
                    )
    if uc.id == "MARKETING":
        if any(promo_terms(ct, d) for _, d in ct.samples):
            return
        if all(OTP.search(d.lower) or TRANSACTIONAL.search(d.lower) for _, d in ct.samples):
            yield finding(
                rule,
                ct.samples[0][0],
                "Every sample is a passcode or a transactional notice, not "
                "marketing: register these under 2FA or a notification use case.",
            )


@check("CAMPAIGN-SAMPLE-PLACEHOLDERS", needs=CAMPAIGN)
def sample_placeholders(ctx: LintContext) -> Iterator[Finding]:
    """Samples are real messages with bracketed variables and no personal data."""
    rule = "CAMPAIGN-SAMPLE-PLACEHOLDERS"
    campaign = ctx.campaign
    for f in ("sample1", "sample2", "sample3", "sample4", "sample5"):
        value = campaign.get(f)
        if isinstance(value, str) and value and not value.strip():
            yield finding(rule, f, f"{f} is empty.")
    ct = campaign_text(ctx)
    for f, d in ct.samples:
        norm = d.norm
        if (len(norm) < 24 and norm.strip() in _TRIVIAL) or (
            ct.has_word(d, _TEST_WORDS) and _TEST_TEXT.search(norm)
        ):
            yield finding(rule, f, f"{f} is test or filler text, not a real message.")
            continue
        if any(not p.name for p in d.placeholders):
            yield finding(rule, f, f"{f} has an empty placeholder; name what goes there ([first name]).")
        raw = d.raw
        m = _UNBRACKETED.search(raw) if _UNBRACKETED_HINT.search(raw) else None
        if m:
            yield finding(
                rule,
                f,
                f"{f} has a variable that is not in brackets ({m.group(0)}); write it as "
                "[first name], [code]...",
                severity="warning",
            )
        if (
            ("@" in raw and _FREEMAIL.search(raw))
            or ("-" in raw and _SSN.search(raw))
            or (_digits(raw) >= 13 and _CARD.search(raw))
        ):
            yield finding(
                rule,
                f,
                f"{f} seems to contain real personal data (a personal e-mail address, SSN or "
                "card number); use a placeholder.",
                severity="warning",
            )


def _clearly_foreign(d: Doc, english: frozenset[str], foreign: frozenset[str]) -> bool:
    """Mostly function words of another language, or mostly another script, with little English beside."""
    words = d.norm.split()
    en = sum(1 for w in words if w in english)
    if len(words) >= 5:
        fo = sum(1 for w in words if w in foreign)
        if fo >= 3 and fo >= 2 * en:
            return True
    if not d.raw.isascii():
        letters = [c for c in d.raw if c.isalpha()]
        other = sum(1 for c in letters if not ("a" <= c.lower() <= "z") and not ("\u00c0" <= c <= "\u024f"))
        return other >= 10 and other >= 0.4 * len(letters) and en < 5
    return False


@check("CAMPAIGN-ENGLISH", needs=CAMPAIGN)
def english(ctx: LintContext) -> Iterator[Finding]:
    """Registration text is in English or carries an English translation."""
    ct = campaign_text(ctx)
    foreign = wordlist("foreign").singles
    if foreign.isdisjoint(ct.all.words) and ct.all.raw.isascii():
        return
    en = wordlist("english").singles
    for f, d in ct.docs.items():
        if _clearly_foreign(d, en, foreign):
            yield finding("CAMPAIGN-ENGLISH", f, f"{f} is not in English and has no English translation.")


@check("CAMPAIGN-SAMPLE-DISTINCT", needs=CAMPAIGN)
def sample_distinct(ctx: LintContext) -> Iterator[Finding]:
    """Samples are not near-duplicates of each other."""
    samples = campaign_text(ctx).samples
    if len(samples) < 2:
        return
    seen: list[tuple[str, frozenset[str]]] = []
    for f, d in samples:
        words = d.words
        for g, other in seen:
            union = len(words | other)
            if union and len(words & other) / union >= 0.75:
                yield finding(
                    "CAMPAIGN-SAMPLE-DISTINCT",
                    f,
                    f"{f} is nearly the same as {g}; show a different message of the program.",
                )
                break
        seen.append((f, words))
