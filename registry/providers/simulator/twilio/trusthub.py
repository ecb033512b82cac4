"""``/twilio/trusthub/v1``: CustomerProfiles, TrustProducts, EndUsers, SupportingDocuments, their entity
assignments and evaluations (twilio-oai ``twilio_trusthub_v1.json``; end-user attribute names [2ND], §3.2).

An evaluation checks the bundle against its policy: the end users and documents the policy needs must be
assigned and carry every required attribute; a CustomerProfile needs the ISV's approved primary profile, a
TrustProduct the customer profile it describes. ``results`` lists one entry per requirement with the fields
that failed (``invalid[].object_field``). Submitting (``Status=pending-review``) starts the review (see
lifecycle); a bundle submitted while noncompliant is ``twilio-rejected``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..scenarios import parse as parse_scenario
from ..wire import Response, Route
from .errors import error, invalid, not_found
from .lifecycle import TwilioMachine
from .state import (
    A2P_TRUST_PRODUCT_POLICY,
    CUSTOMER_PROFILE_POLICIES,
    PRIMARY_PROFILE_POLICY,
    SECONDARY_PROFILE_POLICY,
    SOLE_PROP_TRUST_PRODUCT_POLICY,
    STARTER_PROFILE_POLICY,
    TRUST_PRODUCT_POLICIES,
    SimBundle,
    TwilioState,
)
from .views import form_of, host_url, now_iso, ok, page, sid, state_of

if TYPE_CHECKING:
    from ..sandbox import Context

BASE = "/twilio/trusthub/v1"
STATUSES = ("draft", "pending-review", "in-review", "twilio-rejected", "twilio-approved")

#: end-user type -> attributes a policy requires of it
BUSINESS_INFO = (
    "business_name", "business_identity", "business_type", "business_industry", "business_registration_identifier",
    "business_registration_number", "business_regions_of_operation", "website_url",
)  # fmt: skip
AUTHORIZED_REP = ("first_name", "last_name", "email", "phone_number", "business_title", "job_position")
STARTER_INFO = ("first_name", "last_name", "email", "phone_number")
END_USER_TYPES = {
    "customer_profile_business_information",
    "authorized_representative_1",
    "authorized_representative_2",
    "starter_customer_profile_information",
    "us_a2p_messaging_profile_information",
    "sole_proprietor_information",
}
DOCUMENT_TYPES = {"customer_profile_address"}


def machine(ctx: Context) -> TwilioMachine:
    return ctx.sandbox.machine("twilio", TwilioMachine)


# ---------------------------------------------------------------------------------------------------- views
def _bundle_view(ctx: Context, bundle: SimBundle) -> dict[str, Any]:
    kind = "CustomerProfiles" if bundle.kind == "customer_profile" else "TrustProducts"
    prefix = "customer_profiles" if bundle.kind == "customer_profile" else "trust_products"
    url = host_url(ctx, "trusthub", f"/v1/{kind}/{bundle.sid}")
    return {
        **bundle.data,
        "url": url,
        "links": {
            f"{prefix}_entity_assignments": url + "/EntityAssignments",
            f"{prefix}_evaluations": url + "/Evaluations",
            f"{prefix}_channel_endpoint_assignment": url + "/ChannelEndpointAssignments",
        },
    }


def _bundles(ctx: Context, kind: str) -> dict[str, SimBundle]:
    state = state_of(ctx)
    return state.customer_profiles if kind == "customer_profile" else state.trust_products


def _bundle_or_404(ctx: Context, kind: str, bundle_sid: str) -> SimBundle:
    bundle = _bundles(ctx, kind).get(bundle_sid)
    if bundle is None:
        raise not_found(ctx.request.path)
    return bundle


# ---------------------------------------------------------------------------------------------------- bundles
def create_bundle(ctx: Context, kind: str) -> Response:
    """``POST /CustomerProfiles`` | ``/TrustProducts``: FriendlyName, Email, PolicySid; optional StatusCallback."""
    form = form_of(ctx)
    form.required("FriendlyName", "Email", "PolicySid")
    policies = CUSTOMER_PROFILE_POLICIES if kind == "customer_profile" else TRUST_PRODUCT_POLICIES
    if form.get("PolicySid") not in policies:
        raise invalid("PolicySid", f"{form.get('PolicySid')} is not a {kind.replace('_', ' ')} policy")
    state = state_of(ctx)
    now = now_iso(ctx.sandbox)
    bundle_sid = sid(ctx.sandbox, "BU")
    bundle = SimBundle(
        data={
            "sid": bundle_sid,
            "account_sid": state.account_sid,
            "policy_sid": form.get("PolicySid"),
            "friendly_name": form.get("FriendlyName"),
            "status": "draft",
            "valid_until": None,
            "email": form.get("Email"),
            "status_callback": form.get("StatusCallback"),
            "errors": None,
            "date_created": now,
            "date_updated": now,
        },
        kind=kind,
    )
    _bundles(ctx, kind)[bundle_sid] = bundle
    return ok(_bundle_view(ctx, bundle), 201)


def list_bundles(ctx: Context, kind: str) -> Response:
    """List with the spec's filters ``Status``, ``FriendlyName``, ``PolicySid``; key ``results``."""
    q = ctx.request.query
    rows = [
        _bundle_view(ctx, b)
        for b in _bundles(ctx, kind).values()
        if all(
            not q.get(p) or b.data[f] == q[p]
            for p, f in (("Status", "status"), ("FriendlyName", "friendly_name"), ("PolicySid", "policy_sid"))
        )
    ]
    path = "/v1/CustomerProfiles" if kind == "customer_profile" else "/v1/TrustProducts"
    return page(ctx, "trusthub", path, "results", rows)


def fetch_bundle(ctx: Context, kind: str, bundle_sid: str) -> Response:
    return ok(_bundle_view(ctx, _bundle_or_404(ctx, kind, bundle_sid)))


def update_bundle(ctx: Context, kind: str, bundle_sid: str) -> Response:
    """``POST .../{BU}``: ``Status`` (only ``pending-review``, from draft or twilio-rejected), FriendlyName,
    Email, StatusCallback."""
    bundle = _bundle_or_404(ctx, kind, bundle_sid)
    form = form_of(ctx)
    for name, key in (("FriendlyName", "friendly_name"), ("Email", "email"), ("StatusCallback", "status_callback")):
        if form.get(name):
            bundle.data[key] = form.get(name)
    status = form.get("Status")
    if status:
        if status != "pending-review":
            raise invalid("Status", "only pending-review can be requested")
        if bundle.status not in ("draft", "twilio-rejected"):
            raise error(400, 20001, f"Bundle {bundle_sid} is {bundle.status} and cannot be submitted")
        state = state_of(ctx)
        evaluation = evaluate(state, bundle)
        if evaluation["status"] != "compliant":
            bundle.data["status"] = "twilio-rejected"
            bundle.data["errors"] = [
                {"code": r["error_code"], "message": r["failure_reason"], "object_type": r["object_type"]}
                for r in evaluation["results"]
                if not r["passed"]
            ]
        else:
            bundle.data["errors"] = None
            machine(ctx).submit_bundle(state, bundle)
    bundle.data["date_updated"] = now_iso(ctx.sandbox)
    return ok(_bundle_view(ctx, bundle), 202 if status else 200)


def delete_bundle(ctx: Context, kind: str, bundle_sid: str) -> Response:
    bundle = _bundle_or_404(ctx, kind, bundle_sid)
    if bundle.data["policy_sid"] == PRIMARY_PROFILE_POLICY:
        raise error(400, 20001, "The primary customer profile cannot be deleted")
    del _bundles(ctx, kind)[bundle_sid]
    return Response(204)


# ---------------------------------------------------------------------------------------------------- assignments
def _assignment_view(ctx: Context, bundle: SimBundle, row: dict[str, Any]) -> dict[str, Any]:
    kind = "CustomerProfiles" if bundle.kind == "customer_profile" else "TrustProducts"
    return {**row, "url": host_url(ctx, "trusthub", f"/v1/{kind}/{bundle.sid}/EntityAssignments/{row['sid']}")}


def create_assignment(ctx: Context, kind: str, bundle_sid: str) -> Response:
    """``POST .../{BU}/EntityAssignments`` ``ObjectSid`` = an end user, supporting document or bundle."""
    bundle = _bundle_or_404(ctx, kind, bundle_sid)
    form = form_of(ctx)
    form.required("ObjectSid")
    object_sid = form.get("ObjectSid") or ""
    state = state_of(ctx)
    if not (object_sid in state.end_users or object_sid in state.documents or state.bundle(object_sid)):
        raise error(400, 20001, f"Invalid parameter ObjectSid: {object_sid} does not exist")
    if object_sid in bundle.object_sids():
        raise error(409, 20001, f"{object_sid} is already assigned to {bundle_sid}")
    if bundle.status not in ("draft", "twilio-rejected"):
        raise error(400, 20001, f"Bundle {bundle_sid} is {bundle.status}: assignments can only change in draft")
    key = "customer_profile_sid" if kind == "customer_profile" else "trust_product_sid"
    row = {
        "sid": sid(ctx.sandbox, "BV"),
        key: bundle_sid,
        "account_sid": state.account_sid,
        "object_sid": object_sid,
        "date_created": now_iso(ctx.sandbox),
    }
    bundle.assignments[row["sid"]] = row
    return ok(_assignment_view(ctx, bundle, row), 201)


def list_assignments(ctx: Context, kind: str, bundle_sid: str) -> Response:
    bundle = _bundle_or_404(ctx, kind, bundle_sid)
    rows = [_assignment_view(ctx, bundle, r) for r in bundle.assignments.values()]
    name = "CustomerProfiles" if kind == "customer_profile" else "TrustProducts"
    return page(ctx, "trusthub", f"/v1/{name}/{bundle_sid}/EntityAssignments", "results", rows)


def delete_assignment(ctx: Context, kind: str, bundle_sid: str, assignment_sid: str) -> Response:
    bundle = _bundle_or_404(ctx, kind, bundle_sid)
    if bundle.assignments.pop(assignment_sid, None) is None:
        raise not_found(ctx.request.path)
    return Response(204)


# ---------------------------------------------------------------------------------------------------- evaluations
def _requirement(
    state: TwilioState, objects: Sequence[str], name: str, label: str, object_type: str, fields: Sequence[str]
) -> dict[str, Any]:
    """One evaluation result: is an object of ``object_type`` assigned with every field in ``fields``?"""
    found = None
    for obj in objects:
        row = state.end_users.get(obj) or state.documents.get(obj)
        if row is not None and row["type"] == object_type:
            found = row
            break
    result: dict[str, Any] = {
        "friendly_name": label,
        "object_type": object_type,
        "requirement_name": name,
        "requirement_friendly_name": label,
        "passed": False,
        "failure_reason": None,
        "error_code": None,
        "valid": [],
        "invalid": [],
    }
    if found is None:
        result["failure_reason"] = f"No {object_type} is assigned"
        result["error_code"] = 22214
        result["invalid"] = [
            {"friendly_name": f, "object_field": f, "failure_reason": "missing", "error_code": 22214} for f in fields
        ]
        return result
    attributes = found.get("attributes") or {}
    for f in fields:
        value = attributes.get(f)
        if object_type == "customer_profile_address" and f == "address_sids":
            sids = value if isinstance(value, list) else [value]
            good = bool(value) and all(s in state.addresses for s in sids)
        else:
            good = value not in (None, "", [])
        entry = {
            "friendly_name": f,
            "object_field": f,
            "failure_reason": None if good else "missing or empty",
            "error_code": None if good else 22215,
        }
        (result["valid"] if good else result["invalid"]).append(entry)
    result["passed"] = not result["invalid"]
    if not result["passed"]:
        result["failure_reason"] = "Required fields are missing or empty"
        result["error_code"] = 22215
    return result


def _bundle_requirement(
    state: TwilioState, objects: Sequence[str], label: str, policies: Sequence[str], approved: bool
) -> dict[str, Any]:
    ok_ = any(
        (b := state.customer_profiles.get(o)) is not None
        and b.data["policy_sid"] in policies
        and (not approved or b.status == "twilio-approved")
        for o in objects
    )
    return {
        "friendly_name": label,
        "object_type": "customer_profile",
        "requirement_name": label.lower().replace(" ", "_"),
        "requirement_friendly_name": label,
        "passed": ok_,
        "failure_reason": None if ok_ else f"No {label.lower()} is assigned",
        "error_code": None if ok_ else 22214,
        "valid": [],
        "invalid": []
        if ok_
        else [
            {
                "friendly_name": label,
                "object_field": "customer_profile_sid",
                "failure_reason": "missing",
                "error_code": 22214,
            }
        ],
    }


def evaluate(state: TwilioState, bundle: SimBundle) -> dict[str, Any]:
    """Check a bundle against its policy (module docs); **[UNCONFIRMED]** error codes 22214 (object missing)
    and 22215 (field missing) stand in for Trust Hub's own evaluation codes."""
    objects = bundle.object_sids()
    policy = bundle.data["policy_sid"]
    results: list[dict[str, Any]]
    if policy == SECONDARY_PROFILE_POLICY:
        results = [
            _requirement(
                state,
                objects,
                "business_info",
                "Business Information",
                "customer_profile_business_information",
                BUSINESS_INFO,
            ),
            _requirement(
                state,
                objects,
                "authorized_representative_1",
                "Authorized Representative",
                "authorized_representative_1",
                AUTHORIZED_REP,
            ),
            _requirement(
                state, objects, "business_address", "Business Address", "customer_profile_address", ("address_sids",)
            ),
            _bundle_requirement(state, objects, "Primary Customer Profile", (PRIMARY_PROFILE_POLICY,), True),
        ]
    elif policy == STARTER_PROFILE_POLICY:
        results = [
            _requirement(
                state,
                objects,
                "starter_info",
                "Starter Profile Information",
                "starter_customer_profile_information",
                STARTER_INFO,
            ),
            _requirement(
                state, objects, "business_address", "Business Address", "customer_profile_address", ("address_sids",)
            ),
            _bundle_requirement(state, objects, "Primary Customer Profile", (PRIMARY_PROFILE_POLICY,), True),
        ]
    elif policy == A2P_TRUST_PRODUCT_POLICY:
        info = _requirement(
            state,
            objects,
            "a2p_profile",
            "A2P Messaging Profile",
            "us_a2p_messaging_profile_information",
            ("company_type",),
        )
        user = next(
            (
                state.end_users[o]
                for o in objects
                if o in state.end_users and state.end_users[o]["type"] == "us_a2p_messaging_profile_information"
            ),
            None,
        )
        if user and (user["attributes"] or {}).get("company_type") == "public":
            extra = _requirement(
                state,
                objects,
                "a2p_profile",
                "A2P Messaging Profile",
                "us_a2p_messaging_profile_information",
                ("company_type", "stock_exchange", "stock_ticker"),
            )
            info = extra
        results = [
            info,
            _bundle_requirement(state, objects, "Secondary Customer Profile", (SECONDARY_PROFILE_POLICY,), False),
        ]
    elif policy == SOLE_PROP_TRUST_PRODUCT_POLICY:
        results = [
            _requirement(
                state,
                objects,
                "sole_proprietor",
                "Sole Proprietor Information",
                "sole_proprietor_information",
                ("brand_name", "vertical", "mobile_phone_number"),
            ),
            _bundle_requirement(state, objects, "Starter Customer Profile", (STARTER_PROFILE_POLICY,), False),
        ]
    else:
        results = []
    return {"status": "compliant" if all(r["passed"] for r in results) else "noncompliant", "results": results}


def create_evaluation(ctx: Context, kind: str, bundle_sid: str) -> Response:
    """``POST .../{BU}/Evaluations`` ``PolicySid`` -> ``EL...`` with ``status`` and per-requirement ``results``."""
    bundle = _bundle_or_404(ctx, kind, bundle_sid)
    form = form_of(ctx)
    form.required("PolicySid")
    if form.get("PolicySid") != bundle.data["policy_sid"]:
        raise invalid("PolicySid", "does not match the bundle's policy")
    state = state_of(ctx)
    outcome = evaluate(state, bundle)
    key = "customer_profile_sid" if kind == "customer_profile" else "trust_product_sid"
    name = "CustomerProfiles" if kind == "customer_profile" else "TrustProducts"
    row = {
        "sid": sid(ctx.sandbox, "EL"),
        "account_sid": state.account_sid,
        "policy_sid": bundle.data["policy_sid"],
        key: bundle_sid,
        "status": outcome["status"],
        "results": outcome["results"],
        "date_created": now_iso(ctx.sandbox),
    }
    row["url"] = host_url(ctx, "trusthub", f"/v1/{name}/{bundle_sid}/Evaluations/{row['sid']}")
    bundle.evaluations.append(row)
    return ok(row, 201)


def list_evaluations(ctx: Context, kind: str, bundle_sid: str) -> Response:
    bundle = _bundle_or_404(ctx, kind, bundle_sid)
    name = "CustomerProfiles" if kind == "customer_profile" else "TrustProducts"
    return page(ctx, "trusthub", f"/v1/{name}/{bundle_sid}/Evaluations", "results", bundle.evaluations)


# ------------------------------------------------------------------------------------ end users & documents
def _attributes(ctx: Context, required: bool = True) -> tuple[str | None, Mapping[str, Any] | None]:
    form = form_of(ctx)
    attributes = form.json("Attributes")
    if attributes is not None and not isinstance(attributes, dict):
        raise invalid("Attributes", "must be a JSON object")
    friendly = form.get("FriendlyName")
    texts = [friendly, *(v for v in (attributes or {}).values() if isinstance(v, str))]
    try:
        parse_scenario(*texts)
    except ValueError as exc:
        raise invalid("FriendlyName", str(exc)) from None
    return friendly, attributes


def create_end_user(ctx: Context) -> Response:
    """``POST /EndUsers``: FriendlyName, Type, Attributes (a JSON string) -> ``IT...``."""
    form = form_of(ctx)
    form.required("FriendlyName", "Type")
    if form.get("Type") not in END_USER_TYPES:
        raise invalid("Type", f"{form.get('Type')} is not an end-user type")
    friendly, attributes = _attributes(ctx)
    state = state_of(ctx)
    now = now_iso(ctx.sandbox)
    row = {
        "sid": sid(ctx.sandbox, "IT"),
        "account_sid": state.account_sid,
        "friendly_name": friendly,
        "type": form.get("Type"),
        "attributes": dict(attributes or {}),
        "date_created": now,
        "date_updated": now,
    }
    state.end_users[row["sid"]] = row
    return ok({**row, "url": host_url(ctx, "trusthub", f"/v1/EndUsers/{row['sid']}")}, 201)


def fetch_end_user(ctx: Context, end_user_sid: str) -> Response:
    row = state_of(ctx).end_users.get(end_user_sid)
    if row is None:
        raise not_found(ctx.request.path)
    return ok({**row, "url": host_url(ctx, "trusthub", f"/v1/EndUsers/{end_user_sid}")})


def update_end_user(ctx: Context, end_user_sid: str) -> Response:
    """``POST /EndUsers/{IT}``: FriendlyName and/or Attributes (replaced as a whole)."""
    row = state_of(ctx).end_users.get(end_user_sid)
    if row is None:
        raise not_found(ctx.request.path)
    friendly, attributes = _attributes(ctx)
    if friendly:
        row["friendly_name"] = friendly
    if attributes is not None:
        row["attributes"] = dict(attributes)
    row["date_updated"] = now_iso(ctx.sandbox)
    return ok({**row, "url": host_url(ctx, "trusthub", f"/v1/EndUsers/{end_user_sid}")})


def list_end_users(ctx: Context) -> Response:
    rows = [
        {**r, "url": host_url(ctx, "trusthub", f"/v1/EndUsers/{r['sid']}")} for r in state_of(ctx).end_users.values()
    ]
    return page(ctx, "trusthub", "/v1/EndUsers", "results", rows)


def create_document(ctx: Context) -> Response:
    """``POST /SupportingDocuments``: FriendlyName, Type, Attributes (``{"address_sids": "AD..."}``) -> ``RD...``."""
    form = form_of(ctx)
    form.required("FriendlyName", "Type")
    if form.get("Type") not in DOCUMENT_TYPES:
        raise invalid("Type", f"{form.get('Type')} is not a supporting document type")
    friendly, attributes = _attributes(ctx)
    state = state_of(ctx)
    sids = (attributes or {}).get("address_sids")
    for address in sids if isinstance(sids, list) else [sids]:
        if address not in state.addresses:
            raise invalid("Attributes", f"address_sids: {address} is not an address of this account")
    now = now_iso(ctx.sandbox)
    row = {
        "sid": sid(ctx.sandbox, "RD"),
        "account_sid": state.account_sid,
        "friendly_name": friendly,
        "mime_type": None,
        "status": "DRAFT",
        "failure_reason": None,
        "errors": None,
        "type": form.get("Type"),
        "attributes": dict(attributes or {}),
        "date_created": now,
        "date_updated": now,
    }
    state.documents[row["sid"]] = row
    return ok({**row, "url": host_url(ctx, "trusthub", f"/v1/SupportingDocuments/{row['sid']}")}, 201)


def fetch_document(ctx: Context, document_sid: str) -> Response:
    row = state_of(ctx).documents.get(document_sid)
    if row is None:
        raise not_found(ctx.request.path)
    return ok({**row, "url": host_url(ctx, "trusthub", f"/v1/SupportingDocuments/{document_sid}")})


def _both(rule: str, methods: tuple[str, ...], handler: Any) -> list[Route]:
    """The same route for CustomerProfiles and TrustProducts."""
    return [
        Route(BASE + "/CustomerProfiles" + rule, methods, lambda ctx, **a: handler(ctx, "customer_profile", **a)),
        Route(BASE + "/TrustProducts" + rule, methods, lambda ctx, **a: handler(ctx, "trust_product", **a)),
    ]


ROUTES: list[Route] = [
    *_both("", ("POST",), create_bundle),
    *_both("", ("GET",), list_bundles),
    *_both("/<bundle_sid>", ("GET",), fetch_bundle),
    *_both("/<bundle_sid>", ("POST",), update_bundle),
    *_both("/<bundle_sid>", ("DELETE",), delete_bundle),
    *_both("/<bundle_sid>/EntityAssignments", ("POST",), create_assignment),
    *_both("/<bundle_sid>/EntityAssignments", ("GET",), list_assignments),
    *_both("/<bundle_sid>/EntityAssignments/<assignment_sid>", ("DELETE",), delete_assignment),
    *_both("/<bundle_sid>/Evaluations", ("POST",), create_evaluation),
    *_both("/<bundle_sid>/Evaluations", ("GET",), list_evaluations),
    Route(BASE + "/EndUsers", ("POST",), create_end_user),
    Route(BASE + "/EndUsers", ("GET",), list_end_users),
    Route(BASE + "/EndUsers/<end_user_sid>", ("GET",), fetch_end_user),
    Route(BASE + "/EndUsers/<end_user_sid>", ("POST",), update_end_user),
    Route(BASE + "/SupportingDocuments", ("POST",), create_document),
    Route(BASE + "/SupportingDocuments/<document_sid>", ("GET",), fetch_document),
]
