"""HTML → PDF with WeasyPrint, locked down. Also the entry point of the chunk worker processes, so it imports
nothing of the app (no database, no Flask)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import weasyprint

from .fetcher import ReportURLFetcher, base_url

#: WeasyPrint narrates every layout step at INFO; reports have their own progress
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    #: URLs the fetcher refused while rendering (always empty for our own templates)
    blocked: tuple[str, ...]


def _html(source: str, fetcher: ReportURLFetcher) -> weasyprint.HTML:
    return weasyprint.HTML(string=source, base_url=base_url(), url_fetcher=fetcher)


def layout(source: str) -> tuple[weasyprint.Document, tuple[str, ...]]:
    """Lay ``source`` out (the expensive half); returns the document and the URLs the fetcher refused."""
    fetcher = ReportURLFetcher()
    document = _html(source, fetcher).render()
    return document, tuple(fetcher.blocked)


def write(document: weasyprint.Document, pages: int, blocked: tuple[str, ...] = ()) -> Rendered:
    """Write the first ``pages`` pages of a laid-out document as PDF bytes."""
    if pages < len(document.pages):
        document = document.copy(document.pages[:pages])
    return Rendered(document.write_pdf(), pages, blocked)


def render(source: str) -> Rendered:
    """Lay out and write ``source`` as PDF bytes (what a chunk worker does)."""
    document, blocked = layout(source)
    return write(document, len(document.pages), blocked)
