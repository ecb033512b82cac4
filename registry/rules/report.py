"""Findings and the report that ``lint()`` returns."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.StrEnum):
    """How bad a finding is.

    ``error``: TCR refuses the payload, or carrier review rejects it in practice.
    ``warning``: a real rejection risk the officer must acknowledge with a reason.
    ``info``: guidance, or a check that needs a live lookup.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Verdict(enum.StrEnum):
    REJECT = "reject"
    WARN = "warn"
    PASS = "pass"  # noqa: S105 (a verdict, not a password)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found on one field.

    ``field`` is the TCR API field name (``sample2``, ``ein``); a prefix ``brand.``/``campaign.`` is never used:
    the rule ID says which object it concerns. Cross-object findings name the campaign field.
    """

    rule: str
    severity: Severity
    field: str | None
    message: str
    hint: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(slots=True)
class Report:
    """All findings of one lint run, most severe first."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        warned = False
        for f in self.findings:
            if f.severity == Severity.ERROR:
                return Verdict.REJECT
            if f.severity == Severity.WARNING:
                warned = True
        return Verdict.WARN if warned else Verdict.PASS

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def rules(self) -> set[str]:
        """The IDs of every rule that produced a finding."""
        return {f.rule for f in self.findings}

    def for_field(self, name: str) -> list[Finding]:
        return [f for f in self.findings if f.field == name]

    def sort(self) -> None:
        if len(self.findings) > 1:
            self.findings.sort(key=_order)

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict.value, "findings": [f.to_dict() for f in self.findings]}


def _order(f: Finding) -> tuple[int, str, str]:
    """Most severe first, then by field and rule (stable for findings equal in all three)."""
    return _RANK[f.severity], f.field or "", f.rule
