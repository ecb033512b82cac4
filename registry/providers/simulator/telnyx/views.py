"""Shared helpers of the Telnyx routes: body parsing, paging, sorting, lookups."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..wire import ApiError, Request, Response
from .errors import bad_value, entry, envelope, invalid, not_found
from .state import SimBrand, SimCampaign, TelnyxState

if TYPE_CHECKING:
    from ..sandbox import Context


def body_of(req: Request) -> dict[str, Any]:
    """The JSON object body, or a Telnyx 400 (10015) when it is not one."""
    try:
        body = req.json()
    except ValueError as exc:
        raise ApiError(400, envelope(entry("10015", "The request body is not valid JSON."))) from exc
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ApiError(400, envelope(entry("10015", "The request body must be a JSON object.")))
    return body


def ok(body: Any, status: int = 200) -> Response:
    """A JSON answer."""
    return Response(status, body)


def no_content() -> Response:
    """An empty 204."""
    return Response(204)


def state_of(ctx: Context) -> TelnyxState:
    """The Telnyx state of the authenticated account."""
    return ctx.account.telnyx


def brand_or_404(state: TelnyxState, brand_id: str) -> SimBrand:
    """A brand of this account, or 404."""
    brand = state.brands.get(brand_id)
    if brand is None:
        raise not_found("Brand", brand_id)
    return brand


def campaign_or_404(state: TelnyxState, campaign_id: str) -> SimCampaign:
    """A campaign of this account, or 404."""
    campaign = state.campaigns.get(campaign_id)
    if campaign is None:
        raise not_found("Campaign", campaign_id)
    return campaign


def int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within bounds, or 422."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid([bad_value(name, f"{name} must be an integer.")]) from None
    if not low <= value <= high:
        raise invalid([bad_value(name, f"{name} must be between {low} and {high}.")])
    return value


def page(
    rows: Sequence[dict[str, Any]],
    query: Mapping[str, str],
    *,
    sortable: Sequence[str],
    seq: Callable[[dict[str, Any]], int],
    default_size: int = 10,
) -> dict[str, Any]:
    """The 10DLC list envelope ``{records, page, totalRecords}`` with ``sort`` (default ``-createdAt``)."""
    sort = query.get("sort") or "-createdAt"
    key = sort.lstrip("-")
    if key not in sortable:
        raise invalid([bad_value("sort", f"sort must be one of {', '.join(sortable)} (optionally prefixed by -).")])
    ordered = sorted(rows, key=lambda r: (str(r.get(key) or ""), seq(r)), reverse=sort.startswith("-"))
    number = int_param(query, "page", 1, 1, 10**6)
    size = int_param(query, "recordsPerPage", default_size, 1, 500)
    start = (number - 1) * size
    return {"records": ordered[start : start + size], "page": number, "totalRecords": len(ordered)}
