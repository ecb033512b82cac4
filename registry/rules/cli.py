"""``registry lint``: lint brand and campaign payloads (TCR CSP API field names) from a file or stdin.

The contract scripts rely on:

- ``registry lint FILE`` or ``registry lint -`` reads JSON: one object or an array of objects, each
  ``{"brand": {...}, "campaign": {...}}`` (either key may be absent; keys starting with ``_`` are comments).
- It prints a JSON array with one result per input object, in order:
  ``{"verdict": "reject" | "warn" | "pass", "findings": [{"rule", "severity", "field", "message", "hint"}]}``.
- Exit 0 when no result is ``reject``, 1 when any is, 2 on unusable input (not JSON, wrong shape, a field of
  the wrong JSON type) with a one-line reason on stderr. Input is read and results are written as a stream,
  so a bad item late in a large array ends the run with exit 2 after the earlier results were printed: on
  exit 2 the output is not a complete result.
- ``--format text`` prints a readable report grouped by field; ``--rules`` prints the rule catalog (``--format
  json`` as a JSON array); ``--today YYYY-MM-DD`` selects the rules in force on that day.

The command needs no Flask app; the ``registry`` group attaches it with ``cli.add_command(lint_command)``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping
from datetime import date
from typing import IO, Any

import click
import ijson

from .catalog import CATALOG, Rule
from .fields import type_error
from .parallel import lint_stream
from .report import Finding, Report

_WHITESPACE = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"


class InputError(Exception):
    """The input cannot be linted; the message is the one-line reason printed on stderr."""


class _Rewound:
    """A binary stream with some already-read bytes put back in front, for ijson."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head and size != 0:  # ijson probes with read(0) to learn bytes or text
            head, self._head = self._head, b""
            if size < 0:
                return head + self._stream.read()
            return head if len(head) >= size else head + self._stream.read(size - len(head))
        return self._stream.read(size)


def _first_byte(stream: IO[bytes]) -> tuple[bytes, bytes]:
    """Read up to the first non-blank byte; return (bytes read, that byte or ``b""`` at the end)."""
    read = b""
    while True:
        chunk = stream.read(1)
        if not chunk:
            return read, b""
        read += chunk
        if read == _BOM[: len(read)] and len(read) <= len(_BOM):
            if read == _BOM:
                read = b""
            continue
        if chunk not in _WHITESPACE:
            return read, chunk


def _items(stream: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """The input objects, one at a time, each with its place in the input (``input[3]``)."""
    head, first = _first_byte(stream)
    source = _Rewound(head, stream)
    try:
        if first == b"[":
            for index, item in enumerate(ijson.items(source, "item", use_float=True)):
                yield f"input[{index}]", item
        elif first == b"{":
            for item in ijson.items(source, "", use_float=True):
                yield "input", item
        elif not first:
            raise InputError("the input is empty; expected a JSON object or array")
        else:
            raise InputError("the input is not a JSON object or array")
    except ijson.JSONError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"the input is not valid JSON: {reason}") from None


def _payloads(where: str, item: Any) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
    """Check one input object's shape and field types; return its brand and campaign."""
    if not isinstance(item, dict):
        raise InputError(f"{where} must be an object with 'brand' and/or 'campaign'")
    for key in item:
        if key not in ("brand", "campaign") and not key.startswith("_"):
            raise InputError(f"{where} has an unknown key '{key}' (expected 'brand' and/or 'campaign')")
    brand, campaign = item.get("brand"), item.get("campaign")
    if brand is None and campaign is None:
        raise InputError(f"{where} has neither 'brand' nor 'campaign'")
    for name, payload in (("brand", brand), ("campaign", campaign)):
        if payload is not None:
            problem = type_error(name, payload)
            if problem:
                raise InputError(f"{where}.{problem}")
    return brand, campaign


# ------------------------------------------------------------------------------------------------ output


def _text_report(number: int, report: Report) -> str:
    """One payload's findings as readable text, grouped by field (the most severe fields first)."""
    counts = {s: 0 for s in ("error", "warning", "info")}
    for f in report.findings:
        counts[f.severity.value] += 1
    summary = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items() if n)
    lines = [f"Payload {number}: {report.verdict.value.upper()}" + (f" ({summary})" if summary else "")]
    groups: dict[str | None, list[Finding]] = {}
    for f in report.findings:
        groups.setdefault(f.field, []).append(f)
    for field, findings in groups.items():
        lines.append(f"  {field or '(whole payload)'}")
        for f in findings:
            lines.append(f"    {f.severity.value:<8} {f.rule}: {f.message}")
            lines.append(f"             fix: {f.hint}")
    return "\n".join(lines) + "\n"


def _run(stream: IO[bytes], out: IO[str], fmt: str, today: date, jobs: int = 1) -> int:
    """Lint every input object, writing each result as soon as it is known (in input order, also with
    ``jobs`` processes); return the exit code."""
    rejected = written = 0
    tally = {"reject": 0, "warn": 0, "pass": 0}
    payloads = (_payloads(where, item) for where, item in _items(stream))
    for report in lint_stream(payloads, today=today, jobs=jobs):
        verdict = report.verdict.value
        tally[verdict] += 1
        rejected += verdict == "reject"
        if fmt == "json":
            out.write(("[\n" if not written else ",\n") + json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            out.write(("" if not written else "\n") + _text_report(written + 1, report))
        written += 1
    if fmt == "json":
        out.write("[\n]\n" if not written else "\n]\n")
    else:
        out.write(f"\n{written} payload{'s' if written != 1 else ''}: " + ", ".join(f"{n} {v}" for v, n in
                                                                              tally.items()) + "\n")
    return 1 if rejected else 0


def _rule_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "family": rule.family,
        "title": rule.title,
        "severity": rule.severity.value,
        "scope": rule.scope,
        "fields": list(rule.fields),
        "hint": rule.hint,
        "source": rule.source,
        "explanation": rule.explanation,
        "effective_from": rule.effective_from.isoformat() if rule.effective_from else None,
        "effective_until": rule.effective_until.isoformat() if rule.effective_until else None,
    }


def _print_rules(out: IO[str], fmt: str, today: date | None) -> None:
    """The catalog (rules in force ``today`` when given), by family and ID."""
    rules = sorted((r for r in CATALOG.values() if today is None or r.in_force(today)),
                   key=lambda r: (r.family, r.id))
    if fmt == "json":
        json.dump([_rule_dict(r) for r in rules], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    family = None
    for r in rules:
        if r.family != family:
            family = r.family
            count = sum(1 for x in rules if x.family == family)
            out.write(f"{'' if r is rules[0] else chr(10)}== {family} ({count} rules) ==\n")
        dates = ""
        if r.effective_from or r.effective_until:
            dates = f"  [in force {r.effective_from or '...'} to {r.effective_until or '...'}]"
        out.write(f"{r.id}  {r.severity.value}  {r.scope}  {r.title}{dates}\n")
        out.write(f"    fix:    {r.hint}\n    source: {r.source}\n")


# ------------------------------------------------------------------------------------------------ command


def _fail(reason: str) -> None:
    click.echo(f"registry lint: {reason}", err=True)
    raise click.exceptions.Exit(2)


@click.command("lint")
@click.argument("source", required=False, metavar="FILE|-")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]),
              help="Results: a JSON array (default; the contract) or a readable report grouped by field. "
                   "With --rules: text (default) or JSON.")
@click.option("--rules", "show_rules", is_flag=True, help="Print the rule catalog instead of linting.")
@click.option("--today", metavar="YYYY-MM-DD", help="Use the rules in force on this day (default: today).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Lint on this many processes (0: one per CPU); results keep the input order.")
def lint_command(source: str | None, fmt: str | None, show_rules: bool, today: str | None, jobs: int) -> None:
    """Lint brand/campaign payloads (TCR CSP API field names) from FILE or stdin (-) and print the findings.

    Exit status: 0 no payload is rejected, 1 at least one is, 2 the input is unusable.
    """
    day: date | None = None
    if today is not None:
        try:
            day = date.fromisoformat(today)
        except ValueError:
            _fail(f"--today must be a date written YYYY-MM-DD, not {today!r}")
    out = sys.stdout
    if show_rules:
        _print_rules(out, fmt or "text", day)
        return
    if source is None:
        _fail("give a FILE to lint, or - to read standard input")
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        _fail(f"cannot read {source}: {exc.strerror or exc}")
    try:
        code = _run(stream, out, fmt or "json", day or date.today(), jobs or os.cpu_count() or 1)
    except InputError as exc:
        out.flush()
        _fail(str(exc))
    finally:
        if source != "-":
            stream.close()
    out.flush()
    raise click.exceptions.Exit(code)
