"""Huey wiring: tasks run after the commit (immediate mode in tests), a real consumer on a real Redis, and the
command line: ``registry sync --once`` and ``registry serve`` (web + worker + sandbox, stopped by Ctrl+C)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from click.testing import CliRunner

from registry import tasks
from registry.cli import cli
from registry.provider_accounts.models import ProviderAccount, ProviderName
from registry.states import RegistrationStatus
from registry.submissions.models import SubmissionStatus

from .conftest import Flow

R = RegistrationStatus


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_in_immediate_mode_approval_sends_after_commit_and_webhooks_refetch(flow: Flow) -> None:
    flow.app.config["WORKER_AUTORUN"] = True
    tasks.configure_worker(flow.app)
    assert tasks.huey.immediate
    brand = flow.brand()
    flow.approve(brand)  # the commit triggers the send: no pass was run
    [sub] = flow.submissions()
    assert sub.status is SubmissionStatus.DONE
    assert flow.get(brand).status is R.PENDING
    flow.sim.advance(minutes=2)  # the webhook arrives; its handler re-fetches after its own commit
    assert flow.get(brand).status is R.APPROVED
    assert flow.timeline(brand)[-1] == ("pending", "approved")


def test_a_rolled_back_transaction_enqueues_nothing(flow: Flow) -> None:
    from registry.audit import Actor
    from registry.brands.models import Brand
    from registry.db import get_database
    from registry.reviews.operations import Acknowledged, approve, submit_for_review, warnings_to_acknowledge

    flow.app.config["WORKER_AUTORUN"] = True
    tasks.configure_worker(flow.app)
    brand_id = flow.brand().id
    with get_database(flow.app).sessionmaker() as session:  # a real transaction on both databases
        brand = session.get(Brand, brand_id)
        revision = submit_for_review(session, brand, actor=Actor.of(flow.author))
        approve(
            session,
            revision,
            actor=Actor.of(flow.officer),
            acknowledgements=[
                Acknowledged(w["rule"], w["field"] or "", "Accepted for the test scenario.")
                for w in warnings_to_acknowledge(revision)
            ],
        )
        session.rollback()
    assert flow.submissions() == [] and flow.creates("brand_registration") == 0


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        message = "redis-server is not installed (scripts/ensure-system-packages installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    port = free_port()
    proc = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        assert wait_for(lambda: _pings(client), 10), "redis-server did not start"
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


def test_a_real_consumer_sends_through_redis(flow: Flow, redis_url: str, monkeypatch) -> None:
    flow.app.config.update(REDIS_URL=redis_url, HUEY_IMMEDIATE=False, WORKER_AUTORUN=True)
    tasks.configure_worker(flow.app)
    assert type(tasks.huey.storage).__name__ == "RedisStorage" and not tasks.huey.immediate
    brand = flow.brand()
    flow.approve(brand)
    assert tasks.huey.pending_count() == 1  # enqueued in Redis after the commit, not run here
    assert flow.submissions()[0].status is SubmissionStatus.PENDING
    consumer = tasks.huey.create_consumer(workers=2, worker_type="thread", periodic=False)
    monkeypatch.setattr(consumer, "_set_signal_handlers", lambda: None)  # pytest keeps its own handlers
    consumer.start()
    try:
        assert wait_for(lambda: flow.submissions()[0].status is SubmissionStatus.DONE)
    finally:
        consumer.stop(graceful=True)
    assert flow.get(brand).status is R.PENDING
    assert tasks.huey.pending_count() == 0


def test_sync_once_runs_one_pass_and_exits_0(flow: Flow, db_url: str) -> None:
    brand = flow.brand()
    flow.approve(brand)
    result = CliRunner().invoke(cli, ["sync", "--once"], env={"DATABASE_URL": db_url})
    assert result.exit_code == 0, result.output
    assert "sync: 1 submissions" in result.output
    assert flow.get(brand).status is R.PENDING
    again = CliRunner().invoke(cli, ["sync", "--once", "--workers", "2"], env={"DATABASE_URL": db_url})
    assert again.exit_code == 0 and "sync: 0 submissions" in again.output


def test_provider_accounts_from_the_cli_never_show_the_key(flow: Flow, db_url: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "provider",
            "add",
            "--org",
            flow.org.slug,
            "--provider",
            "telnyx",
            "--label",
            "Telnyx production",
            "--not-default",
        ],
        input="KEYsupersecret123\n",
        env={"DATABASE_URL": db_url},
    )
    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(cli, ["provider", "list"], env={"DATABASE_URL": db_url})
    assert "Telnyx production" in listed.output and "https://api.telnyx.com/v2" in listed.output
    assert "supersecret" not in result.output + listed.output
    stored = flow.db.scalar(sa.select(ProviderAccount).where(ProviderAccount.provider == ProviderName.TELNYX))
    assert "supersecret" not in stored.credentials and not stored.is_default


def test_serve_runs_web_worker_and_sandbox_and_stops_on_ctrl_c(db_url: str, tmp_path: Path) -> None:
    web, sim = free_port(), free_port()
    registry = shutil.which("registry", path=str(Path(sys.executable).parent))
    env = {**os.environ, "DATABASE_URL": db_url, "REGISTRY_INSTANCE": str(tmp_path)}
    proc = subprocess.Popen(
        [registry, "serve", "--port", str(web), "--sim-port", str(sim)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(lambda: _get(f"http://127.0.0.1:{web}/health") == 200, 20)
        from registry.provider_accounts.sandbox import SANDBOX_API_KEY

        usecases = requests.get(
            f"http://127.0.0.1:{sim}/v2/10dlc/enum/usecase",
            timeout=5,
            headers={"Authorization": f"Bearer {SANDBOX_API_KEY}"},
        )
        assert usecases.status_code == 200 and "MARKETING" in usecases.text
        assert _get(f"http://127.0.0.1:{web}/webhooks/sandbox/unknown", method="post") == 404
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, output
    assert "registry stopped" in output and "Traceback" not in output
    with socket.socket() as s:  # both ports are free again
        s.bind(("127.0.0.1", web))


def _get(url: str, method: str = "get") -> int | None:
    try:
        return requests.request(method, url, timeout=2).status_code
    except requests.RequestException:
        return None
