"""The one entry point every caller uses: forms, the CLI, the API and the pre-submission gate.

A *check* is a function ``(ctx) -> Iterable[Finding]`` registered with :func:`check` for the rule IDs it can
report. Checks live in ``registry.rules.checks.<family>`` and are discovered on first use, so adding a family
means adding a module, nothing else.

Which checks run is planned once per day, combination of payloads and set of ``state`` keys: a check that
says which ``state`` keys it needs (``@check(..., state=(...))``) is left out when none of them is given, so
the many state-scope rules cost nothing on a payload-only lint. Hot checks return a list or tuple (an empty
one when silent) rather than a generator.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from .catalog import CATALOG, get_rule
from .report import Finding, Report, Severity

BRAND = "brand"
CAMPAIGN = "campaign"
BOTH = "both"
ANY = "any"


@dataclass(slots=True)
class LintContext:
    """What a check sees: the payloads (TCR field names), the day, and optional database state.

    ``state`` is supplied by callers that know more than the payload (the workflow and submission gates):
    e.g. ``{"brand_reference_ids": {...}, "campaign_count": 12, "number_count": 60}``. Payload-only callers
    (``registry lint``) leave it empty and state-scope checks stay silent.
    """

    brand: Mapping[str, Any] | None
    campaign: Mapping[str, Any] | None
    today: date
    state: Mapping[str, Any] = field(default_factory=dict)
    #: scratch space shared by checks of one run (parsed values, normalised text); keys are module-private
    cache: dict[str, Any] = field(default_factory=dict)


CheckFn = Callable[[LintContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Check:
    fn: CheckFn
    rules: tuple[str, ...]
    needs: str
    #: ``state`` keys of which at least one must be present for the check to find anything (None: any state)
    state: frozenset[str] | None = None


_CHECKS: list[Check] = []
_discovered = False


def check(*rule_ids: str, needs: str = ANY, state: Iterable[str] | None = None) -> Callable[[CheckFn], CheckFn]:
    """Register a check for ``rule_ids``; ``needs`` says which payload must be present for it to run.

    ``state``: the ``ctx.state`` keys the check reads, for a check that finds nothing unless at least one of
    them is given (state-scope rules); the engine then skips it on lints without them.
    """
    if not rule_ids:
        raise TypeError("a check must name at least one rule ID")
    if needs not in (BRAND, CAMPAIGN, BOTH, ANY):
        raise ValueError(f"needs={needs!r}")
    for rule_id in rule_ids:
        get_rule(rule_id)  # fail at import time on a typo
    keys = None if state is None else frozenset(state)
    if keys is not None and not keys:
        raise ValueError("state= names no key")

    def register(fn: CheckFn) -> CheckFn:
        _CHECKS.append(Check(fn, rule_ids, needs, keys))
        return fn

    return register


def finding(rule_id: str, field: str | None, message: str, *, hint: str | None = None,
            severity: Severity | str | None = None) -> Finding:
    """Build a finding with the catalog's severity and hint unless the check needs a specific one."""
    rule = get_rule(rule_id)
    return Finding(
        rule=rule_id,
        severity=Severity(severity) if severity is not None else rule.severity,
        field=field,
        message=message,
        hint=hint or rule.hint,
    )


def discover() -> list[Check]:
    """Import every module of ``registry.rules.checks`` once, registering its checks."""
    global _discovered
    if not _discovered:
        from . import checks

        for info in sorted(pkgutil.iter_modules(checks.__path__), key=lambda i: i.name):
            importlib.import_module(f"{checks.__name__}.{info.name}")
        _discovered = True
    return _CHECKS


def _applies(chk: Check, brand: object, campaign: object) -> bool:
    if chk.needs == BRAND:
        return brand is not None
    if chk.needs == CAMPAIGN:
        return campaign is not None
    if chk.needs == BOTH:
        return brand is not None and campaign is not None
    return brand is not None or campaign is not None


def lint(brand: Mapping[str, Any] | None = None, campaign: Mapping[str, Any] | None = None, *,
         today: date | None = None, state: Mapping[str, Any] | None = None) -> Report:
    """Check a brand and/or campaign payload (TCR CSP API field names) against every rule in force ``today``.

    When both are given the campaign is checked against that brand (brand name in samples, entity rules).
    """
    today = today or date.today()
    state = state or _NO_STATE
    ctx = LintContext(brand, campaign, today, state, {})
    in_force, plan = _plan(today, brand is not None, campaign is not None,
                           len(_CHECKS) if _discovered else len(discover()), frozenset(state) if state else _NO_KEYS)
    findings: list[Finding] = []
    for fn, all_in_force in plan:
        found = fn(ctx)
        if found:
            findings.extend(found if all_in_force else (f for f in found if f.rule in in_force))
    report = Report(findings)
    if len(findings) > 1:
        report.sort()
    return report


_NO_STATE: Mapping[str, Any] = MappingProxyType({})
_NO_KEYS: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=256)
def _plan(today: date, has_brand: bool, has_campaign: bool, registered: int,
          state_keys: frozenset[str]) -> tuple[frozenset[str], tuple[tuple[CheckFn, bool], ...]]:
    """The rules in force on ``today`` and the checks to run for this combination of payloads and ``state``
    keys, each with whether all its rules are in force (no filtering needed); worked out once per day and
    combination. ``registered`` keys the cache to the number of registered checks."""
    in_force = frozenset(rule_id for rule_id, rule in CATALOG.items() if rule.in_force(today))
    brand, campaign = (True if has_brand else None), (True if has_campaign else None)
    plan = tuple((chk.fn, in_force.issuperset(chk.rules)) for chk in _CHECKS[:registered]
                 if _applies(chk, brand, campaign) and not in_force.isdisjoint(chk.rules)
                 and (chk.state is None or not chk.state.isdisjoint(state_keys)))
    return in_force, plan
