"""Create/update/delete for organization-owned registration records, each with its audit event.

Brand and campaign operations build on these; payloads use TCR field names (the vocabulary shared by the
forms, the rule engine, the API and the audit trail).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.changes import apply_changes, snapshot_changes
from registry.errors import IntegrityViolation, NotFound, UserValueError
from registry.locking import check_version
from registry.tcr import tcr_to_attr

M = TypeVar("M")


def payload_to_attrs(model: type, payload: dict[str, Any]) -> dict[str, Any]:
    """Translate TCR field names to attribute names; unknown fields are a user error, never ignored."""
    mapping = tcr_to_attr(model)
    unknown = sorted(set(payload) - set(mapping))
    if unknown:
        raise UserValueError(f"Unknown field(s) for a {model.__tablename__}: {', '.join(unknown)}",
                             field=unknown[0])
    return {mapping[name]: _clean(value) for name, value in payload.items()}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def get_owned(session: Session, model: type[M], organization_id: int, record_id: int) -> M:
    """The record with this id in this organization; 404 for other organizations' ids (never 403)."""
    obj = session.scalar(sa.select(model).where(model.id == record_id,  # type: ignore[attr-defined]
                                                model.organization_id == organization_id))  # type: ignore[attr-defined]
    if obj is None:
        raise NotFound(f"No {model.__tablename__.replace('_', ' ')} with id {record_id} in this organization.")
    return obj


def get_by_reference(session: Session, model: type[M], organization_id: int, reference: str) -> M:
    obj = session.scalar(sa.select(model).where(model.reference == reference,  # type: ignore[attr-defined]
                                                model.organization_id == organization_id))  # type: ignore[attr-defined]
    if obj is None:
        raise NotFound(f"No {model.__tablename__} with reference {reference!r} in this organization.")
    return obj


def ensure_unique_reference(session: Session, model: type, organization_id: int, reference: str | None,
                            *, exclude_id: int | None = None) -> None:
    if not reference:
        raise UserValueError("A reference is required: a short key of your own, unique in your organization.",
                             field="referenceId")
    stmt = sa.select(model.id).where(model.organization_id == organization_id,  # type: ignore[attr-defined]
                                     model.reference == reference)  # type: ignore[attr-defined]
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)  # type: ignore[attr-defined]
    if session.scalar(stmt) is not None:
        raise IntegrityViolation(f"The reference {reference!r} is already used by another "
                                 f"{model.__tablename__} in your organization; choose another.",
                                 field="referenceId")


def apply_scalar_defaults(obj: Any) -> None:
    """Fill unset columns with their scalar defaults now (SQLAlchemy applies them only at INSERT), so the
    object can be checked before it is first written."""
    mapper = sa.inspect(type(obj))
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if getattr(obj, attr.key) is None and column.default is not None and column.default.is_scalar:
            setattr(obj, attr.key, column.default.arg)


def create_record(session: Session, obj: M, *, actor: Actor, entity_type: str, label: str,
                  derive: Callable[[Any], object] | None = None) -> M:
    """Insert ``obj`` and record every field it was created with; ``derive`` as in :func:`update_record`."""
    if derive is not None:
        apply_scalar_defaults(obj)
        derive(obj)
    session.add(obj)
    session.flush()
    attrs = [a.key for a in sa.inspect(type(obj)).column_attrs]
    record(session, organization_id=obj.organization_id, actor=actor, action="create",  # type: ignore[attr-defined]
           entity_type=entity_type, entity_id=obj.id, summary=f"{label} created",  # type: ignore[attr-defined]
           changes=snapshot_changes(obj, [a for a in attrs if a not in _NOT_AUDITED]))
    return obj


#: bookkeeping columns, not facts about the registration
_NOT_AUDITED = frozenset({"id", "organization_id", "version", "created_at", "updated_at", "created_by_id",
                          "lint_errors", "lint_warnings"})


def update_record(session: Session, obj: Any, values: dict[str, Any], *, actor: Actor, entity_type: str,
                  label: str, expected_version: int | None, action: str = "update",
                  summary: str | None = None, derive: Callable[[Any], object] | None = None) -> dict[str, list[Any]]:
    """Apply ``values`` (attribute names); record the diff. Returns ``{field: [old, new]}``.

    ``derive`` updates bookkeeping columns from the new values before the row is written, so one save is one
    UPDATE (one version step).
    """
    check_version(obj, expected_version, what=f"The {entity_type.replace('_', ' ')} {label}")
    changes = apply_changes(obj, values)
    if changes:
        if derive is not None:
            derive(obj)
        session.flush()
        record(session, organization_id=obj.organization_id, actor=actor, action=action,
               entity_type=entity_type, entity_id=obj.id,
               summary=summary or f"{label}: {', '.join(sorted(changes))} changed", changes=changes)
    return changes


def delete_record(session: Session, obj: Any, *, actor: Actor, entity_type: str, label: str) -> None:
    attrs = [a.key for a in sa.inspect(type(obj)).column_attrs if a.key not in _NOT_AUDITED]
    record(session, organization_id=obj.organization_id, actor=actor, action="delete",
           entity_type=entity_type, entity_id=obj.id, summary=f"{label} deleted",
           changes={k: [new, None] for k, (_, new) in snapshot_changes(obj, attrs).items()})
    session.delete(obj)
    session.flush()
