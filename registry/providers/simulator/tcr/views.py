"""Shared helpers of the TCR routes: body parsing, paging, lookups, armed business errors."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any

from ..wire import ApiError, Request, Response
from .errors import entry, invalid, not_found, refuse
from .lifecycle import TcrMachine
from .state import SimBrand, SimCampaign, TcrState

if TYPE_CHECKING:
    from ..sandbox import Context, Sandbox


def body_of(req: Request) -> dict[str, Any]:
    """The JSON object body, or 400/501 when it is not one."""
    try:
        body = req.json()
    except ValueError as exc:
        raise refuse(501, "The request body is not valid JSON") from exc
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise refuse(501, "The request body must be a JSON object")
    return body


def ok(body: Any, status: int = 200) -> Response:
    """A JSON answer."""
    return Response(status, body)


def no_content() -> Response:
    """An empty 204."""
    return Response(204)


def state_of(ctx: Context) -> TcrState:
    """The TCR state of the authenticated account."""
    return ctx.account.state("tcr", TcrState)


def machine_of(ctx: Context) -> TcrMachine:
    """The sandbox's TCR machine."""
    return machine_for(ctx.sandbox)


def machine_for(sandbox: Sandbox) -> TcrMachine:
    """The TCR machine of a sandbox (made on first use)."""
    return sandbox.machine("tcr", TcrMachine)


def brand_or_404(state: TcrState, brand_id: str) -> SimBrand:
    """A brand of this CSP, or 404/502."""
    brand = state.brands.get(brand_id)
    if brand is None:
        raise not_found("Brand", brand_id, "brandId")
    return brand


def campaign_or_404(state: TcrState, campaign_id: str) -> SimCampaign:
    """A campaign of this CSP, or 404/502."""
    campaign = state.campaigns.get(campaign_id)
    if campaign is None:
        raise not_found("Campaign", campaign_id, "campaignId")
    return campaign


def int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within bounds, or 501."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid([entry(501, f"{name} must be an integer", [name])]) from None
    if not low <= value <= high:
        raise invalid([entry(501, f"{name} must be between {low} and {high}", [name])])
    return value


def bool_param(query: Mapping[str, str], name: str) -> bool | None:
    """A boolean query parameter (``true``/``false``), None when absent."""
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() not in ("true", "false"):
        raise invalid([entry(501, f"{name} must be true or false", [name])])
    return raw.lower() == "true"


def page(rows: Sequence[dict[str, Any]], query: Mapping[str, str], *, default_size: int = 10) -> dict[str, Any]:
    """TCR's record set ``{page, totalRecords, records}`` (``page`` 1-based, ``recordsPerPage`` <= 500)."""
    number = int_param(query, "page", 1, 1, 10**6)
    size = int_param(query, "recordsPerPage", default_size, 1, 500)
    start = (number - 1) * size
    return {"page": number, "totalRecords": len(rows), "records": list(rows[start : start + size])}


def guarded(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Answer an armed business error (``arm_error``) instead of running ``handler``."""

    @wraps(handler)
    def run(ctx: Context, **args: Any) -> Response:
        state = state_of(ctx)
        for armed in state.armed:
            method, pattern, entries, count = armed
            if count and method == ctx.request.method and fnmatch.fnmatchcase(ctx.request.path, pattern):
                armed[3] = count - 1 if count > 0 else count
                raise ApiError(400, [dict(e) for e in entries])
        return handler(ctx, **args)

    return run
