"""The engine's shortcuts keep every finding: state-gated checks are silent without their keys, parsed field
values are shared through a bounded cache, and answers memoised per text do not leak between payloads."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from registry.rules import lint
from registry.rules.engine import LintContext, discover
from registry.rules.text import FIELD_CACHE_SIZE, field_doc

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lint"
BASE = json.loads((FIXTURES / "_base.json").read_text())
TODAY = date(2026, 11, 27)


def _patched(base: dict, patch: dict | None) -> dict:
    result = copy.deepcopy(base)
    for key, value in (patch or {}).items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def _fixture_payloads():
    for path in sorted(FIXTURES.glob("*.json")):
        if path.name.startswith("_"):
            continue
        for case in json.loads(path.read_text())["cases"]:
            omit = set(case.get("omit", ()))
            brand = None if "brand" in omit else _patched(BASE["brand"], case.get("brand"))
            campaign = None if "campaign" in omit else _patched(BASE["campaign"], case.get("campaign"))
            today = date.fromisoformat(case["today"]) if "today" in case else TODAY
            yield brand, campaign, today, case.get("state") or {}


GATED = [chk for chk in discover() if chk.state is not None]


def test_the_state_scope_checks_declare_their_keys():
    assert len(GATED) >= 15


@pytest.mark.parametrize("chk", GATED, ids=lambda c: c.fn.__name__)
def test_a_gated_check_finds_nothing_without_its_state_keys(chk):
    """The plan leaves a check out when none of its ``state`` keys is given: prove that it would have been
    silent, on every fixture payload, with every other key of the fixture's state still present."""
    checked = 0
    for brand, campaign, today, state in _fixture_payloads():
        if brand is None and campaign is None:
            continue
        if (chk.needs == "brand" and brand is None) or (chk.needs == "campaign" and campaign is None):
            continue
        if chk.needs == "both" and (brand is None or campaign is None):
            continue
        rest = {k: v for k, v in state.items() if k not in chk.state}
        found = chk.fn(LintContext(brand, campaign, today, rest, {}))
        assert not list(found or ()), (chk.fn.__name__, rest)
        checked += 1
    assert checked


def test_gated_checks_still_run_when_their_state_is_given():
    report = lint(None, {**BASE["campaign"]}, today=TODAY, state={"number_count": 80})
    assert "NUMBER-POOL-THRESHOLD" in report.rules()
    assert "NUMBER-POOL-THRESHOLD" not in lint(None, {**BASE["campaign"]}, today=TODAY).rules()


def test_equal_field_values_share_one_parsed_text_and_the_cache_is_bounded():
    a = "Acme Dental: your cleaning is due. Reply STOP to opt out."
    b = "".join(list(a))  # an equal string, another object
    assert a is not b
    assert field_doc(a) is field_doc(b)
    assert field_doc.cache_info().maxsize == FIELD_CACHE_SIZE


def test_brand_dependent_answers_are_not_memoised_on_the_shared_text():
    campaign = {**BASE["campaign"], "sample2": BASE["campaign"]["sample1"].replace("Acme Dental", "Bright Smile")}
    acme = lint(BASE["brand"], campaign, today=TODAY)
    bright = lint({**BASE["brand"], "displayName": "Bright Smile", "companyName": "Bright Smile LLC",
                   "website": "https://www.brightsmile.com", "email": "support@brightsmile.com"}, campaign, today=TODAY)
    acme_fields = {f.field for f in acme.findings if f.rule == "CAMPAIGN-SAMPLE-BRAND-NAME"}
    bright_fields = {f.field for f in bright.findings if f.rule == "CAMPAIGN-SAMPLE-BRAND-NAME"}
    assert "sample2" in acme_fields and "sample1" not in acme_fields
    assert "sample1" in bright_fields and "sample2" not in bright_fields


def test_repeated_lints_of_one_payload_give_the_same_report():
    campaign = {**BASE["campaign"], "sample1": "Acme Dental: Casino night! Text 312-555-0142 or visit bit.ly/x"}
    first = lint(BASE["brand"], campaign, today=TODAY).to_dict()
    for _ in range(3):
        assert lint(BASE["brand"], copy.deepcopy(campaign), today=TODAY).to_dict() == first


def test_exclusion_phrases_count_over_the_whole_campaign_text():
    """'glue gun' in one sample neutralises one 'gun' of the campaign, not the 'gun show' in another."""
    campaign = {**BASE["campaign"],
                "sample1": "Acme Dental: bring a glue gun to craft night. Reply STOP to opt out.",
                "sample2": "Acme Dental: the gun show is on Friday. Reply STOP to opt out."}
    found = [f for f in lint(BASE["brand"], campaign, today=TODAY).findings if f.rule == "CAMPAIGN-AGE-GATE"]
    assert any(f.field == "ageGated" and "gun in sample2" in f.message for f in found)
    campaign["sample2"] = "Acme Dental: see you on Friday. Reply STOP to opt out."
    assert not [f for f in lint(BASE["brand"], campaign, today=TODAY).findings if f.rule == "CAMPAIGN-AGE-GATE"]


def test_a_word_joined_by_unusual_whitespace_is_not_a_whole_word():
    """Normalising keeps some whitespace (here a file separator) inside a token: no whole-word match there,
    although ``str.split`` would break the token."""
    campaign = {**BASE["campaign"], "sample2": "Acme Dental: Casino\x1cnight on Friday, Reply STOP to opt out."}
    assert "CONTENT-LEAD-GEN-GAMBLING" not in lint(BASE["brand"], campaign, today=TODAY).rules()
    campaign["sample2"] = "Acme Dental: Casino night on Friday, Reply STOP to opt out."
    assert "CONTENT-LEAD-GEN-GAMBLING" in lint(BASE["brand"], campaign, today=TODAY).rules()


def test_parsed_text_keeps_plain_tuples_and_hands_out_named_ones():
    from registry.rules.text import Doc, Placeholder, Url, find_placeholders, find_urls

    text = "Acme: hi [first name], book at https://acme.com/b or [link]; call (312) 555-0142."
    d = Doc(text)
    assert d.urls == find_urls(text) and all(isinstance(u, Url) for u in d.urls)
    assert d.url_parts == tuple(tuple(u) for u in d.urls)
    assert d.placeholders == find_placeholders(text) and all(isinstance(p, Placeholder) for p in d.placeholders)
    assert d.phones == ("3125550142",)
    assert d.words == frozenset(d.word_list) and d.tokens is d.word_list
    odd = Doc("casino\x1cnight")
    assert odd.words == {"casino", "night"} and not set(odd.tokens)


def test_a_gate_must_name_a_state_key():
    from registry.rules.engine import check

    with pytest.raises(ValueError, match="state= names no key"):
        check("CAMPAIGN-REFERENCEID", state=())


def _alternations():
    import importlib
    import pkgutil

    from registry.rules import checks
    from registry.rules.text.patterns import Alternatives

    discover()
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"{checks.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Alternatives):
                yield f"{info.name}.{name}", value


ALTERNATIONS = list(_alternations())


def _texts():
    """Fixture texts, their lower-cased forms, and random strings built from the words the patterns look for."""
    import random

    texts = set()
    for path in sorted(FIXTURES.glob("*.json")):
        for value in json.dumps(json.loads(path.read_text())).split('"'):
            if len(value) > 3:
                texts.add(value)
    words = [
        "reply", "text", "txt", "send", "stop", "STOP", "end", "opt out", "opt-out", "unsubscribe", "to", "per",
        "a", "day", "/month", "mo", "4 msgs", "up to 3", "one-time", "weekly", "varies", "frequency", "$5 off",
        "20% off", "save $5", "save 10%", "%NAME%", "${x}", "<first name>", "FIRST_NAME", "XXXX", "xxxxx",
        "####", "code is 1234", "your code", "otp", "passcode", "pin", "1234 is your", "shipped",
        "has been delivered", "out for delivery", "tracking number", "payment is due", "appointment confirmed",
        "reminder: your appointment", "your order", "password was reset", "no further", "unsubscribed",
        "opted out", "will not receive", "won't get", "has been removed", "removed from", "stopped",
        "not be sent", "date of birth", "birthdate", "dob", "age-gate", "verify your age", "share", "leads",
        "your information", "partners", "third-party", "sponsors", "sell", "numbers", "mobile", "shared",
        "pre-checked", "checked by default", "automatically opted in", "required", "must agree", "to complete",
        "condition of purchase", "consent is required", "required checkbox", "password", "credit card",
        "account is locked", "verify your account", "click now", "within 24 hours", "final notice",
        "unusual activity", "unpaid toll", "keyword", "Text JOIN to", "SMS", "\u201cSTOP\u201d", ".", ",",
        "\n", "\u00e9", "\u0130",
    ]
    rng = random.Random(11)
    for _ in range(4000):
        texts.add(" ".join(rng.choice(words) for _ in range(rng.randint(1, 10))))
    return sorted(texts | {t.lower() for t in texts})


@pytest.mark.parametrize("alternation", [a for _, a in ALTERNATIONS], ids=[n for n, _ in ALTERNATIONS])
def test_an_alternation_tested_piece_by_piece_answers_as_its_pattern(alternation):
    """Alternatives run only the alternatives whose literals occur (searching from a leading one): the
    answers must be the whole pattern's, with the lower-cased text as the probe or without one."""
    pattern = alternation.pattern
    for text in _texts():
        for probe in (None, text.lower()):
            whole = pattern.search(text)
            assert alternation.found(text, probe) == (whole is not None), (text, probe)
            part = alternation.search(text, probe)
            assert (part.span() if part else None) == (whole.span() if whole else None), (text, probe)
            spans = [m.span() for m in alternation.finditer(text, probe)]
            assert spans == [m.span() for m in pattern.finditer(text)], (text, probe)


def test_shared_answers_of_the_word_index_are_those_of_the_text():
    """Texts with the same candidate words and phrases share one answer of the word index; it must be what
    the text itself gives."""
    from registry.rules.checks import campaign_words
    from registry.rules.text import Doc

    texts = [
        "Acme Dental: Casino night on Friday! Reply STOP to opt out.",
        "Acme Dental: casino night on Friday. Reply STOP to opt out.",
        "Bring a glue gun to craft night, Reply STOP to opt out.",
        "Text JOIN for a free gift card, no purchase necessary.",
        "Get a payday loan today with our mobile app.",
        "Casino\x1cnight on Friday",
    ]
    index = campaign_words._index()
    for text in texts:
        shared = Doc(text)
        names = campaign_words.field_names(shared)
        direct = Doc(text)
        hit = index.words.intersection(direct.word_list)
        assert campaign_words._analysed(direct, index, hit) == names if hit else names == ()
        assert direct.facts.get(campaign_words._MATCHES, ()) == shared.facts[campaign_words._MATCHES]
