"""Sample messages: brand name, opt-out language, fit with the use case, distinct samples (Twilio 30893/30910;
TCR ``SAMPLE_MESSAGE``). Placeholders, test text and English: ``campaign_sample_quality``."""

from __future__ import annotations

import functools
import re

from ..engine import BOTH, CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, fact
from ..text.patterns import LEAD, Alternatives
from .campaign_text import CampaignText, campaign_text, flag, keywords
from .campaign_usecases import OPTOUT_EXEMPT, USECASES, sub_usecases
from .campaign_words import names_brand, terms
from .wording import has_optout_instruction

_PERCENT_OFF = Alternatives(
    (("%",), r"\d+\s?%\s?off\b"), (("save",), r"\bsave\s+(?:\$|\d+\s?%)", LEAD), (("$",), r"\$\d+\s+off\b", LEAD)
)
#: one-time passcodes
_OTP = Alternatives(
    (("code", "pin", "passcode"),
     r"\b(?:verification|security|login|log-in|sign-in|one[- ]time|access|confirmation|authentication|2fa)\s+"
     r"(?:code|pin|passcode)\b"),
    (("pass",), r"\bpass ?codes?\b", LEAD),
    (("otp",), r"\botp\b", LEAD),
    (("code",), r"\bcode\s*(?:is|:)\s*[\[{(]?[\w-]*\d", LEAD),
    (("code",), r"\bcode\s*(?:is|:)\s*[\[{]", LEAD),
    (("is your",), r"\b\d{4,8}\s+is your\b"),
    (("your code",), r"\byour code\b", LEAD),
)
OTP = _OTP.pattern
#: transactional notices (orders, deliveries, appointments, payments, account changes)
_TRANSACTIONAL = Alternatives(
    (("shipped", "delivered", "dispatched"),
     r"\b(?:has|have|was|were)\s+(?:been\s+)?(?:shipped|delivered|dispatched)\b"),
    (("out for delivery",), r"\bout for delivery\b", LEAD),
    (("tracking ",), r"\btracking (?:number|link|#|code)\b", LEAD),
    (("payment ",), r"\bpayment (?:is |was |of )?(?:due|received|processed|failed|overdue)\b", LEAD),
    (("appointment ",),
     r"\bappointment (?:is |has been |was )?(?:confirmed|scheduled|reminder|cancell?ed|rescheduled)\b", LEAD),
    (("reminder",), r"\breminder:? (?:your|you have an?) appointment\b", LEAD),
    (("your ",),
     r"\byour (?:order|package|prescription|statement|bill|invoice|payment|reservation|booking)\b", LEAD),
    (("password ",), r"\bpassword (?:was|has been) (?:changed|reset)\b", LEAD),
)
TRANSACTIONAL = _TRANSACTIONAL.pattern


def _promo(d: Doc) -> tuple[str, ...]:
    found = terms("promotional", d)
    raw = d.raw
    if ("%" in raw or "$" in raw or " save " in d.norm) and _PERCENT_OFF.found(d.lower):
        return (*found, "% off")
    return found


def promo_terms(ct: CampaignText, d: Doc) -> list[str]:
    """The promotional wording in the parsed field ``d`` ('discount', '% off', ...)."""
    return list(fact(d, _promo))


def _otp(d: Doc) -> bool:
    return _OTP.found(d.lower)


def _otp_or_transactional(d: Doc) -> bool:
    return fact(d, _otp) or _TRANSACTIONAL.found(d.lower)


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


def sample_distinct(ctx: LintContext) -> list[Finding]:
    """Samples are not near-duplicates of each other: two samples sharing at least 75% of their distinct words."""
    samples = campaign_text(ctx).samples
    if len(samples) < 2:
        return []
    out = []
    seen: list[tuple[str, frozenset[str], int]] = []
    for f, d in samples:
        words = frozenset(d.word_list)
        n = len(words)
        for g, others, m in seen:
            # common <= min(n, m) and union >= max(n, m): a ratio of sizes under 3/4 rules the pair out
            if 4 * min(n, m) < 3 * max(n, m):
                continue
            common = len(words & others)
            union = n + m - common
            if union and common / union >= 0.75:
                out.append(finding(
                    "CAMPAIGN-SAMPLE-DISTINCT",
                    f,
                    f"{f} is nearly the same as {g}; show a different message of the program.",
                ))
                break
        seen.append((f, words, n))
    return out


@check("CAMPAIGN-SAMPLE-OPTOUT-LANGUAGE", "CAMPAIGN-SAMPLE-USECASE-MATCH", "CAMPAIGN-SAMPLE-DISTINCT",
       needs=CAMPAIGN)
def sample_rules(ctx: LintContext) -> list[Finding]:
    """The sample rules above that read the campaign alone, as one check."""
    return [*sample_optout_language(ctx), *sample_usecase_match(ctx), *sample_distinct(ctx)]
