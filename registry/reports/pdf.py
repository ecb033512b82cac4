"""The report pipeline: detail tables → CSV files → summary PDF + appendix chunks (in parallel) → merged PDF with
the CSVs embedded.

1. Every detail table is streamed once into a CSV file, hashed on the way (:mod:`.csvout`). The report's CSV
   export is a copy of one of them, so its SHA-256 is the one printed in the PDF.
2. Tables small enough to print (``appendix_max_rows``) become ledger appendices (:mod:`.ledger`): their rows
   are read back from the CSV, so what is printed is exactly what is attached. Their page count is known
   before rendering.
3. The summary's "Page N of M" must count the appendices: short appendices get one empty placeholder page each
   in the summary's layout (``_short_appendices``); long ones are rendered in chunks by worker processes, each
   starting at its final page number, while the summary is laid out a second time with the final total
   (``_long_appendices``). pypdf merges the pieces.
4. The CSVs are appended to the PDF as embedded files, streamed (:mod:`.attach`).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import ledger as lg
from .attach import FileToAttach, attach_files
from .csvout import Written, read_rows, write_csv
from .html import render_html
from .model import Attached, Built, Detail
from .render import Rendered, layout, render, write

Progress = Callable[[float, str], None]

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class RenderError(RuntimeError):
    """The PDF could not be produced as planned (a bug, not bad input)."""


@dataclass(frozen=True)
class RenderOptions:
    #: detail tables up to this many rows are also printed as appendix pages; bigger ones are only attached
    appendix_max_rows: int = 3000
    #: at most this many ledger pages per chunk (one WeasyPrint document in one worker)
    chunk_pages: int = 16
    #: worker processes for appendix chunks (0: one per CPU; 1: render in this process)
    workers: int = 0
    #: appendices shorter than this render in this process (see ``_short_appendices``): starting workers costs
    #: more than it saves
    parallel_min_pages: int = 24
    #: zlib level of embedded CSVs (1 fastest … 9 smallest)
    compress_level: int = 3

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RenderOptions:
        return cls(appendix_max_rows=int(config.get("REPORT_APPENDIX_MAX_ROWS", cls.appendix_max_rows)),
                   chunk_pages=int(config.get("REPORT_CHUNK_PAGES", cls.chunk_pages)),
                   workers=int(config.get("REPORT_WORKERS", cls.workers)),
                   parallel_min_pages=int(config.get("REPORT_PARALLEL_MIN_PAGES", cls.parallel_min_pages)))

    @property
    def processes(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True)
class PageSetup:
    """How a rendered piece numbers its pages: from ``first``; of ``total`` (0: its own page count, which for
    the summary includes one empty placeholder page per appendix page — see :func:`_short_appendices`)."""

    first: int = 1
    total: int = 0
    #: the placeholder pages: the anchor id on the first page of each appendix, "" on the others
    placeholders: tuple[str, ...] = ()


@dataclass(frozen=True)
class Produced:
    pdf: Path | None
    csv: Path | None
    pages: int
    attachments: tuple[Attached, ...]
    csv_sha256: str
    seconds: float
    #: processes that rendered the appendices (1: this one)
    processes: int = 1


def _nothing(_fraction: float, _message: str) -> None:
    return None


# --- worker processes ---------------------------------------------------------------------------------------

_CONTEXT: multiprocessing.context.BaseContext | None = None


def _mp_context() -> multiprocessing.context.BaseContext:
    """A forkserver context: workers fork from a clean server process that has WeasyPrint imported already
    (never from the web/worker process itself, which holds database connections and threads)."""
    global _CONTEXT
    if _CONTEXT is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["registry.reports.warm"])
        _CONTEXT = ctx
    return _CONTEXT


def _ready() -> int:
    return os.getpid()


class _PoolStarter:
    """Start the worker processes in a thread (the first start also launches the forkserver, about a second),
    so that it overlaps work the caller does meanwhile."""

    def __init__(self, workers: int) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, args=(workers,), daemon=True)
        self._thread.start()

    def _start(self, workers: int) -> None:
        try:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context())
            for future in [pool.submit(_ready) for _ in range(workers)]:
                future.result()
            self._pool = pool
        except BaseException as exc:  # handed to the caller in pool()
            self._error = exc

    def pool(self) -> ProcessPoolExecutor:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._pool is not None
        return self._pool


class _Inline(Executor):
    """Render in this process (one chunk, or ``workers=1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # delivered through the future, like a pool would
            future.set_exception(exc)
        return future


# --- the pipeline -------------------------------------------------------------------------------------------

def produce(built: Built, *, pdf_path: Path | None = None, csv_path: Path | None = None,
            options: RenderOptions | None = None, progress: Progress | None = None) -> Produced:
    """Write the report's PDF and/or CSV export; see the module docstring for the steps."""
    options = options or RenderOptions()
    progress = progress or _nothing
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="registry-report-") as tmp:
        work = Path(tmp)
        written = _write_details(built.details, work, progress)
        export = written.get(built.csv_detail)
        if csv_path is not None:
            if export is None:
                raise RenderError(f"report {built.meta.kind} has no CSV table {built.csv_detail!r}")
            _place(export.path, Path(csv_path))
        pages, attached, processes = 0, (), 1
        if pdf_path is not None:
            pages, attached, processes = _write_pdf(built, written, work, Path(pdf_path), options, progress)
        progress(1.0, "done")
    return Produced(pdf=pdf_path, csv=csv_path, pages=pages, attachments=tuple(attached),
                    csv_sha256=export.sha256 if export else "", seconds=time.perf_counter() - started,
                    processes=processes)


def _place(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically (a reader never sees half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def _write_details(details: tuple[Detail, ...], work: Path, progress: Progress) -> dict[str, Written]:
    written: dict[str, Written] = {}
    for i, detail in enumerate(details):
        progress(0.05 + 0.35 * i / max(1, len(details)), f"collecting {detail.title.lower()}")
        written[detail.name] = write_csv(work / f"{detail.name}.csv", detail.columns, detail.rows(),
                                         formatted=detail.formatted)
    return written


def _plan_appendices(built: Built, written: dict[str, Written],
                     options: RenderOptions) -> tuple[list[lg.Ledger], list[Attached]]:
    ledgers: list[lg.Ledger] = []
    attached: list[Attached] = []
    letters = iter(LETTERS)
    for detail in built.details:
        w = written[detail.name]
        info = Attached(name=f"{detail.name}.csv", title=detail.title, columns=detail.columns, rows=w.rows,
                        size=w.size, sha256=w.sha256)
        cap = min(detail.print_max or options.appendix_max_rows, options.appendix_max_rows)
        if detail.printed and max(0, detail.print_above) < w.rows <= cap:
            pages = lg.paginate(read_rows(w.path), detail.printed)
            letter = next(letters)
            ledgers.append(lg.Ledger(letter=letter, title=detail.title, description=detail.description,
                                     header=lg.header_line(detail.columns, detail.printed),
                                     attachment=info.name, rows=w.rows, pages=tuple(pages)))
            info = replace(info, appendix=letter, pages=len(pages))
        elif detail.printed and w.rows > cap:
            info = replace(info, note=f"{w.rows:,} rows: attached only (printed up to {cap:,})")
        attached.append(info)
    return ledgers, attached


def _main_html(built: Built, attached: list[Attached], page: PageSetup) -> str:
    return render_html(built.template, meta=built.meta, report=built.context, attachments=tuple(attached),
                       page=page)


def _write_pdf(built: Built, written: dict[str, Written], work: Path, target: Path, options: RenderOptions,
               progress: Progress) -> tuple[int, list[Attached], int]:
    progress(0.45, "laying out the appendices")
    ledgers, attached = _plan_appendices(built, written, options)
    appendix_pages = sum(len(x.pages) for x in ledgers)
    merged = work / "report.pdf"
    progress(0.5, "laying out the report")
    processes = 1
    if not ledgers:
        document, blocked = layout(_main_html(built, attached, PageSetup()))
        _check_blocked(blocked)
        total = len(document.pages)
        merged.write_bytes(write(document, total).pdf)
    elif appendix_pages < options.parallel_min_pages:
        total, attached = _short_appendices(built, attached, ledgers, merged, options, progress)
    else:
        processes = options.processes
        total, attached = _long_appendices(built, attached, ledgers, merged, replace(options, workers=processes),
                                           progress)
    progress(0.9, "attaching the detail tables")
    attach_files(merged, [FileToAttach(path=written[d.name].path, name=f"{d.name}.csv",
                                       description=d.title, mime="text/csv", size=written[d.name].size,
                                       md5=written[d.name].md5) for d in built.details],
                 level=options.compress_level)
    _place(merged, target)
    return total, attached, processes


def _short_appendices(built: Built, attached: list[Attached], ledgers: list[lg.Ledger], merged: Path,
                      options: RenderOptions, progress: Progress) -> tuple[int, list[Attached]]:
    """A few appendix pages: lay the summary out once with an empty placeholder page for each of them — its
    "Page N of M" footers then count them, and where an appendix starts is a CSS ``target-counter`` to its
    placeholder — write only the summary's own pages, and render the appendices here."""
    placeholders = tuple(f"appendix-{x.letter.lower()}" if i == 0 else ""
                         for x in ledgers for i in range(len(x.pages)))
    document, blocked = layout(_main_html(built, attached, PageSetup(placeholders=placeholders)))
    _check_blocked(blocked)
    total = len(document.pages)
    main_pages = total - len(placeholders)
    main = write(document, main_pages)
    del document
    jobs = _chunks(built, ledgers, main_pages, total, options, processes=1)
    progress(0.6, f"rendering {len(placeholders)} appendix pages")
    parts = [_checked(render(source), expected, i) for i, (source, expected) in enumerate(jobs)]
    _merge([main, *parts], merged)
    return total, _number_appendices(attached, ledgers, main_pages)


def _long_appendices(built: Built, attached: list[Attached], ledgers: list[lg.Ledger], merged: Path,
                     options: RenderOptions, progress: Progress) -> tuple[int, list[Attached]]:
    """Many appendix pages (placeholder pages would cost ~15 ms each): lay the summary out to learn its page
    count, send the appendix chunks — each knowing its first page number now — to worker processes, and lay the
    summary out again here, with the final total and the appendices' first pages printed, while they work. Page
    numbers sit in boxes of fixed width, so the second layout breaks lines exactly as the first did."""
    starting = _PoolStarter(options.processes) if options.processes > 1 else None  # overlaps the layout below
    first, blocked = layout(_main_html(built, attached, PageSetup()))
    _check_blocked(blocked)
    main_pages = len(first.pages)
    del first
    appendix_pages = sum(len(x.pages) for x in ledgers)
    total = main_pages + appendix_pages
    attached = _number_appendices(attached, ledgers, main_pages)
    jobs = _chunks(built, ledgers, main_pages, total, options, processes=options.processes)
    progress(0.55, f"rendering {appendix_pages} appendix pages in {len(jobs)} chunk(s)")
    pool: Executor = starting.pool() if starting is not None else _Inline()
    with pool:
        futures = [pool.submit(render, source) for source, _ in jobs]
        document, blocked = layout(_main_html(built, attached, PageSetup(1, total)))
        _check_blocked(blocked)
        if len(document.pages) != main_pages:
            raise RenderError(f"the summary has {len(document.pages)} pages, {main_pages} were planned")
        main = write(document, main_pages)
        del document
        parts: list[Rendered] = []
        for i, (future, (_, expected)) in enumerate(zip(futures, jobs, strict=True)):
            parts.append(_checked(future.result(), expected, i))
            progress(0.55 + 0.3 * (i + 1) / len(jobs), f"rendered appendix chunk {i + 1} of {len(jobs)}")
    _merge([main, *parts], merged)
    return total, attached


def _checked(part: Rendered, expected: int, index: int) -> Rendered:
    _check_blocked(part.blocked)
    if part.pages != expected:
        raise RenderError(f"appendix chunk {index + 1} has {part.pages} pages, {expected} were planned")
    return part


def _number_appendices(attached: list[Attached], ledgers: list[lg.Ledger], main_pages: int) -> list[Attached]:
    first: dict[str, int] = {}
    page = main_pages + 1
    for x in ledgers:
        first[x.letter] = page
        page += len(x.pages)
    return [replace(a, first_page=first[a.appendix]) if a.appendix else a for a in attached]


def _chunks(built: Built, ledgers: list[lg.Ledger], main_pages: int, total: int, options: RenderOptions, *,
            processes: int) -> list[tuple[str, int]]:
    """HTML sources of the appendix chunks with their expected page counts."""
    jobs: list[tuple[str, int]] = []
    first = main_pages + 1
    pages = sum(len(x.pages) for x in ledgers)
    size = max(1, min(options.chunk_pages, -(-pages // processes)))  # every worker gets work
    for x in ledgers:
        head = replace(x, pages=())
        for part in lg.chunk(x.pages, size):
            source = render_html("reports/pdf/appendix.html", meta=built.meta, ledger=head, pages=part,
                                 total=len(x.pages), page=PageSetup(first, total))
            jobs.append((source, len(part)))
            first += len(part)
    return jobs


def _merge(parts: list[Rendered], target: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part.pdf)))
    metadata = PdfReader(io.BytesIO(parts[0].pdf)).metadata
    if metadata:
        writer.add_metadata({k: v for k, v in metadata.items() if isinstance(v, str)})
    with open(target, "wb") as fh:
        writer.write(fh)


def _check_blocked(blocked: tuple[str, ...]) -> None:
    if blocked:  # our templates reference nothing but assets; anything else is a bug or an attack
        raise RenderError(f"the report tried to load {len(blocked)} URL(s) outside its assets: {blocked[0][:100]!r}")
