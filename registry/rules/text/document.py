"""A piece of text parsed once (:class:`Doc`), and the bounded cache of parsed field values.

Everything the rules learn from a text alone (its words, URLs, phone numbers, placeholders, word-list terms,
the answer of each content pattern) depends on the string and nothing else, so it is worked out once per
distinct string: :func:`field_doc` keeps the :class:`Doc` of recent field values in an LRU cache keyed by the
string, and each Doc memoises the derived facts checks ask of it (:func:`fact`). An ISV whose campaigns reuse
the same opt-out message or message flow, or a draft linted again after an edit elsewhere, pays for the
analysis of each text once. What also depends on the brand or the declared keywords (does the text name the
brand, is a keyword glued to a word) is kept as a one-entry memo for the last brand or keyword set only.

Bounds: :data:`FIELD_CACHE_SIZE` field values (the least recently used is evicted first), each about 2 KB for
typical registration text (its lower-cased and normalised forms, its words as a tuple of interned strings, a
few small facts), so the cache stays below ~150 MB however many payloads a process lints. Cached Docs hold
plain tuples and strings, which the garbage collector does not walk (a Doc, its facts dict and little else
are tracked): long-lived caches of tracked objects would make every collection slower.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from sys import intern
from typing import Any, TypeVar

from .normal import normalise
from .placeholders import Placeholder, PlaceholderParts
from .scan import scan
from .urls import Url, UrlParts

__all__ = ["FIELD_CACHE_SIZE", "Doc", "doc", "fact", "field_doc", "join", "memo_key"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: whitespace other than the space that ``str.split`` breaks words on (normalised text keeps a few kinds)
_OTHER_SPACE = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
#: the whitespace of :data:`_OTHER_SPACE` that plain ASCII text can still hold once normalised
_CONTROL_SPACE = re.compile("[\x1c-\x1f]")
T = TypeVar("T")


def _standalone(words: tuple[str, ...], norm: str) -> frozenset[str]:
    """The ``words`` that stand between spaces in ``norm``."""
    return frozenset(w for w in words if f" {w} " in norm)


class Doc:
    """One piece of text, parsed once: raw, lower-cased, normalised (``" a b "``), its words, on demand its
    URLs, phone numbers and placeholders (one pass), and memoised facts.

    Cached Docs live long, so they hold few objects the garbage collector must walk: strings, tuples of
    strings, and the ``facts`` dict; URLs and placeholders are kept as plain tuples (:attr:`url_parts`,
    :attr:`placeholder_parts`) and handed out as :class:`Url`/:class:`Placeholder` on request.
    """

    __slots__ = ("_phones", "_placeholders", "_prose", "_urls", "facts", "lower", "norm", "raw", "tokens",
                 "word_list")

    def __init__(self, raw: str, norm: str | None = None) -> None:
        self.raw = raw
        self.lower = raw.lower()
        if norm is None:
            norm = normalise(raw)
            # printable text holds none of them (a C-level test, cheaper than a regex pass)
            odd = None if raw.isprintable() else (
                _CONTROL_SPACE.search(raw) if raw.isascii() else _OTHER_SPACE.search(norm)
            )
        else:
            odd = _OTHER_SPACE.search(norm)
        self.norm = norm
        #: the normalised words (``norm.split()``, interned, repeats kept) as a tuple: compact, and a tuple of
        #: strings is nothing the garbage collector walks, unlike a set. Set operations take it as it is
        #: (``frozenset.isdisjoint``, ``intersection``).
        self.word_list: tuple[str, ...] = tuple(map(intern, norm.split()))
        #: the words that stand between spaces in ``norm``: what a whole-word match means. The very object
        #: :attr:`word_list` holds unless the text holds whitespace other than spaces that normalising keeps
        #: (then a set of the words that do; in ASCII text only the separators ``\x1c``-``\x1f`` are kept)
        self.tokens: tuple[str, ...] | frozenset[str] = self.word_list
        if odd is not None:
            self.tokens = _standalone(self.word_list, norm)
        self._urls: tuple[UrlParts, ...] | None = None
        self._phones: tuple[str, ...] = ()
        self._placeholders: tuple[PlaceholderParts, ...] = ()
        self._prose: str | None = None
        #: results of pure functions of this text, keyed by the function's name (see :func:`fact`)
        self.facts: dict[str, Any] = {}

    @property
    def prose(self) -> str:
        """The normalised text without its URLs and e-mail addresses (``" a b "``)."""
        if self._prose is None:
            raw = self.raw
            if "." in raw:
                for url in self.url_parts:
                    raw = raw.replace(url[0], " ")
                if "@" in raw:
                    raw = _EMAIL.sub(" ", raw)
            self._prose = normalise(raw) if raw is not self.raw else self.norm
        return self._prose

    @property
    def words(self) -> frozenset[str]:
        """The distinct normalised words (``norm.split()``)."""
        return frozenset(self.word_list)

    def _scan(self) -> None:
        self._urls, self._phones, self._placeholders = scan(self.raw)

    @property
    def url_parts(self) -> tuple[UrlParts, ...]:
        """The URLs in the text as plain ``(text, scheme, host, path)`` tuples."""
        if self._urls is None:
            self._scan()
        return self._urls  # type: ignore[return-value]

    @property
    def urls(self) -> tuple[Url, ...]:
        """The URLs in the text (see :func:`registry.rules.text.find_urls`)."""
        return tuple(map(Url._make, self.url_parts))

    @property
    def phones(self) -> tuple[str, ...]:
        """The phone numbers in the text, as digits (see :func:`registry.rules.text.find_phones`)."""
        if self._urls is None:
            self._scan()
        return self._phones

    @property
    def placeholder_parts(self) -> tuple[PlaceholderParts, ...]:
        """The bracketed placeholders in the text as plain ``(text, name, kind)`` tuples."""
        if self._urls is None:
            self._scan()
        return self._placeholders

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        """The bracketed placeholders in the text (see :func:`registry.rules.text.find_placeholders`)."""
        return tuple(map(Placeholder._make, self.placeholder_parts))

    def has(self, phrase: str) -> bool:
        """True when the normalised ``phrase`` (``" a b "``) occurs as whole words."""
        return phrase in self.norm

    def __repr__(self) -> str:
        return f"Doc({self.raw!r})"


_MISSING = object()
_KEYS: dict[Callable[..., Any], str] = {}


def memo_key(fn: Callable[..., Any]) -> str:
    """The key under which :func:`fact` keeps ``fn``'s answers in ``Doc.facts``: a string, so that a facts
    dict holding only strings, numbers and tuples of them is one the garbage collector stops tracking."""
    key = _KEYS.get(fn)
    if key is None:
        key = _KEYS[fn] = f"{fn.__module__}.{fn.__qualname__}"
    return key


def fact(d: Doc, fn: Callable[[Doc], T]) -> T:
    """``fn(d)``, computed once per distinct text: ``fn`` must read nothing but ``d``, and should return plain
    values (strings, numbers, tuples of them), which keep cached texts out of the garbage collector's way."""
    key = _KEYS.get(fn) or memo_key(fn)
    value = d.facts.get(key, _MISSING)
    if value is _MISSING:
        value = d.facts[key] = fn(d)
    return value  # type: ignore[return-value]


def doc(text: str) -> Doc:
    """Parse ``text`` into a :class:`Doc`."""
    return Doc(text)


#: distinct field values whose parsed :class:`Doc` is kept (least recently used evicted first)
FIELD_CACHE_SIZE = 65_536


@functools.lru_cache(maxsize=FIELD_CACHE_SIZE)
def field_doc(value: str) -> Doc:
    """The :class:`Doc` of a field value, shared by every payload that carries the same string (NUL
    characters read as spaces)."""
    return Doc(value.replace("\x00", " ") if "\x00" in value else value)


def join(docs: Iterable[Doc]) -> Doc:
    """One :class:`Doc` over several, without parsing again (phrases never match across the seams)."""
    docs = list(docs)
    joined = Doc.__new__(Doc)
    joined.raw = "\n".join(d.raw for d in docs)
    joined.lower = "\n".join(d.lower for d in docs)
    norm = joined.norm = " ".join(d.norm for d in docs) or " "
    joined.word_list = words = tuple(w for d in docs for w in d.word_list)
    joined.tokens = words if all(d.tokens is d.word_list for d in docs) else _standalone(words, norm)
    joined._urls = joined._prose = None
    joined._phones = joined._placeholders = ()
    joined.facts = {}
    return joined
