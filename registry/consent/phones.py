"""Subscriber numbers to E.164, fast enough for a bulk import.

``registry.numbers.operations.normalize_number`` (``phonenumbers``: parse, is-valid, North American region)
decides. It costs ~50 µs a number, too slow for 100,000 rows a second, so numbers already written as NANP
E.164 (``+1NXXNXXXXXX``) take a shortcut: ``phonenumbers`` decides validity and region for the NANP from the
area code and exchange (the first six national digits) — every NANP pattern in its metadata continues with
``\\d{4}`` after them — so the answer for one number of an NPA-NXX is the answer for all of them and is cached
per prefix (at most 800 × 800 entries). ``tests/consent/test_phones.py`` checks the shortcut against the full
parse on numbers from every prefix it sees.
"""

from __future__ import annotations

import re

from registry.errors import UserValueError
from registry.numbers.operations import normalize_number

_NANP_E164 = re.compile(r"\+1[2-9]\d{2}[2-9]\d{6}")
_PREFIX_OK: dict[str, bool] = {}


def to_e164(raw: str) -> str:
    """``raw`` as E.164 (a valid US/Canadian/NANP-territory number); ``UserValueError`` (field ``phone``) if not."""
    text = raw.strip() if isinstance(raw, str) else ""
    if _NANP_E164.fullmatch(text):
        prefix = text[2:8]
        ok = _PREFIX_OK.get(prefix)
        if ok is None:
            try:
                normalize_number(text)
            except UserValueError:
                ok = False
            else:
                ok = True
            _PREFIX_OK[prefix] = ok
        if ok:
            return text
    if not text:
        raise UserValueError("Enter the subscriber's phone number.", field="phone")
    try:
        return normalize_number(text)
    except UserValueError as exc:
        raise UserValueError(exc.message, field="phone") from None
