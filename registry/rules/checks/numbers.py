"""Number assignment rules: one campaign per number, the number-pool threshold, per-use-case number limits,
no number shared between businesses, and the non-use fee.

All state rules: silent unless the caller (the number assignment workflow) passes

- ``state["number_count"]`` (int): how many numbers the campaign will carry after the operation
  (``NUMBER-POOL-THRESHOLD``, ``NUMBER-PER-CAMPAIGN-LIMITS``, ``NUMBER-CAMPAIGN-NONUSE``).
- ``state["number_links"]`` (mapping E.164 number -> campaign id): for each number being attached, the
  campaign it is linked to now (absent or ``None`` = free). The campaign's own id is
  ``campaign["campaignId"]`` or ``state["campaign_id"]`` (``NUMBER-ONE-CAMPAIGN``).
- ``state["number_brands"]`` (mapping E.164 number -> list of brand ids): brands that have used each number;
  the brand's own id is ``brand["brandId"]`` or ``state["brand_id"]`` (``NUMBER-NOT-SHARED``).
- ``state["campaign_approved_on"]`` (date or ISO string): when carriers approved the campaign
  (``NUMBER-CAMPAIGN-NONUSE``, with ``number_count``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from ..engine import ANY, LintContext, check, finding
from ..report import Finding
from .brand_values import as_date, text

#: a campaign with more numbers than this must be registered with numberPool=true (TCR API: "more than 50")
POOL_THRESHOLD = 50
#: numbers per campaign by use case (TCR KB; Sinch)
NUMBER_LIMITS = {"SOLE_PROPRIETOR": 1, "AGENTS_FRANCHISES": 5000}
NONUSE_DAYS = 60


def _own_id(ctx: LintContext, payload: str, key: str, state_key: str) -> str | None:
    value = text(getattr(ctx, payload), key)
    if value is None and isinstance(ctx.state.get(state_key), str):
        value = ctx.state[state_key]
    return value


@check("NUMBER-ONE-CAMPAIGN", needs=ANY, state=("number_links",))
def one_campaign(ctx: LintContext) -> list[Finding]:
    """No number being attached is linked to another campaign."""
    if not ctx.state:
        return []
    links = ctx.state.get("number_links")
    if not isinstance(links, Mapping):
        return []
    own = _own_id(ctx, "campaign", "campaignId", "campaign_id")
    taken = sorted(f"{n} ({c})" for n, c in links.items() if c and c != own)
    if not taken:
        return []
    shown = ", ".join(taken[:10]) + (f" and {len(taken) - 10} more" if len(taken) > 10 else "")
    return [finding("NUMBER-ONE-CAMPAIGN", "campaignId",
                    f"{len(taken)} number{'s are' if len(taken) != 1 else ' is'} already linked to another "
                    f"campaign: {shown}.")]


@check("NUMBER-POOL-THRESHOLD", "NUMBER-PER-CAMPAIGN-LIMITS", needs=ANY, state=("number_count",))
def number_count(ctx: LintContext) -> list[Finding]:
    """Over 50 numbers need ``numberPool=true``; sole proprietor and A&F campaigns stay within their limit."""
    if not ctx.state:
        return []
    n = ctx.state.get("number_count")
    if not isinstance(n, int) or isinstance(n, bool):
        return []
    out: list[Finding] = []
    campaign = ctx.campaign or {}
    if n > POOL_THRESHOLD and campaign.get("numberPool") is not True:
        out.append(finding("NUMBER-POOL-THRESHOLD", "numberPool",
                           f"The campaign would carry {n} numbers but numberPool is not true: T-Mobile "
                           f"refuses more than {POOL_THRESHOLD} numbers on a campaign not registered as a "
                           "number pool."))
    usecase = text(campaign, "usecase")
    if text(ctx.brand, "entityType") == "SOLE_PROPRIETOR":
        usecase = "SOLE_PROPRIETOR"
    limit = NUMBER_LIMITS.get(usecase or "")
    if limit is not None and n > limit:
        out.append(finding("NUMBER-PER-CAMPAIGN-LIMITS", "usecase",
                           f"A {usecase} campaign may carry at most {limit:,} "
                           f"number{'s' if limit != 1 else ''}; this one would carry {n:,}."))
    return out


@check("NUMBER-NOT-SHARED", needs=ANY, state=("number_brands",))
def not_shared(ctx: LintContext) -> list[Finding]:
    """No number has been used by another brand."""
    if not ctx.state:
        return []
    brands = ctx.state.get("number_brands")
    if not isinstance(brands, Mapping):
        return []
    own = _own_id(ctx, "brand", "brandId", "brand_id")
    shared = sorted(n for n, ids in brands.items()
                    if isinstance(ids, (list, tuple, set, frozenset)) and any(i != own for i in ids))
    if not shared:
        return []
    return [finding("NUMBER-NOT-SHARED", "brandId",
                    f"{', '.join(shared[:10])}{' and more' if len(shared) > 10 else ''} "
                    f"{'are' if len(shared) != 1 else 'is'} also used by another brand; a 10DLC number "
                    "serves one business.")]


@check("NUMBER-CAMPAIGN-NONUSE", needs=ANY, state=("campaign_approved_on",))
def nonuse(ctx: LintContext) -> list[Finding]:
    """An approved campaign without numbers is heading for T-Mobile's non-use fee."""
    if not ctx.state:
        return []
    approved = as_date(ctx.state.get("campaign_approved_on"))
    if approved is None or ctx.state.get("number_count") != 0:
        return []
    due = approved + timedelta(days=NONUSE_DAYS)
    left = (due - ctx.today).days
    when = f"in {left} days (on {due.isoformat()})" if left > 0 else f"since {due.isoformat()}"
    return [finding("NUMBER-CAMPAIGN-NONUSE", "campaignId",
                    f"The campaign was approved on {approved.isoformat()} and has no number; T-Mobile's "
                    f"non-use fee applies {when}.")]
