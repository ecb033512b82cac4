"""Content attributes reviewers compare with the text: directLending for lending content, ageGated and a
date-of-birth gate for alcohol, tobacco and firearms, and the termsAndConditions no-affiliate attestation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import wordlist
from .campaign_text import SHARE_WORDS, CampaignText, campaign_text, flag, unnegated

_DOB = re.compile(
    r"date of birth|birth ?date|\bdob\b|\bage[- ]gate|age[- ]verif|verif(?:y|ies|ied|ying) "
    r"(?:their |your |the (?:user'?s |customer'?s )?)?age\b"
)
_LEAD_SHARING = re.compile(
    r"\b(?:share|sell|rent|send|pass|provide)\w*\b[^.]{0,40}?\b(?:leads?|your "
    r"(?:information|info|details|data))\b[^.]{0,40}?\b(?:partners?|affiliates?|"
    r"third[- ]part(?:y|ies)|sponsors?|lenders|buyers)\b"
)


def _found_in(ct: CampaignText, lists: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(terms found, fields holding them) over the parsed fields for the named word lists."""
    terms_, fields = [], []
    for field, d in ct.docs.items():
        hit = [t for name in lists for t in ct.find(name, d)]
        if hit:
            terms_ += hit
            fields.append(field)
    return sorted(set(terms_)), fields


@check("CAMPAIGN-DIRECT-LENDING-FLAG", needs=CAMPAIGN)
def direct_lending(ctx: LintContext) -> Iterator[Finding]:
    """Lending content comes with directLending=true."""
    if flag(ctx.campaign, "directLending") is True:
        return
    ct = campaign_text(ctx)
    if not ct.any("lending"):
        return
    found, fields = _found_in(ct, ("lending",))
    yield finding(
        "CAMPAIGN-DIRECT-LENDING-FLAG",
        "directLending",
        f"Lending content ({', '.join(found)} in {', '.join(fields)}) but directLending is not true.",
    )


_AGE_LISTS = ("alcohol", "tobacco", "firearms")


@check("CAMPAIGN-AGE-GATE", needs=CAMPAIGN)
def age_gate(ctx: LintContext) -> Iterator[Finding]:
    """Age-restricted content comes with ageGated=true and a date-of-birth gate."""
    ct = campaign_text(ctx)
    gated = flag(ctx.campaign, "ageGated") is True
    restricted = any(ct.any(name) for name in _AGE_LISTS)
    if not restricted and not gated:
        return
    rule = "CAMPAIGN-AGE-GATE"
    if restricted and not gated:
        found, fields = _found_in(ct, _AGE_LISTS)
        yield finding(
            rule,
            "ageGated",
            f"Age-restricted content ({', '.join(found)} in {', '.join(fields)}) but ageGated is not true.",
        )
    flow = ct.get("messageFlow")
    if flow is None or not _DOB.search(flow.lower):
        yield finding(
            rule, "messageFlow", "The message flow does not describe a date-of-birth age gate at opt-in."
        )


@check("CAMPAIGN-NO-AFFILIATE-MARKETING", needs=CAMPAIGN)
def no_affiliate_marketing(ctx: LintContext) -> Iterator[Finding]:
    """The no-affiliate attestation is given and the text offers no affiliate deals."""
    rule = "CAMPAIGN-NO-AFFILIATE-MARKETING"
    if flag(ctx.campaign, "termsAndConditions") is False:
        yield finding(
            rule,
            "termsAndConditions",
            "termsAndConditions is false: TCR requires the attestation that "
            "the campaign involves no affiliate marketing.",
        )
    ct = campaign_text(ctx)
    affiliate = wordlist("affiliate")
    check_sharing = (
        not SHARE_WORDS.isdisjoint(ct.all.words)
        or "send" in ct.all.words
        or "provide" in ct.all.words
        or "pass" in ct.all.words
    )
    if not check_sharing and not ct.any(affiliate):
        return
    for field, d in ct.docs.items():
        found = ct.find(affiliate, d)
        if found:
            yield finding(rule, field, f"{field} mentions affiliate or partner offers ({', '.join(found)}).")
        elif check_sharing and unnegated(_LEAD_SHARING, d.lower):
            yield finding(
                rule, field, f"{field} says leads or personal data are passed to partners or third parties."
            )
