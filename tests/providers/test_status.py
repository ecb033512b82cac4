"""Status normalization truth tables (provider-apis.md §6.1 and §6.3, Telnyx rows)."""

from __future__ import annotations

import pytest

from registry.providers import telnyx_status as st
from registry.providers.base import CarrierState, Identity, Lifecycle, derive_campaign_lifecycle

L, C = Lifecycle, CarrierState
R, V, X, S = C.REGISTERED, C.REVIEW, C.REJECTED, C.SUSPENDED


@pytest.mark.parametrize(
    ("provisioned", "carriers", "expected"),
    [
        (True, {}, L.APPROVED),
        (True, {"10017": R, "10035": R}, L.APPROVED),
        (False, {"10017": R, "10035": R}, L.IN_REVIEW),
        (False, {"10017": R, "10035": V}, L.IN_REVIEW),
        (False, {"10017": X, "10035": V}, L.IN_REVIEW),  # a rejection with a carrier still reviewing
        (False, {"10017": X, "10035": R}, L.REJECTED),
        (True, {"10017": X, "10035": R}, L.REJECTED),  # rejected by one: not approved
        (True, {"10017": S, "10035": R}, L.SUSPENDED),
        (False, {"10017": S, "10035": X}, L.SUSPENDED),  # suspension wins
        (False, {"10017": C.UNKNOWN}, L.IN_REVIEW),
    ],
)
def test_derived_campaign_rule(provisioned: bool, carriers: dict, expected: Lifecycle) -> None:
    assert derive_campaign_lifecycle(fully_provisioned=provisioned, carriers=carriers) is expected


@pytest.mark.parametrize(
    ("status", "identity", "otp", "expected"),
    [
        ("REGISTRATION_PENDING", None, False, L.PENDING),
        ("REGISTRATION_FAILED", None, False, L.FAILED),
        ("OK", None, False, L.PENDING),
        ("OK", "VERIFIED", False, L.APPROVED),
        ("OK", "VETTED_VERIFIED", False, L.APPROVED),
        ("OK", "UNVERIFIED", False, L.ACTION_REQUIRED),
        ("OK", "SELF_DECLARED", False, L.ACTION_REQUIRED),
        ("OK", "SELF_DECLARED", True, L.APPROVED),
        ("ok", "verified", False, L.APPROVED),  # case-insensitive
        ("DELETED", None, False, L.DEACTIVATED),
    ],
)
def test_brand_lifecycle(status: str, identity: str | None, otp: bool, expected: Lifecycle) -> None:
    assert st.brand_lifecycle(status, identity, otp_verified=otp) == (expected, True)


@pytest.mark.parametrize(("status", "identity"), [("SOMETHING_NEW", "VERIFIED"), (None, None), ("OK", "MAYBE")])
def test_unknown_brand_status_keeps_the_previous_lifecycle(status: str | None, identity: str | None) -> None:
    assert st.brand_lifecycle(status, identity, previous=L.IN_REVIEW) == (L.IN_REVIEW, False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, Identity.UNKNOWN),
        ("SELF_DECLARED", Identity.SELF_DECLARED),
        ("UNVERIFIED", Identity.UNVERIFIED),
        ("VERIFIED", Identity.VERIFIED),
        ("VETTED_VERIFIED", Identity.VETTED_VERIFIED),
        ("???", Identity.UNKNOWN),
    ],
)
def test_identity(raw: str | None, expected: Identity) -> None:
    assert st.identity(raw) is expected


@pytest.mark.parametrize(
    ("status", "carriers", "expected"),
    [
        ("TCR_PENDING", {}, L.PENDING),
        ("TCR_FAILED", {}, L.FAILED),
        ("TCR_ACCEPTED", {}, L.IN_REVIEW),
        ("TELNYX_ACCEPTED", {}, L.IN_REVIEW),
        ("TELNYX_FAILED", {}, L.REJECTED),
        ("MNO_PENDING", {"10017": V}, L.IN_REVIEW),
        ("MNO_PENDING", {"10017": R, "10035": X}, L.REJECTED),
        ("MNO_REJECTED", {}, L.REJECTED),
        ("MNO_REJECTED", {"10035": X, "10017": R}, L.REJECTED),
        ("MNO_ACCEPTED", {"10017": R}, L.PENDING),
        ("MNO_PROVISIONED", {"10017": R, "10035": R}, L.APPROVED),
        ("MNO_PROVISIONED", {"10035": S, "10017": R}, L.SUSPENDED),
        ("MNO_PROVISIONING_FAILED", {}, L.FAILED),
        ("TCR_SUSPENDED", {}, L.SUSPENDED),
        ("TCR_EXPIRED", {}, L.DEACTIVATED),
        ("TCR_ACCEPTED", {"10017": R, "10035": R}, L.IN_REVIEW),  # after an appeal: not yet provisioned
    ],
)
def test_campaign_lifecycle(status: str, carriers: dict, expected: Lifecycle) -> None:
    assert st.campaign_lifecycle(status, carriers) == (expected, True)


@pytest.mark.parametrize("status", ["MNO_PARTIAL", "", None, 42])
def test_unknown_campaign_status_is_flagged(status: object) -> None:
    assert st.campaign_lifecycle(status, {}, previous=L.IN_REVIEW) == (L.IN_REVIEW, False)


def test_carrier_map_keeps_unknown_mnos_and_t_mobile_suspension_flag() -> None:
    assert st.carriers({"10017": "REGISTERED", "10999": "REVIEW", "10038": "WHATEVER"}) == {
        "10017": R,
        "10999": V,
        "10038": C.UNKNOWN,
    }
    assert st.carriers({}, t_mobile_suspended=True) == {"10035": S}
    assert st.carriers(None) == {}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("PENDING_ASSIGNMENT", L.PENDING),
        ("ASSIGNED", L.APPROVED),
        ("FAILED_ASSIGNMENT", L.FAILED),
        ("PENDING_UNASSIGNMENT", L.PENDING),
        ("FAILED_UNASSIGNMENT", L.FAILED),
    ],
)
def test_assignment_lifecycle(status: str, expected: Lifecycle) -> None:
    assert st.assignment_lifecycle(status) == (expected, True)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("pending", L.PENDING),
        ("starting", L.PENDING),
        ("processing", L.PENDING),
        ("running", L.PENDING),
        ("completed", L.APPROVED),
        ("failed", L.FAILED),
    ],
)
def test_bulk_task_lifecycle(status: str, expected: Lifecycle) -> None:
    assert st.task_lifecycle(status) == (expected, True)
    assert st.task_lifecycle("exploded", previous=L.PENDING) == (L.PENDING, False)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({}, L.PENDING),
        ({"vettedDate": "2026-03-02T00:00:00Z"}, L.APPROVED),
        ({"vettingStatus": "UNSCORE"}, L.PENDING),
        ({"vettingStatus": "ACTIVE"}, L.APPROVED),
        ({"vettingStatus": "FAILED"}, L.FAILED),
        ({"vettingStatus": "EXPIRED", "vettedDate": "2025-01-01"}, L.DEACTIVATED),
    ],
)
def test_vetting_lifecycle(record: dict, expected: Lifecycle) -> None:
    assert st.vetting_lifecycle(record) == (expected, True)


@pytest.mark.parametrize(
    ("text", "mno"),
    [
        ("T-Mobile: opt-out missing", "10035"),
        ("AT&T: flow", "10017"),
        ("Verizon Wireless: x", "10038"),
        ("US Cellular: y", "10037"),
        ("Someone else", None),
        (None, None),
    ],
)
def test_carrier_from_description(text: str | None, mno: str | None) -> None:
    assert st.carrier_from_text(text) == mno
