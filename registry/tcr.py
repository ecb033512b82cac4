"""Mapping between model columns and TCR CSP API field names.

Columns that mirror a TCR field are declared with :func:`tcr_column`; the TCR name is kept in the column's
``info`` so payloads, audit diffs and revision snapshots all speak the TCR vocabulary the rule engine uses.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import mapped_column


def tcr_column(tcr_name: str, type_: Any, **kw: Any) -> Any:
    info = dict(kw.pop("info", {}), tcr=tcr_name)
    return mapped_column(type_, info=info, **kw)


def tcr_fields(model: type) -> dict[str, str]:
    """``{attribute_name: tcr_name}`` for every TCR column of ``model``, in declaration order."""
    mapper = sa.inspect(model)
    return {attr.key: attr.columns[0].info["tcr"] for attr in mapper.column_attrs
            if "tcr" in attr.columns[0].info}


def to_tcr_payload(obj: Any, *, skip_empty: bool = True) -> dict[str, Any]:
    """The object's TCR fields as a payload for the rule engine or a provider (empty values left out)."""
    payload: dict[str, Any] = {}
    for attr, tcr_name in tcr_fields(type(obj)).items():
        value = getattr(obj, attr)
        if skip_empty and (value is None or value == "" or value == []):
            continue
        payload[tcr_name] = list(value) if isinstance(value, list | tuple) else value
    return payload


def tcr_to_attr(model: type) -> dict[str, str]:
    return {tcr: attr for attr, tcr in tcr_fields(model).items()}
