"""Shared helpers of the Twilio routes: form parsing, SIDs, time formats, paging, state access."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ..clock import iso
from ..wire import Response
from .accounts import account_sid, auth_token
from .errors import invalid, missing
from .state import PRIMARY_PROFILE_POLICY, SimBundle, TwilioState

if TYPE_CHECKING:
    from ..sandbox import Context, Sandbox

TRUE = frozenset({"true", "1", "yes"})


class Form:
    """An ``application/x-www-form-urlencoded`` body: PascalCase names, repeated names are arrays."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.pairs = list(pairs)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The last value of ``name``."""
        values = self.all(name)
        return values[-1] if values else default

    def all(self, name: str) -> list[str]:
        """Every value of a repeated ``name``, in order."""
        return [v for k, v in self.pairs if k == name]

    def has(self, name: str) -> bool:
        return any(k == name for k, _ in self.pairs)

    def required(self, *names: str) -> None:
        """Raise Twilio's 400 for the first absent (or empty) parameter."""
        for name in names:
            if not self.get(name):
                raise missing(name)

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.get(name)
        if value is None or value == "":
            return default
        if value.lower() not in TRUE | {"false", "0", "no"}:
            raise invalid(name, f"{value!r} is not a boolean")
        return value.lower() in TRUE

    def json(self, name: str) -> Any:
        """A parameter holding a JSON string (Trust Hub ``Attributes``, ``SinkConfiguration``, ``Types``)."""
        raw = self.get(name)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise invalid(name, "must be a JSON string") from None


def form_of(ctx: Context) -> Form:
    return Form(ctx.request.form())


def sid(sandbox: Sandbox, prefix: str) -> str:
    """A Twilio SID: two-letter prefix + 32 hex digits, deterministic from the sandbox seed."""
    return prefix + sandbox.ids.uuid().replace("-", "")


def now_iso(sandbox: Sandbox) -> str:
    """messaging/trusthub/events v1 timestamps: ISO 8601 UTC."""
    return iso(sandbox.clock.now()).replace(".000Z", "Z")


def rfc2822(moment: datetime) -> str:
    """api 2010-04-01 timestamps: RFC 2822 (``Mon, 02 Mar 2026 17:00:00 +0000``)."""
    return format_datetime(moment)


def state_of(ctx: Context) -> TwilioState:
    """The Twilio state of the authenticated account (seeded on first use)."""
    return account_state(ctx.sandbox, ctx.account.key)


def account_state(sandbox: Sandbox, key: str) -> TwilioState:
    """The Twilio state of sandbox account ``key``: the first use gives it its account SID and the ISV's
    twilio-approved primary customer profile (done once in Console in real life, §3.2)."""
    state: TwilioState = sandbox.account(key).state("twilio", TwilioState)
    if not state.account_sid:
        state.account_sid = account_sid(sandbox, key)
        state.auth_token = auth_token(sandbox, key)
        now = now_iso(sandbox)
        primary = sid(sandbox, "BU")
        state.customer_profiles[primary] = SimBundle(
            data={
                "sid": primary,
                "account_sid": state.account_sid,
                "policy_sid": PRIMARY_PROFILE_POLICY,
                "friendly_name": "ISV primary customer profile",
                "status": "twilio-approved",
                "email": "compliance@isv.example",
                "status_callback": None,
                "valid_until": None,
                "errors": None,
                "date_created": now,
                "date_updated": now,
            },
            kind="customer_profile",
        )
    return state


def host_url(ctx: Context, service: str, path: str) -> str:
    """The absolute URL of ``path`` on one of Twilio's hosts, as this simulator serves it."""
    host = ctx.request.header("host") or "127.0.0.1"
    return f"http://{host}/twilio/{service}{path}"


def ok(body: Any, status: int = 200) -> Response:
    return Response(status, body)


def page(ctx: Context, service: str, path: str, key: str, rows: Iterable[dict[str, Any]]) -> Response:
    """A v1 list page: ``{key: [...], "meta": {page, page_size, first_page_url, previous_page_url,
    next_page_url, url, key}}`` (provider-apis.md §3.9). ``Page`` is 0-based; ``PageToken`` is echoed."""
    q = ctx.request.query
    try:
        size = min(1000, max(1, int(q.get("PageSize") or 50)))
        number = max(0, int(q.get("Page") or 0))
    except ValueError:
        raise invalid("PageSize", "must be an integer") from None
    items = list(rows)
    chunk = items[number * size : (number + 1) * size]
    keep = {k: v for k, v in q.items() if k not in ("PageSize", "Page", "PageToken")}

    def link(n: int) -> str:
        query = {**keep, "PageSize": size, "Page": n}
        if n:
            query["PageToken"] = f"PT{n}"
        return host_url(ctx, service, path) + "?" + urlencode(query)

    meta = {
        "page": number,
        "page_size": size,
        "first_page_url": link(0),
        "previous_page_url": link(number - 1) if number > 0 else None,
        "next_page_url": link(number + 1) if (number + 1) * size < len(items) else None,
        "url": link(number),
        "key": key,
    }
    return ok({key: chunk, "meta": meta})
