"""The Huey task that generates big reports (registered on the shared queue of ``registry.tasks``; the worker
imports this module through the app's blueprints)."""

from __future__ import annotations

from registry.tasks import huey, task_app


@huey.task(retries=0)
def generate_report(job_id: str) -> None:
    """Generate one report job (files under ``instance/reports/<job_id>/``)."""
    from .jobs import run_job

    run_job(task_app(), job_id)
