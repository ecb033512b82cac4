"""Brand website rules: the address is a real HTTPS site of the brand, not a social-media profile.

``BRAND-WEBSITE-LIVE`` is a live rule: offline it checks the address; whether the site loads, is not parked
and names the brand comes from a fetch the caller may have done, passed as

- ``state["website_check"]`` (mapping): ``{"reachable": bool, "https": bool, "parked": bool,
  "names_brand": bool}``; a missing key means "not checked".

Without it the rule reports an info finding saying a live check is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from ..engine import BRAND, LintContext, check, finding
from ..report import Finding, Severity
from .brand_values import (
    CACHE_SIZE,
    SOCIAL_HOSTS,
    domain_in,
    is_reserved_domain,
    parse_website,
    payload_check,
    text,
)

_LIVE_PROBLEMS = (
    ("reachable", False, "did not load when fetched"),
    ("https", False, "does not load over HTTPS"),
    ("parked", True, "is a parked, for-sale or 'coming soon' page"),
    ("names_brand", False, "does not show the brand or company name"),
)


def _offline(raw: str) -> str | None:
    site = parse_website(raw)
    if not site.host or site.host.replace(".", "").isdigit() or ":" in site.host:
        return f"website '{raw}' is not a web address with a domain name."
    if site.scheme not in ("", "http", "https"):
        return f"website '{raw}' is not a web page address (scheme {site.scheme})."
    if not site.ok:
        return f"website '{raw}' does not have a valid domain name."
    if is_reserved_domain(site.host):
        return f"website '{raw}' uses {site.host}, a reserved example or placeholder domain."
    if site.scheme == "http":
        return f"website '{raw}' uses http://; reviewers expect the site over https://."
    return None


@lru_cache(maxsize=CACHE_SIZE)
def _offline_findings(raw: str) -> tuple[Finding, ...]:
    problem = _offline(raw)
    if problem:
        return (finding("BRAND-WEBSITE-LIVE", "website", problem),)
    return ()


@lru_cache(maxsize=CACHE_SIZE)
def _needs_live_check(raw: str) -> tuple[Finding, ...]:
    return (finding("BRAND-WEBSITE-LIVE", "website",
                    f"Needs a live check: whether {raw} loads over HTTPS, is not parked or under "
                    "construction, and shows the brand.", severity=Severity.INFO),)


@check("BRAND-WEBSITE-LIVE", needs=BRAND)
def website_live(ctx: LintContext) -> tuple[Finding, ...] | list[Finding]:
    """The website address is usable; a fetch result, when given, shows a live HTTPS site of the brand."""
    raw = text(ctx.brand, "website")
    if raw is None:
        return ()
    offline = _offline_findings(raw)
    if offline:
        return offline
    fetched = ctx.state.get("website_check")
    if fetched is None or not isinstance(fetched, Mapping):
        return _needs_live_check(raw)
    return [finding("BRAND-WEBSITE-LIVE", "website", f"website {raw} {why}.")
            for key, bad, why in _LIVE_PROBLEMS if fetched.get(key) is bad]


@payload_check("BRAND-WEBSITE-SOCIAL")
def website_social(b: Mapping[str, Any], today: date) -> list[Finding]:
    """The website is not a social-media profile or link-in-bio page."""
    raw = text(b, "website")
    site = parse_website(raw) if raw is not None else None
    if site is None or not site.ok or not domain_in(site.host, SOCIAL_HOSTS):
        return []
    return [finding("BRAND-WEBSITE-SOCIAL", "website",
                    f"website '{raw}' is a page on {site.host}, not the brand's own site; some providers "
                    "refuse social-media or link-in-bio pages as the brand website.")]
