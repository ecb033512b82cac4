"""Brand names in message text: the phrases that count as naming a brand, matched leniently."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .normal import normalise, wordset

if TYPE_CHECKING:
    from .document import Doc

__all__ = ["LEGAL_SUFFIXES", "brand_names", "mentions"]

#: legal-form suffixes dropped when matching a brand name (TCR asks for the legal name "including Inc./LLC")
LEGAL_SUFFIXES = wordset(
    "inc incorporated llc l l c lllp llp lp ltd limited corp corporation co company plc pllc pc "
    "pa gmbh sa dba"
)
_MULTI_WORD_SUFFIXES = (" l l c ", " p l l c ", " l l p ", " l p ", " p c ", " p a ")


def _name_words(name: str) -> list[str]:
    norm = normalise(name)
    for suffix in _MULTI_WORD_SUFFIXES:
        if norm.endswith(suffix):
            norm = norm[: -len(suffix) + 1]
    words = norm.split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return words


def _name_variants(name: str) -> set[str]:
    variants: set[str] = set()
    for form in {name, name.replace("&", " and ")}:
        words = _name_words(form)
        if not words:
            continue
        variants.add(" " + " ".join(words) + " ")
        if "and" in words and len(words) > 2:
            variants.add(" " + " ".join(w for w in words if w != "and") + " ")
        if len(words) > 1:
            variants.add(" " + "".join(w for w in words if w != "and") + " ")
    return {v for v in variants if len(v) > 3}


def brand_names(brand: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Normalised phrases that count as naming the brand: display name, legal name (without legal suffix),
    their run-together forms, and for a sole proprietor the owner's full name."""
    if not brand:
        return ()
    names = tuple(
        v if isinstance(v := brand.get(k), str) else None
        for k in ("displayName", "companyName", "firstName", "lastName")
    )
    return _brand_names(names)


@functools.lru_cache(maxsize=65536)
def _brand_names(names: tuple[str | None, ...]) -> tuple[str, ...]:
    display, company, first, last = names
    variants: set[str] = set()
    for value in (display, company):
        if value and value.strip():
            variants |= _name_variants(value)
    if first and last and first.strip() and last.strip():
        variants |= _name_variants(f"{first} {last}")
    return tuple(sorted(variants, key=len, reverse=True))


def mentions(d: Doc, phrases: Iterable[str]) -> bool:
    """True when ``d`` names any of the normalised ``phrases`` (e.g. from :func:`brand_names`) in its prose:
    a name inside a URL or an e-mail address (``acmedental.com``) does not count."""
    norm = d.norm
    single = False
    for p in phrases:
        if p in norm:
            if p.count(" ") > 2:
                return True  # a name of several words: a URL cannot hold it (a hyphenated domain aside)
            single = True
    if not single:
        return False
    prose = d.prose
    return prose is norm or any(p in prose for p in phrases)
