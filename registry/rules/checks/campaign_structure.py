"""Campaign structure: the use case (known id, fit with the brand's entity, CSP enablement, political vet) and
its sub-use cases. Sample count, subscriber attributes, reseller, networks and renewal:
``campaign_attributes``.

Optional ``state`` keys read here (all rules also work without them):

- ``state["qualify"]``: the qualify response for this brand and use case
  (``GET /campaignBuilder/brand/{brandId}/usecase/{usecase}``): ``{"minSubUsecases": int, "maxSubUsecases":
  int, "mnoMetadata": {"10017": {"mno": "AT&T", "qualify": bool, "mnoSupport": bool, "minMsgSamples": int,
  "reqSubscriberOptin": bool, "reqSubscriberOptout": bool, "reqSubscriberHelp": bool, "noEmbeddedLink": bool,
  "noEmbeddedPhone": bool}, ...}}``. When present, its live bounds replace the KB table.
- ``state["csp_enabled_usecases"]``: the restricted use cases the CSP holds a contract or pre-approval for;
  without it CAMPAIGN-USECASE-CSP-ENABLEMENT reports "needs a live check" (info).
- ``state["previous_campaign"]``: the campaign as registered, for the reseller change rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..engine import BOTH, CAMPAIGN, LintContext, check, finding
from ..report import Finding
from .campaign_usecases import (
    CSP_ENABLEMENT,
    NOT_FOR_501C3,
    SUB_USECASES,
    UNCONFIRMED_USECASES,
    USECASES,
    mno_metadata,
    sub_usecases,
)

UNKNOWN = "unknown until registered"


def _tax_status(brand: Mapping[str, Any]) -> str | None:
    """The brand's verified tax-exempt status ('501c3', ...), '' when known to be none, None when unknown."""
    attrs = brand.get("optionalAttributes")
    if attrs is None:
        return None
    value: Any = None
    if isinstance(attrs, Mapping):
        value = attrs.get("taxExemptStatus")
    elif isinstance(attrs, list):
        for item in attrs:
            if isinstance(item, Mapping) and item.get("name") == "taxExemptStatus":
                value = item.get("value")
    if not isinstance(value, str):
        return ""
    return "".join(c for c in value.lower() if c.isalnum())


def usecase_enum(ctx: LintContext) -> list[Finding]:
    """The use case is a TCR id and the brand qualifies for it on at least one network."""
    out: list[Finding] = []
    value = ctx.campaign.get("usecase")
    if value is None or (isinstance(value, str) and not value.strip()):
        out.append(finding("CAMPAIGN-USECASE-ENUM", "usecase", "The campaign has no use case."))
        return out
    if not isinstance(value, str):
        out.append(finding("CAMPAIGN-USECASE-ENUM", "usecase", f"The use case must be a text id, not {value!r}."))
        return out
    if value in USECASES:
        meta = mno_metadata(ctx.campaign, ctx.state)
        if meta and not any(
            m.get("qualify") is not False and m.get("mnoSupport") is not False for _, m in meta
        ):
            out.append(finding(
                "CAMPAIGN-USECASE-ENUM",
                "usecase",
                f"The brand does not qualify for the {value} use case on any targeted network "
                "(qualify call).",
                hint="Choose another use case, or improve the brand's vetting score (an external vet) "
                "and check the qualify result again.",
            ))
        return out
    if value in UNCONFIRMED_USECASES:
        out.append(finding(
            "CAMPAIGN-USECASE-ENUM",
            "usecase",
            f"The use case {value} {UNCONFIRMED_USECASES[value]}; confirm your provider accepts it.",
            severity="warning",
        ))
        return out
    upper = value.strip().upper().replace(" ", "_").replace("-", "_")
    suggestion = f" Did you mean {upper}?" if upper in USECASES else ""
    out.append(finding("CAMPAIGN-USECASE-ENUM", "usecase", f"'{value}' is not a TCR use case.{suggestion}"))
    return out


def usecase_entity(ctx: LintContext) -> list[Finding]:
    """Special use cases match the brand's entity type and tax-exempt status."""
    out: list[Finding] = []
    uc = ctx.campaign.get("usecase")
    entity = ctx.brand.get("entityType")
    if not isinstance(uc, str) or not isinstance(entity, str):
        return out
    rule = "CAMPAIGN-USECASE-ENTITY"
    if uc == "SOLE_PROPRIETOR" and entity != "SOLE_PROPRIETOR":
        out.append(finding(
            rule,
            "usecase",
            f"The SOLE_PROPRIETOR use case is only for SOLE_PROPRIETOR brands; this brand is {entity}.",
        ))
    elif entity == "SOLE_PROPRIETOR" and uc != "SOLE_PROPRIETOR":
        out.append(finding(
            rule,
            "usecase",
            f"A SOLE_PROPRIETOR brand can only register the SOLE_PROPRIETOR use case, not {uc}.",
        ))
    if uc == "CHARITY":
        if entity != "NON_PROFIT":
            out.append(finding(
                rule,
                "usecase",
                f"CHARITY campaigns are only for NON_PROFIT brands with verified "
                f"501(c)(3) status; this brand is {entity}.",
            ))
        else:
            status = _tax_status(ctx.brand)
            if status is None:
                out.append(finding(
                    rule,
                    "usecase",
                    "CHARITY needs verified 501(c)(3) status, which is "
                    + UNKNOWN
                    + " (TCR sets optionalAttributes.taxExemptStatus after verification).",
                    severity="info",
                ))
            elif status != "501c3":
                out.append(finding(
                    rule,
                    "usecase",
                    "CHARITY needs verified 501(c)(3) status; TCR reports "
                    f"{status or 'no tax-exempt status'} for this brand.",
                ))
    elif uc in NOT_FOR_501C3 and entity == "NON_PROFIT":
        status = _tax_status(ctx.brand)
        if status == "501c3":
            out.append(finding(rule, "usecase", f"A 501(c)(3) organisation may not register the {uc} use case."))
        elif status is None:
            out.append(finding(
                rule,
                "usecase",
                f"A 501(c)(3) organisation may not register the {uc} use case; this "
                f"brand's tax-exempt status is {UNKNOWN}.",
                severity="info",
            ))
    return out


def usecase_csp_enablement(ctx: LintContext) -> list[Finding]:
    """Restricted use cases need the CSP's contract or pre-approval."""
    out: list[Finding] = []
    uc = ctx.campaign.get("usecase")
    if uc not in CSP_ENABLEMENT:
        return out
    enabled = ctx.state.get("csp_enabled_usecases")
    if enabled is None:
        out.append(finding(
            "CAMPAIGN-USECASE-CSP-ENABLEMENT",
            "usecase",
            f"The {uc} use case needs a CSP contract or carrier pre-approval: needs a live check with "
            "your messaging provider.",
            severity="info",
        ))
    elif uc not in enabled:
        out.append(finding(
            "CAMPAIGN-USECASE-CSP-ENABLEMENT",
            "usecase",
            f"This account is not enabled for the {uc} use case.",
        ))
    return out


def _political_vet(vettings: Any, today: date) -> tuple[bool, date | None]:
    """(an ACTIVE political vet exists, its expiry date when given)."""
    if not isinstance(vettings, list):
        return False, None
    for vet in vettings:
        if not isinstance(vet, Mapping):
            continue
        if str(vet.get("vettingClass", "")).upper() != "POLITICAL":
            continue
        if str(vet.get("vettingStatus", "")).upper() != "ACTIVE":
            continue
        expiry = vet.get("expirationDate") or vet.get("validUntil")
        try:
            expires = date.fromisoformat(str(expiry)[:10]) if expiry else None
        except ValueError:
            expires = None
        if expires is None or expires >= today:
            return True, expires
    return False, None


def political_vet(ctx: LintContext) -> list[Finding]:
    """POLITICAL campaigns have an active political vet or a verified 501(c) status."""
    out: list[Finding] = []
    if ctx.campaign.get("usecase") != "POLITICAL":
        return out
    rule = "CAMPAIGN-POLITICAL-VET"
    brand = ctx.brand
    has_vet, expires = _political_vet(brand.get("vettings"), ctx.today)
    if has_vet:
        if expires is not None and (expires - ctx.today).days <= 30:
            out.append(finding(
                rule,
                "usecase",
                f"The brand's political vet expires on {expires.isoformat()}; TCR "
                "deactivates the POLITICAL campaign when it lapses.",
                severity="warning",
            ))
        return out
    status = _tax_status(brand)
    if brand.get("entityType") == "NON_PROFIT" and status in ("501c3", "501c4", "501c5", "501c6"):
        return out
    if "vettings" not in brand:
        out.append(finding(
            rule,
            "usecase",
            "POLITICAL needs an active political vet (Campaign Verify or Aegis) or a "
            f"verified 501(c)(3/4/5/6) status: {UNKNOWN}.",
            severity="info",
        ))
    elif status is None and brand.get("entityType") == "NON_PROFIT":
        out.append(finding(
            rule,
            "usecase",
            f"The brand has no active political vet, and its 501(c) status is {UNKNOWN}.",
            severity="info",
        ))
    else:
        out.append(finding(
            rule,
            "usecase",
            "POLITICAL needs an active political vet (Campaign Verify token or Aegis "
            "political vet) or a verified 501(c)(3/4/5/6) non-profit; the brand has "
            "neither.",
        ))
    return out


def sub_usecase_rules(ctx: LintContext) -> list[Finding]:
    """Sub-use cases are unique standard ids, as many as the use case allows."""
    out: list[Finding] = []
    campaign = ctx.campaign
    raw = campaign.get("subUsecases")
    if raw is not None and not isinstance(raw, (list, tuple)):
        out.append(finding(
            "CAMPAIGN-SUBUSECASE-ENUM", "subUsecases", "subUsecases must be a list of use-case ids."
        ))
        return out
    subs = sub_usecases(campaign)
    if subs:
        unknown = [s for s in subs if s not in SUB_USECASES]
        if unknown:
            out.append(finding(
                "CAMPAIGN-SUBUSECASE-ENUM",
                "subUsecases",
                f"Not standard sub-use cases: {', '.join(unknown)}.",
            ))
        if len(set(subs)) != len(subs):
            dupes = sorted({s for s in subs if subs.count(s) > 1})
            out.append(finding(
                "CAMPAIGN-SUBUSECASE-ENUM", "subUsecases", f"Listed more than once: {', '.join(dupes)}."
            ))
    uc = USECASES.get(campaign.get("usecase")) if isinstance(campaign.get("usecase"), str) else None
    if uc is None:
        return out
    lo, hi, confirmed = uc.min_sub, uc.max_sub, uc.sub_bounds_confirmed
    qualify = ctx.state.get("qualify")
    if qualify is not None and isinstance(qualify, Mapping) and isinstance(qualify.get("maxSubUsecases"), int):
        lo, hi, confirmed = int(qualify.get("minSubUsecases") or 0), qualify["maxSubUsecases"], True
    n = len(set(subs))
    if n > hi:
        what = "takes no sub-use cases" if hi == 0 else f"takes at most {hi} sub-use cases"
        out.append(finding("CAMPAIGN-SUBUSECASE-COUNT", "subUsecases", f"The {uc.id} use case {what}; {n} given."))
    elif n < lo:
        out.append(finding(
            "CAMPAIGN-SUBUSECASE-COUNT",
            "subUsecases",
            f"The {uc.id} use case needs at least {lo} sub-use case{'s' if lo > 1 else ''}; {n} given.",
            severity=None if confirmed else "warning",
        ))

    return out


@check("CAMPAIGN-USECASE-ENUM", "CAMPAIGN-USECASE-CSP-ENABLEMENT", "CAMPAIGN-SUBUSECASE-ENUM",
       "CAMPAIGN-SUBUSECASE-COUNT", needs=CAMPAIGN)
def usecase_rules(ctx: LintContext) -> list[Finding]:
    """The use-case rules that read the campaign alone, as one check."""
    return [*usecase_enum(ctx), *usecase_csp_enablement(ctx), *sub_usecase_rules(ctx)]


@check("CAMPAIGN-USECASE-ENTITY", "CAMPAIGN-POLITICAL-VET", needs=BOTH)
def usecase_brand_rules(ctx: LintContext) -> list[Finding]:
    """The use-case rules that compare the campaign with its brand, as one check."""
    return [*usecase_entity(ctx), *political_vet(ctx)]
