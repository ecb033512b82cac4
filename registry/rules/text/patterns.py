"""Regex alternations that are cheap to test: each alternative carries the literals it cannot match without.

A regex such as ``\\bopt[- ]?out\\b|\\bunsubscribe\\b|...`` costs a full regex pass over the text, position by
position, even when the text holds none of its words; a substring test (``"opt" in text``) is a C-level search
many times faster. :class:`Alternatives` keeps the alternation as one compiled :attr:`~Alternatives.pattern`
(what it means, and what other code may use), and answers :meth:`~Alternatives.found`,
:meth:`~Alternatives.search` and :meth:`~Alternatives.finditer` by running only the alternatives whose needed
literals occur in the text: an alternative that cannot match anywhere changes no answer of the alternation, so
the answers are the pattern's. An alternative whose every match *starts* with one of its literals (``lead``) is
searched from the first occurrence of one, not from the start of the text.
tests/rules/test_engine_speed.py checks each alternation against its pattern on the fixtures and random text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["LEAD", "Alternatives"]

#: marks an alternative whose matches start with one of its literals: ``(literals, pattern, LEAD)``
LEAD = "lead"
#: characters that make a pattern more than a plain literal
_SPECIAL = frozenset("\\.^$*+?{}[]|()")

#: one alternative: (how its literals are tested, literals, compiled pattern or None for a plain literal, the
#: pattern text); the tests: plain literal, leading literal(s), any of the literals, no literal
_LITERAL, _LEAD_ONE, _LEAD_ANY, _NEED_ONE, _NEED_ANY, _ALWAYS = range(6)
_Part = tuple[int, tuple[str, ...], "re.Pattern[str] | None", str]


def _start(needs: tuple[str, ...], probe: str) -> int:
    """The first position in ``probe`` where one of ``needs`` occurs, or -1."""
    first = -1
    for n in needs:
        i = probe.find(n)
        if i != -1 and (first == -1 or i < first):
            first = i
    return first


class Alternatives:
    """A regex alternation, given as ``(literals, pattern)`` or ``(literals, pattern, LEAD)`` triples: ``pattern``
    is one top-level alternative, ``literals`` the strings one of which any match of it contains (empty: no
    such literal, always run), and ``LEAD`` says every match starts with one of them.

    ``flags`` apply to every alternative; with ``re.IGNORECASE`` the literals must be tested on lower-cased
    text, so it is not accepted. ``lower=True`` says the literals are lower case and stand for every spelling a
    case-sensitive alternative may match: they are tested on the lower-cased text, the ``probe`` the methods
    take (lower-cased on the spot when not given). A lead position found in the probe needs the probe to be as
    long as the text, which lower-casing keeps unless a character grows (then the search starts at 0).
    """

    __slots__ = ("_by_cost", "_parts", "_screen", "_subsets", "lower", "pattern")

    def __init__(self, *alternatives: tuple[tuple[str, ...], str] | tuple[tuple[str, ...], str, str],
                 flags: int = 0, lower: bool = False) -> None:
        if flags & re.IGNORECASE:
            raise ValueError("literals are matched case-sensitively")
        #: the literals are tested on the lower-cased text
        self.lower = lower
        #: the whole alternation, as written
        self.pattern: re.Pattern[str] = re.compile("|".join(a[1] for a in alternatives), flags)
        parts: list[_Part] = []
        for alternative in alternatives:
            needs, p = alternative[0], alternative[1]
            lead = len(alternative) > 2 and alternative[2] == LEAD  # type: ignore[misc]
            if lead and not needs:
                raise ValueError(f"a leading alternative needs its literals: {p!r}")
            if not flags and _SPECIAL.isdisjoint(p):
                parts.append((_LITERAL, (p,), None, p))
                continue
            how = (
                (_LEAD_ONE if len(needs) == 1 else _LEAD_ANY) if lead
                else _ALWAYS if not needs else _NEED_ONE if len(needs) == 1 else _NEED_ANY
            )
            parts.append((how, needs, re.compile(p, flags), p))
        self._parts = tuple(parts)
        #: every literal of every alternative, looked for first: a text holding none of them is answered without
        #: a look at the alternatives (None when one alternative needs no literal)
        self._screen = None if any(how == _ALWAYS for how, *_ in parts) else tuple(
            dict.fromkeys(n for _, needs, _, _ in parts for n in needs)
        )
        #: for :meth:`found`: plain literals first, then alternatives searched from a lead, then the rest
        self._by_cost = tuple(sorted(self._parts, key=lambda part: part[0]))
        self._subsets: dict[tuple[int, ...], re.Pattern[str]] = {}

    def found(self, text: str, probe: str | None = None) -> bool:
        """``pattern.search(text) is not None``, alternative by alternative."""
        if probe is None:
            probe = text.lower() if self.lower else text
        if self._screen is not None:
            for n in self._screen:
                if n in probe:
                    break
            else:
                return False
        aligned = len(probe) == len(text)
        for how, needs, rx, literal in self._by_cost:
            if how == _LITERAL:
                if literal in text:
                    return True
                continue
            if how == _LEAD_ONE and aligned:
                start = probe.find(needs[0])
                if start == -1:
                    continue
            elif how <= _LEAD_ANY and aligned:
                start = _start(needs, probe)
                if start == -1:
                    continue
            else:
                start = 0
                if how in (_NEED_ONE, _LEAD_ONE):
                    if needs[0] not in probe:
                        continue
                elif how != _ALWAYS:
                    for n in needs:
                        if n in probe:
                            break
                    else:
                        continue
            if rx.search(text, start) is not None:  # type: ignore[union-attr]
                return True
        return False

    def _possible(self, text: str, probe: str | None) -> tuple[re.Pattern[str] | None, int]:
        """The alternation of the alternatives that may match ``text`` (``None`` when none may), and the position
        no match of it starts before."""
        if probe is None:
            probe = text.lower() if self.lower else text
        if self._screen is not None:
            for n in self._screen:
                if n in probe:
                    break
            else:
                return None, 0
        keep = []
        start = len(text)
        aligned = len(probe) == len(text)
        for i, (how, needs, _, literal) in enumerate(self._parts):
            if how == _LITERAL:
                at = text.find(literal)
            elif how == _ALWAYS:
                at = 0
            else:
                at = _start(needs, probe)
                if at > 0 and not (aligned and how <= _LEAD_ANY):
                    at = 0
            if at == -1:
                continue
            keep.append(i)
            if at < start:
                start = at
        if not keep:
            return None, 0
        key = tuple(keep)
        if len(key) == len(self._parts):
            return self.pattern, start
        rx = self._subsets.get(key)
        if rx is None:
            rx = self._subsets[key] = re.compile("|".join(self._parts[i][3] for i in key), self.pattern.flags)
        return rx, start

    def search(self, text: str, probe: str | None = None) -> re.Match[str] | None:
        """The match ``pattern.search(text)`` finds (the same span and text; group numbers may differ)."""
        rx, start = self._possible(text, probe)
        return None if rx is None else rx.search(text, start)

    def finditer(self, text: str, probe: str | None = None) -> Iterator[re.Match[str]]:
        """The matches ``pattern.finditer(text)`` yields (the same spans and texts; group numbers may differ)."""
        rx, start = self._possible(text, probe)
        return iter(()) if rx is None else rx.finditer(text, start)
