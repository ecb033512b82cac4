"""The campaign's text fields, parsed once per distinct string and shared by every content check (no checks
here).

``campaign_text(ctx)`` looks up ``description``, ``messageFlow``, ``sample1``..``sample5`` and the opt-in,
opt-out and help messages in the bounded cache of parsed field values (:func:`registry.rules.text.field_doc`)
and bundles them, with the brand's name variants, in a :class:`CampaignText` kept in ``ctx.cache`` for the
run. What a check learns from one field alone is memoised on that field's Doc (``fact``, :func:`terms`), so a
message flow or opt-out message shared by many campaigns is analysed once. Word lists and word groups:
:mod:`.campaign_words`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from ..engine import LintContext
from ..text import Doc, WordList, brand_names, field_doc, registrable_domain, wordlist
from ..text.scan import scan
from ..text.urls import UrlParts
from .campaign_words import field_names, found_terms, has_candidates, is_listed, terms

SAMPLE_FIELDS = ("sample1", "sample2", "sample3", "sample4", "sample5")
MESSAGE_FIELDS = ("optinMessage", "optoutMessage", "helpMessage")
TEXT_FIELDS = ("description", "messageFlow", *SAMPLE_FIELDS, *MESSAGE_FIELDS)

_KEY = "campaign_text"
_UNKNOWN = object()
_NO_NAMES: frozenset[str] = frozenset()


class CampaignText:
    """Parsed text fields of one campaign: ``docs`` by field name, ``samples`` in order, ``brand`` (the brand's
    normalised name phrases, empty without a brand).

    Word-list questions about the whole campaign (:meth:`any` without a field) give the answer for all fields
    read as one text, as reviewers read them.
    """

    __slots__ = ("_names", "ascii", "brand", "docs", "samples")

    def __init__(self, campaign: Mapping[str, Any], brand: Mapping[str, Any] | None) -> None:
        docs: dict[str, Doc] = {}
        ascii_ = True
        get = campaign.get
        for name in TEXT_FIELDS:
            value = get(name)
            if isinstance(value, str) and value and not value.isspace():
                docs[name] = field_doc(value)
                if ascii_ and not value.isascii():
                    ascii_ = False
        self.docs = docs
        #: every field is plain ASCII
        self.ascii = ascii_
        self.samples: list[tuple[str, Doc]] = [(f, docs[f]) for f in SAMPLE_FIELDS if f in docs]
        #: normalised brand-name phrases (empty without a brand)
        self.brand: tuple[str, ...] = brand_names(brand)
        self._names: frozenset[str] | None = None

    def get(self, name: str) -> Doc | None:
        """The parsed field, or ``None`` when it is absent or blank."""
        return self.docs.get(name)

    @property
    def names(self) -> frozenset[str]:
        """Names of the word groups whose words occur anywhere in the campaign text, and of the word lists
        with a candidate term in some field."""
        if self._names is None:
            names = [field_names(d) for d in self.docs.values()]
            self._names = _NO_NAMES.union(*names) if names else _NO_NAMES
        return self._names

    def has_group(self, group: str) -> bool:
        """True when a word of the group ``group`` (see :func:`.campaign_words.word_group`) occurs in any field."""
        return group in (self._names if self._names is not None else self.names)

    def may_match(self, names: frozenset[str]) -> bool:
        """False when none of the word lists ``names`` has a candidate term anywhere (a fast negative test)."""
        return not (self._names if self._names is not None else self.names).isdisjoint(names)

    def is_ascii(self) -> bool:
        """True when every field is plain ASCII."""
        return self.ascii

    def find(self, name: str | WordList, d: Doc) -> list[str]:
        """Terms of the word list ``name`` in the parsed field ``d`` (memoised per distinct text)."""
        return list(terms(name, d))

    def any(self, name: str | WordList, d: Doc | None = None) -> bool:
        """True when the word list ``name`` matches ``d`` (default: the whole campaign text)."""
        wl = wordlist(name) if isinstance(name, str) else name
        if d is not None:
            return bool(found_terms(wl, d))
        if is_listed(wl.name):
            if wl.name not in self.names:  # no field has a candidate term
                return False
            if not wl.excludes:
                return True
        docs = self.docs.values()
        hits: set[str] = set()
        for doc in docs:
            if not is_listed(wl.name) or has_candidates(doc, wl.name):
                hits.update(wl.hits(doc.norm, doc.tokens))
        if not hits:
            return False
        if not wl.excludes:
            return True
        # as one text: a term counts when it occurs more often than the phrases neutralising it
        for t in hits:
            excl = wl.excludes.get(t)
            if not excl or sum(x.norm.count(t) for x in docs) > sum(x.norm.count(e) for x in docs for e in excl):
                return True
        return False

    def has_word(self, d: Doc, words: frozenset[str]) -> bool:
        """True when the parsed field ``d`` contains one of ``words`` (single words)."""
        return not words.isdisjoint(d.tokens)


def campaign_text(ctx: LintContext) -> CampaignText:
    """The parsed text of ``ctx.campaign``, built on first use in this run."""
    parsed = ctx.cache.get(_KEY)
    if parsed is None:
        parsed = ctx.cache[_KEY] = CampaignText(ctx.campaign or {}, ctx.brand)
    return parsed


def brand_domain(ctx: LintContext) -> str | None:
    """The registrable domain of the brand's website (``acme.com``), or ``None`` without one."""
    cache = ctx.cache
    domain = cache.get("brand_domain", _UNKNOWN)
    if domain is not _UNKNOWN:
        return domain  # type: ignore[return-value]
    website = ctx.brand.get("website") if ctx.brand else None
    urls = link_urls(website) if isinstance(website, str) else ()
    domain = cache["brand_domain"] = registrable_domain(urls[0][2]) if urls else None
    return domain


@functools.lru_cache(maxsize=65536)
def link_urls(value: str) -> tuple[UrlParts, ...]:
    """The URLs of a link field (website, privacy, terms, link sample) as ``(text, scheme, host, path)``, like
    :func:`registry.rules.text.find_urls`; memoised: links recur."""
    return scan(value.strip()).urls


def text(campaign: Mapping[str, Any], name: str) -> str:
    """The field as a stripped string ('' when absent or not a string)."""
    value = campaign.get(name)
    return value.strip() if isinstance(value, str) else ""


def flag(campaign: Mapping[str, Any], name: str) -> bool | None:
    """A boolean attribute: ``True``/``False``, or ``None`` when absent ('true'/'false' strings count)."""
    value = campaign.get(name)
    if value is True or value is False:
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def keywords(campaign: Mapping[str, Any], name: str) -> list[str]:
    """A comma-separated keyword field as upper-case keywords (empty entries dropped)."""
    value = campaign.get(name)
    if not isinstance(value, str):
        return []
    return [k.strip().upper() for k in value.split(",") if k.strip()]
