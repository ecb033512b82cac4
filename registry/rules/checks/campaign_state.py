"""State-scope campaign rules: they need what the database knows, so each fires only when the caller (the
workflow and submission gates) passes the matching ``state`` key; ``registry lint`` passes none and they stay
silent.

State keys (all optional):

- ``state["campaign_reference_ids"]``: the ``referenceId`` of every *other* campaign of the CSP account
  (iterable of str; compared case-insensitively) -> CAMPAIGN-REFERENCEID.
- ``state["previous_campaign"]``: the campaign as registered in TCR (a payload with TCR field names) when this
  payload is an edit of it -> CAMPAIGN-IMMUTABLE-FIELDS (and the reseller rule in ``campaign_structure``).
- ``state["campaign_status"]``: TCR status of the campaign being edited, ``"ACTIVE"`` or ``"EXPIRED"``
  -> CAMPAIGN-EXPIRED-READONLY.
- ``state["brand_campaign_count"]``: how many campaigns the brand already has, not counting this one
  -> CAMPAIGN-LIMIT-PER-BRAND; ``state["brand_campaign_limit"]`` overrides the TCR default of 50 (Twilio: 100,
  or a limit TCR raised); ``state["pft_campaign_count"]``: Platform Free Trial campaigns the CSP/reseller has.
- ``state["nudge"]``: a nudge request ``{"intent": "APPEAL_REJECTION" | "REVIEW", "description": str,
  "by_owner": bool, "edited_since_rejection": bool}`` -> CAMPAIGN-NUDGE-RULES (its description length is
  CAMPAIGN-FIELD-LENGTHS).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..engine import ANY, CAMPAIGN, LintContext, check, finding
from ..report import Finding
from .campaign_text import text

#: fields that ``PUT /campaign/{id}`` cannot change (TCR API table)
IMMUTABLE_FIELDS = (
    "brandId",
    "usecase",
    "subUsecases",
    "subscriberOptin",
    "subscriberOptout",
    "subscriberHelp",
    "mnoIds",
    "referenceId",
    "tag",
    "termsAndConditions",
)
DEFAULT_CAMPAIGN_LIMIT = 50
NUDGE_INTENTS = frozenset({"APPEAL_REJECTION", "REVIEW"})


@check("CAMPAIGN-REFERENCEID", needs=CAMPAIGN, state=("campaign_reference_ids",))
def reference_id(ctx: LintContext) -> Iterator[Finding]:
    """referenceId unique in the CSP account; required for sole-proprietor campaigns."""
    others = ctx.state.get("campaign_reference_ids")
    if others is None:
        return
    ref = text(ctx.campaign, "referenceId")
    if not ref:
        if ctx.campaign.get("usecase") == "SOLE_PROPRIETOR":
            yield finding(
                "CAMPAIGN-REFERENCEID", "referenceId", "Sole-proprietor campaigns must have a referenceId."
            )
        return
    taken = {str(o).strip().lower() for o in others}
    if ref.lower() in taken:
        yield finding(
            "CAMPAIGN-REFERENCEID",
            "referenceId",
            f"referenceId '{ref}' is already used by another campaign of this account.",
        )


def _comparable(value: Any) -> Any:
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        return tuple(sorted(str(v).strip() for v in value))
    return value


@check("CAMPAIGN-IMMUTABLE-FIELDS", needs=CAMPAIGN, state=("previous_campaign",))
def immutable_fields(ctx: LintContext) -> Iterator[Finding]:
    """No change to fields that TCR fixes at campaign creation."""
    previous = ctx.state.get("previous_campaign")
    if not isinstance(previous, Mapping):
        return
    for name in IMMUTABLE_FIELDS:
        if name not in ctx.campaign:
            continue
        before, after = _comparable(previous.get(name)), _comparable(ctx.campaign.get(name))
        if before != after:
            yield finding(
                "CAMPAIGN-IMMUTABLE-FIELDS",
                name,
                f"{name} cannot be changed on a registered campaign (was {previous.get(name)!r}, now "
                f"{ctx.campaign.get(name)!r}); a new campaign is needed.",
            )


@check("CAMPAIGN-EXPIRED-READONLY", needs=CAMPAIGN, state=("campaign_status",))
def expired_readonly(ctx: LintContext) -> Iterator[Finding]:
    """No update of an EXPIRED campaign."""
    status = ctx.state.get("campaign_status")
    if isinstance(status, str) and status.upper() == "EXPIRED":
        yield finding(
            "CAMPAIGN-EXPIRED-READONLY",
            None,
            "The campaign is EXPIRED: it cannot be updated, resubmitted or nudged.",
        )


@check("CAMPAIGN-LIMIT-PER-BRAND", needs=ANY, state=("brand_campaign_count", "pft_campaign_count"))
def limit_per_brand(ctx: LintContext) -> Iterator[Finding]:
    """The brand, a sole proprietor or the CSP's free trial stays within its campaign limit."""
    campaign = ctx.campaign or {}
    brand = ctx.brand or {}
    count = ctx.state.get("brand_campaign_count")
    if isinstance(count, int) and not isinstance(count, bool):
        sole_prop = (
            brand.get("entityType") == "SOLE_PROPRIETOR" or campaign.get("usecase") == "SOLE_PROPRIETOR"
        )
        if sole_prop and count >= 1:
            yield finding(
                "CAMPAIGN-LIMIT-PER-BRAND",
                "brandId",
                "A sole-proprietor brand can have only one campaign, and this brand already has one.",
            )
        else:
            limit = ctx.state.get("brand_campaign_limit") or DEFAULT_CAMPAIGN_LIMIT
            if count >= limit:
                yield finding(
                    "CAMPAIGN-LIMIT-PER-BRAND",
                    "brandId",
                    f"The brand already has {count} campaigns; its limit is {limit}.",
                )
    pft = ctx.state.get("pft_campaign_count")
    if campaign.get("usecase") == "TRIAL" and isinstance(pft, int) and pft >= 1:
        yield finding(
            "CAMPAIGN-LIMIT-PER-BRAND",
            "usecase",
            "This CSP/reseller already has a Platform Free Trial campaign; only one is allowed.",
        )


@check("CAMPAIGN-NUDGE-RULES", needs=CAMPAIGN, state=("nudge",))
def nudge_rules(ctx: LintContext) -> Iterator[Finding]:
    """A nudge has a valid intent, comes from the owning CSP and follows an edit when appealing."""
    nudge = ctx.state.get("nudge")
    if not isinstance(nudge, Mapping):
        return
    rule = "CAMPAIGN-NUDGE-RULES"
    intent = nudge.get("intent")
    if intent not in NUDGE_INTENTS:
        yield finding(rule, "nudgeIntent", f"Nudge intent {intent!r} is not APPEAL_REJECTION or REVIEW.")
    if nudge.get("by_owner") is False:
        yield finding(rule, "nudgeIntent", "Only the CSP that owns the campaign may nudge it.")
    if intent == "APPEAL_REJECTION" and nudge.get("edited_since_rejection") is False:
        yield finding(
            rule,
            "nudgeIntent",
            "APPEAL_REJECTION needs the campaign to be edited after the "
            "rejection; fix the rejected fields first.",
        )
