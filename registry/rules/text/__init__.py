"""Text helpers for the content rules: normalisation, brand names, URLs, phone numbers, placeholders, word
lists.

Everything here is pure and fast: the engine lints tens of thousands of payloads a second, so text is
normalised once into a :class:`Doc` (lower-cased, punctuation turned into single spaces, padded with a space
at each end) and word lists are matched against its word set and padded string with C-level set and substring
operations. Each word list also carries one compiled regex (``WordList.regex``) for callers that need spans.
URLs, phone-shaped runs and placeholders are read off one regex pass over the raw text (:mod:`.scan`), and
the parsed Doc of each distinct field value is kept in a bounded LRU cache (:func:`field_doc`).

Detection follows the rule catalog's "Notes on detection": phone numbers by shape (NANP-like digit groups, not
digit runs inside alphanumeric tokens), bracketed placeholders such as ``[link]`` count as a link or a phone,
brand names match leniently (case, punctuation, legal suffixes, display or legal name), word lists match whole
words and live in ``data/wordlists/<name>.txt`` with their source in a header comment.

Modules: :mod:`.normal` (normalisation), :mod:`.document` (Doc and the field cache), :mod:`.scan` (the one pass),
:mod:`.urls`, :mod:`.phones`, :mod:`.placeholders`, :mod:`.names` (brand names), :mod:`.wordlists`,
:mod:`.patterns` (regex alternations tested alternative by alternative, behind substring tests).
"""

from __future__ import annotations

from .document import FIELD_CACHE_SIZE, Doc, doc, fact, field_doc, join
from .names import LEGAL_SUFFIXES, brand_names, mentions
from .normal import normalise, wordset
from .phones import find_phones
from .placeholders import Placeholder, find_placeholders
from .urls import TLDS, Url, domainlist, find_urls, host_in, registrable_domain
from .wordlists import WordIndex, WordList, contains_any, wordlist

__all__ = [
    "FIELD_CACHE_SIZE",
    "LEGAL_SUFFIXES",
    "TLDS",
    "Doc",
    "Placeholder",
    "Url",
    "WordIndex",
    "WordList",
    "brand_names",
    "contains_any",
    "doc",
    "domainlist",
    "fact",
    "field_doc",
    "find_phones",
    "find_placeholders",
    "find_urls",
    "host_in",
    "join",
    "mentions",
    "normalise",
    "registrable_domain",
    "wordlist",
    "wordset",
]
