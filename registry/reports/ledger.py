"""Appendix pages laid out by us, not by WeasyPrint's table algorithm.

A long table in WeasyPrint costs about 5 ms per row and grows faster than the row count (a 10,000-row table:
about a minute and 1.2 GB). Appendices are printed as a *ledger* instead: monospace lines, each cell wrapped to
its column width here in Python, a page's rows one preformatted text block with a fixed line height (a glyph
from a fallback font does not make its line taller). Every page then holds a known number of lines, so the
page count — and the page number each chunk starts at — is known before anything is rendered, and chunks can
be rendered in parallel processes with correct "Page N of M" footers.

Geometry (Letter, see ``assets/print.css``): content box 532 × 676 pt; ledger text 7 pt DejaVu Sans Mono
(advance 4.215 pt: 126 characters fit, we use at most :data:`LINE_CHARS`); rows of 9 pt lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: the widest ledger line, in character cells
LINE_CHARS = 122
#: ledger lines per page: 676 pt / 9 pt = 75, less the title (2 lines), the column header (1) and 1 spare
LINES_PER_PAGE = 71
#: a row taller than this is cut (the CSV attachment holds the full value)
MAX_ROW_LINES = 6
ELLIPSIS = "…"

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_ISO_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$")
#: a column as printed: (index in the CSV row, width in characters)
Printed = Sequence[tuple[int, int]]


@dataclass(frozen=True)
class LedgerRow:
    lines: int
    text: str


@dataclass(frozen=True)
class LedgerPage:
    #: 1-based page number inside the appendix
    index: int
    rows: tuple[LedgerRow, ...]


@dataclass(frozen=True)
class Ledger:
    letter: str
    title: str
    description: str
    header: str
    attachment: str
    rows: int
    pages: tuple[LedgerPage, ...]


def char_width(ch: str) -> int:
    if ch.isascii():
        return 1
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def text_width(text: str) -> int:
    return len(text) if text.isascii() else sum(char_width(c) for c in text)


def _clean(value: str) -> str:
    return _CONTROL.sub(" ", value).strip()


def wrap(value: str, width: int) -> list[str]:
    """``value`` in lines of at most ``width`` cells: breaks at spaces, long words are cut."""
    text = _clean(value)
    if text_width(text) <= width:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        w = text_width(word)
        if line and used + 1 + w <= width:
            line, used = f"{line} {word}", used + 1 + w
            continue
        if line:
            lines.append(line)
        line, used = "", 0
        while w > width:  # a word longer than the column: cut it
            head, head_w = "", 0
            for ch in word:
                cw = char_width(ch)
                if head_w + cw > width:
                    break
                head, head_w = head + ch, head_w + cw
            lines.append(head)
            word = word[len(head):]
            w = text_width(word)
        line, used = word, w
    if line:
        lines.append(line)
    return lines or [""]


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def display(value: str) -> str:
    """A CSV value as printed: ISO UTC times shortened to the second (the CSV keeps the exact value)."""
    match = _ISO_TIME.match(value)
    return f"{match[1]} {match[2]}Z" if match else value


def format_row(values: Sequence[str], printed: Printed) -> tuple[int, str]:
    """A row as ``(lines, text)``: the printed cells wrapped to their widths, side by side."""
    widths = [w for _, w in printed]
    cells = [wrap(display(values[i]) if i < len(values) else "", w) for i, w in printed]
    height = max(len(c) for c in cells) if cells else 1
    if height > MAX_ROW_LINES:
        height = MAX_ROW_LINES
        for c in cells:
            if len(c) > MAX_ROW_LINES:
                del c[MAX_ROW_LINES:]
                c[-1] = c[-1][:-1] + ELLIPSIS
    lines = []
    for i in range(height):
        parts = [pad(c[i] if i < len(c) else "", w) for c, w in zip(cells, widths, strict=False)]
        lines.append(" ".join(parts).rstrip())
    return height, "\n".join(lines)


def header_line(columns: Sequence[str], printed: Printed) -> str:
    return " ".join(pad(wrap(columns[i], w)[0], w) for i, w in printed).rstrip()


def check_widths(printed: Printed) -> None:
    total = sum(w for _, w in printed) + len(printed) - 1
    if total > LINE_CHARS:
        raise ValueError(f"ledger columns are {total} characters wide; at most {LINE_CHARS} fit on a line")


def paginate(rows: Iterable[Sequence[str]], printed: Printed) -> list[LedgerPage]:
    """Group formatted rows into pages of at most :data:`LINES_PER_PAGE` lines, never splitting a row."""
    check_widths(printed)
    pages: list[LedgerPage] = []
    current: list[LedgerRow] = []
    used = 0
    for values in rows:
        height, text = format_row(values, printed)
        if current and used + height > LINES_PER_PAGE:
            pages.append(LedgerPage(len(pages) + 1, tuple(current)))
            current, used = [], 0
        current.append(LedgerRow(height, text))
        used += height
    if current:
        pages.append(LedgerPage(len(pages) + 1, tuple(current)))
    return pages


def chunk(pages: Sequence[LedgerPage], size: int) -> list[tuple[LedgerPage, ...]]:
    return [tuple(pages[i:i + size]) for i in range(0, len(pages), size)]
