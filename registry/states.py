"""Status vocabularies shared by brands, campaigns, numbers and revisions.

Stored as their string values with a CHECK constraint (``registry.db.enum_column``). The provider lifecycle
values follow the normalized lifecycle of ``shared/domain/provider-apis.md`` §6.1; ``draft`` and
``awaiting_review``/``queued`` are our own four-eyes workflow before anything reaches a provider.
"""

from __future__ import annotations

import enum


class LabeledEnum(enum.StrEnum):
    """A string enum whose members carry a label for display."""

    __labels__: dict[str, str] = {}

    @property
    def label(self) -> str:
        return self.__labels__.get(self.value, self.value.replace("_", " ").capitalize())


class RegistrationStatus(LabeledEnum):
    """Where a brand or campaign stands, from our draft to the carriers' decision."""

    DRAFT = "draft"
    AWAITING_REVIEW = "awaiting_review"
    QUEUED = "queued"
    SUBMITTED = "submitted"
    PENDING = "pending"
    ACTION_REQUIRED = "action_required"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    FAILED = "failed"
    SUSPENDED = "suspended"
    DEACTIVATED = "deactivated"

    __labels__ = {
        "awaiting_review": "Awaiting four-eyes review",
        "queued": "Approved, queued for submission",
        "in_review": "In carrier review",
        "action_required": "Action required",
    }


class IdentityStatus(LabeledEnum):
    """TCR brand identity (``identityStatus``); ``unknown`` until TCR has scored the brand."""

    UNKNOWN = "unknown"
    SELF_DECLARED = "self_declared"
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    VETTED_VERIFIED = "vetted_verified"


class AssignmentStatus(LabeledEnum):
    """A phone number's assignment to a campaign."""

    UNASSIGNED = "unassigned"
    PENDING = "pending"
    ASSIGNED = "assigned"
    FAILED = "failed"
    PENDING_UNASSIGNMENT = "pending_unassignment"


class RevisionStatus(LabeledEnum):
    """A frozen snapshot's place in the four-eyes review and submission."""

    AWAITING_REVIEW = "awaiting_review"
    RETURNED = "returned"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"

    __labels__ = {"returned": "Sent back for changes", "awaiting_review": "Awaiting review"}


class Role(LabeledEnum):
    """A member's role in an organization; each role includes the rights of those below it."""

    ADMIN = "admin"
    COMPLIANCE_OFFICER = "compliance_officer"
    SUBMITTER = "submitter"
    VIEWER = "viewer"

    __labels__ = {"compliance_officer": "Compliance officer"}


class CarrierState(LabeledEnum):
    """A campaign's state at one carrier (TCR ``operationStatus`` per MNO, normalized)."""

    UNKNOWN = "unknown"
    REVIEW = "review"
    REGISTERED = "registered"
    REJECTED = "rejected"
    SUSPENDED = "suspended"

    __labels__ = {"review": "In review"}


#: MNO network ids (TCR ``mnoId``) and their names; the map is open-ended, unknown ids show as their number
CARRIERS = {
    "10017": "AT&T",
    "10035": "T-Mobile",
    "10037": "US Cellular",
    "10038": "Verizon Wireless",
    "10631": "ClearSky",
    "10901": "Interop",
}
