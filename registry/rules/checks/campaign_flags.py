"""Content attributes reviewers compare with the text: directLending for lending content, ageGated and a
date-of-birth gate for alcohol, tobacco and firearms, and the termsAndConditions no-affiliate attestation."""

from __future__ import annotations

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, fact, wordlist
from ..text.patterns import LEAD, Alternatives
from .campaign_text import CampaignText, campaign_text, flag
from .campaign_words import word_group
from .wording import SHARE_WORDS, unnegated

_DOB = Alternatives(
    ((), r"date of birth"),
    (("birth",), r"birth ?date", LEAD),
    (("dob",), r"\bdob\b", LEAD),
    (("gate",), r"\bage[- ]gate"),
    (("verif",), r"age[- ]verif"),
    (("verif",), r"verif(?:y|ies|ied|ying) (?:their |your |the (?:user'?s |customer'?s )?)?age\b", LEAD),
)
_LEAD_SHARING = Alternatives((
    ("partner", "affiliate", "third", "sponsor", "lenders", "buyers"),
    r"\b(?:share|sell|rent|send|pass|provide)\w*\b[^.]{0,40}?\b(?:leads?|your "
    r"(?:information|info|details|data))\b[^.]{0,40}?\b(?:partners?|affiliates?|"
    r"third[- ]part(?:y|ies)|sponsors?|lenders|buyers)\b",
))


def _found_in(ct: CampaignText, lists: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(terms found, fields holding them) over the parsed fields for the named word lists."""
    terms_, fields = [], []
    for field, d in ct.docs.items():
        hit = [t for name in lists for t in ct.find(name, d)]
        if hit:
            terms_ += hit
            fields.append(field)
    return sorted(set(terms_)), fields


def direct_lending(ctx: LintContext) -> list[Finding]:
    """Lending content comes with directLending=true."""
    if flag(ctx.campaign, "directLending") is True:
        return []
    ct = campaign_text(ctx)
    if not ct.any("lending"):
        return []
    found, fields = _found_in(ct, ("lending",))
    return [finding(
        "CAMPAIGN-DIRECT-LENDING-FLAG",
        "directLending",
        f"Lending content ({', '.join(found)} in {', '.join(fields)}) but directLending is not true.",
    )]


_AGE_LISTS = ("alcohol", "tobacco", "firearms")


def _age_gate_described(flow: Doc) -> bool:
    return _DOB.found(flow.lower)


def age_gate(ctx: LintContext) -> list[Finding]:
    """Age-restricted content comes with ageGated=true and a date-of-birth gate."""
    gated = flag(ctx.campaign, "ageGated") is True
    ct = campaign_text(ctx)
    restricted = any(ct.any(name) for name in _AGE_LISTS)
    if not restricted and not gated:
        return []
    rule = "CAMPAIGN-AGE-GATE"
    out = []
    if restricted and not gated:
        found, fields = _found_in(ct, _AGE_LISTS)
        out.append(finding(
            rule,
            "ageGated",
            f"Age-restricted content ({', '.join(found)} in {', '.join(fields)}) but ageGated is not true.",
        ))
    flow = ct.get("messageFlow")
    if flow is None or not fact(flow, _age_gate_described):
        out.append(finding(
            rule, "messageFlow", "The message flow does not describe a date-of-birth age gate at opt-in."
        ))
    return out


def _passes_leads(d: Doc) -> bool:
    return unnegated(_LEAD_SHARING, d.lower) is not None


_LEAD_SHARING_GROUP = word_group("lead_sharing", SHARE_WORDS | {"send", "provide", "pass"})


def no_affiliate_marketing(ctx: LintContext) -> list[Finding]:
    """The no-affiliate attestation is given and the text offers no affiliate deals."""
    rule = "CAMPAIGN-NO-AFFILIATE-MARKETING"
    out = []
    if flag(ctx.campaign, "termsAndConditions") is False:
        out.append(finding(
            rule,
            "termsAndConditions",
            "termsAndConditions is false: TCR requires the attestation that "
            "the campaign involves no affiliate marketing.",
        ))
    ct = campaign_text(ctx)
    affiliate = wordlist("affiliate")
    check_sharing = ct.has_group(_LEAD_SHARING_GROUP)
    if not check_sharing and not ct.any(affiliate):
        return out
    for field, d in ct.docs.items():
        found = ct.find(affiliate, d)
        if found:
            out.append(finding(
                rule, field, f"{field} mentions affiliate or partner offers ({', '.join(found)})."
            ))
        elif check_sharing and fact(d, _passes_leads):
            out.append(finding(
                rule, field, f"{field} says leads or personal data are passed to partners or third parties."
            ))
    return out


@check("CAMPAIGN-DIRECT-LENDING-FLAG", "CAMPAIGN-AGE-GATE", "CAMPAIGN-NO-AFFILIATE-MARKETING", needs=CAMPAIGN)
def content_attributes(ctx: LintContext) -> list[Finding]:
    """The three attribute rules above, as one check (they read the same flags and word lists)."""
    return [*direct_lending(ctx), *age_gate(ctx), *no_affiliate_marketing(ctx)]
