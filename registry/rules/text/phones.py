"""Phone numbers in message text, recognised by their NANP shape."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["find_phones", "phones_at"]

_PHONE = re.compile(
    r"(?:\+\s?1[\s.-]?|\b1[\s.-])?(?:\(\s?[2-9]\d{2}\s?\)\s?|[2-9]\d{2}[\s.-]?)[2-9]\d{2}[\s.-]?\d{4}"
    r"|\b[2-9]\d{2}[.-]\d{4}\b"
)
#: words that make a bare digit run an identifier, not a phone ("order 3125550142", "ref #...")
_ID_WORDS = re.compile(
    r"(?:order|tracking|track|confirmation|conf|ref|reference|invoice|inv|account|acct|case|ticket|claim|"
    r"policy|member|id|no|nr|receipt|transaction|booking|reservation|item|sku|serial|code|pin|#)\W{0,3}$",
    re.IGNORECASE,
)
_DIGITS = str.maketrans("", "", " .-()+\u00a0")


def _three_digits(runs: Sequence[tuple[int, int]], at: int) -> int:
    """The first position ``>= at`` where three ASCII digits start, or -1 (``runs``: the maximal runs of
    three or more ASCII digits as ``(start, end)``, ascending)."""
    for start, end in runs:
        p = start if start > at else at
        if end - p >= 3:
            return p
    return -1


def _run_end(runs: Sequence[tuple[int, int]], i: int) -> int:
    for start, end in runs:
        if start <= i < end:
            return end
    return i + 3


def phones_at(text: str, runs: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """The phone numbers of ``text`` given its runs of three or more ASCII digits (from one
    :func:`.scan.scan` pass); see :func:`find_phones`."""
    if not runs:
        return ()
    digits = 0
    for d in "0123456789":
        digits += text.count(d)
        if digits >= 7:
            break
    else:
        return ()
    found: list[str] = []
    n = len(text)
    i = _three_digits(runs, 0)
    while i != -1:
        m = _PHONE.search(text, max(0, i - 5), i + 24)
        if m is None or m.start() > i + 1:
            i = _three_digits(runs, _run_end(runs, i))
            continue
        start, end = m.span()
        i = _three_digits(runs, end)
        before = text[start - 1] if start else " "
        after = text[end] if end < n else " "
        if before.isalnum() or before in "+-/#$_@" or after.isalnum() or after in "-/_@%":
            continue
        if after == "." and end + 1 < n and text[end + 1].isdigit():
            continue  # a decimal number
        raw = m.group(0)
        value = raw.translate(_DIGITS)
        if len(value) == 11 and value[0] == "1":
            value = value[1:]
        if raw.isdigit() and _ID_WORDS.search(text, max(0, start - 16), start):
            continue
        found.append(value)
    return tuple(found)


def find_phones(text: str) -> tuple[str, ...]:
    """Phone numbers in ``text`` recognised by their NANP shape, with or without punctuation
    (``(312) 555-0142``, ``+1 312 555 0142``, ``312.555.0142``, ``3125550142``, ``555-0142``).

    Returned as digits (10 for a full number, 7 for a local one; a leading country code 1 is dropped). Digit
    runs inside alphanumeric tokens (``1Z999AA10123456784``) and bare runs labelled as an order, tracking or
    reference number are not phones. ``phonenumbers.PhoneNumberMatcher`` is not used: it validates numbers
    against the numbering plan (reviewers read shapes, not carrier data) and is several times slower.
    """
    from .scan import scan

    return scan(text).phones
