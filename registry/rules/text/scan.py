"""One pass over a text for everything positional: URL anchors, digit runs and brackets.

A single combined regex walks the text once and records where a ``://`` scheme, a dot before a top-level
domain, a run of three or more digits, or an opening bracket occurs; URLs, phone numbers and placeholders are
then read off those anchors only (most texts have none of some kinds, and their finders cost nothing).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .phones import phones_at
from .placeholders import PlaceholderParts, placeholders_at
from .urls import LABEL, TLDS, UrlParts, urls_at

__all__ = ["Scan", "scan"]

#: starts with a character class, so the regex engine jumps from one candidate character to the next;
#: the lookbehinds then tell which kind of anchor it is (a bracket needs nothing more)
_ANCHORS = re.compile(
    r"[:.0-9\[{](?:(?<=:)(//)|(?<=\.)" + LABEL + r"|(?<=[0-9])([0-9]{2,})|(?<=[\[{]))"
)


class Scan(NamedTuple):
    urls: tuple[UrlParts, ...]
    phones: tuple[str, ...]
    placeholders: tuple[PlaceholderParts, ...]


_EMPTY = Scan((), (), ())


def scan(text: str) -> Scan:
    """The URLs, phone numbers (as digits) and placeholders of ``text``, from one pass over it."""
    schemes: list[int] = []
    labels: list[int] = []
    runs: list[tuple[int, int]] = []
    bracket = -1
    for m in _ANCHORS.finditer(text):
        kind = m.lastindex  # which group matched: 1 scheme, 2 label, 3 digits; None for a bracket
        if kind == 2:
            if m.group(2).lower() in TLDS:
                labels.append(m.start())
        elif kind == 1:
            schemes.append(m.start())
        elif kind == 3:
            runs.append(m.span())  # the class took the run's first digit, the group the rest
        elif bracket < 0:
            bracket = m.start()
    if not schemes and not labels and not runs and bracket < 0:
        return _EMPTY
    return Scan(
        urls_at(text, schemes, labels) if schemes or labels else (),
        phones_at(text, runs),
        placeholders_at(text, bracket),
    )
