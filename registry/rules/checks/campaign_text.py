"""The campaign's text fields, parsed once per lint run and shared by every content check (no checks here).

``campaign_text(ctx)`` parses ``description``, ``messageFlow``, ``sample1``..``sample5`` and the opt-in,
opt-out and help messages into :class:`registry.rules.text.Doc` objects and caches them in ``ctx.cache``;
the brand's name variants are cached the same way. Checks use the joined document (``all``) as a fast
negative test and look at single fields only when it matches.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from ..engine import LintContext
from ..text import (
    Doc,
    Url,
    WordList,
    brand_names,
    contains_any,
    find_urls,
    join,
    normalise,
    registrable_domain,
    wordlist,
    wordset,
)

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
#: word -> names of the lists in CAMPAIGN_LISTS that a match can start with it
_INDEX: dict[str, frozenset[str]] = {}
_INDEX_WORDS: list[frozenset[str]] = []


def _index() -> dict[str, frozenset[str]]:
    if not _INDEX:
        index: dict[str, set[str]] = {}
        for name in CAMPAIGN_LISTS:
            wl = wordlist(name)
            for word in wl.singles | wl.key_words:
                index.setdefault(word, set()).add(name)
        _INDEX.update((w, frozenset(names)) for w, names in index.items())
        _INDEX_WORDS.append(frozenset(_INDEX))
    return _INDEX


_SEPARATOR = " \x00 "


class CampaignText:
    """Parsed text fields of one campaign: ``docs`` by field name, ``samples`` in order, ``all`` joined.

    The fields are normalised in one pass over their joined text; word lists are first tested against the
    words of the whole campaign through an inverted index, so a list the campaign cannot match costs nothing.
    """

    __slots__ = ("_hit_lists", "_triggers", "all", "brand", "docs", "samples")

    def __init__(self, campaign: Mapping[str, Any], brand: Mapping[str, Any] | None) -> None:
        names, raws = [], []
        for name in TEXT_FIELDS:
            value = campaign.get(name)
            if isinstance(value, str) and value.strip():
                names.append(name)
                raws.append(value.replace("\x00", " "))
        norms = normalise(_SEPARATOR.join(raws)).split("\x00") if raws else []
        docs = {
            name: Doc(raw, norm if norm.endswith(" ") else norm + " ")
            for name, raw, norm in zip(names, raws, norms, strict=True)
        }
        self.docs = docs
        self.samples: list[tuple[str, Doc]] = [(f, docs[f]) for f in SAMPLE_FIELDS if f in docs]
        self.all = join(docs.values())
        #: normalised brand-name phrases (empty without a brand)
        self.brand: tuple[str, ...] = brand_names(brand)
        self._triggers: frozenset[str] | None = None
        self._hit_lists: frozenset[str] | None = None

    def get(self, name: str) -> Doc | None:
        """The parsed field, or ``None`` when it is absent or blank."""
        return self.docs.get(name)

    @property
    def triggers(self) -> frozenset[str]:
        """The words of the whole campaign text that a list of :data:`CAMPAIGN_LISTS` could match."""
        if self._triggers is None:
            index = _index()
            self._triggers = _INDEX_WORDS[0].intersection(self.all.words)
            self._hit_lists = frozenset().union(*(index[w] for w in self._triggers))
        return self._triggers

    def _within(self, wl: WordList) -> frozenset[str] | None:
        """The word set to draw candidates from; ``None`` when ``wl`` cannot match this campaign."""
        if wl.name in CAMPAIGN_LISTS:
            triggers = self.triggers
            return triggers if wl.name in self._hit_lists else None  # type: ignore[operator]
        return self.all.words

    def find(self, name: str | WordList, d: Doc) -> list[str]:
        """Terms of the word list ``name`` in the parsed field ``d`` (cheap when the campaign has none)."""
        wl = wordlist(name) if isinstance(name, str) else name
        within = self._within(wl)
        return [] if within is None else wl.find(d, within)

    def any(self, name: str | WordList, d: Doc | None = None) -> bool:
        """True when the word list ``name`` matches ``d`` (default: the whole campaign text)."""
        wl = wordlist(name) if isinstance(name, str) else name
        within = self._within(wl)
        return within is not None and wl.any(d or self.all, within)

    def has_word(self, d: Doc, words: frozenset[str]) -> bool:
        """True when the parsed field ``d`` contains one of ``words`` (single words)."""
        return contains_any(d, words, self.all.words)


def campaign_text(ctx: LintContext) -> CampaignText:
    """The parsed text of ``ctx.campaign``, built on first use in this run."""
    parsed = ctx.cache.get(_KEY)
    if parsed is None:
        parsed = ctx.cache[_KEY] = CampaignText(ctx.campaign or {}, ctx.brand)
    return parsed


def brand_domain(ctx: LintContext) -> str | None:
    """The registrable domain of the brand's website (``acme.com``), or ``None`` without one."""
    key = "brand_domain"
    if key not in ctx.cache:
        website = ctx.brand.get("website") if ctx.brand else None
        urls = link_urls(website) if isinstance(website, str) else ()
        ctx.cache[key] = registrable_domain(urls[0].host) if urls else None
    return ctx.cache[key]


@functools.lru_cache(maxsize=8192)
def link_urls(value: str) -> tuple[Url, ...]:
    """:func:`find_urls` for a link field (website, privacy, terms, link sample), memoised: links recur."""
    return find_urls(value.strip())


def text(campaign: Mapping[str, Any], name: str) -> str:
    """The field as a stripped string ('' when absent or not a string)."""
    value = campaign.get(name)
    return value.strip() if isinstance(value, str) else ""


def flag(campaign: Mapping[str, Any], name: str) -> bool | None:
    """A boolean attribute: ``True``/``False``, or ``None`` when absent ('true'/'false' strings count)."""
    value = campaign.get(name)
    if isinstance(value, bool):
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


# ----------------------------------------------------------------------------- disclosure patterns
# (lower-cased)

#: message frequency: "Msg frequency varies", "up to 4 msgs/month", "recurring", "weekly", "one-time"
FREQUENCY = re.compile(
    r"frequen|recurring|\bvar(?:ies|y)\b|\b(?:per|a|each|every|/)\s?(?:day|week|month|year|wk|mo)\b"
    r"|\b(?:daily|weekly|monthly|yearly|annually)\b|\bone[- ]?time\b"
    r"|\b\d+\s*(?:msgs?|messages?|texts?|alerts?|sms)\b|\bup ?to\s+\d+"
)
#: "Msg & data rates may apply" and its variants
RATES = re.compile(
    r"(?:msg|message|messaging|text|sms)s?\s*(?:&|and|\+|&amp;)\s*data\s*rates?"
    r"|data\s+rates\s+(?:may|will)\s+apply|standard\s+(?:msg|message|messaging|text|sms)\s+(?:and\s+data\s+)?rates"
)
#: an opt-out instruction in a sample: "Reply STOP to opt out", "Text END to unsubscribe", "opt out"
OPTOUT_INSTRUCTION = re.compile(
    r"\b(?:reply|text|txt|send|respond)(?:\s+with)?\s+['\"\u201c]?(?:stop|end|cancel|unsubscribe|quit|stopall)\b"
    r"|\bstop\s+to\s+(?:opt|unsub|cancel|end|quit|stop)|\bopt[- ]?out\b|\bunsubscribe\b|\bto\s+stop\b"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: keyword opt-in described in a message flow: "text JOIN to 12345", "texting JOIN"
KEYWORD_OPTIN = re.compile(
    r"\b(?:[Tt]ext|TEXT|[Tt]exting|[Tt]xt|[Rr]eply|[Ss]end|SMS)(?:ing)?\s+(?:the\s+(?:word|keyword)\s+)?"
    r"['\"\u201c]?[A-Z0-9]{2,}['\"\u201d]?\s+to\b|\bkeyword\b"
)

_FREQUENCY_WORDS = tuple(
    f" {w} "
    for w in ["frequency", "recurring", "varies", "vary", "daily", "weekly", "monthly", "yearly", "annually"]
)
_OPTOUT_WORDS = tuple(f" {w} " for w in ["end", "cancel", "unsubscribe", "quit", "stopall", "opt", "optout"])


def states_frequency(d: Doc) -> bool:
    """The text states a message frequency."""
    norm = d.norm
    return any(w in norm for w in _FREQUENCY_WORDS) or bool(FREQUENCY.search(d.lower))


def states_rates(d: Doc) -> bool:
    """The text says 'Msg & data rates may apply' (or a variant)."""
    norm = d.norm
    return " data rate" in norm or (" rates " in norm and bool(RATES.search(d.lower)))


def says_stop(d: Doc) -> bool:
    """The text says how to opt out (STOP, 'opt out', 'unsubscribe'...)."""
    norm = d.norm
    return " stop " in norm or (
        any(w in norm for w in _OPTOUT_WORDS) and bool(OPTOUT_INSTRUCTION.search(d.lower))
    )


def says_help(d: Doc) -> bool:
    """The text names the HELP keyword."""
    return " help " in d.norm


#: words a sentence about sharing data needs (a cheap test before the sharing patterns)
SHARE_WORDS = wordset(
    "share shares shared sharing sell sells sold selling rent rented renting disclose discloses "
    "disclosed transfer transferred trade traded"
)
_NEGATION = re.compile(r"\b(?:not|never|no|nor|without)\b|n't\b")


def negated(lower: str, start: int) -> bool:
    """True when the sentence holding ``lower[start]`` negates it before that point ('we do not share...')."""
    sentence = max(lower.rfind(". ", 0, start), lower.rfind("\n", 0, start), lower.rfind("; ", 0, start)) + 1
    return bool(_NEGATION.search(lower, sentence, start))


def unnegated(pattern: re.Pattern[str], lower: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``lower`` that its sentence does not negate."""
    for m in pattern.finditer(lower):
        if not negated(lower, m.start() + 1):
            return m
    return None
