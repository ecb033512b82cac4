"""Every keyword path: case, padding, punctuation, Unicode look-alikes, STOPALL, OPT OUT, plain language."""

from __future__ import annotations

import pytest

from registry.consent.keywords import Intent, classify, registered_keywords


@pytest.mark.parametrize("text", [
    "STOP", "stop", "Stop", "  stop  ", "\tSTOP\n", "stop.", "STOP!!!", "Stop 🛑",
    "UNSUBSCRIBE", "cancel", "End", "quit", "REVOKE", "optout", "OPT OUT", "opt-out", "Opt Out", "remove",
    "ＳＴＯＰ",            # fullwidth (NFKC)
    "𝐒𝐓𝐎𝐏",              # mathematical bold (NFKC)
    "ОРТ ОUТ",           # Cyrillic О Р Т with Latin U
    "ЅТОР",              # Cyrillic Dze for S
    "stоp",              # Cyrillic о inside Latin
    "ΤΟΡ".join(["S", ""]),  # Greek Tau Omicron Rho after a Latin S
    "ST0P",              # digit zero for O
    "S\u200bTOP",        # zero-width space inside
    "s t o p",
])
def test_opt_out_keywords(text):
    match = classify(text)
    assert match.intent is Intent.OPT_OUT and not match.plain_language, text


@pytest.mark.parametrize("text", ["STOPALL", "stop all", "Stop All!", "ＳＴＯＰＡＬＬ"])
def test_stop_all(text):
    assert classify(text).intent is Intent.OPT_OUT_ALL


@pytest.mark.parametrize(("text", "intent"), [
    ("HELP", Intent.HELP), (" help ", Intent.HELP), ("Info", Intent.HELP), ("ΗΕLP", Intent.HELP),
    ("START", Intent.RE_OPT_IN), ("unstop", Intent.RE_OPT_IN), ("Start.", Intent.RE_OPT_IN),
])
def test_help_and_start(text, intent):
    assert classify(text).intent is intent


@pytest.mark.parametrize("text", [
    "stop texting me", "Please remove me from this list", "please stop", "Don't text me again",
    "no more messages please", "take me off your list", "unsubscribe me", "I want to opt out",
    "wrong number", "leave me alone", "STOP SENDING ME THESE", "Can you cancel these texts?",
])
def test_plain_language_revocations_are_honoured_and_flagged(text):
    match = classify(text)
    assert match.intent is Intent.OPT_OUT and match.plain_language, text


@pytest.mark.parametrize("text", ["Yes, see you Tuesday", "thanks!", "What time is my appointment?", "", "   ",
                                  "Stopwatch", "Yes"])
def test_ordinary_messages_do_nothing(text):
    assert classify(text).intent is Intent.NONE


def test_registered_keywords_extend_the_defaults():
    kw = {"opt_in": registered_keywords("JOIN, Yes"), "opt_out": registered_keywords("ARRET,BASTA"),
          "help_words": registered_keywords("SUPPORT")}
    assert classify("join", **kw).intent is Intent.OPT_IN
    assert classify("yes", **kw).intent is Intent.OPT_IN
    assert classify("Basta", **kw).intent is Intent.OPT_OUT
    assert classify("support", **kw).intent is Intent.HELP
    assert classify("stop", **kw).intent is Intent.OPT_OUT  # the defaults always apply
