"""Normalisation: the one lower-cased, punctuation-free, space-padded form every word match runs on."""

from __future__ import annotations

import string
import unicodedata

__all__ = ["normalise", "wordset"]


def wordset(words: str) -> frozenset[str]:
    """A frozenset of the space-separated ``words`` (keeps long constant word lists compact)."""
    return frozenset(words.split())


_PUNCT = string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00ab\u00bb\u00b7\u2022"
_SPACES = "\t\n\r\f\v"
_TO_SPACE = str.maketrans({c: " " for c in _PUNCT + _SPACES})
#: the same table for ASCII text as bytes: bytes.translate is several times faster than str.translate
_ASCII_TO_SPACE = bytes.maketrans(
    (string.punctuation + _SPACES).encode(), b" " * len(string.punctuation + _SPACES)
)


def normalise(text: str) -> str:
    """Lower-case ``text``, turn punctuation into spaces and pad it: ``"Acme, Inc."`` -> ``" acme inc "``."""
    if text.isascii():
        # bytes.split() splits on exactly the ASCII spaces the table leaves (\x1c-\x1f stay inside words)
        parts = text.encode().lower().translate(_ASCII_TO_SPACE).split()
        return (b" " + b" ".join(parts) + b" ").decode() if parts else " "
    s = unicodedata.normalize("NFKC", text).lower().translate(_TO_SPACE)
    while "  " in s:
        s = s.replace("  ", " ")
    if not s.startswith(" "):
        s = " " + s
    if not s.endswith(" "):
        s += " "
    return s
