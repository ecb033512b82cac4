"""Wording patterns the campaign checks look for in a text field: message frequency, 'Msg & data rates',
opt-out and HELP instructions, keyword opt-in, sharing of data and its negation (no checks here).

Each ``states_*``/``says_*`` test reads one parsed field only, so callers memoise it per distinct string with
:func:`registry.rules.text.fact`.
"""

from __future__ import annotations

import re

from ..text import Doc, wordset
from ..text.patterns import LEAD, Alternatives

#: message frequency: "Msg frequency varies", "up to 4 msgs/month", "recurring", "weekly", "one-time"
_FREQUENCY = Alternatives(
    ((), r"frequen"),
    ((), r"recurring"),
    (("var",), r"\bvar(?:ies|y)\b", LEAD),
    (("day", "week", "year", "wk", "mo"), r"\b(?:per|a|each|every|/)\s?(?:day|week|month|year|wk|mo)\b"),
    (("daily", "weekly", "monthly", "yearly", "annually"), r"\b(?:daily|weekly|monthly|yearly|annually)\b", LEAD),
    (("one",), r"\bone[- ]?time\b", LEAD),
    (("msg", "message", "text", "alert", "sms"), r"\b\d+\s*(?:msgs?|messages?|texts?|alerts?|sms)\b"),
    (("up",), r"\bup ?to\s+\d+", LEAD),
)
FREQUENCY = _FREQUENCY.pattern
#: "Msg & data rates may apply" and its variants
RATES = re.compile(
    r"(?:msg|message|messaging|text|sms)s?\s*(?:&|and|\+|&amp;)\s*data\s*rates?"
    r"|data\s+rates\s+(?:may|will)\s+apply|standard\s+(?:msg|message|messaging|text|sms)\s+(?:and\s+data\s+)?rates"
)
#: an opt-out instruction in a sample: "Reply STOP to opt out", "Text END to unsubscribe", "opt out"
_OPTOUT_INSTRUCTION = Alternatives(
    (("stop", "end", "cancel", "unsubscribe", "quit"),
     r"\b(?:reply|text|txt|send|respond)(?:\s+with)?\s+['\"\u201c]?(?:stop|end|cancel|unsubscribe|quit|stopall)\b"),
    (("stop",), r"\bstop\s+to\s+(?:opt|unsub|cancel|end|quit|stop)", LEAD),
    (("opt",), r"\bopt[- ]?out\b", LEAD),
    (("unsubscribe",), r"\bunsubscribe\b", LEAD),
    (("stop",), r"\bto\s+stop\b"),
)
OPTOUT_INSTRUCTION = _OPTOUT_INSTRUCTION.pattern
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: where :data:`EMAIL` can match: an ``@`` after a character it allows before, and a domain after (searched from
#: the ``@``, not from every position)
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@[\w-]+(?:\.[\w-]+)+")
#: keyword opt-in described in a message flow: "text JOIN to 12345", "texting JOIN" (its literals looked for in
#: the lower-cased text: they stand for every spelling the case-sensitive pattern allows)
_KEYWORD_OPTIN = Alternatives(
    (("text", "txt", "reply", "send", "sms"),
     r"\b(?:[Tt]ext|TEXT|[Tt]exting|[Tt]xt|[Rr]eply|[Ss]end|SMS)(?:ing)?\s+(?:the\s+(?:word|keyword)\s+)?"
     r"['\"\u201c]?[A-Z0-9]{2,}['\"\u201d]?\s+to\b", LEAD),
    (("keyword",), r"\bkeyword\b", LEAD),
    lower=True,
)
KEYWORD_OPTIN = _KEYWORD_OPTIN.pattern


def has_email(raw: str) -> bool:
    """``EMAIL.search(raw) is not None``."""
    return "@" in raw and _EMAIL_AT.search(raw) is not None


def says_keyword_optin(d: Doc) -> bool:
    """``KEYWORD_OPTIN.search(d.raw) is not None``."""
    return _KEYWORD_OPTIN.found(d.raw, d.lower)


_FREQUENCY_WORDS = tuple(
    f" {w} "
    for w in ["frequency", "recurring", "varies", "vary", "daily", "weekly", "monthly", "yearly", "annually"]
)
_OPTOUT_WORDS = tuple(f" {w} " for w in ["end", "cancel", "unsubscribe", "quit", "stopall", "opt", "optout"])


def states_frequency(d: Doc) -> bool:
    """The text states a message frequency."""
    norm = d.norm
    return any(w in norm for w in _FREQUENCY_WORDS) or _FREQUENCY.found(d.lower)


def states_rates(d: Doc) -> bool:
    """The text says 'Msg & data rates may apply' (or a variant)."""
    norm = d.norm
    return " data rate" in norm or (" rates " in norm and bool(RATES.search(d.lower)))


def says_stop(d: Doc) -> bool:
    """The text says how to opt out (STOP, 'opt out', 'unsubscribe'...)."""
    norm = d.norm
    return " stop " in norm or (
        any(w in norm for w in _OPTOUT_WORDS) and _OPTOUT_INSTRUCTION.found(d.lower)
    )


def says_help(d: Doc) -> bool:
    """The text names the HELP keyword."""
    return " help " in d.norm


def has_optout_instruction(d: Doc) -> bool:
    """The text carries an opt-out instruction (:data:`OPTOUT_INSTRUCTION`)."""
    return _OPTOUT_INSTRUCTION.found(d.lower)


#: words a sentence about sharing data needs (a cheap test before the sharing patterns)
SHARE_WORDS = wordset(
    "share shares shared sharing sell sells sold selling rent rented renting disclose discloses "
    "disclosed transfer transferred trade traded"
)
_NEGATION = re.compile(r"\b(?:not|never|no|nor|without)\b|n't\b")


def negated(lower: str, start: int) -> bool:
    """True when the sentence holding ``lower[start]`` negates it before that point ('we do not share...')."""
    sentence = max(lower.rfind(". ", 0, start), lower.rfind("\n", 0, start), lower.rfind("; ", 0, start)) + 1
    return bool(_NEGATION.search(lower, sentence, start))


def unnegated(pattern: re.Pattern[str] | Alternatives, lower: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``lower`` that its sentence does not negate."""
    for m in pattern.finditer(lower):
        if not negated(lower, m.start() + 1):
            return m
    return None
