"""The rules page at ``/rules``: the catalog, searchable, with each rule's explanation, source and examples."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from flask import Blueprint, render_template, request

from registry.config import PROJECT_ROOT
from registry.rules import CATALOG, Rule

bp = Blueprint("rules", __name__)

FAMILY_TITLES = {
    "brand": "Brand", "campaign": "Campaign", "content": "Content scanning", "mms": "MMS media",
    "numbers": "Numbers and volume", "consent": "Consent and audit trail",
}
SCOPE_HELP = {
    "payload": "checked on every save",
    "state": "checked against what registry knows (other records, history)",
    "live": "partly offline; the rest needs a lookup at the provider",
    "app": "a behaviour of the consent features",
}


@lru_cache(maxsize=1)
def examples() -> dict[str, list[dict[str, Any]]]:
    """The tripping and near-miss payload patches of ``fixtures/lint/<RULE-ID>.json``, by rule."""
    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((PROJECT_ROOT / "fixtures" / "lint").glob("*.json")):
        if path.name.startswith("_"):
            continue
        spec = json.loads(path.read_text())
        found[spec["rule"]] = [{"expect": c["expect"], "name": c["name"],
                                "patch": {k: c[k] for k in ("brand", "campaign") if c.get(k)}}
                               for c in spec["cases"][:4]]
    return found


def _matches(rule: Rule, q: str) -> bool:
    haystack = " ".join([rule.id, rule.title, rule.hint, rule.explanation, rule.source, *rule.fields]).lower()
    return all(word in haystack for word in q.lower().split())


@bp.route("/rules")
def index():
    q = request.args.get("q", "").strip()[:200]
    severity = request.args.get("severity", "")
    rules = [r for r in CATALOG.values() if (not q or _matches(r, q)) and (not severity or r.severity == severity)]
    groups: dict[str, list[Rule]] = {}
    for rule in sorted(rules, key=lambda r: (list(FAMILY_TITLES).index(r.family)
                                             if r.family in FAMILY_TITLES else 99, r.id)):
        groups.setdefault(rule.family, []).append(rule)
    return render_template("rules/index.html", groups=groups, q=q, severity=severity, total=len(CATALOG),
                           shown=len(rules), family_titles=FAMILY_TITLES, scope_help=SCOPE_HELP,
                           examples=examples())
