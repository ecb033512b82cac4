"""Streaming CSV: rows go straight to a file while its SHA-256 (printed in the PDF) and MD5 (the PDF
embedded-file checksum) are computed; memory stays flat whatever the row count."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

#: a cell a spreadsheet would run as a formula; phone numbers and signed numbers stay as they are
_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![\d.\s]*$)")
_BUFFER = 1 << 20


def cell(value: Any) -> str:
    """One value as CSV text: times in ISO 8601 UTC, JSON for structures, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    text = str(value)
    return "'" + text if _FORMULA.match(text) else text


@dataclass(frozen=True)
class Written:
    path: Path
    rows: int
    size: int
    sha256: str
    md5: str


class _HashingFile(io.RawIOBase):
    """A binary file that hashes what goes through it."""

    def __init__(self, path: Path) -> None:
        self._fh = open(path, "wb")  # noqa: SIM115 (closed in close())
        self.sha256 = hashlib.sha256()
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        data = bytes(data)
        self.sha256.update(data)
        self.md5.update(data)
        self.size += len(data)
        self._fh.write(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._fh.close()
        super().close()


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, formatted: bool = False) -> Written:
    """Write a header and ``rows`` (UTF-8, ``\\r\\n`` line ends as RFC 4180 asks) and hash them.

    ``formatted``: the rows already hold CSV-ready text (each value passed through :func:`cell`, or produced by
    the database in its final form), so they are written as they are — the fast path for big tables.
    """
    raw = _HashingFile(path)
    buffered = io.BufferedWriter(raw, buffer_size=_BUFFER)
    text = io.TextIOWrapper(buffered, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    try:
        if formatted:
            for row in rows:
                writer.writerow(row)
                count += 1
        else:
            for row in rows:
                writer.writerow([cell(v) for v in row])
                count += 1
    finally:
        text.close()
    return Written(path, count, raw.size, raw.sha256.hexdigest(), raw.md5.hexdigest())


def read_rows(path: Path) -> Iterable[list[str]]:
    """The data rows of a CSV written by :func:`write_csv` (header skipped)."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        yield from reader


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_BUFFER):
            digest.update(chunk)
    return digest.hexdigest()
