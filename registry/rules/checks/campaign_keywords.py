"""Keywords and the replies to them: keyword list format, overlaps, and the content of the opt-in
confirmation, HELP reply and opt-out confirmation (CTIA; TCR ``MANDATORY_MESSAGE_TERMINOLOGY``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, fact
from ..text.patterns import LEAD, Alternatives
from .campaign_text import MESSAGE_FIELDS, SAMPLE_FIELDS, campaign_text, keywords
from .campaign_words import names_brand, terms
from .wording import has_email, says_help, says_keyword_optin, says_stop, states_frequency, states_rates

KEYWORD_FIELDS = ("optinKeywords", "optoutKeywords", "helpKeywords")
_NO_FURTHER = Alternatives(
    (("no ",), r"\bno (?:further|more|longer)\b", LEAD),
    (("unsubscribed",), r"\bunsubscribed\b", LEAD),
    (("opted",), r"\bopted[- ]out\b", LEAD),
    (("will not ",), r"\bwill not (?:receive|get|be sent)\b", LEAD),
    (("won",), r"\bwon'?t (?:receive|get)\b", LEAD),
    (("been removed",), r"\b(?:have|has) been removed\b"),
    (("removed from",), r"\bremoved from\b", LEAD),
    (("stopped",), r"\bstopped\b", LEAD),
    (("not receive any",), r"\bnot receive any\b", LEAD),
    (("not be ",), r"\bnot be (?:sent|texted|contacted)\b", LEAD),
)
_PERCENT_OFF = Alternatives((("%",), r"\d+\s?%\s?off\b"), (("save",), r"\bsave\s+(?:\$|\d+\s?%)", LEAD))


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


_KEYWORD_NAMES = {"optinKeywords": "opt-in", "optoutKeywords": "opt-out", "helpKeywords": "help"}
_GLUED_FIELDS = (*SAMPLE_FIELDS, *MESSAGE_FIELDS)


def _keyword_lists(values: tuple[Any, ...]) -> tuple[tuple[Finding, ...], frozenset[str], bool, tuple[Finding, ...]]:
    """(format findings, declared keywords, whether one spans a line break, overlap findings) for the three
    keyword fields' values."""
    rule = "CAMPAIGN-KEYWORD-FORMAT"
    out: list[Finding] = []
    lists: dict[str, list[str]] = {}
    for field, value in zip(KEYWORD_FIELDS, values, strict=True):
        if value is None:
            continue
        if not isinstance(value, str):
            out.append(finding(rule, field, f"{field} must be a comma-separated text, not {type(value).__name__}."))
            continue
        if len(value) > 255:
            out.append(finding(rule, field, f"{field} has {len(value)} characters; TCR allows at most 255."))
        if len(value.split()) > 1:
            out.append(finding(
                rule,
                field,
                f"{field} contains spaces; write keywords separated by commas only (STOP,END,CANCEL).",
            ))
        parts = [p.strip() for p in value.split(",")]
        bad = [p for p in parts if p and not (p.isalnum() and p.isascii()) and len(p.split()) == 1]
        if bad:
            out.append(finding(rule, field, f"Keywords may hold letters and digits only: {', '.join(bad)}."))
        if value.strip() and "" in parts:
            out.append(finding(rule, field, f"{field} has an empty entry (a doubled or trailing comma)."))
        lists[field] = [p.upper() for p in parts if p]
    if "optoutKeywords" in lists and "STOP" not in lists["optoutKeywords"]:
        out.append(finding(rule, "optoutKeywords", "The opt-out keywords must include STOP."))
    if "helpKeywords" in lists and "HELP" not in lists["helpKeywords"]:
        out.append(finding(rule, "helpKeywords", "The help keywords must include HELP."))
    declared = frozenset({"STOP", "HELP"} | {k for ks in lists.values() for k in ks if len(k) >= 3})
    overlaps = []
    fields = list(lists)
    for i, a in enumerate(fields):
        for b in fields[i + 1 :]:
            common = sorted(set(lists[a]) & set(lists[b]))
            if common:
                overlaps.append(finding(
                    "CAMPAIGN-KEYWORD-OVERLAP",
                    b,
                    f"{', '.join(common)} appear{'s' if len(common) == 1 else ''} "
                    f"in both the {_KEYWORD_NAMES[a]} and the {_KEYWORD_NAMES[b]} keywords.",
                ))
    return tuple(out), declared, any("\n" in k for k in declared), tuple(overlaps)


_cached_keyword_lists = functools.lru_cache(maxsize=1024)(_keyword_lists)


_GLUED = "campaign_keywords.glued"
#: keyword sets remembered per text (campaigns sharing a message declare different keywords)
_GLUED_SETS = 8


def _glued_in(d: Doc, declared: frozenset[str], key: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`_glued` of the field ``d``, memoised on ``d`` for the last few keyword sets as a tuple of
    ``(key, glued)`` pairs (``key``: ``declared`` as a sorted tuple of strings): plain tuples, so cached texts
    keep nothing the garbage collector must walk."""
    memo = d.facts.get(_GLUED, ())
    for known, glued in memo:
        if known is key or known == key:
            return glued
    glued = tuple(_glued(d.raw, declared))
    d.facts[_GLUED] = ((key, glued), *memo[: _GLUED_SETS - 1])
    return glued


@functools.lru_cache(maxsize=256)
def _declared_key(declared: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(declared))


@functools.lru_cache(maxsize=256)
def _glue_screens(key: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where :func:`_glued` can find something: one of the keywords ``key`` with a letter or digit
    (``str.isalnum``) right before it (the first pattern, searched in the reversed text: it starts with the
    keywords, which the regex engine jumps between) or right after it (the second). A text where neither
    matches holds no glued keyword; one where one does may still hold none (the tokens found there may be
    declared keywords or capitals)."""
    words = sorted(key, key=len, reverse=True)
    before = "|".join(re.escape(k[::-1]) for k in words)
    after = "|".join(re.escape(k) for k in words)
    return re.compile(rf"(?:{before})(?=[^\W_])"), re.compile(rf"(?:{after})(?=[^\W_])")


def _glued_findings(campaign: Mapping[str, Any], docs: Mapping[str, Doc], declared: frozenset[str],
                    multiline: bool) -> list[Finding]:
    if multiline:
        # a keyword spanning a line break could match across two fields in the joined text: read as one
        texts = [(f, v) for f in _GLUED_FIELDS if isinstance(v := campaign.get(f), str) and v]
        if not _glued("\n".join(v for _, v in texts), declared):
            return []
        pairs = [(field, _glued(raw, declared)) for field, raw in texts]
    else:
        # no keyword spans two fields, so each field is read alone (memoised); a blank field holds none
        key = _declared_key(declared)
        joined = "\n".join(campaign[f] for f in _GLUED_FIELDS if f in docs)
        before, after = _glue_screens(key)
        if after.search(joined) is None and before.search(joined[::-1]) is None:
            return []  # no keyword anywhere touches a letter or digit
        pairs = []
        for field in _GLUED_FIELDS:
            d = docs.get(field)
            if d is not None:
                raw = campaign[field]
                glued = _glued_in(d, declared, key) if "\x00" not in raw else tuple(_glued(raw, declared))
                if glued:
                    pairs.append((field, glued))
        if not pairs:
            return []
    return [
        finding(
            "CAMPAIGN-KEYWORD-FORMAT",
            field,
            f"Keyword written glued to other text: {', '.join(sorted(set(glued)))}; "
            "keywords must stand as separate words ('Reply STOP to end').",
        )
        for field, glued in pairs
        if glued
    ]


def keyword_format(ctx: LintContext) -> tuple[Finding, ...] | list[Finding]:
    """Keyword lists well formed with STOP and HELP, keywords not glued to text, no overlaps."""
    campaign = ctx.campaign
    values = (campaign.get("optinKeywords"), campaign.get("optoutKeywords"), campaign.get("helpKeywords"))
    a, b, c = values
    if (a is None or a.__class__ is str) and (b is None or b.__class__ is str) and (c is None or c.__class__ is str):
        before, declared, multiline, overlaps = _cached_keyword_lists(values)
    else:
        before, declared, multiline, overlaps = _keyword_lists(values)
    glued = _glued_findings(campaign, campaign_text(ctx).docs, declared, multiline)
    if not glued and not overlaps:
        return before
    return [*before, *glued, *overlaps]


def _optin_gaps(d: Doc) -> tuple[str, ...]:
    missing = []
    if not fact(d, states_frequency):
        missing.append("the message frequency")
    if not fact(d, states_rates):
        missing.append("'Msg & data rates may apply'")
    if not says_help(d):
        missing.append("HELP instructions")
    if not fact(d, says_stop):
        missing.append("STOP instructions")
    return tuple(missing)


def _help_gaps(d: Doc) -> tuple[str, ...]:
    missing = []
    has_contact = (
        has_email(d.raw)
        or d.phones
        or d.url_parts
        or any(kind in ("phone", "link") for _, _, kind in d.placeholder_parts)
    )
    if not has_contact:
        missing.append("a support phone number, e-mail or URL")
    if not fact(d, says_stop):
        missing.append("how to opt out (STOP)")
    return tuple(missing)


def _optout_gaps(d: Doc) -> tuple[str, ...]:
    problems = []
    if not _NO_FURTHER.found(d.lower):
        problems.append("does not say that no further messages will be sent")
    promo = terms("promotional", d)
    if promo or (("%" in d.raw or " save " in d.norm) and _PERCENT_OFF.found(d.lower)):
        problems.append("contains promotional wording (" + ", ".join(promo or ["a discount"]) + ")")
    return tuple(problems)


def _keyword_optin(d: Doc) -> bool:
    return says_keyword_optin(d)


def keyword_responses(ctx: LintContext) -> list[Finding]:
    """Opt-in confirmation, HELP reply and opt-out confirmation hold their required elements."""
    campaign = ctx.campaign
    ct = campaign_text(ctx)
    brand = ct.brand
    rule = "CAMPAIGN-KEYWORD-RESPONSES-CONTENT"
    out = []
    optin = ct.get("optinMessage")
    if optin is None:
        flow = ct.get("messageFlow")
        if keywords(campaign, "optinKeywords") or (flow is not None and fact(flow, _keyword_optin)):
            out.append(finding(
                rule,
                "optinMessage",
                "Subscribers opt in by keyword, but there is no opt-in confirmation message.",
            ))
    else:
        missing = fact(optin, _optin_gaps)
        if brand and not names_brand(optin, brand):
            missing = ("the brand name", *missing)
        if missing:
            out.append(finding(rule, "optinMessage", "The opt-in confirmation lacks " + ", ".join(missing) + "."))
    help_ = ct.get("helpMessage")
    if help_ is not None:
        missing = fact(help_, _help_gaps)
        if brand and not names_brand(help_, brand):
            missing = ("the brand name", *missing)
        if missing:
            out.append(finding(rule, "helpMessage", "The HELP reply lacks " + ", ".join(missing) + "."))
    optout = ct.get("optoutMessage")
    if optout is not None:
        problems = fact(optout, _optout_gaps)
        if brand and not names_brand(optout, brand):
            problems = ("does not name the brand", *problems)
        if problems:
            out.append(finding(rule, "optoutMessage", "The opt-out confirmation " + "; ".join(problems) + "."))
    return out


@check("CAMPAIGN-KEYWORD-FORMAT", "CAMPAIGN-KEYWORD-OVERLAP", "CAMPAIGN-KEYWORD-RESPONSES-CONTENT", needs=CAMPAIGN)
def keyword_rules(ctx: LintContext) -> list[Finding]:
    """The keyword rules above, as one check."""
    return [*keyword_format(ctx), *keyword_responses(ctx)]
