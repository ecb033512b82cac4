"""What the words of a campaign text field match: the word lists of the campaign and content rules and the
word groups checks register, inverted into one index (no checks here).

A field's words are intersected with the index once; every list with a candidate term and every group the
field touches come out of that one pass and are memoised on the field's :class:`registry.rules.text.Doc`, so
a list a field cannot match costs nothing afterwards, and a field shared by many campaigns is read once. The
answer for a set of candidate words (and the phrases present) is the same for every text that has them, so
texts are answered from the few distinct answers the index has worked out before (bounded; texts whose
answer depends on more, through neutralising phrases or odd whitespace, are worked out on their own).
Matches follow :class:`registry.rules.text.WordList`: whole words, phrases, neutralising phrases.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..text import Doc, WordList, mentions, wordlist

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
#: ``Doc.facts`` keys (strings: see :func:`registry.rules.text.document.memo_key`)
_NAMES = "campaign_words.names"
_MATCHES = "campaign_words.matches"
_BRAND = "campaign_words.names_brand"


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

    __slots__ = ("entries", "impure", "key", "memo", "phrase_words", "phrases", "words")

    def __init__(self, generation: int) -> None:
        #: the ``Doc.facts`` key of this index's answers (the index is rebuilt when a word group is added)
        self.key = f"{_NAMES}#{generation}"
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
        #: word -> the (list name, phrase) entries it keys (phrases are confirmed on the text)
        self.phrases = {w: tuple((n, t) for n, t, phrase in e if phrase) for w, e in self.entries.items()
                        if any(phrase for _, _, phrase in e)}
        self.phrase_words = frozenset(self.phrases)
        #: words with a term whose count against neutralising phrases decides (their answers are not shared)
        self.impure = frozenset(w for w, e in self.entries.items()
                                if any(t is not None and t in wordlist(n).excludes for n, t, _ in e))
        #: (candidate words, phrases present) -> the answer of :func:`_analyse`, for texts without impure words
        self.memo: dict[tuple[frozenset[str], frozenset[tuple[str, str]]], tuple[tuple[str, ...], Matches]] = {}


_GENERATION = [0]


def _index() -> _Index:
    if not _INDEX:
        _GENERATION[0] += 1
        _INDEX.append(_Index(_GENERATION[0]))
    return _INDEX[0]


_NAME_SETS: dict[tuple[str, ...], tuple[str, ...]] = {}
#: the matches of one text: ((list name, found terms), ...) in list order, a tuple (see :func:`list_matches`)
Matches = tuple[tuple[str, tuple[str, ...]], ...]


def _analyse(d: Doc, index: _Index) -> tuple[str, ...]:
    """Work out, in one pass over the index, the names of the groups ``d`` touches and of the lists with a
    candidate term (returned; shared between texts), and store the found terms of each such list (list name
    -> sorted terms, empty when exclusion phrases neutralise them all) for :func:`list_matches`.

    The answer depends on nothing but the candidate words and the phrases present, unless a word's term has
    neutralising phrases or the text holds odd whitespace: other texts are answered from :attr:`_Index.memo`.
    """
    words = d.word_list
    hit = index.words.intersection(words)
    if not hit:
        d.facts[_MATCHES] = ()
        return ()
    if d.tokens is not words or not index.impure.isdisjoint(hit):
        return _analysed(d, index, hit)
    norm = d.norm
    phrases = index.phrases
    keyed = hit.intersection(index.phrase_words)
    present = frozenset(
        (name, p) for w in keyed for name, p in phrases[w] if p in norm
    ) if keyed else _NO_PHRASES
    key = (hit, present)
    answer = index.memo.get(key)
    if answer is None:
        names = _analysed(d, index, hit)
        if len(index.memo) >= 8192:
            index.memo.clear()
        answer = index.memo[key] = (names, d.facts[_MATCHES])
    else:
        d.facts[_MATCHES] = answer[1]
    return answer[0]


_NO_PHRASES: frozenset[tuple[str, str]] = frozenset()


def _analysed(d: Doc, index: _Index, hit: frozenset[str]) -> tuple[str, ...]:
    """:func:`_analyse` worked out on the text."""
    norm = d.norm
    words = d.word_list
    tokens = d.tokens
    entries = index.entries
    names: set[str] = set()
    hits: dict[str, list[str]] = {}
    for w in hit:
        # a whole-word match needs w between spaces in norm (tokens is then a set, see Doc.tokens)
        standalone = tokens is words or w in tokens
        for name, term, phrase in entries[w]:
            if term is None:
                names.add(name)  # a word group reads the plain word set
            elif standalone and (not phrase or term in norm):
                hits.setdefault(name, []).append(term)
    matches = tuple((name, tuple(wordlist(name).kept(norm, found))) for name, found in sorted(hits.items()))
    d.facts[_MATCHES] = matches
    names.update(hits)
    key = tuple(sorted(names))
    if len(_NAME_SETS) >= 4096:
        _NAME_SETS.clear()
    return _NAME_SETS.setdefault(key, key)


def field_names(d: Doc) -> tuple[str, ...]:
    """The word groups ``d`` touches and the lists with a candidate term in it, sorted (memoised per text and
    index; the few distinct tuples are shared between texts)."""
    index = _INDEX[0] if _INDEX else _index()
    names = d.facts.get(index.key)
    if names is None:
        names = d.facts[index.key] = _analyse(d, index)
    return names


def list_matches(d: Doc) -> Matches:
    """``(list name, found terms)`` for each list of :data:`CAMPAIGN_LISTS` with a candidate term in ``d``
    (found terms sorted, empty when exclusion phrases neutralise them all)."""
    matches = d.facts.get(_MATCHES)
    if matches is None:
        field_names(d)
        matches = d.facts[_MATCHES]
    return matches


def _terms_of(matches: Matches, name: str) -> tuple[str, ...]:
    for listed, found in matches:
        if listed == name:
            return found
    return ()


def has_candidates(d: Doc, name: str) -> bool:
    """True when the list ``name`` of :data:`CAMPAIGN_LISTS` has a candidate term in ``d``."""
    return any(listed == name for listed, _ in list_matches(d))


def is_listed(name: str) -> bool:
    """True for the word lists of :data:`CAMPAIGN_LISTS` (those the index covers)."""
    return name in _LIST_NAMES


def names_brand(d: Doc, brand: tuple[str, ...]) -> bool:
    """:func:`registry.rules.text.mentions` of the brand phrases ``brand`` in ``d``, memoised on ``d`` for the
    brand it was last read with (a campaign's texts usually belong to one brand)."""
    memo = d.facts.get(_BRAND)
    if memo is None or memo[0] is not brand:
        memo = d.facts[_BRAND] = (brand, mentions(d, brand))
    return memo[1]


def tokens(d: Doc) -> tuple[str, ...] | frozenset[str]:
    """The words of ``d`` that stand between spaces in its normalised text (what a word match means; see
    :attr:`registry.rules.text.Doc.tokens`)."""
    return d.tokens


def found_terms(wl: WordList, d: Doc) -> tuple[str, ...]:
    """The terms of ``wl`` found in ``d`` (sorted), memoised on ``d``."""
    if wl.name in _LIST_NAMES:
        return _terms_of(list_matches(d), wl.name)
    key = f"wordlist.{wl.name}"
    found = d.facts.get(key)
    if found is None:
        norm = d.norm
        hits = wl.hits(norm, d.tokens)
        found = d.facts[key] = tuple(wl.kept(norm, hits)) if hits else ()
    return found


def terms(name: str | WordList, d: Doc) -> tuple[str, ...]:
    """The terms of the word list ``name`` in ``d`` (sorted), memoised per distinct text."""
    if name.__class__ is str and name in _LIST_NAMES:  # the common case, without the helper calls
        matches = d.facts.get(_MATCHES)
        if matches is None:
            matches = list_matches(d)
        for listed, found in matches:
            if listed == name:
                return found
        return ()
    return found_terms(wordlist(name) if isinstance(name, str) else name, d)
