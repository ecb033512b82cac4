"""The simulator speaks Telnyx's wire format and obeys its control API (raw HTTP, no adapter)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from registry.providers.simulator import Simulator, run_simulator
from registry.providers.simulator.cli import simulator as simulator_cli
from registry.providers.simulator.scenarios import parse

from .conftest import START
from .payloads import SOLE_PROPRIETOR, brand, campaign


class Api:
    """A thin raw client."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {sim.api_key}"

    def __call__(self, method: str, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.session.request(method, self.sim.url + path, json=body, timeout=5, **kw)


@pytest.fixture
def api(sim: Simulator) -> Iterator[Api]:
    client = Api(sim)
    yield client
    client.session.close()


def codes(resp: requests.Response) -> list[tuple[str, str | None]]:
    return [(e["code"], e.get("source", {}).get("pointer")) for e in resp.json()["errors"]]


def ready_brand(api: Api, **changes: Any) -> str:
    body = {k: v for k, v in brand(**changes).items() if k not in ("einIssuingCountry", "brandRelationship")}
    body["ein"] = "120000001"
    brand_id = api("POST", "/v2/10dlc/brand", body).json()["brandId"]
    api.sim.advance(minutes=2)
    return brand_id


def test_requests_without_a_bearer_key_get_401_in_the_telnyx_envelope(sim: Simulator) -> None:
    with requests.Session() as s:
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {sim.api_key}"}):
            resp = s.get(sim.url + "/v2/10dlc/brand", headers=headers, timeout=5)
            assert resp.status_code == 401
            assert resp.json()["errors"][0]["code"] == "10009"


def test_brand_list_shape_filters_and_paging(api: Api) -> None:
    for name in ("Alpha Dental", "Beta Dental", "Gamma Vets"):
        ready_brand(api, displayName=name)
    listed = api("GET", "/v2/10dlc/brand", params={"recordsPerPage": 2}).json()
    assert set(listed) == {"records", "page", "totalRecords"}
    assert listed["totalRecords"] == 3
    assert [r["displayName"] for r in listed["records"]] == ["Gamma Vets", "Beta Dental"]  # -createdAt
    row = listed["records"][0]
    assert "assignedCampaingsCount" in row
    assert "ein" not in row
    page2 = api("GET", "/v2/10dlc/brand", params={"recordsPerPage": 2, "page": 2}).json()
    assert [r["displayName"] for r in page2["records"]] == ["Alpha Dental"]
    dental = api("GET", "/v2/10dlc/brand", params={"displayName": "dental", "sort": "displayName"}).json()
    assert [r["displayName"] for r in dental["records"]] == ["Alpha Dental", "Beta Dental"]
    assert api("GET", "/v2/10dlc/brand", params={"recordsPerPage": 501}).status_code == 422
    assert api("GET", "/v2/10dlc/brand", params={"sort": "ein"}).status_code == 422


def test_brand_validation_reports_every_field_at_once(api: Api) -> None:
    resp = api(
        "POST",
        "/v2/10dlc/brand",
        {
            "entityType": "PUBLIC_PROFIT",
            "displayName": "X",
            "country": "US",
            "email": "not-an-email",
            "vertical": "SPACE",
            "ein": "12-3",
        },
    )
    assert resp.status_code == 422
    got = codes(resp)
    for pointer in (
        "/companyName",
        "/stockSymbol",
        "/stockExchange",
        "/businessContactEmail",
        "/vertical",
        "/ein",
        "/email",
    ):
        assert pointer in [p for _, p in got], pointer
    sole = dict(SOLE_PROPRIETOR, mobilePhone="555-0177")
    assert ("10016", "/mobilePhone") in codes(api("POST", "/v2/10dlc/brand", sole))
    assert (
        api("POST", "/v2/10dlc/brand", data=b"{not json", headers={"Content-Type": "application/json"}).json()[
            "errors"
        ][0]["code"]
        == "10015"
    )


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"description": "Too short."}, "/description"),
        ({"messageFlow": None}, "/messageFlow"),
        ({"sample1": "short"}, "/sample1"),
        ({"sample2": None}, "/sample1"),  # ACCOUNT_NOTIFICATION needs 2 samples
        ({"helpMessage": "Help"}, "/helpMessage"),
        ({"optoutMessage": None}, "/optoutMessage"),
        ({"optinMessage": "Hi"}, "/optinMessage"),
        ({"optoutKeywords": "STOP, END"}, "/optoutKeywords"),
        ({"usecase": "MIXED", "subUsecases": ["MARKETING"]}, "/subUsecases"),
        ({"usecase": "NOPE"}, "/usecase"),
        ({"referenceId": "x" * 51}, "/referenceId"),
        ({"brandId": "no-such-brand"}, "/brandId"),
    ],
)
def test_campaign_validation(api: Api, changes: dict[str, Any], pointer: str) -> None:
    brand_id = ready_brand(api)
    body = {"brandId": brand_id, **campaign(**changes)}
    body = {k: v for k, v in body.items() if v is not None}
    resp = api("POST", "/v2/10dlc/campaignBuilder", body)
    assert resp.status_code == 422
    assert pointer in [p for _, p in codes(resp)]


def test_campaign_preconditions_and_duplicates(api: Api) -> None:
    pending = api(
        "POST",
        "/v2/10dlc/brand",
        {**{k: v for k, v in brand().items() if k != "einIssuingCountry"}, "ein": "120000001"},
    ).json()["brandId"]
    resp = api("POST", "/v2/10dlc/campaignBuilder", {"brandId": pending, **campaign()})
    assert (resp.status_code, codes(resp)[0][0]) == (400, "527")
    unverified = ready_brand(api, displayName="U [sim:unverified]")
    assert codes(api("POST", "/v2/10dlc/campaignBuilder", {"brandId": unverified, **campaign()}))[0][0] == "527"
    good = ready_brand(api)
    first = api("POST", "/v2/10dlc/campaignBuilder", {"brandId": good, "referenceId": "r-1", **campaign()})
    assert first.status_code == 200
    assert first.json()["campaignStatus"] == "TCR_PENDING"
    again = api("POST", "/v2/10dlc/campaignBuilder", {"brandId": good, "referenceId": "r-1", **campaign()})
    assert (again.status_code, codes(again)) == (400, [("10012", "/referenceId")])
    typo = api(
        "POST",
        "/v2/10dlc/campaignBuilder",
        {"brandId": good, **campaign(description=campaign()["description"] + " [sim:rejekt:att]")},
    )
    assert typo.status_code == 422
    assert "unknown simulator marker" in typo.text


def test_enums_and_routing_errors(api: Api) -> None:
    usecases = api("GET", "/v2/10dlc/enum/usecase").json()
    assert usecases["MIXED"]["minSubUsecases"] == 2
    assert "classification" in usecases["2FA"]
    assert "HEALTHCARE" in api("GET", "/v2/10dlc/enum/vertical").json()
    assert api("GET", "/v2/10dlc/enum/nothing").status_code == 404
    missing = api("GET", "/v2/10dlc/nowhere")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "10005"
    assert api("PATCH", "/v2/10dlc/brand").status_code == 405
    assert api("GET", "/v2/10dlc/campaign").status_code == 422  # brandId is required


def test_control_api_over_http(api: Api) -> None:
    sim = api.sim
    brand_id = api(
        "POST",
        "/v2/10dlc/brand",
        {**{k: v for k, v in brand().items() if k != "einIssuingCountry"}, "ein": "120000001"},
    ).json()["brandId"]
    clock = api("GET", "/_sim/clock").json()
    assert clock["now"] == "2026-03-02T17:00:00.000Z"
    assert clock["pending"][0]["label"].startswith("score brand")
    assert api("POST", "/_sim/advance", {"minutes": 2}).json()["transitions"] == 1
    assert sim.now == START.replace(minute=2)
    assert api("GET", f"/v2/10dlc/brand/{brand_id}").json()["identityStatus"] == "VERIFIED"
    assert api("POST", "/_sim/advance", {"seconds": -1}).status_code == 400
    assert api("GET", "/_sim/ledger").json() == {
        "records": [{"at": "2026-03-02T17:00:00.000Z", "kind": "brand_registration", "amount": 4.0, "ref": brand_id}],
        "total": 4.0,
    }

    assert api("POST", "/_sim/faults", {"kind": "status", "status": 503, "path": "/v2/10dlc/enum/*"}).status_code == 201
    assert api("GET", "/v2/10dlc/enum/usecase").status_code == 503
    assert api("GET", "/v2/10dlc/enum/usecase").status_code == 200  # one shot
    assert api("POST", "/_sim/faults", {"kind": "meltdown"}).status_code == 400
    api("POST", "/_sim/faults", {"faults": [{"kind": "status", "status": 502, "count": -1}]})
    assert api("GET", "/_sim/faults").json()["faults"][0]["status"] == 502
    assert api("DELETE", "/_sim/faults").status_code == 204
    assert api("GET", "/v2/10dlc/brand").status_code == 200

    assert api("POST", "/_sim/delays", {"brand_scoring": 5}).json()["brand_scoring"] == 5
    assert api("POST", "/_sim/delays", {"warp": 5}).status_code == 400
    assert (
        api(
            "POST", "/_sim/messaging_profiles", {"messagingProfileId": "mp", "phoneNumbers": ["+15035550100"]}
        ).status_code
        == 201
    )
    assert sim.telnyx().profiles == {"mp": ["+15035550100"]}
    hooks = api("POST", "/_sim/webhooks", {"order": "reverse", "default_url": "http://127.0.0.1:9/h"}).json()
    assert hooks["config"]["order"] == "reverse"
    assert sim.sandbox.default_webhook_url == "http://127.0.0.1:9/h"
    assert api("POST", "/_sim/webhooks", {"colour": "red"}).status_code == 400
    assert api("POST", "/_sim/rate_limit", {"rate": 1, "burst": 1}).status_code == 200
    api("GET", "/v2/10dlc/brand")
    limited = api("GET", "/v2/10dlc/brand")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "1"
    api("POST", "/_sim/rate_limit", {"rate": None})
    assert api("GET", "/v2/10dlc/brand").status_code == 200
    assert api("GET", "/_sim/otp/nobody").status_code == 404


def test_otp_pin_is_exposed_for_tests(api: Api) -> None:
    brand_id = api("POST", "/v2/10dlc/brand", SOLE_PROPRIETOR).json()["brandId"]
    api.sim.advance(minutes=2)
    ref = api(
        "POST", f"/v2/10dlc/brand/{brand_id}/smsOtp", {"pinSms": "Code @OTP_PIN@", "successSms": "Verified!"}
    ).json()["referenceId"]
    assert api("GET", f"/v2/10dlc/brand/smsOtp/{ref}").json()["brandId"] == brand_id
    pin = api("GET", f"/_sim/otp/{brand_id}").json()["pin"]
    assert api("PUT", f"/v2/10dlc/brand/{brand_id}/smsOtp", {"otpPin": pin}).status_code == 204
    bad = api("POST", f"/v2/10dlc/brand/{brand_id}/smsOtp", {"pinSms": "no placeholder", "successSms": "ok"})
    assert ("10015", "/pinSms") in codes(bad)


def test_ids_are_deterministic_for_a_seed() -> None:
    def first_brand_id() -> str:
        with run_simulator(seed=3, api_keys=["KEYfixed"]) as s, requests.Session() as http:
            body = {k: v for k, v in brand().items() if k != "einIssuingCountry"} | {"ein": "120000001"}
            return http.post(
                s.url + "/v2/10dlc/brand", json=body, headers={"Authorization": "Bearer KEYfixed"}, timeout=5
            ).json()["brandId"]

    assert first_brand_id() == first_brand_id()


def test_a_running_clock_moves_by_itself() -> None:
    with run_simulator(speed=3600, api_keys=["KEYrun"]) as s, requests.Session() as http:
        body = {k: v for k, v in brand().items() if k != "einIssuingCountry"} | {"ein": "120000001"}
        auth = {"Authorization": "Bearer KEYrun"}
        brand_id = http.post(s.url + "/v2/10dlc/brand", json=body, headers=auth, timeout=5).json()["brandId"]
        deadline = time.monotonic() + 3
        status = None
        while time.monotonic() < deadline and status != "OK":
            time.sleep(0.05)
            status = http.get(f"{s.url}/v2/10dlc/brand/{brand_id}", headers=auth, timeout=5).json()["status"]
        assert status == "OK"


def test_scenario_markers() -> None:
    scenario = parse("Clinic [sim:reject:tmobile] [SIM:Silent:Verizon]", "[sim:reject-always:att] [sim:otp]")
    assert scenario.rejects("10035", 1)
    assert not scenario.rejects("10035", 2)
    assert scenario.rejects("10017", 2)
    assert scenario.silent == frozenset({"10038"})
    assert scenario.otp
    assert parse("nothing here", None) == parse()
    with pytest.raises(ValueError, match="unknown simulator marker"):
        parse("[sim:reject:sprint]")


def test_cli_serve_is_documented() -> None:
    result = CliRunner().invoke(simulator_cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--api-key", "--key-seed", "--speed", "--rate"):
        assert option in result.output
    assert "5055" in result.output
