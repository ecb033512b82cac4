"""Keywords and the replies to them: keyword list format, overlaps, and the content of the opt-in
confirmation, HELP reply and opt-out confirmation (CTIA; TCR ``MANDATORY_MESSAGE_TERMINOLOGY``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, mentions
from .campaign_text import (
    EMAIL,
    KEYWORD_OPTIN,
    MESSAGE_FIELDS,
    SAMPLE_FIELDS,
    CampaignText,
    campaign_text,
    keywords,
    says_help,
    says_stop,
    states_frequency,
    states_rates,
)

KEYWORD_FIELDS = ("optinKeywords", "optoutKeywords", "helpKeywords")
_NO_FURTHER = re.compile(
    r"\bno (?:further|more|longer)\b|\bunsubscribed\b|\bopted[- ]out\b|\bwill not (?:receive|get|be sent)\b"
    r"|\bwon'?t (?:receive|get)\b|\b(?:have|has) been removed\b|\bremoved from\b|\bstopped\b"
    r"|\bnot receive any\b|\bnot be (?:sent|texted|contacted)\b"
)
_PERCENT_OFF = re.compile(r"\d+\s?%\s?off\b|\bsave\s+(?:\$|\d+\s?%)")


def _glued(raw: str, declared: set[str]) -> list[str]:
    """Keywords written glued to other text ('STOP2END', 'txtSTOP'), as the tokens found."""
    out = []
    for kw in declared:
        i = raw.find(kw)
        while i != -1:
            j = i + len(kw)
            if (i and raw[i - 1].isalnum()) or (j < len(raw) and raw[j].isalnum()):
                start, end = i, j
                while start and raw[start - 1].isalnum():
                    start -= 1
                while end < len(raw) and raw[end].isalnum():
                    end += 1
                token = raw[start:end]
                if token.upper() not in declared and not (token.isalpha() and token.isupper()):
                    out.append(token)
            i = raw.find(kw, j)
    return out


@check("CAMPAIGN-KEYWORD-FORMAT", "CAMPAIGN-KEYWORD-OVERLAP", needs=CAMPAIGN)
def keyword_format(ctx: LintContext) -> Iterator[Finding]:
    """Keyword lists well formed with STOP and HELP, keywords not glued to text, no overlaps."""
    campaign = ctx.campaign
    rule = "CAMPAIGN-KEYWORD-FORMAT"
    lists: dict[str, list[str]] = {}
    for field in KEYWORD_FIELDS:
        value = campaign.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            yield finding(rule, field, f"{field} must be a comma-separated text, not {type(value).__name__}.")
            continue
        if len(value) > 255:
            yield finding(rule, field, f"{field} has {len(value)} characters; TCR allows at most 255.")
        if len(value.split()) > 1:
            yield finding(
                rule,
                field,
                f"{field} contains spaces; write keywords separated by commas only (STOP,END,CANCEL).",
            )
        parts = [p.strip() for p in value.split(",")]
        bad = [p for p in parts if p and not (p.isalnum() and p.isascii()) and len(p.split()) == 1]
        if bad:
            yield finding(rule, field, f"Keywords may hold letters and digits only: {', '.join(bad)}.")
        if value.strip() and "" in parts:
            yield finding(rule, field, f"{field} has an empty entry (a doubled or trailing comma).")
        lists[field] = [p.upper() for p in parts if p]
    if "optoutKeywords" in lists and "STOP" not in lists["optoutKeywords"]:
        yield finding(rule, "optoutKeywords", "The opt-out keywords must include STOP.")
    if "helpKeywords" in lists and "HELP" not in lists["helpKeywords"]:
        yield finding(rule, "helpKeywords", "The help keywords must include HELP.")
    declared = {"STOP", "HELP"} | {k for ks in lists.values() for k in ks if len(k) >= 3}
    texts = [(f, v) for f in (*SAMPLE_FIELDS, *MESSAGE_FIELDS) if isinstance(v := campaign.get(f), str) and v]
    if _glued("\n".join(v for _, v in texts), declared):
        for field, raw in texts:
            glued = _glued(raw, declared)
            if glued:
                yield finding(
                    rule,
                    field,
                    f"Keyword written glued to other text: {', '.join(sorted(set(glued)))}; "
                    "keywords must stand as separate words ('Reply STOP to end').",
                )
    names = {"optinKeywords": "opt-in", "optoutKeywords": "opt-out", "helpKeywords": "help"}
    fields = list(lists)
    for i, a in enumerate(fields):
        for b in fields[i + 1 :]:
            common = sorted(set(lists[a]) & set(lists[b]))
            if common:
                yield finding(
                    "CAMPAIGN-KEYWORD-OVERLAP",
                    b,
                    f"{', '.join(common)} appear{'s' if len(common) == 1 else ''} "
                    f"in both the {names[a]} and the {names[b]} keywords.",
                )


def _missing_optin(d: Doc, brand: tuple[str, ...]) -> list[str]:
    missing = []
    if brand and not mentions(d, brand):
        missing.append("the brand name")
    if not states_frequency(d):
        missing.append("the message frequency")
    if not states_rates(d):
        missing.append("'Msg & data rates may apply'")
    if not says_help(d):
        missing.append("HELP instructions")
    if not says_stop(d):
        missing.append("STOP instructions")
    return missing


def _missing_help(d: Doc, brand: tuple[str, ...]) -> list[str]:
    missing = []
    if brand and not mentions(d, brand):
        missing.append("the brand name")
    has_contact = (
        ("@" in d.raw and EMAIL.search(d.raw))
        or d.phones
        or d.urls
        or any(p.kind in ("phone", "link") for p in d.placeholders)
    )
    if not has_contact:
        missing.append("a support phone number, e-mail or URL")
    if not says_stop(d):
        missing.append("how to opt out (STOP)")
    return missing


def _optout_problems(d: Doc, ct: CampaignText) -> list[str]:
    problems = []
    if ct.brand and not mentions(d, ct.brand):
        problems.append("does not name the brand")
    if not _NO_FURTHER.search(d.lower):
        problems.append("does not say that no further messages will be sent")
    promo = ct.find("promotional", d)
    if promo or (("%" in d.raw or " save " in d.norm) and _PERCENT_OFF.search(d.lower)):
        problems.append("contains promotional wording (" + ", ".join(promo or ["a discount"]) + ")")
    return problems


@check("CAMPAIGN-KEYWORD-RESPONSES-CONTENT", needs=CAMPAIGN)
def keyword_responses(ctx: LintContext) -> Iterator[Finding]:
    """Opt-in confirmation, HELP reply and opt-out confirmation hold their required elements."""
    campaign = ctx.campaign
    ct = campaign_text(ctx)
    rule = "CAMPAIGN-KEYWORD-RESPONSES-CONTENT"
    optin = ct.get("optinMessage")
    if optin is None:
        flow = ct.get("messageFlow")
        if keywords(campaign, "optinKeywords") or (flow is not None and KEYWORD_OPTIN.search(flow.raw)):
            yield finding(
                rule,
                "optinMessage",
                "Subscribers opt in by keyword, but there is no opt-in confirmation message.",
            )
    else:
        missing = _missing_optin(optin, ct.brand)
        if missing:
            yield finding(rule, "optinMessage", "The opt-in confirmation lacks " + ", ".join(missing) + ".")
    help_ = ct.get("helpMessage")
    if help_ is not None:
        missing = _missing_help(help_, ct.brand)
        if missing:
            yield finding(rule, "helpMessage", "The HELP reply lacks " + ", ".join(missing) + ".")
    optout = ct.get("optoutMessage")
    if optout is not None:
        problems = _optout_problems(optout, ct)
        if problems:
            yield finding(rule, "optoutMessage", "The opt-out confirmation " + "; ".join(problems) + ".")
