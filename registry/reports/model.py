"""Plain data for report templates, and the shape every report builder returns.

Templates receive frozen dataclasses, tuples, strings and numbers only: :func:`ensure_plain` walks a context
before rendering and refuses anything else (an ORM object would let a template run lazy queries, or print a
value the report builder never decided to show).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

PLAIN_SCALARS = (str, int, float, bool, type(None), Decimal, date, datetime)


def ensure_plain(value: Any, path: str = "context") -> None:
    """Raise ``TypeError`` naming the first value in ``value`` that is not plain data."""
    if isinstance(value, PLAIN_SCALARS):
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            raise TypeError(f"{path}: {type(value).__name__} is not a frozen dataclass")
        for f in dataclasses.fields(value):
            ensure_plain(getattr(value, f.name), f"{path}.{f.name}")
        return
    if isinstance(value, tuple | frozenset):
        for i, item in enumerate(value):
            ensure_plain(item, f"{path}[{i}]")
        return
    if isinstance(value, Mapping) and type(value).__module__ in ("builtins", "types"):
        for key, item in value.items():
            ensure_plain(key, f"{path} key")
            ensure_plain(item, f"{path}[{key!r}]")
        return
    raise TypeError(f"{path}: {type(value).__module__}.{type(value).__name__} is not plain report data")


@dataclass(frozen=True)
class Meta:
    """What every page of every report shows."""

    kind: str
    #: e.g. "Registration dossier" — printed in the running header
    title: str
    #: what it is about, e.g. "Campaign SPRING-PROMO"
    subject: str
    organization: str
    timezone: str
    generated_utc: str
    generated_local: str
    #: ISO 8601 (UTC), for the CSV and the PDF metadata
    generated_iso: str
    generated_by: str
    #: the organization's audit chain head when the report was generated
    chain_seq: int
    chain_hash: str


@dataclass(frozen=True)
class Row:
    """A label and a value (a definition-list line)."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A small table printed in the body of the report."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: how many rows exist in all (more than ``len(rows)`` when the rest is in an attachment)
    total: int = -1
    #: the attachment holding every row, when the table is cut
    attachment: str = ""
    empty: str = "None."

    @property
    def shown(self) -> int:
        return len(self.rows)

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)


@dataclass(frozen=True)
class Attached:
    """A detail table embedded in the PDF as CSV; the PDF prints its hash."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: int
    size: int
    sha256: str
    #: appendix letter when its rows are also printed ("" when only attached)
    appendix: str = ""
    #: first page of that appendix in the final PDF (0 when not printed)
    first_page: int = 0
    pages: int = 0
    #: why it is not printed (too many rows), or ""
    note: str = ""


@dataclass(frozen=True)
class Detail:
    """A detail table of a report: streamed once into CSV, attached to the PDF, printed as an appendix when
    small enough. Not plain data (``rows`` is a generator factory): only the pipeline sees it."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[Sequence[Any]]]
    #: the columns an appendix prints, as ``(column index, width in characters)``; empty: attached only
    printed: tuple[tuple[int, int], ...] = ()
    #: one sentence on what the rows are, printed above the appendix
    description: str = ""
    #: the rows are CSV-ready text already (see ``csvout.write_csv``)
    formatted: bool = False
    #: print the appendix only when there are more rows than this (the body already shows that many)
    print_above: int = 0
    #: print at most this many rows (0: the report-wide ``appendix_max_rows``); more are attached only
    print_max: int = 0


@dataclass(frozen=True)
class Built:
    """What a report builder returns: the template, its plain context and the detail tables."""

    meta: Meta
    template: str
    context: Any
    details: tuple[Detail, ...] = ()
    #: the detail whose CSV is the report's CSV export (``--csv``)
    csv_detail: str = ""
    #: extra strings for the PDF metadata (keywords)
    keywords: tuple[str, ...] = field(default_factory=tuple)
