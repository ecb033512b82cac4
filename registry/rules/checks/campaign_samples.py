"""Sample messages: brand name, opt-out language, fit with the use case, placeholders and test text, English,
distinct samples (Twilio 30893/30910; TCR ``SAMPLE_MESSAGE``)."""

from __future__ import annotations

import functools
import re

from ..engine import BOTH, CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, fact, wordlist, wordset
from .campaign_text import (
    SAMPLE_FIELDS,
    names_brand,
    CampaignText,
    campaign_text,
    flag,
    keywords,
    terms,
    tokens,
    word_group,
)
from .campaign_usecases import OPTOUT_EXEMPT, USECASES, sub_usecases
from .wording import has_optout_instruction

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


def _promo(d: Doc) -> tuple[str, ...]:
    found = terms("promotional", d)
    raw = d.raw
    if ("%" in raw or "$" in raw or " save " in d.norm) and _PERCENT_OFF.search(d.lower):
        return (*found, "% off")
    return found


def promo_terms(ct: CampaignText, d: Doc) -> list[str]:
    """The promotional wording in the parsed field ``d`` ('discount', '% off', ...)."""
    return list(fact(d, _promo))


def _otp(d: Doc) -> bool:
    return OTP.search(d.lower) is not None


def _otp_or_transactional(d: Doc) -> bool:
    return fact(d, _otp) or TRANSACTIONAL.search(d.lower) is not None


@check("CAMPAIGN-SAMPLE-BRAND-NAME", needs=BOTH)
def sample_brand_name(ctx: LintContext) -> list[Finding]:
    """At least one sample, preferably each, names the brand."""
    ct = campaign_text(ctx)
    if not ct.brand or not ct.samples:
        return []
    missing = [f for f, d in ct.samples if not names_brand(d, ct.brand)]
    if not missing:
        return []
    if len(missing) == len(ct.samples):
        name = ctx.brand.get("displayName") or ctx.brand.get("companyName") or "the brand"
        return [finding("CAMPAIGN-SAMPLE-BRAND-NAME", missing[0], f"No sample names the brand ({name}).")]
    return [
        finding(
            "CAMPAIGN-SAMPLE-BRAND-NAME",
            f,
            f"{f} does not name the brand; reviewers prefer every sample to identify the sender.",
            severity="warning",
        )
        for f in missing
    ]


@functools.lru_cache(maxsize=256)
def _keyword_pattern(kw: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(kw)}(?![A-Za-z0-9])")


def sample_optout_language(ctx: LintContext) -> list[Finding]:
    """At least one sample carries an opt-out instruction when opt-out applies."""
    campaign = ctx.campaign
    # 2FA and M2M need no opt-out (TCR KB), so their samples need no opt-out line even when it is offered
    if flag(campaign, "subscriberOptout") is False or campaign.get("usecase") in OPTOUT_EXEMPT:
        return []
    ct = campaign_text(ctx)
    if not ct.samples:
        return []
    for _, d in ct.samples:
        if fact(d, has_optout_instruction):
            return []
    for kw in keywords(campaign, "optoutKeywords"):
        pattern = _keyword_pattern(kw)
        if any(pattern.search(d.raw) for _, d in ct.samples):
            return []
    return [finding(
        "CAMPAIGN-SAMPLE-OPTOUT-LANGUAGE",
        ct.samples[0][0],
        "No sample tells subscribers how to opt out (e.g. 'Reply STOP to opt out').",
    )]


def sample_usecase_match(ctx: LintContext) -> list[Finding]:
    """Samples fit the declared use case and its sub-use cases."""
    campaign = ctx.campaign
    uc = USECASES.get(campaign.get("usecase")) if isinstance(campaign.get("usecase"), str) else None
    if uc is None:
        return []
    ct = campaign_text(ctx)
    if not ct.samples:
        return []
    rule = "CAMPAIGN-SAMPLE-USECASE-MATCH"
    out = []
    if uc.id == "POLLING_VOTING":
        for f, d in ct.samples:
            found = promo_terms(ct, d) + ct.find("incentives", d)
            if found:
                out.append(finding(
                    rule,
                    f,
                    f"{f} mixes an incentive or promotion ({', '.join(found)}) into a survey; "
                    "reviewers may read it as marketing.",
                    severity="warning",
                ))
        return out
    if not uc.promotional:
        for f, d in ct.samples:
            found = fact(d, _promo)
            if found:
                out.append(finding(
                    rule,
                    f,
                    f"{f} is promotional ({', '.join(found)}), which does not belong in a "
                    f"{uc.id} campaign; promotions need MARKETING or MIXED.",
                ))
        if uc.id == "2FA" and not any(fact(d, _otp) for _, d in ct.samples):
            out.append(finding(
                rule,
                ct.samples[0][0],
                "No sample shows a one-time passcode, which is what a 2FA campaign sends.",
                severity="warning",
            ))
        return out
    if uc.id in ("MIXED", "LOW_VOLUME"):
        subs = sub_usecases(campaign)
        if subs and "MARKETING" not in subs:
            for f, d in ct.samples:
                found = fact(d, _promo)
                if found:
                    out.append(finding(
                        rule,
                        f,
                        f"{f} is promotional ({', '.join(found)}) but MARKETING is not among "
                        "the sub-use cases.",
                        severity="warning",
                    ))
    if uc.id == "MARKETING":
        if any(fact(d, _promo) for _, d in ct.samples):
            return out
        if all(fact(d, _otp_or_transactional) for _, d in ct.samples):
            out.append(finding(
                rule,
                ct.samples[0][0],
                "Every sample is a passcode or a transactional notice, not "
                "marketing: register these under 2FA or a notification use case.",
            ))
    return out


#: what may be wrong with one sample, from its text alone: (kind, detail)
_TEST, _EMPTY_PLACEHOLDER, _UNBRACKETED_VAR, _PERSONAL = "test", "empty", "unbracketed", "personal"


def _sample_problems(d: Doc) -> tuple[tuple[str, str], ...]:
    norm = d.norm
    if (len(norm) < 24 and norm.strip() in _TRIVIAL) or (
        not _TEST_WORDS.isdisjoint(tokens(d)) and _TEST_TEXT.search(norm)
    ):
        return ((_TEST, ""),)
    out = []
    if any(not name for _, name, _ in d.placeholder_parts):
        out.append((_EMPTY_PLACEHOLDER, ""))
    raw = d.raw
    m = _UNBRACKETED.search(raw) if _UNBRACKETED_HINT.search(raw) else None
    if m:
        out.append((_UNBRACKETED_VAR, m.group(0)))
    if (
        ("@" in raw and _FREEMAIL.search(raw))
        or ("-" in raw and _SSN.search(raw))
        or (_digits(raw) >= 13 and _CARD.search(raw))
    ):
        out.append((_PERSONAL, ""))
    return tuple(out)


def _placeholder_finding(f: str, kind: str, detail: str) -> Finding:
    rule = "CAMPAIGN-SAMPLE-PLACEHOLDERS"
    if kind == _TEST:
        return finding(rule, f, f"{f} is test or filler text, not a real message.")
    if kind == _EMPTY_PLACEHOLDER:
        return finding(rule, f, f"{f} has an empty placeholder; name what goes there ([first name]).")
    if kind == _UNBRACKETED_VAR:
        return finding(
            rule,
            f,
            f"{f} has a variable that is not in brackets ({detail}); write it as [first name], [code]...",
            severity="warning",
        )
    return finding(
        rule,
        f,
        f"{f} seems to contain real personal data (a personal e-mail address, SSN or "
        "card number); use a placeholder.",
        severity="warning",
    )


def sample_placeholders(ctx: LintContext) -> list[Finding]:
    """Samples are real messages with bracketed variables and no personal data."""
    campaign = ctx.campaign
    out = []
    for f in SAMPLE_FIELDS:
        value = campaign.get(f)
        if isinstance(value, str) and value.isspace():
            out.append(finding("CAMPAIGN-SAMPLE-PLACEHOLDERS", f, f"{f} is empty."))
    for f, d in campaign_text(ctx).samples:
        problems = fact(d, _sample_problems)
        if problems:
            out.extend(_placeholder_finding(f, kind, detail) for kind, detail in problems)
    return out


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


def _foreign(d: Doc) -> bool:
    return _clearly_foreign(d, wordlist("english").singles, wordlist("foreign").singles)


_FOREIGN_GROUP = word_group("foreign", wordlist("foreign").singles)


def english(ctx: LintContext) -> list[Finding]:
    """Registration text is in English or carries an English translation."""
    ct = campaign_text(ctx)
    if not ct.has_group(_FOREIGN_GROUP) and ct.is_ascii():
        return []
    return [
        finding("CAMPAIGN-ENGLISH", f, f"{f} is not in English and has no English translation.")
        for f, d in ct.docs.items()
        if fact(d, _foreign)
    ]


def _near_duplicates(d: Doc, other: Doc) -> bool:
    """The two samples share at least 75% of their distinct words (memoised on ``d`` for the last ``other``)."""
    if other is d:  # the same text twice
        return bool(d.words)
    memo = d.facts.get(_near_duplicates)
    if memo is not None and memo[0] is other.raw:
        return memo[1]
    words, others = d.words, other.words
    common = len(words & others)
    union = len(words) + len(others) - common
    near = bool(union) and common / union >= 0.75
    d.facts[_near_duplicates] = (other.raw, near)
    return near


def sample_distinct(ctx: LintContext) -> list[Finding]:
    """Samples are not near-duplicates of each other."""
    samples = campaign_text(ctx).samples
    if len(samples) < 2:
        return []
    out = []
    seen: list[tuple[str, Doc]] = []
    for f, d in samples:
        for g, other in seen:
            if _near_duplicates(d, other):
                out.append(finding(
                    "CAMPAIGN-SAMPLE-DISTINCT",
                    f,
                    f"{f} is nearly the same as {g}; show a different message of the program.",
                ))
                break
        seen.append((f, d))
    return out


@check("CAMPAIGN-SAMPLE-OPTOUT-LANGUAGE", "CAMPAIGN-SAMPLE-USECASE-MATCH", "CAMPAIGN-SAMPLE-PLACEHOLDERS",
       "CAMPAIGN-ENGLISH", "CAMPAIGN-SAMPLE-DISTINCT", needs=CAMPAIGN)
def sample_rules(ctx: LintContext) -> list[Finding]:
    """The sample and language rules above that read the campaign alone, as one check."""
    return [*sample_optout_language(ctx), *sample_usecase_match(ctx), *sample_placeholders(ctx), *english(ctx),
            *sample_distinct(ctx)]
