"""Message-volume rules: a campaign's forecast against T-Mobile's daily brand cap, AT&T's per-minute class
limit, and the fixed caps of low-volume and sole proprietor campaigns.

The forecast is this application's planning data on the campaign (not TCR fields; typed in ``fields.py``):

- ``campaign["forecastDailyVolume"]`` (int): expected message segments per day, all networks.
- ``campaign["forecastPeakTpm"]`` (int): expected peak messages per minute.

Without a forecast the rules have nothing to compare and stay silent (``VOLUME-LOW-VOLUME-LIMITS`` reminds of
its caps as info). The carrier terms depend on the use case and the brand's vetting score (from the brand's
``vettings``, when the payload carries them); the exact terms come from TCR's qualify call, which a caller may
pass as

- ``state["mno_metadata"]`` (mapping network id -> TCR ``Metadata``): ``"10035"`` (T-Mobile) with
  ``brandDailyCap`` (``None`` = uncapped), ``"10017"`` (AT&T) with ``tpm`` and ``tpmScope``.
- ``state["ein_daily_volume"]`` (int): forecast daily volume of the EIN's other campaigns (T-Mobile counts
  the cap per EIN, across CSPs).
- ``state["number_count"]`` (int): numbers on the campaign, for AT&T classes whose TPM is per number.

When neither the payload nor the state settles the question, the live rules say a live check is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding, Severity
from .brand_values import text

ATT = "10017"
TMO = "10035"
#: fixed caps (per day on T-Mobile, per minute on AT&T) of the low-volume use cases and of sole proprietors
LOW_VOLUME_CAPS = {"LOW_VOLUME": (2000, 75), "UCAAS_LOW": (2000, 75), "SOLE_PROPRIETOR": (1000, 15)}
#: T-Mobile tiers: lowest score of the tier -> daily cap (TCR KB T-Mobile Throughput Matrix)
TMO_TIERS = ((75, 200_000, "Top"), (50, 40_000, "High Mid"), (25, 10_000, "Low Mid"), (0, 2_000, "Low"))
#: AT&T SMS TPM by score band (1-49, 50-74, 75-100) for score-based classes (TCR KB AT&T Throughput Matrix)
ATT_BY_SCORE = (240, 2400, 4500)
#: AT&T SMS TPM of fixed classes, and whether it counts per number
ATT_FIXED = {
    "PROXY": (60, True), "CHARITY": (2400, False), "SOCIAL": (9000, False), "POLITICAL": (4500, False),
    "EMERGENCY": (4500, False), "TRIAL": (6, True), "AGENTS_FRANCHISES": (60, True),
    "CARRIER_EXEMPT": (3000, True), "K12_EDUCATION": (3000, True),
}


def _forecast(campaign: Mapping[str, Any], key: str) -> int | None:
    value = campaign.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _usecase(ctx: LintContext) -> str:
    if text(ctx.brand, "entityType") == "SOLE_PROPRIETOR":
        return "SOLE_PROPRIETOR"
    return text(ctx.campaign, "usecase") or ""


def _mno(ctx: LintContext, network: str) -> Mapping[str, Any] | None:
    meta = ctx.state.get("mno_metadata")
    if meta is None or not isinstance(meta, Mapping):
        return None
    entry = meta.get(network, meta.get(int(network)))
    return entry if isinstance(entry, Mapping) else None


def vetting_score(brand: Mapping[str, Any] | None) -> int | bool | None:
    """The best ACTIVE Standard/Enhanced vetting score; ``False`` when the brand is known to have none,
    ``None`` when the payload does not say."""
    if not brand or not isinstance(brand.get("vettings"), list):
        return None
    scores = [v.get("vettingScore") for v in brand["vettings"] if isinstance(v, Mapping)
              and str(v.get("vettingStatus", "")).upper() == "ACTIVE"
              and str(v.get("vettingClass", "")).upper() in ("STANDARD", "ENHANCED")
              and isinstance(v.get("vettingScore"), int)]
    return max(scores) if scores else False


def _government_flag(brand: Mapping[str, Any] | None) -> bool:
    attrs = (brand or {}).get("optionalAttributes")
    return isinstance(attrs, Mapping) and attrs.get("governmentEntity") is True


def _political_vet(brand: Mapping[str, Any] | None) -> bool:
    vets = (brand or {}).get("vettings")
    return isinstance(vets, list) and any(
        isinstance(v, Mapping) and str(v.get("vettingClass", "")).upper() == "POLITICAL"
        and str(v.get("vettingStatus", "")).upper() == "ACTIVE" for v in vets)


def low_volume_caps(ctx: LintContext) -> list[Finding]:
    """LOW_VOLUME / UCAAS_LOW (2,000 a day, 75 a minute) and sole proprietors (1,000, 15) stay within caps."""
    usecase = _usecase(ctx)
    caps = LOW_VOLUME_CAPS.get(usecase)
    if caps is None:
        return []
    daily_cap, tpm_cap = caps
    c = ctx.campaign
    daily, tpm = _forecast(c, "forecastDailyVolume"), _forecast(c, "forecastPeakTpm")
    who = "sole proprietor" if usecase == "SOLE_PROPRIETOR" else usecase
    if daily is None and tpm is None:
        return [finding("VOLUME-LOW-VOLUME-LIMITS", "forecastDailyVolume",
                        f"A {who} campaign is capped at {daily_cap:,} messages a day on T-Mobile and "
                        f"{tpm_cap} a minute on AT&T; no volume forecast is given "
                        "to compare.", severity=Severity.INFO)]
    out: list[Finding] = []
    if daily is not None and daily > daily_cap:
        out.append(finding("VOLUME-LOW-VOLUME-LIMITS", "forecastDailyVolume",
                           f"The forecast of {daily:,} messages a day exceeds the {daily_cap:,} a day "
                           f"T-Mobile allows a {who} campaign; the excess is rejected."))
    if tpm is not None and tpm > tpm_cap:
        out.append(finding("VOLUME-LOW-VOLUME-LIMITS", "forecastPeakTpm",
                           f"The forecast peak of {tpm:,} messages a minute exceeds the {tpm_cap} a minute "
                           f"AT&T allows a {who} campaign."))
    return out


def tmobile_daily_cap(ctx: LintContext) -> list[Finding]:
    """The EIN's forecast daily volume fits the T-Mobile tier cap the brand gets."""
    forecast = _forecast(ctx.campaign, "forecastDailyVolume")
    if forecast is None:
        return []
    usecase = _usecase(ctx)
    if usecase in LOW_VOLUME_CAPS or usecase == "TRIAL":
        return []
    other = ctx.state.get("ein_daily_volume")
    total = forecast + (other if isinstance(other, int) and not isinstance(other, bool) else 0)
    what = f"{total:,} messages a day" + (" (with the EIN's other campaigns)" if total != forecast else "")
    live = _mno(ctx, TMO)
    if live is not None and "brandDailyCap" in live:
        cap = live["brandDailyCap"]
        if cap is None or not isinstance(cap, int) or total <= cap:
            return []
        return [finding("VOLUME-TMO-DAILY-CAP", "forecastDailyVolume",
                        f"The forecast of {what} exceeds the brand's T-Mobile cap of {cap:,} a day.")]
    if _government_flag(ctx.brand) or (usecase == "POLITICAL" and _political_vet(ctx.brand)):
        return []  # uncapped on T-Mobile
    if total <= TMO_TIERS[-1][1]:
        return []
    if total > TMO_TIERS[0][1]:
        return [finding("VOLUME-TMO-DAILY-CAP", "forecastDailyVolume",
                        f"The forecast of {what} exceeds even T-Mobile's Top tier cap of 200,000 a day.")]
    score = vetting_score(ctx.brand)
    if score is None:
        return [finding("VOLUME-TMO-DAILY-CAP", "forecastDailyVolume",
                        f"Needs a live check: the forecast of {what} is above T-Mobile's Low tier cap "
                        "(2,000); whether it fits depends on the brand's vetting score (qualify call).",
                        severity=Severity.INFO)]
    _, cap, tier = next(t for t in TMO_TIERS if (score or 0) >= t[0])
    if total <= cap:
        return []
    basis = (f"a vetting score of {score}" if score is not False
             else "no vetting (unless the brand is in the Russell 3000)")
    return [finding("VOLUME-TMO-DAILY-CAP", "forecastDailyVolume",
                    f"The forecast of {what} exceeds the {tier} tier cap of {cap:,} a day that T-Mobile "
                    f"gives a brand with {basis}.")]


def att_tpm(ctx: LintContext) -> list[Finding]:
    """The forecast peak per-minute volume fits the AT&T message class of the campaign."""
    forecast = _forecast(ctx.campaign, "forecastPeakTpm")
    if forecast is None:
        return []
    usecase = _usecase(ctx)
    if usecase in LOW_VOLUME_CAPS:
        return []
    numbers = ctx.state.get("number_count")
    numbers = numbers if isinstance(numbers, int) and not isinstance(numbers, bool) and numbers > 0 else None
    live = _mno(ctx, ATT)
    if live is not None and isinstance(live.get("tpm"), int):
        per_number = str(live.get("tpmScope", "CAMPAIGN")).upper() == "PHONE_NUMBER"
        return _compare_tpm(forecast, live["tpm"], per_number, numbers, "the campaign's AT&T class")
    if usecase in ATT_FIXED:
        tpm, per_number = ATT_FIXED[usecase]
        return _compare_tpm(forecast, tpm, per_number, numbers, f"AT&T's class for {usecase}")
    if _government_flag(ctx.brand):
        return _compare_tpm(forecast, 4500, False, None, "AT&T's class for verified government brands")
    if forecast <= ATT_BY_SCORE[0]:
        return []
    if forecast > ATT_BY_SCORE[-1]:
        return _compare_tpm(forecast, ATT_BY_SCORE[-1], False, None, "AT&T's best standard class (score 75+)")
    score = vetting_score(ctx.brand)
    if score is None:
        return [finding("VOLUME-ATT-TPM", "forecastPeakTpm",
                        f"Needs a live check: the forecast peak of {forecast:,} messages a minute is above "
                        "AT&T's 240 for low-score campaigns; whether it fits depends on the vetting score "
                        "(qualify call).",
                        severity=Severity.INFO)]
    band = 2 if (score or 0) >= 75 else 1 if (score or 0) >= 50 else 0
    basis = f"a vetting score of {score}" if score is not False else "no vetting"
    return _compare_tpm(forecast, ATT_BY_SCORE[band], False, None,
                        f"AT&T's class for a campaign with {basis}")


def _compare_tpm(forecast: int, tpm: int, per_number: bool, numbers: int | None, what: str) -> list[Finding]:
    if per_number:
        if numbers is None:
            return [finding("VOLUME-ATT-TPM", "forecastPeakTpm",
                            f"Needs a live check: {what} allows {tpm:,} messages a minute per number, and "
                            "the number count is not known.", severity=Severity.INFO)]
        tpm *= numbers
    if forecast <= tpm:
        return []
    return [finding("VOLUME-ATT-TPM", "forecastPeakTpm",
                    f"The forecast peak of {forecast:,} messages a minute exceeds the {tpm:,} a minute of "
                    f"{what}.")]


@check("VOLUME-LOW-VOLUME-LIMITS", "VOLUME-TMO-DAILY-CAP", "VOLUME-ATT-TPM", needs=CAMPAIGN)
def volume_rules(ctx: LintContext) -> list[Finding]:
    """The three volume rules above, as one check (a campaign without a forecast needs only the first)."""
    found = low_volume_caps(ctx)
    campaign = ctx.campaign
    if "forecastDailyVolume" in campaign:
        found = [*found, *tmobile_daily_cap(ctx)]
    if "forecastPeakTpm" in campaign:
        found = [*found, *att_tpm(ctx)]
    return found
