"""Wording patterns the campaign checks look for in a text field: message frequency, 'Msg & data rates',
opt-out and HELP instructions, keyword opt-in, sharing of data and its negation (no checks here).

Each ``states_*``/``says_*`` test reads one parsed field only, so callers memoise it per distinct string with
:func:`registry.rules.text.fact`.
"""

from __future__ import annotations

import re

from ..text import Doc, wordset

#: message frequency: "Msg frequency varies", "up to 4 msgs/month", "recurring", "weekly", "one-time"
FREQUENCY = re.compile(
    r"frequen|recurring|\bvar(?:ies|y)\b|\b(?:per|a|each|every|/)\s?(?:day|week|month|year|wk|mo)\b"
    r"|\b(?:daily|weekly|monthly|yearly|annually)\b|\bone[- ]?time\b"
    r"|\b\d+\s*(?:msgs?|messages?|texts?|alerts?|sms)\b|\bup ?to\s+\d+"
)
#: "Msg & data rates may apply" and its variants
RATES = re.compile(
    r"(?:msg|message|messaging|text|sms)s?\s*(?:&|and|\+|&amp;)\s*data\s*rates?"
    r"|data\s+rates\s+(?:may|will)\s+apply|standard\s+(?:msg|message|messaging|text|sms)\s+(?:and\s+data\s+)?rates"
)
#: an opt-out instruction in a sample: "Reply STOP to opt out", "Text END to unsubscribe", "opt out"
OPTOUT_INSTRUCTION = re.compile(
    r"\b(?:reply|text|txt|send|respond)(?:\s+with)?\s+['\"\u201c]?(?:stop|end|cancel|unsubscribe|quit|stopall)\b"
    r"|\bstop\s+to\s+(?:opt|unsub|cancel|end|quit|stop)|\bopt[- ]?out\b|\bunsubscribe\b|\bto\s+stop\b"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: keyword opt-in described in a message flow: "text JOIN to 12345", "texting JOIN"
KEYWORD_OPTIN = re.compile(
    r"\b(?:[Tt]ext|TEXT|[Tt]exting|[Tt]xt|[Rr]eply|[Ss]end|SMS)(?:ing)?\s+(?:the\s+(?:word|keyword)\s+)?"
    r"['\"\u201c]?[A-Z0-9]{2,}['\"\u201d]?\s+to\b|\bkeyword\b"
)

_FREQUENCY_WORDS = tuple(
    f" {w} "
    for w in ["frequency", "recurring", "varies", "vary", "daily", "weekly", "monthly", "yearly", "annually"]
)
_OPTOUT_WORDS = tuple(f" {w} " for w in ["end", "cancel", "unsubscribe", "quit", "stopall", "opt", "optout"])


def states_frequency(d: Doc) -> bool:
    """The text states a message frequency."""
    norm = d.norm
    return any(w in norm for w in _FREQUENCY_WORDS) or bool(FREQUENCY.search(d.lower))


def states_rates(d: Doc) -> bool:
    """The text says 'Msg & data rates may apply' (or a variant)."""
    norm = d.norm
    return " data rate" in norm or (" rates " in norm and bool(RATES.search(d.lower)))


def says_stop(d: Doc) -> bool:
    """The text says how to opt out (STOP, 'opt out', 'unsubscribe'...)."""
    norm = d.norm
    return " stop " in norm or (
        any(w in norm for w in _OPTOUT_WORDS) and bool(OPTOUT_INSTRUCTION.search(d.lower))
    )


def says_help(d: Doc) -> bool:
    """The text names the HELP keyword."""
    return " help " in d.norm


def has_optout_instruction(d: Doc) -> bool:
    """The text carries an opt-out instruction (:data:`OPTOUT_INSTRUCTION`)."""
    return OPTOUT_INSTRUCTION.search(d.lower) is not None


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


def unnegated(pattern: re.Pattern[str], lower: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``lower`` that its sentence does not negate."""
    for m in pattern.finditer(lower):
        if not negated(lower, m.start() + 1):
            return m
    return None
