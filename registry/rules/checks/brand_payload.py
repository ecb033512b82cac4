"""All brand payload rules as one engine check, cached per distinct brand.

The payload rules (registered with ``brand_values.payload_check`` in ``brand_identity``, ``brand_taxid``,
``brand_contact``, ``brand_email``, ``brand_website`` and ``brand_sole_prop``) read only the brand and the
day.
A bulk lint repeats each brand across its campaigns, so their findings are computed once per distinct brand
content and day and reused; findings are immutable, so sharing them between reports is safe. The rules that
read ``state`` or the campaign stay separate engine checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..engine import BRAND, LintContext, check
from ..report import Finding
from . import brand_contact, brand_email, brand_identity, brand_sole_prop, brand_taxid, brand_website  # noqa: F401
from .brand_values import CACHE_SIZE, PAYLOAD_RULES

#: every rule ID the payload rules report
RULE_IDS: tuple[str, ...] = tuple(dict.fromkeys(rule for ids, _ in PAYLOAD_RULES for rule in ids))

_memo: dict[tuple[Any, ...], tuple[Finding, ...]] = {}


def run_payload_rules(brand: Mapping[str, Any], today: date) -> tuple[Finding, ...]:
    """Run every brand payload rule on ``brand`` (no cache)."""
    out: list[Finding] = []
    for _, fn in PAYLOAD_RULES:
        out.extend(fn(brand, today))
    return tuple(out)


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    return value


@check(*RULE_IDS, needs=BRAND)
def brand_payload(ctx: LintContext) -> tuple[Finding, ...]:
    """The brand payload rules, from the cache when this brand content was seen on this day before."""
    brand = ctx.brand
    key = (ctx.today, *brand.items())
    try:
        found = _memo.get(key)  # hashes the key once
    except TypeError:  # lists or objects among the values (tag, vettings, optionalAttributes)
        key = (ctx.today, *((k, _freeze(v)) for k, v in brand.items()))
        found = _memo.get(key)
    if found is None:
        found = run_payload_rules(brand, ctx.today)
        if len(_memo) >= CACHE_SIZE:
            _memo.clear()
        _memo[key] = found
    return found
