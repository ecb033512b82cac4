"""Links and phone numbers in the messages: the embeddedLink/embeddedPhone attributes, carrier embed
restrictions, public shorteners and URL hygiene.

Detection follows the catalog's notes: URLs include bare domains (``acme.com/x``), phone numbers are found by
shape, and a bracketed ``[link]`` or ``[phone number]`` placeholder counts as a link or a phone. Carrier embed
restrictions come from ``state["qualify"]`` (see ``campaign_structure``); without it the rule reports that it
needs a live check.
"""

from __future__ import annotations

import functools

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, domainlist, fact, host_in, registrable_domain
from ..text.urls import UrlParts
from .campaign_text import CampaignText, brand_domain, campaign_text, flag, link_urls, text
from .campaign_usecases import mno_metadata

_CACHE = "links"


#: (public shorteners used, first http:// link or None, (host, registrable domain) of each other URL, the
#: registrable domains among those)
_UrlFacts = tuple[tuple[str, ...], "str | None", tuple[tuple[str, str], ...], tuple[str, ...]]


@functools.lru_cache(maxsize=8192)
def _host(host: str) -> tuple[str | None, tuple[str, str]]:
    """(the public shortener ``host`` is on, or None; (host, its registrable domain))."""
    return host_in(host, domainlist("shorteners")), (host, registrable_domain(host))


def _url_facts(urls: tuple[UrlParts, ...]) -> _UrlFacts:
    hosts = [_host(host) for _, _, host, _ in urls]
    short = tuple(sorted({s for s, _ in hosts if s}))
    insecure = next((text for text, scheme, _, _ in urls if scheme == "http"), None)
    others = tuple(pair for s, pair in hosts if not s)
    return short, insecure, others, tuple(sorted({registrable for _, registrable in others}))


#: what the link and phone rules need of one text: (a URL or a [link] placeholder, the last seven digits of
#: each phone number, a [phone] placeholder, the URL facts or None without URLs); a plain tuple, so cached
#: texts hold nothing the garbage collector has to walk
_LinkProfile = tuple[bool, tuple[str, ...], bool, "_UrlFacts | None"]
_NO_PHONES: frozenset[str] = frozenset()


def _link_profile(d: Doc) -> _LinkProfile:
    urls = d.url_parts
    kinds = [kind for _, _, kind in d.placeholder_parts]
    return (
        bool(urls) or "link" in kinds,
        tuple(p[-7:] for p in d.phones),
        "phone" in kinds,
        _url_facts(urls) if urls else None,
    )


class _Links:
    """Links and phones of one campaign, computed once per run."""

    __slots__ = ("link_sample", "link_sample_urls", "sample_links", "sample_phones")

    def __init__(self, ct: CampaignText, link_sample: str) -> None:
        samples = [(f, fact(d, _link_profile)) for f, d in ct.samples]
        self.sample_links = [f for f, profile in samples if profile[0]]
        help_doc = ct.get("helpMessage")
        help_numbers = frozenset(fact(help_doc, _link_profile)[1]) if help_doc is not None else _NO_PHONES
        self.sample_phones = [
            f for f, profile in samples if any(t not in help_numbers for t in profile[1]) or profile[2]
        ]
        self.link_sample = link_sample
        self.link_sample_urls = link_urls(link_sample) if link_sample else ()


def _links(ctx: LintContext) -> _Links:
    links = ctx.cache.get(_CACHE)
    if links is None:
        links = ctx.cache[_CACHE] = _Links(campaign_text(ctx), text(ctx.campaign, "embeddedLinkSample"))
    return links


def embedded_link(ctx: LintContext) -> list[Finding]:
    """embeddedLink matches the links in the samples, with a link sample when true."""
    links = _links(ctx)
    rule = "CAMPAIGN-EMBEDDED-LINK-CONSISTENCY"
    declared = flag(ctx.campaign, "embeddedLink") is True
    out = []
    if links.link_sample and not links.link_sample_urls:
        out.append(finding(rule, "embeddedLinkSample", f"embeddedLinkSample is not a link: {links.link_sample!r}."))
    if declared:
        if not links.link_sample:
            out.append(finding(
                rule, "embeddedLinkSample", "embeddedLink is true but no embeddedLinkSample is given."
            ))
    elif links.sample_links:
        out.append(finding(
            rule,
            "embeddedLink",
            f"{', '.join(links.sample_links)} contain{'s' if len(links.sample_links) == 1 else ''} "
            "a link but embeddedLink is not true.",
        ))
    elif links.link_sample:
        out.append(finding(rule, "embeddedLink", "embeddedLinkSample is given but embeddedLink is not true."))
    return out


def embedded_phone(ctx: LintContext) -> list[Finding]:
    """embeddedPhone matches the phone numbers in the samples (HELP number excluded)."""
    links = _links(ctx)
    rule = "CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY"
    declared = flag(ctx.campaign, "embeddedPhone") is True
    if declared and not links.sample_phones and campaign_text(ctx).samples:
        return [finding(
            rule,
            "embeddedPhone",
            "embeddedPhone is true but no sample shows a phone number other than the HELP number.",
        )]
    if not declared and links.sample_phones:
        return [finding(
            rule,
            "embeddedPhone",
            f"{', '.join(links.sample_phones)} contain{'s' if len(links.sample_phones) == 1 else ''} "
            "a phone number (other than the HELP number) but embeddedPhone is not "
            "true.",
        )]
    return []


def mno_embed_restriction(ctx: LintContext) -> list[Finding]:
    """No links or numbers for networks that forbid them for this use case."""
    links = _links(ctx)
    has_link = bool(links.sample_links or links.link_sample) or flag(ctx.campaign, "embeddedLink") is True
    has_phone = bool(links.sample_phones) or flag(ctx.campaign, "embeddedPhone") is True
    if not has_link and not has_phone:
        return []
    rule = "CAMPAIGN-MNO-EMBED-RESTRICTION"
    meta = mno_metadata(ctx.campaign, ctx.state)
    if not meta:
        return [_needs_qualify(has_link, has_phone)]
    out = []
    for name, m in meta:
        if has_link and m.get("noEmbeddedLink") is True:
            out.append(finding(rule, "embeddedLink", f"{name} does not allow links for this use case."))
        if has_phone and m.get("noEmbeddedPhone") is True:
            out.append(finding(rule, "embeddedPhone", f"{name} does not allow phone numbers for this use case."))
    return out


@functools.lru_cache(maxsize=4)
def _needs_qualify(has_link: bool, has_phone: bool) -> Finding:
    what = " and ".join(w for w, on in (("links", has_link), ("phone numbers", has_phone)) if on)
    return finding(
        "CAMPAIGN-MNO-EMBED-RESTRICTION",
        "embeddedLink" if has_link else "embeddedPhone",
        f"The messages carry {what}: whether every targeted carrier allows them for this use case "
        "needs a live check (qualify call).",
        severity="info",
    )


_link_url_facts = functools.lru_cache(maxsize=8192)(_url_facts)


def _url_findings(out: list[Finding], field: str, facts: _UrlFacts, domain: str | None) -> None:
    short, insecure, hosts, domains = facts
    if short:
        out.append(finding(
            "CONTENT-PUBLIC-SHORTENER",
            field,
            f"{field} uses a public URL shortener ({', '.join(short)}).",
        ))
    if insecure is not None:
        out.append(finding("CONTENT-URL-HYGIENE", field, f"{field} has a link without https: {insecure}."))
    if domain and domains and (len(domains) > 1 or domain not in domains):
        foreign = sorted({host for host, registrable in hosts if registrable != domain})
        if foreign:
            out.append(finding(
                "CONTENT-URL-HYGIENE",
                field,
                f"{field} links to {', '.join(foreign)}, not to the brand's domain ({domain}).",
                severity="warning",
            ))


def url_rules(ctx: LintContext) -> list[Finding]:
    """No public shorteners; links use https on the brand's own domain."""
    domain = brand_domain(ctx)
    out: list[Finding] = []
    for field, d in campaign_text(ctx).docs.items():
        facts = fact(d, _link_profile)[3]
        if facts is not None:
            _url_findings(out, field, facts, domain)
    links = _links(ctx)
    if links.link_sample_urls:
        _url_findings(out, "embeddedLinkSample", _link_url_facts(links.link_sample_urls), domain)
    return out


@check("CAMPAIGN-EMBEDDED-LINK-CONSISTENCY", "CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY", "CAMPAIGN-MNO-EMBED-RESTRICTION",
       "CONTENT-PUBLIC-SHORTENER", "CONTENT-URL-HYGIENE", needs=CAMPAIGN)
def links_and_phones(ctx: LintContext) -> list[Finding]:
    """The link and phone rules above, as one check (they share the links and phones found in the text)."""
    return [*embedded_link(ctx), *embedded_phone(ctx), *mno_embed_restriction(ctx), *url_rules(ctx)]
