"""Bracketed placeholders in message text: ``[first name]``, ``{code}``, ``[link]``."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from .normal import normalise, wordset

__all__ = ["Placeholder", "PlaceholderParts", "find_placeholders", "placeholders_at"]


class Placeholder(NamedTuple):
    """A templated part of a message: ``[first name]``, ``{code}``. ``kind`` is ``link``, ``phone`` or
    ``other``; ``name`` is empty for an empty placeholder such as ``[]``."""

    text: str
    name: str
    kind: str


_PLACEHOLDER = re.compile(r"\[\[?([^\[\]]{0,60})\]\]?|\{\{?([^{}]{0,60})\}\}?")
_LINK_WORDS = frozenset(["link", "url", "website", "web", "shortlink", "hyperlink"])
_PHONE_WORDS = wordset("phone tel telephone mobile cell callback hotline")
_NOT_PHONE = wordset("order tracking confirmation account invoice ticket reference case member")


@functools.lru_cache(maxsize=4096)
def _kind(name: str) -> str:
    words = set(normalise(name).split())
    if words & _LINK_WORDS:
        return "link"
    if words & _PHONE_WORDS and not words & _NOT_PHONE:
        return "phone"
    return "other"


#: a placeholder as a plain tuple ``(text, name, kind)`` (what :class:`Placeholder` holds)
PlaceholderParts = tuple[str, str, str]


def placeholders_at(text: str, first: int) -> tuple[PlaceholderParts, ...]:
    """The placeholders of ``text`` given the position of its first ``[`` or ``{`` (-1: none), from one
    :func:`.scan.scan` pass; see :func:`find_placeholders`."""
    if first < 0:
        return ()
    out = []
    for m in _PLACEHOLDER.finditer(text, first):
        name = (m.group(1) if m.group(1) is not None else m.group(2) or "").strip()
        out.append((m.group(0), name, _kind(name)))
    return tuple(out)


def find_placeholders(text: str) -> tuple[Placeholder, ...]:
    """Bracketed placeholders: ``[link]`` and ``[tracking link]`` are links, ``[phone-number]`` is a phone."""
    from .scan import scan

    return tuple(map(Placeholder._make, scan(text).placeholders))
