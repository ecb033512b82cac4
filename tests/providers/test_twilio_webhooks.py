"""X-Twilio-Signature (form and bodySHA256 variants, ports, tampering, wrong token, missing header), Event
Streams parsing, and the Twilio error envelope -> ProviderError mapping."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from registry.providers.base import EventEntity, Lifecycle, ProviderError, ProviderErrorKind
from registry.providers.simulator.twilio.cloudevents import url_signature, with_body_hash
from registry.providers.twilio import TwilioProvider
from registry.providers.twilio_errors import RULE_CODES, twilio_error
from registry.providers.twilio_signature import twilio_signature
from registry.rules import CATALOG

TOKEN = "12345678901234567890123456789012"
BODY = json.dumps(
    [
        {
            "specversion": "1.0",
            "type": "com.twilio.messaging.compliance.campaign-registration.campaign-failure",
            "source": "/v1/Services/MG1/Compliance/Usa2p/QE1",
            "id": "EZ42",
            "time": "2026-03-09T10:00:00Z",
            "datacontenttype": "application/json",
            "data": {
                "brandsid": "BN1",
                "campaignsid": "QE1",
                "messagingservicesid": "MG1",
                "externalcampaignid": "C4R8TQX",
                "campaignregistrationstatus": "failure",
                "errorcode": 30893,
            },
        },
        {
            "specversion": "1.0",
            "type": "com.twilio.messaging.compliance.number-registration.failed",
            "id": "EZ43",
            "time": "2026-03-09T10:05:00Z",
            "data": {"phonenumber": "+15035550111", "numberregistrationstatus": "failed"},
        },
        {"specversion": "1.0", "type": "com.twilio.voice.something", "id": "EZ44", "data": {}},
    ]
).encode()


def provider(token: str = TOKEN) -> TwilioProvider:
    return TwilioProvider("AC" + "0" * 32, token, base_url="http://127.0.0.1:9/twilio/{service}")


def signed(url: str, body: bytes = BODY, token: str = TOKEN) -> tuple[str, dict[str, str]]:
    full = with_body_hash(url, body)
    return full, {"X-Twilio-Signature": url_signature(full, token), "Content-Type": "application/json"}


def test_body_sha256_signature_verifies_with_and_without_the_default_port() -> None:
    p = provider()
    url, headers = signed("https://app.example/webhooks/twilio/a")
    assert p.verify_webhook(url, headers, BODY)
    assert p.verify_webhook(url.replace("app.example/", "app.example:443/"), headers, BODY)
    p.close()


def test_tampered_body_wrong_token_and_missing_header_fail() -> None:
    p = provider()
    url, headers = signed("https://app.example/webhooks/twilio/a")
    assert not p.verify_webhook(url, headers, BODY.replace(b"C4R8TQX", b"C000000"))
    assert not provider("another-token").verify_webhook(url, headers, BODY)
    assert not p.verify_webhook(url, {}, BODY)
    assert not p.verify_webhook(url.split("?")[0], headers, BODY)  # the bodySHA256 parameter was stripped
    p.close()


def test_form_variant_signs_url_and_sorted_params() -> None:
    p = provider()
    params = {"Status": "twilio-approved", "BundleSid": "BU1"}
    url = "https://app.example/webhooks/twilio/trusthub"
    sig = twilio_signature(url, {k: [v] for k, v in params.items()}, TOKEN)
    body = urlencode(params).encode()
    assert p.verify_webhook(url, {"x-twilio-signature": sig}, body)
    assert not p.verify_webhook(url, {"x-twilio-signature": sig}, urlencode({**params, "Status": "draft"}).encode())
    p.close()


def test_event_streams_array_parses_into_normalized_events() -> None:
    p = provider()
    campaign, number = p.parse_webhook({}, BODY)
    assert (campaign.entity, campaign.provider_id, campaign.registry_id) == (EventEntity.CAMPAIGN, "MG1/QE1", "C4R8TQX")
    assert (campaign.lifecycle, campaign.dedupe_key, campaign.description) == (
        Lifecycle.REJECTED,
        "twilio:EZ42",
        "30893",
    )
    assert campaign.occurred_at is not None and campaign.occurred_at.isoformat() == "2026-03-09T10:00:00+00:00"
    assert (number.entity, number.provider_id, number.lifecycle) == (
        EventEntity.NUMBER,
        "+15035550111",
        Lifecycle.FAILED,
    )
    with pytest.raises(ProviderError) as bad:
        p.parse_webhook({}, b'{"not": "events"}')
    assert bad.value.kind is ProviderErrorKind.MALFORMED
    p.close()


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (401, 20003, ProviderErrorKind.AUTH),
        (404, 20404, ProviderErrorKind.NOT_FOUND),
        (429, 20429, ProviderErrorKind.RATE_LIMITED),
        (400, 21717, ProviderErrorKind.PRECONDITION),
        (400, 30991, ProviderErrorKind.PRECONDITION),
        (400, 30994, ProviderErrorKind.PRECONDITION),
        (409, 21712, ProviderErrorKind.CONFLICT),
        (400, 20001, ProviderErrorKind.VALIDATION),
        (503, 20503, ProviderErrorKind.TRANSIENT),
    ],
)
def test_error_envelope_maps_codes_to_kinds(status: int, code: int, kind: ProviderErrorKind) -> None:
    body = {"code": code, "message": "x", "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
    error = twilio_error(status, body, json.dumps(body), {})
    assert (error.kind, error.provider_code, error.status) == (kind, str(code), status)


def test_missing_parameter_names_the_tcr_field() -> None:
    body = {"code": 20001, "message": "Missing required parameter MessageFlow in the post body", "status": 400}
    error = twilio_error(400, body, "", {})
    assert error.fields == ("messageFlow",)
    assert twilio_error(502, None, "<html>bad gateway</html>", {}).kind is ProviderErrorKind.TRANSIENT


def test_rule_codes_name_rules_that_exist() -> None:
    assert RULE_CODES["30893"] == "CAMPAIGN-SAMPLE-USECASE-MATCH"
    assert set(RULE_CODES.values()) <= set(CATALOG)
    assert all(code.startswith("30") for code in RULE_CODES)
