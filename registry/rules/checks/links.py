"""Links and phone numbers in the messages: the embeddedLink/embeddedPhone attributes, carrier embed
restrictions, public shorteners and URL hygiene.

Detection follows the catalog's notes: URLs include bare domains (``acme.com/x``), phone numbers are found by
shape, and a bracketed ``[link]`` or ``[phone number]`` placeholder counts as a link or a phone. Carrier embed
restrictions come from ``state["qualify"]`` (see ``campaign_structure``); without it the rule reports that it
needs a live check.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Url, domainlist, host_in, registrable_domain
from .campaign_text import CampaignText, brand_domain, campaign_text, flag, link_urls, text
from .campaign_usecases import mno_metadata

_CACHE = "links"


class _Links:
    """Links and phones of one campaign, computed once per run."""

    __slots__ = ("link_sample", "link_sample_urls", "sample_links", "sample_phones")

    def __init__(self, ct: CampaignText, link_sample: str) -> None:
        self.sample_links = [
            f for f, d in ct.samples if d.urls or any(p.kind == "link" for p in d.placeholders)
        ]
        help_doc = ct.get("helpMessage")
        help_numbers = {p[-7:] for p in help_doc.phones} if help_doc is not None else set()
        self.sample_phones = [
            f
            for f, d in ct.samples
            if any(p[-7:] not in help_numbers for p in d.phones)
            or any(p.kind == "phone" for p in d.placeholders)
        ]
        self.link_sample = link_sample
        self.link_sample_urls = link_urls(link_sample) if link_sample else ()


def _links(ctx: LintContext) -> _Links:
    links = ctx.cache.get(_CACHE)
    if links is None:
        links = ctx.cache[_CACHE] = _Links(campaign_text(ctx), text(ctx.campaign, "embeddedLinkSample"))
    return links


@check("CAMPAIGN-EMBEDDED-LINK-CONSISTENCY", needs=CAMPAIGN)
def embedded_link(ctx: LintContext) -> Iterator[Finding]:
    """embeddedLink matches the links in the samples, with a link sample when true."""
    links = _links(ctx)
    rule = "CAMPAIGN-EMBEDDED-LINK-CONSISTENCY"
    declared = flag(ctx.campaign, "embeddedLink") is True
    if links.link_sample and not links.link_sample_urls:
        yield finding(rule, "embeddedLinkSample", f"embeddedLinkSample is not a link: {links.link_sample!r}.")
    if declared:
        if not links.link_sample:
            yield finding(
                rule, "embeddedLinkSample", "embeddedLink is true but no embeddedLinkSample is given."
            )
    elif links.sample_links:
        yield finding(
            rule,
            "embeddedLink",
            f"{', '.join(links.sample_links)} contain{'s' if len(links.sample_links) == 1 else ''} "
            "a link but embeddedLink is not true.",
        )
    elif links.link_sample:
        yield finding(rule, "embeddedLink", "embeddedLinkSample is given but embeddedLink is not true.")


@check("CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY", needs=CAMPAIGN)
def embedded_phone(ctx: LintContext) -> Iterator[Finding]:
    """embeddedPhone matches the phone numbers in the samples (HELP number excluded)."""
    links = _links(ctx)
    rule = "CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY"
    declared = flag(ctx.campaign, "embeddedPhone") is True
    if declared and not links.sample_phones and campaign_text(ctx).samples:
        yield finding(
            rule,
            "embeddedPhone",
            "embeddedPhone is true but no sample shows a phone number other than the HELP number.",
        )
    elif not declared and links.sample_phones:
        yield finding(
            rule,
            "embeddedPhone",
            f"{', '.join(links.sample_phones)} contain{'s' if len(links.sample_phones) == 1 else ''} "
            "a phone number (other than the HELP number) but embeddedPhone is not "
            "true.",
        )


@check("CAMPAIGN-MNO-EMBED-RESTRICTION", needs=CAMPAIGN)
def mno_embed_restriction(ctx: LintContext) -> Iterator[Finding]:
    """No links or numbers for networks that forbid them for this use case."""
    links = _links(ctx)
    has_link = bool(links.sample_links or links.link_sample) or flag(ctx.campaign, "embeddedLink") is True
    has_phone = bool(links.sample_phones) or flag(ctx.campaign, "embeddedPhone") is True
    if not has_link and not has_phone:
        return
    rule = "CAMPAIGN-MNO-EMBED-RESTRICTION"
    meta = mno_metadata(ctx.campaign, ctx.state)
    if not meta:
        what = " and ".join(w for w, on in (("links", has_link), ("phone numbers", has_phone)) if on)
        yield finding(
            rule,
            "embeddedLink" if has_link else "embeddedPhone",
            f"The messages carry {what}: whether every targeted carrier allows them for this use case "
            "needs a live check (qualify call).",
            severity="info",
        )
        return
    for name, m in meta:
        if has_link and m.get("noEmbeddedLink") is True:
            yield finding(rule, "embeddedLink", f"{name} does not allow links for this use case.")
        if has_phone and m.get("noEmbeddedPhone") is True:
            yield finding(rule, "embeddedPhone", f"{name} does not allow phone numbers for this use case.")


def _field_urls(ctx: LintContext) -> Iterator[tuple[str, tuple[Url, ...]]]:
    for field, d in campaign_text(ctx).docs.items():
        if d.urls:
            yield field, d.urls
    links = _links(ctx)
    if links.link_sample_urls:
        yield "embeddedLinkSample", links.link_sample_urls


@check("CONTENT-PUBLIC-SHORTENER", "CONTENT-URL-HYGIENE", needs=CAMPAIGN)
def url_rules(ctx: LintContext) -> Iterator[Finding]:
    """No public shorteners; links use https on the brand's own domain."""
    shorteners = domainlist("shorteners")
    domain = brand_domain(ctx)
    for field, urls in _field_urls(ctx):
        short = sorted({s for u in urls if (s := host_in(u.host, shorteners))})
        if short:
            yield finding(
                "CONTENT-PUBLIC-SHORTENER",
                field,
                f"{field} uses a public URL shortener ({', '.join(short)}).",
            )
        insecure = [u.text for u in urls if u.scheme == "http"]
        if insecure:
            yield finding("CONTENT-URL-HYGIENE", field, f"{field} has a link without https: {insecure[0]}.")
        if domain:
            foreign = sorted(
                {
                    u.host
                    for u in urls
                    if registrable_domain(u.host) != domain and not host_in(u.host, shorteners)
                }
            )
            if foreign:
                yield finding(
                    "CONTENT-URL-HYGIENE",
                    field,
                    f"{field} links to {', '.join(foreign)}, not to the brand's domain ({domain}).",
                    severity="warning",
                )
