"""``/twilio/api/2010-04-01/Accounts/{AC}``: Addresses and IncomingPhoneNumbers (the 2010 API: ``.json``
suffix, RFC 2822 dates, list pages with ``next_page_uri``). Numbers are given to an account with
:func:`add_incoming_numbers` (a sandbox lever: buying numbers is outside this simulator)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..scenarios import number_fails
from ..wire import Response, Route
from .errors import error, not_found
from .views import account_state, form_of, ok, rfc2822, sid, state_of

if TYPE_CHECKING:
    from ..sandbox import Context, Sandbox

BASE = "/twilio/api/2010-04-01/Accounts/<account>"


def _own(ctx: Context, account: str) -> None:
    if account != state_of(ctx).account_sid:
        raise error(403, 20003, "The account in the URL is not the account that authenticated")


def _list(ctx: Context, path: str, key: str, rows: Sequence[dict[str, Any]]) -> Response:
    q = ctx.request.query
    size = min(1000, max(1, int(q.get("PageSize") or 50)))
    number = max(0, int(q.get("Page") or 0))
    chunk = list(rows[number * size : (number + 1) * size])
    more = (number + 1) * size < len(rows)
    return ok(
        {
            key: chunk,
            "page": number,
            "page_size": size,
            "start": number * size,
            "end": number * size + max(0, len(chunk) - 1),
            "uri": f"{path}?PageSize={size}&Page={number}",
            "first_page_uri": f"{path}?PageSize={size}&Page=0",
            "previous_page_uri": f"{path}?PageSize={size}&Page={number - 1}" if number else None,
            "next_page_uri": f"{path}?PageSize={size}&Page={number + 1}&PageToken=PA{number + 1}" if more else None,
        }
    )


def create_address(ctx: Context, account: str) -> Response:
    """``POST Addresses.json``: CustomerName, Street, City, Region, PostalCode, IsoCountry required."""
    _own(ctx, account)
    form = form_of(ctx)
    form.required("CustomerName", "Street", "City", "Region", "PostalCode", "IsoCountry")
    state = state_of(ctx)
    now = rfc2822(ctx.sandbox.clock.now())
    row = {
        "sid": sid(ctx.sandbox, "AD"),
        "account_sid": state.account_sid,
        "customer_name": form.get("CustomerName"),
        "friendly_name": form.get("FriendlyName"),
        "street": form.get("Street"),
        "street_secondary": form.get("StreetSecondary"),
        "city": form.get("City"),
        "region": form.get("Region"),
        "postal_code": form.get("PostalCode"),
        "iso_country": form.get("IsoCountry"),
        "emergency_enabled": False,
        "validated": True,
        "verified": False,
        "date_created": now,
        "date_updated": now,
    }
    row["uri"] = f"/2010-04-01/Accounts/{account}/Addresses/{row['sid']}.json"
    state.addresses[row["sid"]] = row
    return ok(row, 201)


def fetch_address(ctx: Context, account: str, address_sid: str) -> Response:
    _own(ctx, account)
    row = state_of(ctx).addresses.get(address_sid)
    if row is None:
        raise not_found(ctx.request.path)
    return ok(row)


def list_numbers(ctx: Context, account: str) -> Response:
    """``GET IncomingPhoneNumbers.json`` with the ``PhoneNumber`` filter (exact E.164 here)."""
    _own(ctx, account)
    wanted = ctx.request.query.get("PhoneNumber")
    rows = [n for n in state_of(ctx).numbers.values() if not wanted or n["phone_number"] == wanted]
    return _list(ctx, f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json", "incoming_phone_numbers", rows)


def fetch_number(ctx: Context, account: str, number_sid: str) -> Response:
    _own(ctx, account)
    row = state_of(ctx).numbers.get(number_sid)
    if row is None:
        raise not_found(ctx.request.path)
    return ok(row)


def add_incoming_numbers(sandbox: Sandbox, key: str, numbers: Sequence[str]) -> list[str]:
    """Give sandbox account ``key`` these E.164 numbers (``PN`` SIDs returned). Numbers ending in ``666`` are
    not SMS-capable, so a Messaging Service refuses them (the scenario "number fails registration")."""
    with sandbox.lock:
        state = account_state(sandbox, key)
        made = []
        for number in numbers:
            existing = next((n for n in state.numbers.values() if n["phone_number"] == number), None)
            if existing is not None:
                made.append(existing["sid"])
                continue
            now = rfc2822(sandbox.clock.now())
            pn = sid(sandbox, "PN")
            state.numbers[pn] = {
                "sid": pn,
                "account_sid": state.account_sid,
                "phone_number": number,
                "friendly_name": number,
                "capabilities": {"voice": True, "sms": not number_fails(number), "mms": True, "fax": False},
                "status": "in-use",
                "date_created": now,
                "date_updated": now,
                "uri": f"/2010-04-01/Accounts/{state.account_sid}/IncomingPhoneNumbers/{pn}.json",
            }
            made.append(pn)
        return made


ROUTES: list[Route] = [
    Route(BASE + "/Addresses.json", ("POST",), create_address),
    Route(BASE + "/Addresses/<address_sid>.json", ("GET",), fetch_address),
    Route(BASE + "/IncomingPhoneNumbers.json", ("GET",), list_numbers),
    Route(BASE + "/IncomingPhoneNumbers/<number_sid>.json", ("GET",), fetch_number),
]
