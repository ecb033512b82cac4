"""Field-by-field differences between two revision snapshots, with rejection reasons placed beside fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from registry.rules import CATALOG


@dataclass
class FieldDiff:
    field: str
    old: Any
    new: Any
    reasons: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new


def diff_snapshots(old: dict[str, Any], new: dict[str, Any], *,
                   reasons: list[dict[str, Any]] | None = None) -> list[FieldDiff]:
    """Every field present in either snapshot, changed ones first; each rejection reason beside its field
    (its own ``field``, else the first field its rule reads); reasons tied to no field come under ``""``."""
    names = list(dict.fromkeys([*old, *new]))
    rows = {name: FieldDiff(name, old.get(name), new.get(name)) for name in names}
    for reason in reasons or []:
        target = reason.get("field") or _rule_field(reason.get("rule"))
        if target not in rows:
            rows.setdefault("", FieldDiff("", None, None))
            target = ""
        rows[target].reasons.append(reason)
    return sorted(rows.values(), key=lambda d: (not (d.changed or d.reasons), names.index(d.field)
                                                if d.field in names else -1))


def _rule_field(rule_id: str | None) -> str | None:
    rule = CATALOG.get(rule_id or "")
    return rule.fields[0] if rule and rule.fields else None
