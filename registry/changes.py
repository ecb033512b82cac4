"""Applying a dict of values to a model and reporting what actually changed (for the audit trail)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from registry.audit.chain import jsonable


def field_name(model: type, attr: str) -> str:
    """The name a change is recorded under: the TCR field name when the column has one."""
    column = sa.inspect(model).column_attrs[attr].columns[0]
    return column.info.get("tcr", attr)


def apply_changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set ``values`` (attribute names) on ``obj``; return ``{field: [old, new]}`` for real changes only."""
    changes: dict[str, list[Any]] = {}
    for attr, new in values.items():
        old = getattr(obj, attr)
        if _same(old, new):
            continue
        setattr(obj, attr, new)
        changes[field_name(type(obj), attr)] = [jsonable(old), jsonable(new)]
    return changes


def snapshot_changes(obj: Any, attrs: list[str]) -> dict[str, list[Any]]:
    """``{field: [None, value]}`` for a newly created object's non-empty attributes."""
    return {field_name(type(obj), a): [None, jsonable(getattr(obj, a))] for a in attrs
            if getattr(obj, a) not in (None, "", [], {})}


def _same(old: Any, new: Any) -> bool:
    if old in (None, "") and new in (None, ""):
        return True
    return jsonable(old) == jsonable(new)
