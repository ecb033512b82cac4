"""THE rule engine: TCR rules and carrier review criteria as stable, documented rule IDs.

Pure Python: no Flask, no database. ``lint()`` is the only entry point callers need.
"""

from .catalog import CATALOG, Rule, get_rule
from .checks.media import lint_media
from .engine import LintContext, check, finding, lint
from .report import Finding, Report, Severity, Verdict

__all__ = [
    "CATALOG",
    "Finding",
    "LintContext",
    "Report",
    "Rule",
    "Severity",
    "Verdict",
    "check",
    "finding",
    "get_rule",
    "lint",
    "lint_media",
]
