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
- ``GET /_sim/otp/{brandId}``: the PIN the sole proprietor's handset received;
- ``POST /_sim/seed``: bulk-create registered brands whose campaigns are already in carrier review (see
  ``seed``), for benchmarks and demos;
- ``GET /_sim/stats``: transitions made, requests answered, 429s sent.

The account is the one whose key is in ``Authorization: Bearer``, else the first one. Control handlers run
outside the sandbox lock (taking it where they touch state), so ``advance`` can deliver webhooks to a
receiver that calls the simulator back.
"""

from __future__ import annotations

import random
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
    return Response(201, {"messagingProfileId": profile, "phoneNumbers": ctx.account.telnyx.profiles[str(profile)]})


def otp(ctx: Context, brand_id: str) -> Response:
    """The OTP PIN texted to a brand's mobile phone."""
    with ctx.sandbox.lock:
        brand = ctx.account.telnyx.brands.get(brand_id)
    if brand is None or brand.otp is None:
        raise ApiError(404, error_body(404, "no OTP for this brand"))
    return Response(200, {"pin": brand.otp.pin, "referenceId": brand.otp.reference_id})


def seed(ctx: Context) -> Response:
    """Bulk-create ``brands`` registered brands (OK, VERIFIED) with ``campaigns_per_brand`` campaigns each, all
    already at MNO_PENDING with every carrier in REVIEW; each carrier decides at a random moment within
    ``decide_within_seconds`` (seeded by ``seed``); a ``reject_share`` of campaigns is rejected by one random
    carrier. Objects carry ``webhookURL`` when given. Answers the ids and the virtual now."""
    from .catalog import MNOS
    from .scenarios import Scenario
    from .telnyx.seed import seed_brand, seed_campaign

    body = _body(ctx.request)
    try:
        brands, per = int(body.get("brands", 1)), int(body.get("campaigns_per_brand", 1))
        window = float(body.get("decide_within_seconds", 3 * 86400))
        reject_share = float(body.get("reject_share", 0.0))
        rng = random.Random(int(body.get("seed", 0)))
    except (TypeError, ValueError):
        raise ApiError(400, error_body(400, "counts, window and share must be numbers")) from None
    if not (
        1 <= brands <= 1000 and 0 <= per <= 10000 and brands * per <= 100_000 and window >= 0 and 0 <= reject_share <= 1
    ):
        raise ApiError(400, error_body(400, "at most 1000 brands and 100000 campaigns; window >= 0; share 0-1"))
    webhook = body.get("webhookURL")
    usecase = str(body.get("usecase") or "ACCOUNT_NOTIFICATION")
    made = []
    with ctx.sandbox.lock:
        state, machine = ctx.account.telnyx, ctx.sandbox.telnyx
        for _ in range(brands):
            brand = seed_brand(ctx.sandbox, state, webhook)
            campaigns = []
            for _ in range(per):
                rejecting = frozenset({rng.choice(list(MNOS))}) if rng.random() < reject_share else frozenset()
                campaign = seed_campaign(ctx.sandbox, state, brand, usecase, webhook, Scenario(reject_always=rejecting))
                machine.seed_review(state, campaign, {mno: rng.uniform(1.0, window or 1.0) for mno in MNOS})
                campaigns.append(
                    {
                        "campaignId": campaign.id,
                        "tcrCampaignId": campaign.data["tcrCampaignId"],
                        "updatedAt": campaign.data["updatedAt"],
                        "rejectedBy": sorted(rejecting),
                    }
                )
            made.append({"brandId": brand.id, "tcrBrandId": brand.data["tcrBrandId"], "campaigns": campaigns})
        now = iso(ctx.sandbox.clock.now())
    return Response(201, {"now": now, "brands": made})


def stats(ctx: Context) -> Response:
    """What the sandbox did: transitions, requests, 429s, scheduled jobs."""
    with ctx.sandbox.lock:
        pending = len(ctx.sandbox.scheduler.pending())
        transitions = dict(ctx.sandbox.telnyx.transitions)
        requests = dict(ctx.sandbox.requests)
    return Response(
        200,
        {"transitions": transitions, "requests": requests, "scheduled": pending, "now": iso(ctx.sandbox.clock.now())},
    )


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
    Route(PREFIX + "/seed", ("POST",), seed),
    Route(PREFIX + "/stats", ("GET",), stats),
]
