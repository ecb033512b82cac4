"""Word lists (``data/wordlists/<name>.txt``) matched as whole words against a parsed text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING

from .normal import normalise

if TYPE_CHECKING:
    from .document import Doc

__all__ = ["WordIndex", "WordList", "contains_any", "wordlist"]


class WordList:
    """A list of words and phrases matched as whole words against a :class:`Doc`.

    File format (``data/wordlists/<name>.txt``): ``#`` comment lines (the header names the source), one term
    per line (a word or a phrase, normalised like the text), and ``-phrase`` lines naming phrases that
    neutralise a term they contain (``-glue gun`` keeps "glue gun" from counting as "gun").
    """

    __slots__ = (
        "_bare",
        "_padded",
        "_regex",
        "by_key",
        "excludes",
        "key_words",
        "name",
        "phrases",
        "singles",
        "source",
        "terms",
        "triggers",
    )

    def __init__(self, name: str, lines: Iterable[str]) -> None:
        self.name = name
        source: list[str] = []
        terms: list[str] = []
        excludes: list[str] = []
        for line in lines:
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                source.append(line.lstrip("# "))
            elif line.startswith("-"):
                excludes.append(normalise(line[1:]))
            else:
                terms.append(normalise(line))
        self.source = " ".join(source)
        self.terms = tuple(dict.fromkeys(terms))
        self.singles = frozenset(t.strip() for t in self.terms if t.count(" ") == 2)
        self.phrases = tuple(t for t in self.terms if t.count(" ") > 2)
        self.by_key: dict[str, tuple[str, ...]] = {}
        for p in self.phrases:
            # a phrase is indexed by its longest word (the rarest, roughly), not its first: "no prescription
            # needed" waits for "prescription", so an ordinary "no" in the text costs nothing
            key = max(p.split(), key=len)
            self.by_key[key] = (*self.by_key.get(key, ()), p)
        self.key_words = frozenset(self.by_key)
        #: every word whose presence in a text can make this list match (single terms and phrase keys)
        self.triggers = self.singles | self.key_words
        # one shared string per term, padded (" gun ") and bare ("gun"), so results hold no copies
        self._padded = {w: f" {w} " for w in self.singles}
        self._bare = {t: t.strip() for t in self.terms}
        self.excludes: dict[str, tuple[str, ...]] = {
            t: tuple(e for e in excludes if t in e) for t in self.terms if any(t in e for e in excludes)
        }
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        """One compiled whole-word alternation of every term, for matching normalised text."""
        if self._regex is None:
            alts = sorted((re.escape(t.strip()) for t in self.terms), key=len, reverse=True)
            self._regex = re.compile(r"(?<![^\s])(?:" + "|".join(alts) + r")(?![^\s])")
        return self._regex

    def _counts(self, norm: str, term: str) -> bool:
        excl = self.excludes.get(term)
        if not excl:
            return True
        return norm.count(term) > sum(norm.count(e) for e in excl)

    def hits(self, norm: str, words: frozenset[str], confirm: bool = False) -> list[str]:
        """The terms (``" a b "``) present in ``norm`` before exclusion phrases apply. ``words``: a word set
        holding every word of ``norm``; ``confirm``: check single words on ``norm`` too (``words`` may be
        larger than ``norm``'s own words)."""
        singles = self.singles.intersection(words) if not self.singles.isdisjoint(words) else ()
        keys = (
            self.key_words.intersection(words)
            if self.phrases and not self.key_words.isdisjoint(words)
            else ()
        )
        if not singles and not keys:
            return []
        padded = self._padded
        hits = [t for w in singles if (t := padded[w]) in norm] if confirm else [padded[w] for w in singles]
        for key in keys:
            hits.extend(p for p in self.by_key[key] if p in norm)
        return hits

    def kept(self, norm: str, hits: Iterable[str]) -> list[str]:
        """``hits`` (from :meth:`hits`) without those neutralised by an exclusion phrase, stripped and sorted."""
        if self.excludes:
            hits = [t for t in hits if self._counts(norm, t)]
        bare = self._bare
        return sorted(bare[t] for t in hits)

    def find(self, d: Doc, within: frozenset[str] | None = None) -> list[str]:
        """The terms of this list that occur in ``d`` (sorted; empty when none).

        ``within``: a word set known to hold every word of ``d`` (the joined text of all fields): candidates
        are drawn from it and confirmed on ``d.norm`` by substring, so ``d`` never builds its own word set.
        """
        norm = d.norm
        hits = self.hits(norm, d.words if within is None else within, within is not None)
        return self.kept(norm, hits) if hits else []

    def any(self, d: Doc, within: frozenset[str] | None = None) -> bool:
        """True when any term of this list occurs in ``d`` (``within`` as for :meth:`find`)."""
        words = d.words if within is None else within
        if self.singles.isdisjoint(words) and (not self.phrases or self.key_words.isdisjoint(words)):
            return False
        return bool(self.find(d, within))

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"WordList({self.name!r}, {len(self.terms)} terms)"


_LISTS: dict[str, WordList] = {}


def wordlist(name: str) -> WordList:
    """The word list ``data/wordlists/<name>.txt``, loaded once."""
    wl = _LISTS.get(name)
    if wl is None:
        path = resources.files("registry.rules") / "data" / "wordlists" / f"{name}.txt"
        wl = _LISTS[name] = WordList(name, path.read_text(encoding="utf-8").splitlines())
    return wl


def contains_any(d: Doc, words: frozenset[str], within: frozenset[str] | None = None) -> bool:
    """True when ``d`` contains any of the single ``words`` (``within`` as for :meth:`WordList.find`)."""
    if within is None:
        return not words.isdisjoint(d.words)
    if words.isdisjoint(within):
        return False
    norm = d.norm
    return any(f" {w} " in norm for w in words.intersection(within))


_NONE: frozenset[str] = frozenset()


class WordIndex:
    """Named word sets (word lists' trigger words, or plain sets) inverted into one index: which names a
    text's words can match, from a single set intersection instead of one test per set."""

    __slots__ = ("_names", "_shared", "words")

    def __init__(self, sets: dict[str, frozenset[str]]) -> None:
        names: dict[str, set[str]] = {}
        for name, words in sets.items():
            for w in words:
                names.setdefault(w, set()).add(name)
        self._names = {w: frozenset(n) for w, n in names.items()}
        #: every indexed word
        self.words = frozenset(self._names)
        #: results handed out so far: texts share the few distinct answers instead of holding copies
        self._shared: dict[frozenset[str], frozenset[str]] = {}

    def names(self, words: frozenset[str]) -> frozenset[str]:
        """The names of the sets sharing a word with ``words``."""
        hit = self.words.intersection(words)
        if not hit:
            return _NONE
        if len(hit) == 1:
            return self._names[next(iter(hit))]
        names = _NONE.union(*map(self._names.__getitem__, hit))
        shared = self._shared
        if len(shared) >= 4096:
            shared.clear()
        return shared.setdefault(names, names)
