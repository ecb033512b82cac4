"""Campaign attributes: sample count per use case, subscriber opt-in/opt-out/help flags, reseller, targeted
networks and auto-renewal.

Optional ``state`` keys read here: ``state["qualify"]`` (the qualify response, see ``campaign_structure``) for
``minMsgSamples`` and the ``reqSubscriber*`` mandates of the targeted networks; ``state["previous_campaign"]``
(the campaign as registered) for the reseller change rule; ``state["mno_ids"]`` (the live ``/enum/mno`` ids)
to replace the built-in network list.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from .campaign_text import campaign_text, flag
from .campaign_usecases import (
    MNO_IDS,
    OPTIN_EXEMPT,
    OPTOUT_EXEMPT,
    USECASES,
    mno_metadata,
)


def sample_count(ctx: LintContext) -> list[Finding]:
    """Enough samples for the use case and the targeted networks, at most five, from sample1 up."""
    campaign = ctx.campaign
    present = [f for f, _ in campaign_text(ctx).samples]  # the samples that are not blank
    n = len(present)
    rule = "CAMPAIGN-SAMPLE-COUNT"
    out: list[Finding] = []
    if "sample6" in campaign:
        out.append(finding(rule, "sample6", "TCR accepts at most 5 samples (sample1 to sample5)."))
    if n and present[0] != "sample1":
        out.append(finding(
            rule, "sample1", "sample1 is empty: TCR always requires it; fill samples from sample1 up."
        ))
    usecase = campaign.get("usecase")
    uc = USECASES.get(usecase) if isinstance(usecase, str) else None
    minimum, why = (uc.min_samples, _USECASE_NAMES[uc.id]) if uc else (1, "TCR")
    if ctx.state:
        for name, meta in mno_metadata(campaign, ctx.state):
            m = meta.get("minMsgSamples")
            if isinstance(m, int) and m > minimum:
                minimum, why = m, name
    if n < minimum:
        out.append(finding(
            rule,
            present[-1] if present else "sample1",
            f"{n} sample message{'s' if n != 1 else ''} given; {why} requires at least {minimum}.",
        ))
    elif n == 1:
        out.append(finding(
            rule,
            "sample2",
            "Only one sample: TCR accepts it for this use case, but Twilio requires "
            "at least 2 and reviewers expect one per message type.",
            severity="warning",
        ))
    return out


_USECASE_NAMES = {uc: f"the {uc} use case" for uc in USECASES}
_SUBSCRIBER_FLAGS = (
    ("subscriberOptin", OPTIN_EXEMPT, "opt-in", "reqSubscriberOptin"),
    ("subscriberOptout", OPTOUT_EXEMPT, "opt-out", "reqSubscriberOptout"),
)


def subscriber_flags(ctx: LintContext) -> list[Finding]:
    """subscriberOptin, subscriberOptout and subscriberHelp set where required."""
    campaign = ctx.campaign
    optin, optout, help_ = (flag(campaign, "subscriberOptin"), flag(campaign, "subscriberOptout"),
                            flag(campaign, "subscriberHelp"))
    if optin and optout and help_:
        return []
    uc = campaign.get("usecase") if isinstance(campaign.get("usecase"), str) else ""
    meta = mno_metadata(campaign, ctx.state)
    rule = "CAMPAIGN-SUBSCRIBER-FLAGS"
    out: list[Finding] = []
    for (field, exempt, what, req_key), given in zip(_SUBSCRIBER_FLAGS, (optin, optout), strict=True):
        if given:
            continue
        requiring = [name for name, m in meta if m.get(req_key) is True]
        if requiring:
            out.append(finding(
                rule,
                field,
                f"{', '.join(requiring)} require{'s' if len(requiring) == 1 else ''} "
                f"{what} for this use case; {field} is not true.",
            ))
        elif uc not in exempt:
            out.append(finding(
                rule,
                field,
                f"{field} must be true for the {uc or 'chosen'} use case: carriers require "
                f"{what} handling (only {', '.join(sorted(exempt))} are exempt).",
            ))
    if not help_:
        requiring = [name for name, m in meta if m.get("reqSubscriberHelp") is True]
        if requiring:
            out.append(finding(
                rule,
                "subscriberHelp",
                f"{', '.join(requiring)} require HELP handling; subscriberHelp is not true.",
            ))
        elif uc != "M2M":
            out.append(finding(
                rule,
                "subscriberHelp",
                "subscriberHelp is not true: some carriers require HELP replies "
                "and Twilio rejects campaigns without them (30890).",
                severity="warning",
            ))
    return out


def reseller(ctx: LintContext) -> list[Finding]:
    """resellerId well formed and changed only to R000000."""
    value = ctx.campaign.get("resellerId")
    rule = "CAMPAIGN-RESELLER"
    if value is None:
        return []
    if not isinstance(value, str) or not value.strip() or len(value) > 8 or not value.isalnum():
        return [finding(
            rule,
            "resellerId",
            f"resellerId {value!r} is not a TCR reseller id (letters and digits, "
            "at most 8; R000000 for none).",
        )]
    out: list[Finding] = []
    previous = ctx.state.get("previous_campaign")
    if previous is not None and isinstance(previous, Mapping):
        before = previous.get("resellerId")
        if isinstance(before, str) and before and before != value:
            if before == "R000000":
                out.append(finding(
                    rule, "resellerId", "The reseller was already removed (R000000); it cannot be set again."
                ))
            elif value != "R000000":
                out.append(finding(
                    rule,
                    "resellerId",
                    f"The reseller can only be changed to R000000, not from {before} to {value}.",
                ))
    if value == "R000000" and ctx.campaign.get("usecase") == "SOLE_PROPRIETOR":
        out.append(finding(
            rule,
            "resellerId",
            "If an ISV sits between you and the sole proprietor, TCR requires it to "
            "be set as the campaign's reseller.",
            severity="info",
        ))
    return out


def mno_ids(ctx: LintContext) -> list[Finding]:
    """mnoIds holds only known TCR network ids."""
    value = ctx.campaign.get("mnoIds")
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        return [finding("CAMPAIGN-MNOIDS-VALID", "mnoIds", "mnoIds must be a list of TCR network ids.")]
    known = ctx.state.get("mno_ids") or MNO_IDS
    known_ids = {str(k) for k in known}
    bad = [str(v) for v in value if isinstance(v, bool) or str(v).strip() not in known_ids]
    if bad:
        return [finding("CAMPAIGN-MNOIDS-VALID", "mnoIds", f"Unknown TCR network id(s): {', '.join(bad)}.")]
    return []


def autorenew(ctx: LintContext) -> list[Finding]:
    """Warn that turning auto-renewal off ends the campaign for good."""
    if flag(ctx.campaign, "autoRenewal") is False:
        term = "monthly" if ctx.campaign.get("usecase") == "POLITICAL" else "3 months"
        return [finding(
            "CAMPAIGN-AUTORENEW-OFF",
            "autoRenewal",
            f"autoRenewal is false: the campaign expires at the end of its current term (first term: "
            f"{term}) and cannot be reactivated.",
        )]
    return []


@check("CAMPAIGN-SAMPLE-COUNT", "CAMPAIGN-SUBSCRIBER-FLAGS", "CAMPAIGN-RESELLER", "CAMPAIGN-MNOIDS-VALID",
       "CAMPAIGN-AUTORENEW-OFF", needs=CAMPAIGN)
def attributes(ctx: LintContext) -> list[Finding]:
    """The attribute rules above, as one check (each reads a few plain campaign fields)."""
    return [*sample_count(ctx), *subscriber_flags(ctx), *reseller(ctx), *mno_ids(ctx), *autorenew(ctx)]
