"""The rule catalog: stable IDs with their title, severity, scope, fields, fix hint and source.

The catalog is data (``data/catalog/*.toml``, one file per rule family); checks in the family modules refer to
rules by ID only, so the wording an officer reads lives in one place.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources

from .report import Severity

SCOPES = frozenset({"payload", "state", "live", "app"})


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    family: str
    title: str
    severity: Severity
    scope: str
    fields: tuple[str, ...]
    hint: str
    source: str
    explanation: str = ""
    #: first day the rule applies (inclusive); ``None`` = always
    effective_from: date | None = None
    #: first day the rule no longer applies; ``None`` = still in force
    effective_until: date | None = None

    def in_force(self, today: date) -> bool:
        if self.effective_from and today < self.effective_from:
            return False
        return not (self.effective_until and today >= self.effective_until)


def _load() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    folder = resources.files("registry.rules") / "data" / "catalog"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        family = entry.name.removesuffix(".toml")
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for rule_id, spec in data.items():
            if rule_id in rules:
                raise ValueError(f"rule {rule_id} is defined twice (in {family} and {rules[rule_id].family})")
            scope = spec["scope"]
            if scope not in SCOPES:
                raise ValueError(f"rule {rule_id}: unknown scope {scope!r}")
            rules[rule_id] = Rule(
                id=rule_id,
                family=family,
                title=spec["title"],
                severity=Severity(spec["severity"]),
                scope=scope,
                fields=tuple(spec.get("fields", ())),
                hint=spec["hint"],
                source=spec["source"],
                explanation=spec.get("explanation", ""),
                effective_from=spec.get("effective_from"),
                effective_until=spec.get("effective_until"),
            )
    return rules


#: every rule, by ID
CATALOG: dict[str, Rule] = _load()


def get_rule(rule_id: str) -> Rule:
    try:
        return CATALOG[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule ID {rule_id!r}; add it to registry/rules/data/catalog/") from None
