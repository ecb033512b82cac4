"""Sample quality: real messages, not test or filler text, with bracketed variables and no personal data;
registration text in English (Twilio 30893; TCR ``SAMPLE_MESSAGE``)."""

from __future__ import annotations

import re

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import Doc, fact, wordlist, wordset
from ..text.patterns import LEAD, Alternatives
from .campaign_text import SAMPLE_FIELDS, campaign_text
from .campaign_words import tokens, word_group

_TEST_TEXT = re.compile(
    r" (?:lorem ipsum|this is (?:a |just a |only a )?test|te"
    r"st (?:message|msg|sms|text)|testing (?:message|msg|sms|"
    r"text|123|1 2 3|testing)|sample (?:message|msg|text) "
    r"(?:here|goes here)|(?:message|text|content) goes here"
    r"|insert (?:\w+ ){0,2}here|asdf\w*|qwerty|foo bar|hello world) "
)
_TRIVIAL = frozenset(
    {
        "test",
        "testing",
        "test test",
        "hello",
        "hi",
        "sample",
        "tbd",
        "todo",
        "n a",
        "na",
        "xxx",
        "message",
        "text",
        "sms",
    }
)
#: a variable written without brackets (literals looked for in the lower-cased text)
_UNBRACKETED = Alternatives(
    (("%",), r"%[A-Za-z_]{2,}%", LEAD),
    (("$",), r"\$\{?[A-Za-z_]{2,}\}?", LEAD),
    (("<",), r"<[A-Za-z_ ]{2,30}>", LEAD),
    (("_",), r"\b[A-Z]+_[A-Z_]+\b"),
    (("xxxx",), r"(?<![A-Za-z])[Xx]{4,}(?![A-Za-z])", LEAD),
    (("###",), r"#{3,}", LEAD),
    lower=True,
)
_TEST_WORDS = wordset("lorem test testing sample goes insert asdf qwerty foo hello")
#: a personal e-mail address (``name@gmail.com``), found from its ``@`` (a literal the regex engine jumps to):
#: one character of the address before it, the free-mail domain after
_FREEMAIL = re.compile(
    r"(?<=[\w.+-])@(?:gmail|yahoo|hotmail|outlook|aol|icloud|live|msn|proton(?:mail)?)\.\w+", re.IGNORECASE
)
#: a social security number (``123-45-6789`` as a whole token), found from its first dash
_SSN = re.compile(r"-(?<=\b\d{3}-)\d{2}-\d{4}\b")
_CARD = re.compile(r"\b\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}\b")


def _digits(raw: str) -> int:
    """How many ASCII digits ``raw`` holds."""
    return sum(map(raw.count, "0123456789"))


#: what may be wrong with one sample, from its text alone: (kind, detail)
_TEST, _EMPTY_PLACEHOLDER, _UNBRACKETED_VAR, _PERSONAL = "test", "empty", "unbracketed", "personal"


def _sample_problems(d: Doc) -> tuple[tuple[str, str], ...]:
    norm = d.norm
    if (len(norm) < 24 and norm.strip() in _TRIVIAL) or (
        not _TEST_WORDS.isdisjoint(tokens(d)) and _TEST_TEXT.search(norm)
    ):
        return ((_TEST, ""),)
    out = []
    if any(not name for _, name, _ in d.placeholder_parts):
        out.append((_EMPTY_PLACEHOLDER, ""))
    raw = d.raw
    m = _UNBRACKETED.search(raw, d.lower)
    if m:
        out.append((_UNBRACKETED_VAR, m.group(0)))
    if (
        ("@" in raw and _FREEMAIL.search(raw))
        or ("-" in raw and _SSN.search(raw))
        or (_digits(raw) >= 13 and _CARD.search(raw))
    ):
        out.append((_PERSONAL, ""))
    return tuple(out)


def _placeholder_finding(f: str, kind: str, detail: str) -> Finding:
    rule = "CAMPAIGN-SAMPLE-PLACEHOLDERS"
    if kind == _TEST:
        return finding(rule, f, f"{f} is test or filler text, not a real message.")
    if kind == _EMPTY_PLACEHOLDER:
        return finding(rule, f, f"{f} has an empty placeholder; name what goes there ([first name]).")
    if kind == _UNBRACKETED_VAR:
        return finding(
            rule,
            f,
            f"{f} has a variable that is not in brackets ({detail}); write it as [first name], [code]...",
            severity="warning",
        )
    return finding(
        rule,
        f,
        f"{f} seems to contain real personal data (a personal e-mail address, SSN or "
        "card number); use a placeholder.",
        severity="warning",
    )


def sample_placeholders(ctx: LintContext) -> list[Finding]:
    """Samples are real messages with bracketed variables and no personal data."""
    campaign = ctx.campaign
    out = []
    for f in SAMPLE_FIELDS:
        value = campaign.get(f)
        if isinstance(value, str) and value.isspace():
            out.append(finding("CAMPAIGN-SAMPLE-PLACEHOLDERS", f, f"{f} is empty."))
    for f, d in campaign_text(ctx).samples:
        problems = fact(d, _sample_problems)
        if problems:
            out.extend(_placeholder_finding(f, kind, detail) for kind, detail in problems)
    return out


def _clearly_foreign(d: Doc, english: frozenset[str], foreign: frozenset[str]) -> bool:
    """Mostly function words of another language, or mostly another script, with little English beside."""
    words = d.word_list  # norm.split()
    plain = d.raw.isascii()
    en = -1  # not counted yet
    if len(words) >= 5:
        fo = sum(map(foreign.__contains__, words))
        if fo >= 3:
            en = sum(map(english.__contains__, words))
            if fo >= 2 * en:
                return True
    if not plain:
        if en < 0:
            en = sum(map(english.__contains__, words))
        letters = [c for c in d.raw if c.isalpha()]
        other = sum(1 for c in letters if not ("a" <= c.lower() <= "z") and not ("\u00c0" <= c <= "\u024f"))
        return other >= 10 and other >= 0.4 * len(letters) and en < 5
    return False


def _foreign(d: Doc) -> bool:
    return _clearly_foreign(d, wordlist("english").singles, wordlist("foreign").singles)


_FOREIGN_GROUP = word_group("foreign", wordlist("foreign").singles)


def english(ctx: LintContext) -> list[Finding]:
    """Registration text is in English or carries an English translation."""
    ct = campaign_text(ctx)
    if not ct.has_group(_FOREIGN_GROUP) and ct.is_ascii():
        return []
    return [
        finding("CAMPAIGN-ENGLISH", f, f"{f} is not in English and has no English translation.")
        for f, d in ct.docs.items()
        if fact(d, _foreign)
    ]


@check("CAMPAIGN-SAMPLE-PLACEHOLDERS", "CAMPAIGN-ENGLISH", needs=CAMPAIGN)
def sample_quality(ctx: LintContext) -> list[Finding]:
    """The placeholder and English rules above, as one check."""
    return [*sample_placeholders(ctx), *english(ctx)]
