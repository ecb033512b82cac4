"""``/_sim/...``: the simulator's own control API (not part of any provider's API).

- ``POST /_sim/advance`` ``{"seconds"|"minutes"|"hours"|"days": N}`` -> ``{now, transitions, deliveries}``;
- ``GET /_sim/clock`` -> ``{now, pending: [{in_seconds, label}]}``;
- ``GET|POST|DELETE /_sim/faults``: list / arm one fault (or ``{"faults": [...]}``) / disarm all
  (see faults.py);
- ``GET /_sim/ledger``: billable creates of the account, ``{records, total}``;
- ``GET|POST /_sim/webhooks``: delivery log / change delivery behaviour and ``default_url``;
- ``POST /_sim/delays``: change review delays (see delays.py);
- ``POST /_sim/rate_limit`` ``{"rate": r, "burst": b}`` per API key, or ``{"rate": null}`` to disable;
- ``POST /_sim/messaging_profiles`` ``{"messagingProfileId", "phoneNumbers": [...]}``;
- ``GET /_sim/otp/{brandId}``: the PIN the sole proprietor's handset received.

The account is the one whose key is in ``Authorization: Bearer``, else the first one. Control handlers run
outside the sandbox lock (taking it where they touch state), so ``advance`` can deliver webhooks to a
receiver that calls the simulator back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .clock import iso
from .faults import KeyRateLimiter
from .wire import ApiError, Request, Response, Route

if TYPE_CHECKING:
    from .sandbox import Context

PREFIX = "/_sim"
UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def error_body(status: int, detail: str) -> dict[str, Any]:
    """Control API errors are plain ``{"error": detail}``."""
    return {"error": detail}


def _body(req: Request) -> dict[str, Any]:
    try:
        body = req.json()
    except ValueError:
        raise ApiError(400, error_body(400, "body is not JSON")) from None
    if body is not None and not isinstance(body, dict):
        raise ApiError(400, error_body(400, "body must be a JSON object"))
    return body or {}


def advance(ctx: Context) -> Response:
    """Move the virtual clock."""
    body = _body(ctx.request)
    try:
        seconds = sum(float(body.get(unit, 0)) * factor for unit, factor in UNITS.items())
    except (TypeError, ValueError):
        raise ApiError(400, error_body(400, "durations must be numbers")) from None
    if seconds < 0:
        raise ApiError(400, error_body(400, "the clock only moves forward"))
    # control handlers run outside the sandbox lock, so webhooks are delivered while a receiver may call back
    return Response(200, ctx.sandbox.advance(seconds))


def clock(ctx: Context) -> Response:
    """Virtual now and what is scheduled."""
    with ctx.sandbox.lock:
        scheduled = ctx.sandbox.scheduler.pending()
    pending = [{"in_seconds": round(s, 3), "label": label} for s, label in scheduled]
    return Response(200, {"now": iso(ctx.sandbox.clock.now()), "pending": pending})


def list_faults(ctx: Context) -> Response:
    """Armed faults."""
    return Response(200, {"faults": ctx.sandbox.faults.snapshot(), "fired": ctx.sandbox.faults.fired})


def add_faults(ctx: Context) -> Response:
    """Arm one fault, or several under ``faults``."""
    body = _body(ctx.request)
    specs = body.get("faults") if isinstance(body.get("faults"), list) else [body]
    try:
        for spec in specs:
            ctx.sandbox.faults.add(spec)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, error_body(400, str(exc))) from None
    return Response(201, {"faults": ctx.sandbox.faults.snapshot()})


def clear_faults(ctx: Context) -> Response:
    """Disarm all faults."""
    ctx.sandbox.faults.clear()
    return Response(204)


def ledger(ctx: Context) -> Response:
    """Billable creates of the account."""
    with ctx.sandbox.lock:
        records = list(ctx.account.telnyx.ledger)
    return Response(200, {"records": records, "total": round(sum(r["amount"] for r in records), 2)})


def webhooks(ctx: Context) -> Response:
    """The webhook delivery log."""
    log = [
        {
            "event_id": d.event_id,
            "event_type": d.event_type,
            "url": d.url,
            "attempt": d.attempt,
            "status": d.status,
            "error": d.error,
            "duplicate": d.duplicate,
            "dropped": d.dropped,
        }
        for d in ctx.sandbox.webhooks.log
    ]
    return Response(
        200,
        {
            "config": vars(ctx.sandbox.webhooks.config),
            "default_url": ctx.sandbox.default_webhook_url,
            "pending": ctx.sandbox.webhooks.pending(),
            "deliveries": log,
        },
    )


def configure_webhooks(ctx: Context) -> Response:
    """Change delivery behaviour (duplicate/drop probability, order, seed, ...) and the default URL."""
    body = _body(ctx.request)
    if "default_url" in body:
        ctx.sandbox.default_webhook_url = body.pop("default_url")
    try:
        config = ctx.sandbox.webhooks.configure(**body)
    except TypeError as exc:
        raise ApiError(400, error_body(400, str(exc))) from None
    return Response(200, {"config": vars(config), "default_url": ctx.sandbox.default_webhook_url})


def delays(ctx: Context) -> Response:
    """Change review delays."""
    try:
        ctx.sandbox.delays.update(_body(ctx.request))
    except (KeyError, TypeError, ValueError) as exc:
        raise ApiError(400, error_body(400, f"unknown or bad delay: {exc}")) from None
    return Response(200, vars(ctx.sandbox.delays))


def rate_limit(ctx: Context) -> Response:
    """Set or remove the per-key rate limit."""
    body = _body(ctx.request)
    if body.get("rate") is None:
        ctx.sandbox.limiter = None
    else:
        ctx.sandbox.limiter = KeyRateLimiter(float(body["rate"]), int(body.get("burst", 1)))
    return Response(200, {"rate": body.get("rate"), "burst": body.get("burst")})


def messaging_profile(ctx: Context) -> Response:
    """Put numbers on a messaging profile (prerequisite of bulk assignment)."""
    body = _body(ctx.request)
    profile, numbers = body.get("messagingProfileId"), body.get("phoneNumbers")
    if not profile or not isinstance(numbers, list):
        raise ApiError(400, error_body(400, "messagingProfileId and phoneNumbers[] are required"))
    with ctx.sandbox.lock:
        ctx.account.telnyx.profiles.setdefault(str(profile), []).extend(str(n) for n in numbers)
    return Response(
        201, {"messagingProfileId": profile, "phoneNumbers": ctx.account.telnyx.profiles[str(profile)]}
    )


def otp(ctx: Context, brand_id: str) -> Response:
    """The OTP PIN texted to a brand's mobile phone."""
    with ctx.sandbox.lock:
        brand = ctx.account.telnyx.brands.get(brand_id)
    if brand is None or brand.otp is None:
        raise ApiError(404, error_body(404, "no OTP for this brand"))
    return Response(200, {"pin": brand.otp.pin, "referenceId": brand.otp.reference_id})


ROUTES = [
    Route(PREFIX + "/advance", ("POST",), advance),
    Route(PREFIX + "/clock", ("GET",), clock),
    Route(PREFIX + "/faults", ("GET",), list_faults),
    Route(PREFIX + "/faults", ("POST",), add_faults),
    Route(PREFIX + "/faults", ("DELETE",), clear_faults),
    Route(PREFIX + "/ledger", ("GET",), ledger),
    Route(PREFIX + "/webhooks", ("GET",), webhooks),
    Route(PREFIX + "/webhooks", ("POST",), configure_webhooks),
    Route(PREFIX + "/delays", ("POST",), delays),
    Route(PREFIX + "/rate_limit", ("POST",), rate_limit),
    Route(PREFIX + "/messaging_profiles", ("POST",), messaging_profile),
    Route(PREFIX + "/otp/<brand_id>", ("GET",), otp),
]
