"""The campaign's text fields, parsed once per distinct string and shared by every content check (no checks
here).

``campaign_text(ctx)`` looks up ``description``, ``messageFlow``, ``sample1``..``sample5`` and the opt-in,
opt-out and help messages in the bounded cache of parsed field values (:func:`registry.rules.text.field_doc`)
and bundles them, with the brand's name variants, in a :class:`CampaignText` kept in ``ctx.cache`` for the
run. What a check learns from one field alone is memoised on that field's Doc (``fact``, :meth:`CampaignText.find`),
so a message flow or opt-out message shared by many campaigns is analysed once.

Word lists and the word groups checks register with :func:`word_group` are inverted into one index: a field's
words are intersected with it once, and a list the field cannot match costs nothing afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from ..engine import LintContext
from ..text import Doc, WordList, brand_names, field_doc, mentions, registrable_domain, wordlist
from ..text.scan import scan
from ..text.urls import UrlParts

SAMPLE_FIELDS = ("sample1", "sample2", "sample3", "sample4", "sample5")
MESSAGE_FIELDS = ("optinMessage", "optoutMessage", "helpMessage")
TEXT_FIELDS = ("description", "messageFlow", *SAMPLE_FIELDS, *MESSAGE_FIELDS)

_KEY = "campaign_text"

#: the word lists the campaign and content checks match against the campaign text
CAMPAIGN_LISTS = (
    "affiliate",
    "alcohol",
    "cannabis",
    "firearms",
    "gambling",
    "hate",
    "high_risk_finance",
    "impersonation",
    "incentives",
    "lead_generation",
    "lending",
    "optin_methods",
    "profanity",
    "promotional",
    "purposes",
    "recipients",
    "sex",
    "sweepstakes",
    "tobacco",
    "violence",
)
_LIST_NAMES = frozenset(CAMPAIGN_LISTS)
#: named sets of single words checks test a whole campaign against (see :func:`word_group`)
_GROUPS: dict[str, frozenset[str]] = {}
_INDEX: list[_Index] = []


def word_group(name: str, words: Iterable[str]) -> str:
    """Register a set of single words under ``name`` (kept apart from list names by a leading ``@``) and
    return the name to pass to :meth:`CampaignText.has_group`."""
    key = "@" + name
    _GROUPS[key] = frozenset(words)
    _INDEX.clear()  # rebuilt with the new group on next use
    return key


class _Index:
    """Every word that can start a match, inverted: word -> what it may mean, as ``(name, term, is_phrase)``
    for the terms of :data:`CAMPAIGN_LISTS` (``term`` padded: ``" gun "``) and ``(name, None, False)`` for the
    word groups. One set intersection per text finds every list and group it can touch."""

    __slots__ = ("entries", "words")

    def __init__(self) -> None:
        entries: dict[str, list[tuple[str, str | None, bool]]] = {}
        for name in CAMPAIGN_LISTS:
            wl = wordlist(name)
            for w in wl.singles:
                entries.setdefault(w, []).append((name, f" {w} ", False))
            for key, phrases in wl.by_key.items():
                entries.setdefault(key, []).extend((name, p, True) for p in phrases)
        for name, words in _GROUPS.items():
            for w in words:
                entries.setdefault(w, []).append((name, None, False))
        self.entries = {w: tuple(e) for w, e in entries.items()}
        self.words = frozenset(entries)


def _index() -> _Index:
    if not _INDEX:
        _INDEX.append(_Index())
    return _INDEX[0]


_NAME_SETS: dict[frozenset[str], frozenset[str]] = {}
_NO_MATCHES: dict[str, tuple[str, ...]] = {}
_NO_NAMES: frozenset[str] = frozenset()


def _analyse(d: Doc, index: _Index) -> frozenset[str]:
    """Work out, in one pass over the index, the names of the groups ``d`` touches and of the lists with a
    candidate term (returned; shared between texts), and store the found terms of each such list (list name
    -> sorted terms, empty when exclusion phrases neutralise them all) as ``d.facts[_matches]``."""
    norm = d.norm
    words = d.words
    tokens = d.tokens
    entries = index.entries
    names: set[str] = set()
    hits: dict[str, list[str]] = {}
    for w in index.words.intersection(words):
        standalone = tokens is words or w in tokens  # a whole-word match needs w between spaces
        for name, term, phrase in entries[w]:
            if term is None:
                names.add(name)  # a word group reads the plain word set
            elif standalone and (not phrase or term in norm):
                hits.setdefault(name, []).append(term)
    matches = {name: tuple(wordlist(name).kept(norm, found)) for name, found in hits.items()} or _NO_MATCHES
    d.facts[_matches] = matches
    names.update(matches)
    key = frozenset(names)
    if len(_NAME_SETS) >= 4096:
        _NAME_SETS.clear()
    return _NAME_SETS.setdefault(key, key)


def _names(d: Doc) -> frozenset[str]:
    """The word groups ``d`` touches and the lists with a candidate term in it (memoised per text and index)."""
    index = _INDEX[0] if _INDEX else _index()
    names = d.facts.get(index)
    if names is None:
        names = d.facts[index] = _analyse(d, index)
    return names


def _matches(d: Doc) -> dict[str, tuple[str, ...]]:
    """list name -> found terms for the lists of :data:`CAMPAIGN_LISTS` with a candidate term in ``d``."""
    matches = d.facts.get(_matches)
    if matches is None:
        _names(d)
        matches = d.facts[_matches]
    return matches


def names_brand(d: Doc, brand: tuple[str, ...]) -> bool:
    """:func:`registry.rules.text.mentions` of the brand phrases ``brand`` in ``d``, memoised on ``d`` for the
    brand it was last read with (a campaign's texts usually belong to one brand)."""
    memo = d.facts.get(names_brand)
    if memo is None or memo[0] is not brand:
        memo = d.facts[names_brand] = (brand, mentions(d, brand))
    return memo[1]


def tokens(d: Doc) -> frozenset[str]:
    """The words of ``d`` that stand between spaces in its normalised text (what a word match means)."""
    return d.tokens


def _found(wl: WordList, d: Doc) -> tuple[str, ...]:
    """The terms of ``wl`` found in ``d`` (sorted), memoised on ``d``."""
    if wl.name in _LIST_NAMES:
        return _matches(d).get(wl.name, ())
    found = d.facts.get(wl)
    if found is None:
        norm = d.norm
        hits = wl.hits(norm, d.tokens)
        found = d.facts[wl] = tuple(wl.kept(norm, hits)) if hits else ()
    return found


def terms(name: str | WordList, d: Doc) -> tuple[str, ...]:
    """The terms of the word list ``name`` in ``d`` (sorted), memoised per distinct text."""
    if name.__class__ is str and name in _LIST_NAMES:  # the common case, without the helper calls
        matches = d.facts.get(_matches)
        if matches is None:
            matches = _matches(d)
        return matches.get(name, ())
    return _found(wordlist(name) if isinstance(name, str) else name, d)


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
            index = _INDEX[0] if _INDEX else _index()
            names = []
            for d in self.docs.values():
                found = d.facts.get(index)
                if found is None:
                    found = d.facts[index] = _analyse(d, index)
                names.append(found)
            self._names = _NO_NAMES.union(*names) if names else _NO_NAMES
        return self._names

    def has_group(self, group: str) -> bool:
        """True when a word of the group ``group`` (see :func:`word_group`) occurs in any field."""
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
            return bool(_found(wl, d))
        if wl.name in _LIST_NAMES:
            if wl.name not in self.names:  # no field has a candidate term
                return False
            if not wl.excludes:
                return True
        docs = self.docs.values()
        hits: set[str] = set()
        for doc in docs:
            if wl.name not in _LIST_NAMES or wl.name in _matches(doc):
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
    try:
        return cache["brand_domain"]
    except KeyError:
        pass
    website = ctx.brand.get("website") if ctx.brand else None
    urls = link_urls(website) if isinstance(website, str) else ()
    domain = cache["brand_domain"] = registrable_domain(urls[0][2]) if urls else None
    return domain


@functools.lru_cache(maxsize=8192)
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
