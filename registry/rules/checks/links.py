"""Links and phone numbers in the messages: the embeddedLink/embeddedPhone attributes, carrier embed
restrictions, public shorteners and URL hygiene.

Detection follows the catalog's notes: URLs include bare domains (``acme.com/x``), phone numbers are found by
shape, and a bracketed ``[link]`` or ``[phone number]`` placeholder counts as a link or a phone. Carrier embed
restrictions come from ``state["qualify"]`` (see ``campaign_structure``); without it the rule reports that it
needs a live check.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, domainlist, host_in, registrable_domain
from ..text.document import memo_key
from ..text.urls import UrlParts
from .campaign_text import brand_domain, campaign_text, flag, link_urls, text
from .campaign_usecases import mno_metadata

#: (public shorteners used, first http:// link or None, (host, registrable domain) of each other URL, the
#: registrable domains among those)
_UrlFacts = tuple[tuple[str, ...], "str | None", tuple[tuple[str, str], ...], tuple[str, ...]]


@functools.lru_cache(maxsize=65536)
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


_PROFILE = memo_key(_link_profile)


def _profile(d: Doc) -> _LinkProfile:
    """``fact(d, _link_profile)``, inlined: the link rules read it for every field of every campaign."""
    profile = d.facts.get(_PROFILE)
    if profile is None:
        profile = d.facts[_PROFILE] = _link_profile(d)
    return profile


def embedded_link(link_sample: str, link_sample_urls: tuple[UrlParts, ...], declared: bool,
                  sample_links: list[str]) -> list[Finding]:
    """embeddedLink matches the links in the samples, with a link sample when true."""
    rule = "CAMPAIGN-EMBEDDED-LINK-CONSISTENCY"
    out = []
    if link_sample and not link_sample_urls:
        out.append(finding(rule, "embeddedLinkSample", f"embeddedLinkSample is not a link: {link_sample!r}."))
    if declared:
        if not link_sample:
            out.append(finding(
                rule, "embeddedLinkSample", "embeddedLink is true but no embeddedLinkSample is given."
            ))
    elif sample_links:
        out.append(finding(
            rule,
            "embeddedLink",
            f"{', '.join(sample_links)} contain{'s' if len(sample_links) == 1 else ''} "
            "a link but embeddedLink is not true.",
        ))
    elif link_sample:
        out.append(finding(rule, "embeddedLink", "embeddedLinkSample is given but embeddedLink is not true."))
    return out


def embedded_phone(declared: bool, sample_phones: list[str], has_samples: bool) -> list[Finding]:
    """embeddedPhone matches the phone numbers in the samples (HELP number excluded)."""
    rule = "CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY"
    if declared and not sample_phones and has_samples:
        return [finding(
            rule,
            "embeddedPhone",
            "embeddedPhone is true but no sample shows a phone number other than the HELP number.",
        )]
    if not declared and sample_phones:
        return [finding(
            rule,
            "embeddedPhone",
            f"{', '.join(sample_phones)} contain{'s' if len(sample_phones) == 1 else ''} "
            "a phone number (other than the HELP number) but embeddedPhone is not "
            "true.",
        )]
    return []


def mno_embed_restriction(ctx: LintContext, has_link: bool, has_phone: bool) -> list[Finding]:
    """No links or numbers for networks that forbid them for this use case."""
    if not has_link and not has_phone:
        return []
    rule = "CAMPAIGN-MNO-EMBED-RESTRICTION"
    meta = mno_metadata(ctx.campaign, ctx.state) if ctx.state else None
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


_link_url_facts = functools.lru_cache(maxsize=65536)(_url_facts)


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


def url_rules(ctx: LintContext, docs: Iterable[tuple[str, Doc]], link_sample_urls: tuple[UrlParts, ...]
              ) -> list[Finding]:
    """No public shorteners; links use https on the brand's own domain."""
    out: list[Finding] = []
    domain: str | bool | None = False  # not looked up yet
    for field, d in docs:
        profile = d.facts.get(_PROFILE)
        if profile is None:
            profile = d.facts[_PROFILE] = _link_profile(d)
        if profile[3] is not None:
            if domain is False:
                domain = brand_domain(ctx)
            _url_findings(out, field, profile[3], domain)  # type: ignore[arg-type]
    if link_sample_urls:
        _url_findings(out, "embeddedLinkSample", _link_url_facts(link_sample_urls), brand_domain(ctx))
    return out


@check("CAMPAIGN-EMBEDDED-LINK-CONSISTENCY", "CAMPAIGN-EMBEDDED-PHONE-CONSISTENCY", "CAMPAIGN-MNO-EMBED-RESTRICTION",
       "CONTENT-PUBLIC-SHORTENER", "CONTENT-URL-HYGIENE", needs=CAMPAIGN)
def links_and_phones(ctx: LintContext) -> list[Finding]:
    """The link and phone rules above, as one check (they share the links and phones found in the text)."""
    campaign = ctx.campaign
    ct = campaign_text(ctx)
    help_doc = ct.docs.get("helpMessage")
    help_numbers = frozenset(_profile(help_doc)[1]) if help_doc is not None else _NO_PHONES
    sample_links = []
    sample_phones = []
    for f, d in ct.samples:
        profile = _profile(d)
        if profile[0]:
            sample_links.append(f)
        if profile[2] or (profile[1] and any(t not in help_numbers for t in profile[1])):
            sample_phones.append(f)
    link_sample = text(campaign, "embeddedLinkSample")
    link_sample_urls = link_urls(link_sample) if link_sample else ()
    link_declared = flag(campaign, "embeddedLink") is True
    phone_declared = flag(campaign, "embeddedPhone") is True
    out = embedded_link(link_sample, link_sample_urls, link_declared, sample_links)
    out += embedded_phone(phone_declared, sample_phones, bool(ct.samples))
    out += mno_embed_restriction(ctx, bool(sample_links or link_sample) or link_declared,
                                 bool(sample_phones) or phone_declared)
    out += url_rules(ctx, ct.docs.items(), link_sample_urls)
    return out
