"""``/twilio/events/v1``: Event Streams Sinks and Subscriptions (twilio-oai ``twilio_events_v1.json``, §3.7).

A webhook sink (``SinkConfiguration`` = JSON string with ``destination``, ``method``, ``batch_events``)
receives the events its account's subscriptions name. Real sinks start ``initialized`` and can be checked
with ``/Test`` + ``/Validate``; the simulator delivers to ``initialized`` and ``active`` sinks alike
(**[UNCONFIRMED]** whether Twilio waits for validation) and does not implement Test/Validate.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..wire import Response, Route
from .errors import invalid, not_found
from .views import form_of, host_url, now_iso, ok, page, sid, state_of

if TYPE_CHECKING:
    from ..sandbox import Context

BASE = "/twilio/events/v1"


def _sink_view(ctx: Context, sink: dict[str, Any]) -> dict[str, Any]:
    url = host_url(ctx, "events", f"/v1/Sinks/{sink['sid']}")
    return {**sink, "url": url, "links": {"sink_test": url + "/Test", "sink_validate": url + "/Validate"}}


def create_sink(ctx: Context) -> Response:
    """``POST /Sinks``: Description, SinkType (webhook | kinesis | segment), SinkConfiguration -> ``DG...``."""
    form = form_of(ctx)
    form.required("Description", "SinkType", "SinkConfiguration")
    if form.get("SinkType") not in ("webhook", "kinesis", "segment"):
        raise invalid("SinkType", "must be webhook, kinesis or segment")
    config = form.json("SinkConfiguration")
    if not isinstance(config, dict):
        raise invalid("SinkConfiguration", "must be a JSON object")
    if form.get("SinkType") == "webhook" and not str(config.get("destination") or "").startswith(
        ("http://", "https://")
    ):
        raise invalid("SinkConfiguration", "a webhook sink needs an http(s) destination")
    now = now_iso(ctx.sandbox)
    sink = {
        "sid": sid(ctx.sandbox, "DG"),
        "description": form.get("Description"),
        "sink_configuration": config,
        "sink_type": form.get("SinkType"),
        "status": "initialized",
        "date_created": now,
        "date_updated": now,
    }
    state_of(ctx).sinks[sink["sid"]] = sink
    return ok(_sink_view(ctx, sink), 201)


def list_sinks(ctx: Context) -> Response:
    return page(ctx, "events", "/v1/Sinks", "sinks", [_sink_view(ctx, s) for s in state_of(ctx).sinks.values()])


def fetch_sink(ctx: Context, sink_sid: str) -> Response:
    sink = state_of(ctx).sinks.get(sink_sid)
    if sink is None:
        raise not_found(ctx.request.path)
    return ok(_sink_view(ctx, sink))


def delete_sink(ctx: Context, sink_sid: str) -> Response:
    state = state_of(ctx)
    if state.sinks.pop(sink_sid, None) is None:
        raise not_found(ctx.request.path)
    for key in [k for k, s in state.subscriptions.items() if s["sink_sid"] == sink_sid]:
        del state.subscriptions[key]
    return Response(204)


def _subscription_view(ctx: Context, sub: dict[str, Any]) -> dict[str, Any]:
    url = host_url(ctx, "events", f"/v1/Subscriptions/{sub['sid']}")
    view = {k: v for k, v in sub.items() if not k.startswith("_")}
    return {**view, "url": url, "links": {"subscribed_events": url + "/SubscribedEvents"}}


def create_subscription(ctx: Context) -> Response:
    """``POST /Subscriptions``: Description, SinkSid, Types (repeated JSON ``{"type", "schema_version"}``)."""
    form = form_of(ctx)
    form.required("Description", "SinkSid", "Types")
    state = state_of(ctx)
    if form.get("SinkSid") not in state.sinks:
        raise invalid("SinkSid", f"{form.get('SinkSid')} is not a sink of this account")
    types = []
    for raw in form.all("Types"):
        try:
            item = json.loads(raw)
        except ValueError:
            raise invalid("Types", "each item must be a JSON object") from None
        if not isinstance(item, dict) or not item.get("type"):
            raise invalid("Types", "each item needs a type")
        types.append({"type": item["type"], "schema_version": item.get("schema_version", 1)})
    now = now_iso(ctx.sandbox)
    sub = {
        "sid": sid(ctx.sandbox, "DF"),
        "account_sid": state.account_sid,
        "description": form.get("Description"),
        "sink_sid": form.get("SinkSid"),
        "date_created": now,
        "date_updated": now,
        "_types": types,
    }
    state.subscriptions[sub["sid"]] = sub
    return ok(_subscription_view(ctx, sub), 201)


def list_subscriptions(ctx: Context) -> Response:
    wanted = ctx.request.query.get("SinkSid")
    rows = [
        _subscription_view(ctx, s)
        for s in state_of(ctx).subscriptions.values()
        if not wanted or s["sink_sid"] == wanted
    ]
    return page(ctx, "events", "/v1/Subscriptions", "subscriptions", rows)


def subscribed_events(ctx: Context, subscription_sid: str) -> Response:
    sub = state_of(ctx).subscriptions.get(subscription_sid)
    if sub is None:
        raise not_found(ctx.request.path)
    rows = [{**t, "account_sid": sub["account_sid"], "subscription_sid": sub["sid"]} for t in sub["_types"]]
    return page(ctx, "events", f"/v1/Subscriptions/{subscription_sid}/SubscribedEvents", "types", rows)


def delete_subscription(ctx: Context, subscription_sid: str) -> Response:
    if state_of(ctx).subscriptions.pop(subscription_sid, None) is None:
        raise not_found(ctx.request.path)
    return Response(204)


ROUTES: list[Route] = [
    Route(BASE + "/Sinks", ("POST",), create_sink),
    Route(BASE + "/Sinks", ("GET",), list_sinks),
    Route(BASE + "/Sinks/<sink_sid>", ("GET",), fetch_sink),
    Route(BASE + "/Sinks/<sink_sid>", ("DELETE",), delete_sink),
    Route(BASE + "/Subscriptions", ("POST",), create_subscription),
    Route(BASE + "/Subscriptions", ("GET",), list_subscriptions),
    Route(BASE + "/Subscriptions/<subscription_sid>", ("DELETE",), delete_subscription),
    Route(BASE + "/Subscriptions/<subscription_sid>/SubscribedEvents", ("GET",), subscribed_events),
]
