"""What an inbound message asks for: opt out, help, opt back in, or nothing (CONSENT-OPTOUT-KEYWORDS).

Keywords match the *whole* message after normalization:

1. NFKC (fullwidth ``ＳＴＯＰ``, mathematical ``𝐒𝐓𝐎𝐏``, circled and other compatibility forms become ASCII);
2. a small confusables map for the letters the keywords use: Cyrillic and Greek letters that render like Latin
   ones (``ЅТОР`` with Cyrillic Dze, Te, O, Er; not ``СТОР``, which reads CTOP) and the digit zero in place of
   O, each mapped to the prototype Unicode TS #39 (``confusables.txt``) gives for it;
3. casefold; zero-width and format characters removed; everything that is not a letter or digit dropped, so
   ``Stop.``, ``  stop  ``, ``OPT-OUT``, ``opt out`` and ``STOP ALL`` all reduce to their keyword.

Anything else that reads as a revocation ("stop texting me", "please remove me", or an FCC per-se word inside a
longer message) is a *plain-language revocation*: it is honoured as an opt-out at once and flagged for review
(docs/decisions.md; 47 CFR 64.1200(a)(10): consent may be revoked by any reasonable means).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class Intent(enum.StrEnum):
    OPT_OUT = "opt_out"
    #: STOPALL: every campaign of the organization
    OPT_OUT_ALL = "opt_out_all"
    HELP = "help"
    #: START / UNSTOP after an opt-out
    RE_OPT_IN = "re_opt_in"
    #: one of the campaign's registered opt-in keywords
    OPT_IN = "opt_in"
    NONE = "none"


#: the union of tcr-rules.md §5.3 (CTIA, FCC per-se words, Twilio, Telnyx, AWS), compacted
OPT_OUT = frozenset({"stop", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "remove", "arret"})
OPT_OUT_ALL = frozenset({"stopall"})
HELP = frozenset({"help", "info"})
RE_OPT_IN = frozenset({"start", "unstop"})

#: Unicode TS #39 prototypes for look-alikes of the letters in the keywords (uppercase and lowercase forms)
CONFUSABLES = str.maketrans({
    # Cyrillic
    "А": "A", "а": "a", "В": "B", "С": "C", "с": "c", "Е": "E", "е": "e", "Н": "H", "І": "I", "і": "i",
    "Ј": "J", "ј": "j", "К": "K", "М": "M", "О": "O", "о": "o", "Р": "P", "р": "p", "Ѕ": "S", "ѕ": "s",
    "Т": "T", "Х": "X", "х": "x", "У": "Y", "у": "y", "Ԛ": "Q", "ԛ": "q", "ԁ": "d", "Ү": "Y", "һ": "h",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "ι": "i", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "ο": "o", "Ρ": "P", "ρ": "p", "Τ": "T", "Υ": "Y", "Χ": "X", "Ζ": "Z",
    # Latin variants NFKC keeps apart
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ʟ": "L", "ꜱ": "s", "ᴛ": "t", "ᴏ": "o", "ᴘ": "p",
    # the digit zero for the letter O (S T 0 P)
    "0": "o",
})

_PER_SE = re.compile(r"\b(?:stop|stopall|quit|end|revoke|opt ?out|cancel|unsubscribe|remove)\b")
_PHRASES = re.compile(
    r"\b(?:"
    r"(?:stop|quit|cease)\s+(?:texting|messaging|sending|contacting|txting|spamming|calling|it)"
    r"|(?:take|remove|delete|drop|get)\s+(?:me|my (?:number|phone|cell))\s+(?:off|from|out)"
    r"|remove\s+me|unsubscribe\s+me|opt\s+me\s+out|(?:lose|delete)\s+(?:this|my)\s+number"
    r"|(?:don'?t|do not|never)\s+(?:text|message|contact|txt|sms|call|send)"
    r"|no\s+more\s+(?:texts?|messages?|msgs?|sms)"
    r"|leave\s+me\s+alone|wrong\s+number|not\s+interested|i\s+want\s+out|go\s+away"
    r")\b")


@dataclass(frozen=True)
class Match:
    intent: Intent
    #: the message reduced to what was compared (for the record)
    normalized: str
    #: a plain-language revocation (not a keyword): honoured, then reviewed by a person
    plain_language: bool = False


def fold(text: str) -> str:
    """NFKC, confusables, casefold, format characters removed; spacing and punctuation kept."""
    value = unicodedata.normalize("NFKC", text or "").translate(CONFUSABLES)
    value = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cf", "Mn", "Me"))
    return unicodedata.normalize("NFKC", value).casefold()


def compact(text: str) -> str:
    """Only the letters and digits of :func:`fold` (what whole-message keywords are compared with)."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _words(folded: str) -> str:
    return " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)?", folded))


def classify(text: str, *, opt_in: frozenset[str] = frozenset(), opt_out: frozenset[str] = frozenset(),
             help_words: frozenset[str] = frozenset()) -> Match:
    """The intent of one inbound message. ``opt_in``/``opt_out``/``help_words`` add the campaign's registered
    keywords (``optinKeywords`` …, already compacted) to the defaults."""
    key = compact(text)
    if key in OPT_OUT_ALL:
        return Match(Intent.OPT_OUT_ALL, key)
    if key in OPT_OUT or key in opt_out:
        return Match(Intent.OPT_OUT, key)
    if key in HELP or key in help_words:
        return Match(Intent.HELP, key)
    if key in RE_OPT_IN:
        return Match(Intent.RE_OPT_IN, key)
    if key in opt_in:
        return Match(Intent.OPT_IN, key)
    words = _words(fold(text))
    if words and (_PHRASES.search(words) or _PER_SE.search(words)):
        return Match(Intent.OPT_OUT, words, plain_language=True)
    return Match(Intent.NONE, key)


def registered_keywords(value: str | None) -> frozenset[str]:
    """A campaign's comma-separated TCR keyword list, compacted like inbound text."""
    return frozenset(k for k in (compact(part) for part in (value or "").split(",")) if k)
