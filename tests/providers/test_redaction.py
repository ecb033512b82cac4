"""Secrets, tax ids and PINs never reach a CallRecord."""

from __future__ import annotations

import pytest

from registry.providers.redaction import REDACTED, is_sensitive, redact, redact_headers, redact_text
from registry.providers.simulator import Simulator

from .conftest import Harness
from .payloads import brand


@pytest.mark.parametrize(
    "key",
    [
        "ein",
        "EIN",
        "taxId",
        "tax_id",
        "universalEin",
        "otpPin",
        "pin",
        "password",
        "Authorization",
        "api_key",
        "apiKey",
        "X-Api-Key",
        "vettingToken",
        "client_secret",
        "token",
    ],
)
def test_sensitive_keys(key: str) -> None:
    assert is_sensitive(key)


@pytest.mark.parametrize("key", ["pinSms", "successSms", "email", "displayName", "phone", "brandId", "tokenize"])
def test_ordinary_keys(key: str) -> None:
    assert not is_sensitive(key)


def test_nested_values_are_redacted_and_the_input_is_untouched() -> None:
    body = {"ein": "120000001", "nested": [{"otpPin": "123456", "ok": 1}], "auth": "Bearer KEYabc.def"}
    out = redact(body)
    assert out == {"ein": REDACTED, "nested": [{"otpPin": REDACTED, "ok": 1}], "auth": f"Bearer {REDACTED}"}
    assert body["ein"] == "120000001"


def test_text_and_headers() -> None:
    text = '{"ein":"120000001","displayName":"x","otpPin": 123456} api_key=abc&x=1 Authorization: Bearer KEY123'
    out = redact_text(text)
    assert "120000001" not in out
    assert "123456" not in out
    assert "abc" not in out
    assert "KEY123" not in out
    assert '"displayName":"x"' in out
    assert "x=1" in out
    assert redact_headers({"Authorization": "Bearer k", "Accept": "json"}) == {
        "Authorization": REDACTED,
        "Accept": "json",
    }


def test_call_records_carry_no_secret(harness: Harness, sim: Simulator) -> None:
    record = harness.provider.create_brand(brand(), client_ref="r")
    sim.advance(minutes=2)
    harness.provider.get_brand(record.provider_id)
    dumped = repr(harness.calls)
    for secret in ("120000001", "12-0000001", sim.api_key):
        assert secret not in dumped
    create = harness.calls[0]
    assert (create.provider, create.account, create.method, create.path) == (
        "telnyx",
        "acct-1",
        "POST",
        "/10dlc/brand",
    )
    assert create.request_body["ein"] == REDACTED
    assert create.response_body["ein"] == REDACTED
    assert create.response_body["universalEin"] == REDACTED
    assert create.status == 200
    assert create.duration_ms >= 0
    assert create.started_at.tzinfo is not None


def test_a_broken_recorder_never_breaks_the_call(make_provider, sim: Simulator) -> None:  # type: ignore[no-untyped-def]
    def explode(_: object) -> None:
        raise RuntimeError("db down")

    h = make_provider(recorder=explode)
    assert h.provider.list_use_cases()
