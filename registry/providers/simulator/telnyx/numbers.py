"""``/v2/10dlc/phone_number_campaigns`` and ``/v2/10dlc/phoneNumberAssignmentByProfile``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..wire import Response, Route
from .errors import bad_value, duplicate, entry, invalid, missing, not_found, refused
from .state import SimCampaign, SimTask, TelnyxState
from .validation import E164
from .views import body_of, ok, page, state_of

if TYPE_CHECKING:
    from ..sandbox import Context

SORTABLE = ("assignmentStatus", "createdAt", "phoneNumber")
FILTERS = {
    "filter[telnyx_campaign_id]": "telnyxCampaignId",
    "filter[telnyx_brand_id]": "brandId",
    "filter[tcr_campaign_id]": "tcrCampaignId",
    "filter[tcr_brand_id]": "tcrBrandId",
}


def _campaign_for_numbers(state: TelnyxState, campaign_id: Any) -> SimCampaign:
    campaign = state.campaigns.get(str(campaign_id))
    if campaign is None:
        raise invalid([entry("10017", f"Campaign {campaign_id} does not exist.", "campaignId")])
    if campaign.status != "MNO_PROVISIONED":
        raise refused(
            "10015",
            f"Numbers can be assigned once the campaign is MNO_PROVISIONED; it is {campaign.status}.",
            title="Campaign not provisioned",
            pointer="campaignId",
        )
    return campaign


def assign(ctx: Context) -> Response:
    """``POST /10dlc/phone_number_campaigns`` ``{phoneNumber, campaignId}``: PENDING_ASSIGNMENT."""
    state = state_of(ctx)
    body = body_of(ctx.request)
    errors = [missing(f) for f in ("phoneNumber", "campaignId") if not body.get(f)]
    if body.get("phoneNumber") and not E164.match(str(body["phoneNumber"])):
        errors.append(bad_value("phoneNumber", "phoneNumber must be in +E.164 format.", "10016"))
    if errors:
        raise invalid(errors)
    number = str(body["phoneNumber"])
    if number in state.assignments:
        # one number belongs to at most one campaign; moving it is a PUT
        raise duplicate(
            f"{number} is already assigned to campaign {state.assignments[number]['campaignId']}.",
            "phoneNumber",
        )
    campaign = _campaign_for_numbers(state, body["campaignId"])
    return ok(ctx.machine.assign(state, campaign, number))


def _assignment_or_404(state: TelnyxState, number: str) -> dict[str, Any]:
    row = state.assignments.get(number)
    if row is None:
        raise not_found("Phone number campaign", number)
    return row


def get_assignment(ctx: Context, phone_number: str) -> Response:
    """``GET /10dlc/phone_number_campaigns/{phoneNumber}``."""
    return ok(_assignment_or_404(state_of(ctx), phone_number))


def move_assignment(ctx: Context, phone_number: str) -> Response:
    """``PUT /10dlc/phone_number_campaigns/{phoneNumber}``: move to another campaign."""
    state = state_of(ctx)
    _assignment_or_404(state, phone_number)
    body = body_of(ctx.request)
    if not body.get("campaignId"):
        raise invalid([missing("campaignId")])
    campaign = _campaign_for_numbers(state, body["campaignId"])
    del state.assignments[phone_number]
    return ok(ctx.machine.assign(state, campaign, phone_number))


def unassign(ctx: Context, phone_number: str) -> Response:
    """``DELETE /10dlc/phone_number_campaigns/{phoneNumber}``: PENDING_UNASSIGNMENT, then gone."""
    state = state_of(ctx)
    row = _assignment_or_404(state, phone_number)
    if row["assignmentStatus"] != "PENDING_UNASSIGNMENT":
        ctx.machine.unassign(state, row)
    return ok(row)


def list_assignments(ctx: Context) -> Response:
    """``GET /10dlc/phone_number_campaigns`` with ``filter[...]``, sorted and paged."""
    state, q = state_of(ctx), ctx.request.query
    rows = [
        row
        for row in state.assignments.values()
        if all(row.get(field) == q[param] for param, field in FILTERS.items() if q.get(param))
    ]
    return ok(page(rows, q, sortable=SORTABLE, seq=lambda r: state.assignment_seq.get(r["phoneNumber"], 0)))


def bulk_assign(ctx: Context) -> Response:
    """``POST /10dlc/phoneNumberAssignmentByProfile``: every number of a messaging profile, as a task."""
    state = state_of(ctx)
    body = body_of(ctx.request)
    errors = [] if body.get("messagingProfileId") else [missing("messagingProfileId")]
    if bool(body.get("campaignId")) == bool(body.get("tcrCampaignId")):
        errors.append(bad_value("campaignId", "Provide exactly one of campaignId and tcrCampaignId."))
    profile = str(body.get("messagingProfileId"))
    if body.get("messagingProfileId") and profile not in state.profiles:
        errors.append(entry("10017", f"Messaging profile {profile} does not exist.", "messagingProfileId"))
    if errors:
        raise invalid(errors)
    campaign_id = body.get("campaignId")
    if not campaign_id:
        found = [c.id for c in state.campaigns.values() if c.data.get("tcrCampaignId") == body["tcrCampaignId"]]
        campaign_id = found[0] if found else body["tcrCampaignId"]
    campaign = _campaign_for_numbers(state, campaign_id)
    now = ctx.machine.now()
    task_id = ctx.sandbox.ids.uuid()
    task = SimTask(
        data={"taskId": task_id, "status": "pending", "createdAt": now, "updatedAt": now},
        campaign_id=campaign.id,
    )
    state.tasks[task_id] = task
    ctx.machine.run_task(state, task, campaign, list(state.profiles[profile]))
    return ok(
        {
            "messagingProfileId": profile,
            "campaignId": campaign.id,
            "taskId": task_id,
            "tcrCampaignId": campaign.data.get("tcrCampaignId"),
        }
    )


def _task_or_404(state: TelnyxState, task_id: str) -> SimTask:
    task = state.tasks.get(task_id)
    if task is None:
        raise not_found("Task", task_id)
    return task


def task_status(ctx: Context, task_id: str) -> Response:
    """``GET /10dlc/phoneNumberAssignmentByProfile/{taskId}``."""
    return ok(_task_or_404(state_of(ctx), task_id).data)


def task_numbers(ctx: Context, task_id: str) -> Response:
    """``GET /10dlc/phoneNumberAssignmentByProfile/{taskId}/phoneNumbers``: ``{records: [...]}``."""
    task = _task_or_404(state_of(ctx), task_id)
    rows = [dict(r, _seq=i) for i, r in enumerate(task.numbers)]
    result = page(rows, ctx.request.query, sortable=("phoneNumber", "createdAt"), seq=lambda r: r["_seq"])
    result["records"] = sorted(result["records"], key=lambda r: r["_seq"])
    for row in result["records"]:
        row.pop("_seq", None)
    return ok(result)


ROUTES = [
    Route("/10dlc/phone_number_campaigns", ("POST",), assign),
    Route("/10dlc/phone_number_campaigns", ("GET",), list_assignments),
    Route("/10dlc/phone_number_campaigns/<phone_number>", ("GET",), get_assignment),
    Route("/10dlc/phone_number_campaigns/<phone_number>", ("PUT",), move_assignment),
    Route("/10dlc/phone_number_campaigns/<phone_number>", ("DELETE",), unassign),
    Route("/10dlc/phoneNumberAssignmentByProfile", ("POST",), bulk_assign),
    Route("/10dlc/phoneNumberAssignmentByProfile/<task_id>", ("GET",), task_status),
    Route("/10dlc/phoneNumberAssignmentByProfile/<task_id>/phoneNumbers", ("GET",), task_numbers),
]
