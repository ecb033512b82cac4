"""Background work with Huey: the outbox sender, webhook-triggered re-fetches and the periodic sync.

- Storage: ``RedisHuey`` semantics when ``REDIS_URL`` is set, else SQLite in ``instance/huey.db``; tests run
  tasks in immediate mode (in memory, synchronously). ``configure_worker(app)`` (called by ``create_app``)
  chooses; importing this module touches neither disk nor network.
- Tasks need an app: in a process that built one (``registry serve``, ``registry worker``, a test) they use it;
  a bare consumer builds one with ``create_app()`` on the first task, never at import.
- Enqueue *after* the commit: ``on_commit(session, fn)`` runs ``fn`` once the transaction that wrote the outbox
  row or marked an item due has committed (and never if it rolled back), so a task never looks for a row that
  is not visible yet. The rows are the durable truth: the periodic pass picks up anything whose enqueue was
  lost (a crash between commit and enqueue, a Redis outage).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from huey import Huey, crontab
from huey.storage import BlackHoleStorage, MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_CALLBACKS = "registry.tasks.on_commit"


class RegistryHuey(Huey):
    """A Huey whose storage is chosen when the app is configured and opened on first use, not at import (a CLI
    command that never enqueues never touches the queue)."""

    def __init__(self) -> None:
        self._storage: Any = None
        self._storage_factory: Callable[[], Any] | None = None
        super().__init__("registry", results=False, utc=True, storage_class=BlackHoleStorage)

    @property  # type: ignore[override]
    def storage(self) -> Any:
        if self._storage is None and self._storage_factory is not None:
            self._storage = self._storage_factory()
        return self._storage

    @storage.setter
    def storage(self, value: Any) -> None:
        self._storage = value

    def use_storage(self, factory: Callable[[], Any], *, immediate: bool) -> None:
        """Swap the storage (and immediate mode) in place; task registrations are kept."""
        self._immediate = immediate
        self._storage, self._storage_factory = None, factory


huey = RegistryHuey()
_state: dict[str, Any] = {"app": None, "autorun": True, "configured": None}
_app_lock = threading.Lock()


def configure_worker(app: Any) -> None:
    """Point the task queue at the app's storage and remember the app for the tasks of this process."""
    config = app.config
    immediate = bool(config.get("HUEY_IMMEDIATE", config.get("TESTING", False)))
    if immediate:
        key: tuple[Any, ...] = ("memory",)
    elif config.get("REDIS_URL"):
        key = ("redis", config["REDIS_URL"])
    else:
        key = ("sqlite", str(Path(config["INSTANCE_PATH"]) / "huey.db"))
    if _state["configured"] != key:
        huey.use_storage(lambda: _open_storage(key), immediate=immediate)
        _state["configured"] = key
    _state["app"] = app
    # tests enqueue only when they ask for it, so suites that merely approve revisions stay database-only
    _state["autorun"] = bool(config.get("WORKER_AUTORUN", not config.get("TESTING", False)))


def _open_storage(key: tuple[Any, ...]) -> Any:
    if key[0] == "memory":
        return MemoryStorage("registry")
    if key[0] == "redis":
        return RedisStorage("registry", url=key[1])
    Path(key[1]).parent.mkdir(parents=True, exist_ok=True)
    return SqliteStorage("registry", filename=key[1])


def task_app() -> Any:
    """The app tasks of this process run with (built once, on first use, in a bare consumer)."""
    with _app_lock:
        if _state["app"] is None:
            from registry.app import create_app

            _state["app"] = create_app()
        return _state["app"]


def on_commit(session: Session, fn: Callable[[], Any]) -> None:
    """Run ``fn`` after ``session``'s current transaction commits (dropped if it rolls back)."""
    callbacks: list[Callable[[], Any]] = session.info.setdefault(_CALLBACKS, [])
    callbacks.append(fn)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    callbacks = session.info.pop(_CALLBACKS, [])
    for fn in callbacks:
        try:
            fn()
        except Exception:  # the rows are durable: the periodic pass retries what could not be enqueued
            log.exception("after-commit callback failed")


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_CALLBACKS, None)


def enqueue_submission(session: Session, submission_id: int) -> None:
    """Send a submission after the current transaction commits."""
    if _state["autorun"]:
        on_commit(session, lambda: send_submission(submission_id))


def enqueue_sync(session: Session, state_id: int) -> None:
    """Re-fetch one sync item after the current transaction commits."""
    if _state["autorun"]:
        on_commit(session, lambda: sync_item(state_id))


# --- the tasks -------------------------------------------------------------------------------------------


@huey.task(retries=0)
def send_submission(submission_id: int) -> None:
    """Process one outbox row (claimed; a row another worker holds is left alone)."""
    from registry.submissions.sender import process_submission

    process_submission(task_app(), submission_id)


@huey.task(retries=0)
def sync_item(state_id: int) -> None:
    """Re-fetch and apply one sync item now (after a webhook)."""
    from registry.sync.runner import sync_one

    sync_one(task_app(), state_id)


@huey.periodic_task(crontab(minute="*"), retries=0)
@huey.lock_task("registry-sync-tick")
def sync_tick() -> None:
    """Every minute: send due submissions, queue number assignments, sync due items (one bounded pass)."""
    from registry.sync.runner import run_pass

    run_pass(task_app())
