"""Importing consent events from CSV (``registry consent import FILE.csv`` and the upload page).

Columns (header row, order free): ``phone,event,occurred_at,method,source,campaign`` and optionally
``disclosure_text,ip,user_agent``; ``campaign`` is our reference or the TCR campaign id. The file is streamed:
rows are checked one by one, valid rows are appended in batches (each batch its own transaction, committed by
the caller's ``commit``), invalid rows go to an error CSV with their row number and the reason, so memory stays
flat whatever the file's size. A row whose content hash is already recorded is counted as a duplicate, so a
re-run adds nothing twice.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from registry.audit import Actor, record
from registry.campaigns.models import Campaign
from registry.errors import UserValueError

from .chain import content_digester
from .disclosures import disclosure_for
from .models import CONSENTING, ConsentImport, ImportStatus, Method
from .operations import FUTURE_TOLERANCE, parse_ip, parse_kind, parse_method, parse_text, parse_time
from .phones import to_e164
from .writer import NewEvent, Recorder, append_events

COLUMNS = ("phone", "event", "occurred_at", "method", "source", "campaign", "disclosure_text", "ip", "user_agent")
REQUIRED = ("phone", "event", "occurred_at", "method", "source", "campaign")
ERROR_COLUMNS = ("row", "field", "reason", *COLUMNS)
BATCH = 10_000
#: rows imported before the first ANALYZE (then every time the count has quadrupled)
ANALYZE_FROM = 10_000
_CONSENTING = frozenset(k.value for k in CONSENTING)
_KEYWORD = Method.KEYWORD.value


class UnusableFile(UserValueError):
    """The file cannot be imported at all (not CSV/UTF-8, wrong header): exit 2."""


@dataclass
class ImportReport:
    import_id: int
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors_path: str | None = None
    file_sha256: str | None = None

    @property
    def ok(self) -> bool:
        return self.rejected == 0


class _CountingReader(io.RawIOBase):
    """Bytes read so far (the progress bar) and their SHA-256 (the file's identity)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0
        self.sha = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        self.sha.update(data)
        return n


class ErrorSink:
    """The error CSV, opened on the first rejected row."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None
        self._writer: Any = None

    def write(self, row_no: int, field: str | None, reason: str, values: dict[str, str]) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115 (closed by close())
            self._writer = csv.writer(self._file)
            self._writer.writerow(ERROR_COLUMNS)
        self._writer.writerow([row_no, field or "", reason, *(values.get(c, "") for c in COLUMNS)])

    @property
    def used(self) -> bool:
        return self._writer is not None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def read_header(row: list[str]) -> list[str]:
    header = [h.strip().lower() for h in row]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if unknown or missing or duplicated:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        if duplicated:
            problems.append(f"repeated column(s) {', '.join(duplicated)}")
        raise UnusableFile("The header row must name the columns " + ",".join(COLUMNS) + " (order free; "
                           "disclosure_text, ip and user_agent may be left out): " + "; ".join(problems) + ".",
                           field="file")
    return header


class _Checker:
    """Turns CSV rows into events; caches what repeats across rows (campaigns, words, prefixes). A disclosure
    text not seen yet is looked up (or recorded) by ``disclosure(campaign_id, text)``."""

    def __init__(self, campaigns: dict[str, int], organization_id: int, now: datetime, header: list[str],
                 disclosure: Callable[[int, str], tuple[int, str]]) -> None:
        self.campaigns = campaigns
        self.digest = content_digester(organization_id)
        self.ask_disclosure = disclosure
        #: the latest acceptable time (parse_time's rule, checked here for the rows that need no parse_time)
        self.latest = now + FUTURE_TOLERANCE
        self.now = now
        self.by_cell: dict[str, int] = {}
        self.kinds: dict[str, Any] = {}
        self.methods: dict[str, Any] = {}
        self.sources: dict[str, str | None] = {}
        self.agents: dict[str, str | None] = {}
        self.disclosures: OrderedDict[tuple[int, str], tuple[int, str]] = OrderedDict()
        position = {name: i for i, name in enumerate(header)}
        # columns by position; optional ones absent from the header are -1
        self.at = tuple(position.get(name, -1) for name in COLUMNS)

    def event(self, row: list[str]) -> NewEvent:
        """The event of a CSV row (as many fields as the header), or ``UserValueError`` naming the field."""
        i_phone, i_event, i_time, i_method, i_source, i_campaign, i_text, i_ip, i_agent = self.at
        raw_phone, raw_kind, raw_time, raw_method, raw_campaign = (row[i_phone], row[i_event], row[i_time],
                                                                   row[i_method], row[i_campaign])
        for name, value in (("phone", raw_phone), ("event", raw_kind), ("occurred_at", raw_time),
                            ("method", raw_method), ("campaign", raw_campaign)):
            if not value or value.isspace():
                raise UserValueError(f"{name} is empty.", field=name)
        campaign_id = self.by_cell.get(raw_campaign)
        if campaign_id is None:
            campaign_id = self.campaigns.get(raw_campaign.strip())
            if campaign_id is None:
                raise UserValueError(f"No campaign with reference or TCR id {raw_campaign.strip()!r}.",
                                     field="campaign")
            if len(self.by_cell) > 1000:
                self.by_cell.clear()
            self.by_cell[raw_campaign] = campaign_id
        kind = self.kinds.get(raw_kind) or self._cached(self.kinds, raw_kind, parse_kind)
        method = self.methods.get(raw_method) or self._cached(self.methods, raw_method, parse_method)
        phone = to_e164(raw_phone)
        try:
            occurred = datetime.fromisoformat(raw_time)
            if occurred.tzinfo is None:
                raise ValueError
            occurred = occurred.astimezone(UTC)
            if occurred > self.latest:
                raise ValueError
        except ValueError:  # not ISO 8601, no time zone, or in the future: parse_time says which
            occurred = parse_time(raw_time, now=self.now)
        source = self._text(self.sources, row[i_source], "source", 500) if i_source >= 0 else None
        if not source and kind in _CONSENTING and method != _KEYWORD:
            raise UserValueError("source is empty: say where consent was given (URL, keyword and number, document "
                                 "id).", field="source")
        disclosure_id = disclosure_sha = None
        if i_text >= 0:
            text = row[i_text]
            if text and not text.isspace():
                disclosure_id, disclosure_sha = self._disclosure(campaign_id, text)
        ip = parse_ip(row[i_ip]) if i_ip >= 0 and row[i_ip] else None
        agent = self._text(self.agents, row[i_agent], "user_agent", 1000) if i_agent >= 0 else None
        return NewEvent.checked(self.digest, campaign_id, phone, kind, occurred, method, source, disclosure_id,
                                disclosure_sha, ip, agent)

    @staticmethod
    def _text(cache: dict[str, str | None], raw: str, field: str, limit: int) -> str | None:
        """``parse_text``, remembered for values that repeat (a form URL, a browser's user agent)."""
        if not raw:
            return None
        try:
            return cache[raw]
        except KeyError:
            pass
        value = parse_text(raw, field, limit)  # raises for bad values (not cached)
        if len(cache) > 1000:
            cache.clear()
        cache[raw] = value
        return value

    @staticmethod
    def _cached(cache: dict[str, Any], raw: str, parse: Callable[[str], Any]) -> str:
        value = cache.get(raw)
        if value is None:
            value = parse(raw).value  # raises for unknown values (not cached)
            if len(cache) > 1000:
                cache.clear()
            cache[raw] = value
        return value

    def _disclosure(self, campaign_id: int, text: str) -> tuple[int, str]:
        key = (campaign_id, text)
        found = self.disclosures.get(key)
        if found is None:
            found = self.disclosures[key] = self.ask_disclosure(campaign_id, text)  # raises for bad text
            if len(self.disclosures) > 256:
                self.disclosures.popitem(last=False)
        return found


#: the garbage collector's thresholds before the first running import, then one entry per running import
_GC_SAVED: list[tuple[int, ...] | None] = []
_GC_LOCK = threading.Lock()


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Young-generation collections every 50,000 allocations instead of 700 while importing. A batch keeps tens
    of thousands of small objects alive (rows, events, hashes), so collections kept running through them and
    promoting them into the older generations, whose full collections walk the whole process: a fifth of the
    import's Python time. The rows are freed by reference counting as before; only cyclic garbage (rare here)
    waits a little longer."""
    with _GC_LOCK:  # imports may run side by side (web requests): the first sets, the last restores
        if not _GC_SAVED:
            thresholds = gc.get_threshold()
            _GC_SAVED.append(thresholds)
            gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
        _GC_SAVED.append(None)
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_SAVED.pop()
            if len(_GC_SAVED) == 1:
                gc.set_threshold(*_GC_SAVED.pop())


def import_csv(session: Session, organization_id: int, stream: IO[bytes], *, filename: str, actor: Actor,
               errors_path: Path, commit: Callable[[], None], progress: Callable[[int], None] | None = None,
               batch_size: int = BATCH) -> ImportReport:
    """Import a CSV stream; raises :class:`UnusableFile` when the file cannot be read as the contract says."""
    counting = _CountingReader(stream)
    text = io.TextIOWrapper(io.BufferedReader(counting, 1 << 16), encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        first = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UnusableFile(f"The file is not UTF-8 CSV ({exc}); export it as CSV (UTF-8).", field="file") from None
    if not first or not any(h.strip() for h in first):
        raise UnusableFile("The file is empty: the first row must name the columns.", field="file")
    header = read_header(first)
    run = ConsentImport(organization_id=organization_id, filename=os.path.basename(filename)[:255] or "upload.csv",
                        recorded_by_id=actor.user_id, recorded_by=actor.label[:254])
    session.add(run)
    session.flush()
    report = ImportReport(run.id)
    sink = ErrorSink(errors_path)
    campaigns: dict[str, int] = {}
    for c in session.scalars(sa.select(Campaign).where(Campaign.organization_id == organization_id)):
        campaigns[c.reference] = c.id
        if c.tcr_campaign_id:
            campaigns.setdefault(c.tcr_campaign_id, c.id)
    recorder = Recorder(actor.label, actor.user_id, run.id)
    postgres = session.get_bind().dialect.name == "postgresql"
    analyzed_at = 0

    def disclosure(campaign_id: int, text: str) -> tuple[int, str]:
        found = disclosure_for(session, session.get(Campaign, campaign_id), text, actor=actor)
        return found.id, found.sha256

    checker = _Checker(campaigns, organization_id, datetime.now(UTC), header, disclosure)
    event = checker.event
    width = len(header)
    batch: list[NewEvent] = []

    def flush_batch() -> None:
        nonlocal analyzed_at
        result = append_events(session, organization_id, batch, recorder)
        report.imported += len(result.written)
        report.duplicates += len(result.duplicates)
        batch.clear()
        run.rows, run.imported, run.duplicates, run.rejected = (report.rows, report.imported, report.duplicates,
                                                                 report.rejected)
        session.flush()
        if postgres and report.imported >= max(4 * analyzed_at, ANALYZE_FROM):
            # statistics for the tables this import grows, at 10k, 40k, 160k … rows: the batch lookups stay
            # index probes instead of the plans chosen for the empty tables the import started with. Only the
            # columns those lookups filter on (the row counts come with them): a third of a full ANALYZE's time
            session.execute(sa.text("ANALYZE consent_event (organization_id, dedupe_key, phone), "
                                    "consent_subscription (campaign_id, phone)"))
            analyzed_at = report.imported
        commit()
        if progress is not None:
            progress(counting.count)

    row_no = 1
    with _fewer_collections():
        try:
            for row_no, row in enumerate(reader, start=2):
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank line
                report.rows += 1
                if len(row) != width:
                    report.rejected += 1
                    sink.write(row_no, None, f"expected {width} fields, found {len(row)}",
                               dict(zip(header, row, strict=False)))
                    continue
                try:
                    batch.append(event(row))
                except UserValueError as exc:
                    report.rejected += 1
                    sink.write(row_no, exc.field, exc.message, dict(zip(header, row, strict=False)))
                    continue
                if len(batch) >= batch_size:
                    flush_batch()
        except (UnicodeDecodeError, csv.Error) as exc:
            sink.close()
            run.status, run.finished_at = ImportStatus.FAILED, datetime.now(UTC)
            if batch:
                flush_batch()
            session.flush()
            commit()
            raise UnusableFile(f"Row {row_no} cannot be read ({exc}); rows before it were imported "
                               f"({report.imported:,} new).", field="file") from None
        if batch or progress is not None:
            flush_batch()
    sink.close()
    report.file_sha256 = counting.sha.hexdigest()
    report.errors_path = str(sink.path) if sink.used else None
    run.status, run.finished_at, run.file_sha256 = ImportStatus.DONE, datetime.now(UTC), report.file_sha256
    run.rows, run.imported, run.duplicates, run.rejected = (report.rows, report.imported, report.duplicates,
                                                             report.rejected)
    run.errors_path = report.errors_path
    if report.imported >= 10_000 and session.get_bind().dialect.name == "postgresql":
        # fresh statistics, so the planner uses the phone index for proof lookups right away
        session.execute(sa.text("ANALYZE consent_event, consent_subscription"))
    record(session, organization_id=organization_id, actor=actor, action="import", entity_type="consent_import",
           entity_id=run.id, summary=f"Consent import {run.filename}: {report.imported:,} new, "
                                     f"{report.duplicates:,} already recorded, {report.rejected:,} rejected",
           changes={"file_sha256": [None, report.file_sha256], "rows": [None, report.rows]})
    session.flush()
    commit()
    return report
