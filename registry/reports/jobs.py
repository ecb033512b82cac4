"""Report jobs of the web pages, kept as files (no table): ``instance/reports/<id>/job.json`` beside the
report's ``report.pdf`` and ``report.csv``. Written atomically (a reader never sees half a file); jobs older than
``REPORT_JOB_DAYS`` (7) are removed when the list is read."""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .service import ReportRequest

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
KEEP_DAYS = 7


@dataclass(frozen=True)
class Job:
    id: str
    organization_id: int
    user_id: int | None
    request: dict[str, Any]
    created_at: str
    status: str = QUEUED
    background: bool = False
    progress: float = 0.0
    message: str = "waiting for a worker"
    error: str = ""
    pages: int = 0
    csv_sha256: str = ""
    attachments: list[dict[str, Any]] = field(default_factory=list)
    finished_at: str = ""

    @property
    def report(self) -> ReportRequest:
        return ReportRequest.from_dict(self.request)

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class JobStore:
    def __init__(self, root: Path | str, *, keep_days: int = KEEP_DAYS) -> None:
        self.root = Path(root)
        self.keep = timedelta(days=keep_days)

    @classmethod
    def for_app(cls, app: Any) -> JobStore:
        return cls(Path(app.config["INSTANCE_PATH"]) / "reports",
                   keep_days=int(app.config.get("REPORT_JOB_DAYS", KEEP_DAYS)))

    def folder(self, job_id: str) -> Path:
        if not job_id or not job_id.replace("-", "").replace("_", "").isalnum():
            raise KeyError(job_id)
        return self.root / job_id

    def pdf(self, job_id: str) -> Path:
        return self.folder(job_id) / "report.pdf"

    def csv(self, job_id: str) -> Path:
        return self.folder(job_id) / "report.csv"

    def create(self, request: ReportRequest, *, user_id: int | None, background: bool) -> Job:
        job = Job(id=secrets.token_urlsafe(12), organization_id=request.organization_id, user_id=user_id,
                  request=request.to_dict(), created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                  background=background)
        self.folder(job.id).mkdir(parents=True, exist_ok=False)
        self.save(job)
        return job

    def save(self, job: Job) -> Job:
        target = self.folder(job.id) / "job.json"
        partial = target.with_suffix(".partial")
        partial.write_text(json.dumps(asdict(job), indent=1))
        os.replace(partial, target)
        return job

    def get(self, job_id: str) -> Job | None:
        try:
            data = json.loads((self.folder(job_id) / "job.json").read_text())
        except (KeyError, OSError, ValueError):
            return None
        return Job(**data)

    def update(self, job: Job, **changes: Any) -> Job:
        return self.save(replace(job, **changes))

    def recent(self, organization_id: int, limit: int = 20) -> list[Job]:
        self.prune()
        if not self.root.is_dir():
            return []
        jobs = []
        for folder in sorted(self.root.iterdir(), key=_mtime, reverse=True):
            job = self.get(folder.name)
            if job is not None and job.organization_id == organization_id:
                jobs.append(job)
                if len(jobs) >= limit:
                    break
        return jobs

    def prune(self) -> None:
        if not self.root.is_dir():
            return
        cutoff = time.time() - self.keep.total_seconds()
        for folder in self.root.iterdir():
            if folder.is_dir() and _mtime(folder) < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def run_job(app: Any, job_id: str) -> Job | None:
    """Generate a job's report (in a request for small reports, in a Huey worker for big ones)."""
    from registry.db import get_database
    from registry.errors import RegistryError

    from .service import generate

    store = JobStore.for_app(app)
    job = store.get(job_id)
    if job is None or job.finished:
        return job
    job = store.update(job, status=RUNNING, message="starting", progress=0.02)
    last = [0.0]

    def progress(fraction: float, message: str) -> None:
        nonlocal job
        if fraction - last[0] >= 0.05 or fraction >= 1.0:
            last[0] = fraction
            job = store.update(job, progress=min(fraction, 0.99), message=message)

    try:
        produced = generate(get_database(app).sessionmaker, job.report, app.config, pdf=store.pdf(job.id),
                            csv=store.csv(job.id), progress=progress)
    except RegistryError as exc:
        return store.update(job, status=FAILED, error=exc.message, message="failed",
                            finished_at=datetime.now(UTC).isoformat(timespec="seconds"))
    except Exception:
        log.exception("report job %s failed", job.id)
        return store.update(job, status=FAILED, message="failed",
                            error="The report could not be generated; the error was logged.",
                            finished_at=datetime.now(UTC).isoformat(timespec="seconds"))
    return store.update(job, status=DONE, progress=1.0, message="done", pages=produced.pages,
                        csv_sha256=produced.csv_sha256,
                        attachments=[{"name": a.name, "rows": a.rows, "sha256": a.sha256}
                                     for a in produced.attachments],
                        finished_at=datetime.now(UTC).isoformat(timespec="seconds"))
