"""URLs in message text: schemes, bare domains with a common TLD, registrable domains, domain lists."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources
from typing import NamedTuple

from .normal import wordset

__all__ = ["TLDS", "Url", "UrlParts", "domainlist", "find_urls", "host_in", "registrable_domain", "urls_at"]


class Url(NamedTuple):
    """A URL found in text. ``scheme`` is empty for a bare domain such as ``acme.com/x``."""

    text: str
    scheme: str
    host: str
    path: str


#: top-level domains accepted for a bare domain without a scheme (a scheme makes any host a URL); kept to
#: common and shortener TLDs so that abbreviations ("e.g.", "a.m.", "St.Louis") are not taken for domains
TLDS = wordset(
    "com net org edu gov mil int io co us ly gd cc vc me chat info biz app dev ai to link site "
    "online store shop xyz tv ws gl im la li lc nu sh sc su tk ml ga gq cf ca uk de fr au nz in "
    "mx es it nl eu ie ch at be se no dk fi pl pt br jp kr cn hk sg ph my vn id za ng ke us ps "
    "fm gg ac page news blog live today bio"
)
#: a label after a dot that may be one of :data:`TLDS` (the anchor :mod:`.scan` looks for), captured: a whole
#: run of letters, no longer than the longest of them (a longer label, ``.acmedental``, is no anchor)
LABEL = rf"([A-Za-z]{{2,{max(map(len, TLDS))}}})(?![A-Za-z0-9-])"
_BARE_URL = re.compile(
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?::\d{2,5})?((?:[/?#][^\s<>\"']*)?)"
)
_LEAD = "([<\"'{"
_TRAIL = ".,;:!?)]>\"'}"


def _token_bounds(s: str, i: int) -> tuple[int, int]:
    start = max(s.rfind(" ", 0, i), s.rfind("\n", 0, i), s.rfind("\t", 0, i)) + 1
    end = len(s)
    for sep in " \n\t":
        j = s.find(sep, i)
        if j != -1 and j < end:
            end = j
    return start, end


def _host_end(s: str, start: int, end: int) -> int:
    for sep in "/?#":
        j = s.find(sep, start, end)
        if j != -1:
            end = j
    return end


#: a URL as a plain tuple ``(text, scheme, host, path)`` (what :class:`Url` holds); parsed texts keep these,
#: which the garbage collector need not walk, and hand out :class:`Url` on request
UrlParts = tuple[str, str, str, str]


@functools.lru_cache(maxsize=65536)
def _scheme_url(token: str, pos: int) -> tuple[int, UrlParts] | None:
    """The URL whose ``://`` sits at ``pos`` in the whitespace-delimited ``token``, with its offset there."""
    s = pos
    while s > 0 and token[s - 1].isalpha():
        s -= 1
    body_end = len(token)
    while body_end > pos + 3 and token[body_end - 1] in _TRAIL:
        body_end -= 1
    host_end = _host_end(token, pos + 3, body_end)
    host = token[pos + 3 : host_end]
    if "@" in host or ":" in host:
        host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    if s < pos and host:
        return s, (token[s:body_end], token[s:pos].lower(), host.lower(), token[host_end:body_end])
    return None


@functools.lru_cache(maxsize=65536)
def _bare_url(token: str) -> tuple[int, UrlParts] | None:
    """The bare-domain URL a whitespace-delimited ``token`` is (``acme.com/x``), with its offset there."""
    if "@" in token:
        return None  # an e-mail address
    lead = len(token) - len(token.lstrip(_LEAD))
    token = token.strip(_LEAD).rstrip(_TRAIL)
    mm = _BARE_URL.match(token)
    if mm and mm.end() == len(token) and mm.group(1).rsplit(".", 1)[-1].lower() in TLDS:
        return lead, (token, "", mm.group(1).lower(), mm.group(2))
    return None


def urls_at(text: str, schemes: Iterable[int], labels: Iterable[int]) -> tuple[UrlParts, ...]:
    """The URLs of ``text`` given its anchors: the positions of every ``://`` (ascending) and of every dot
    followed by one of :data:`TLDS` (ascending), both from one :func:`.scan.scan` pass."""
    found: list[tuple[int, UrlParts]] = []
    spans: list[tuple[int, int]] = []
    after = 0
    # tokens end at spaces, line breaks and tabs; most texts hold spaces only
    plain = "\n" not in text and "\t" not in text
    for pos in schemes:
        if pos < after:
            continue  # inside the token of the previous scheme
        if plain:
            start = text.rfind(" ", 0, pos) + 1
            end = text.find(" ", pos)
            if end == -1:
                end = len(text)
        else:
            start, end = _token_bounds(text, pos)
        hit = _scheme_url(text[start:end], pos - start)
        if hit is not None:
            found.append((start + hit[0], hit[1]))
        spans.append((start, end))
        after = end
    for i in labels:
        inside = False
        for a, b in spans:
            if a <= i < b:
                inside = True
                break
        if inside:
            continue
        if plain:
            start = text.rfind(" ", 0, i) + 1
            end = text.find(" ", i)
            if end == -1:
                end = len(text)
        else:
            start, end = _token_bounds(text, i)
        spans.append((start, end))
        hit = _bare_url(text[start:end])
        if hit is not None:
            found.append((start + hit[0], hit[1]))
    if not found:
        return ()
    if len(found) > 1:
        found.sort(key=lambda f: f[0])
    return tuple(u for _, u in found)


def find_urls(text: str) -> tuple[Url, ...]:
    """URLs in ``text``: anything with a scheme (``https://...``) and bare domains with a common TLD
    (``acme.com/x``, ``bit.ly/abc``). E-mail addresses are not URLs."""
    from .scan import scan

    return tuple(map(Url._make, scan(text).urls))


#: second-level labels under which registrations sit one level deeper (acme.co.uk)
_SECOND_LEVEL = wordset("co com net org gov edu ac ltd plc")


@functools.lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """The registrable part of a host name: ``www.shop.acme.com`` -> ``acme.com``, ``a.acme.co.uk`` ->
    ``acme.co.uk``."""
    host = host.lower().strip(".")
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


_DOMAINS: dict[str, frozenset[str]] = {}


def domainlist(name: str) -> frozenset[str]:
    """The domain list ``data/wordlists/<name>.txt`` (one lower-case domain per line), loaded once."""
    domains = _DOMAINS.get(name)
    if domains is None:
        path = resources.files("registry.rules") / "data" / "wordlists" / f"{name}.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        domains = _DOMAINS[name] = frozenset(
            line.strip().lower() for line in lines if line.strip() and not line.lstrip().startswith("#")
        )
    return domains


def host_in(host: str, domains: frozenset[str]) -> str | None:
    """The entry of ``domains`` that ``host`` is, or is a subdomain of; ``None`` when none."""
    host = host.lower().rstrip(".")
    while True:
        if host in domains:
            return host
        dot = host.find(".")
        if dot == -1:
            return None
        host = host[dot + 1 :]
