"""The ``registry`` command line: thin wrappers over operations. Each command is one unit of work."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from registry.errors import RegistryError
from registry.states import Role


def with_app(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run the command inside an app context; turn expected errors into a one-line message and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from registry.app import create_app
        from registry.db import get_database

        app = create_app()
        try:
            with app.app_context():
                return fn(*args, **kwargs)
        except RegistryError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(1)
        finally:
            get_database(app).engine.dispose()

    return wrapper


def commit() -> None:
    from registry.db import get_session
    from registry.web.edge import commit as commit_session

    commit_session(get_session())


@click.group(help="US A2P 10DLC registration and compliance.")
def cli() -> None:
    pass


# --- database -----------------------------------------------------------------------------------------

@cli.group(help="Database schema (Alembic migrations).")
def db() -> None:
    pass


@db.command("upgrade", help="Apply migrations to DATABASE_URL (default: up to the newest).")
@click.argument("revision", default="head")
@with_app
def db_upgrade(revision: str) -> None:
    from registry import migrate
    from registry.db import get_database

    engine = get_database().engine
    migrate.upgrade(engine, revision)
    click.echo(f"database at {migrate.current(engine)} ({engine.url.render_as_string(hide_password=True)})")


@db.command("downgrade", help="Revert migrations down to REVISION ('base' removes every table).")
@click.argument("revision")
@click.confirmation_option(prompt="This can delete data. Continue?")
@with_app
def db_downgrade(revision: str) -> None:
    from registry import migrate
    from registry.db import get_database

    migrate.downgrade(get_database().engine, revision)
    click.echo(f"database at {migrate.current(get_database().engine) or 'base'}")


# --- users ------------------------------------------------------------------------------------------

@cli.group(help="Users and memberships.")
def user() -> None:
    pass


@user.command("create", help="Create a user (or add an existing one) with a role in an organization; the "
                             "organization is created when it does not exist yet.")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "org_key", required=True, help="organization slug or name")
@click.option("--name", "full_name", default="", help="full name shown in the audit trail")
@click.option("--password", envvar="REGISTRY_PASSWORD", help="read from REGISTRY_PASSWORD or prompted")
@with_app
def user_create(email: str, role: str, org_key: str, full_name: str, password: str | None) -> None:
    from registry.audit import Actor
    from registry.auth import operations as ops
    from registry.db import get_session

    session = get_session()
    actor = Actor.system("cli user create")
    org = ops.find_organization(session, org_key)
    if org is None:
        org = ops.create_organization(session, org_key, actor=actor)
        click.echo(f"created organization {org.name} ({org.slug})")
    account = ops.find_user(session, email)
    if account is None:
        if not password:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        account = ops.create_user(session, email, password, full_name=full_name)
        click.echo(f"created user {account.email}")
    ops.add_member(session, org, account, Role(role), actor=actor)
    commit()
    click.echo(f"{account.email} is {Role(role).label} of {org.name}")


# --- audit ------------------------------------------------------------------------------------------

@cli.group(help="The hash-chained audit trail.")
def audit() -> None:
    pass


@audit.command("verify", help="Re-check every organization's audit chain; exit 1 naming the first broken "
                              "event of each broken chain.")
@with_app
def audit_verify() -> None:
    import sqlalchemy as sa

    from registry.audit import verify
    from registry.audit.models import AuditEvent
    from registry.db import get_session

    session = get_session()
    problems = verify(session)
    count = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    if problems:
        for problem in problems:
            click.echo(f"BROKEN {problem}", err=True)
        sys.exit(1)
    click.echo(f"ok: {count} audit events verified, every chain intact")


# --- demo data and serving --------------------------------------------------------------------------

@cli.group(help="Demo data.")
def demo() -> None:
    pass


@demo.command("load", help="Load the demo organization, users, brands, campaigns and numbers (idempotent).")
@with_app
def demo_load() -> None:
    from registry.db import get_session
    from registry.demo import load_demo

    created = load_demo(get_session())
    commit()
    click.echo("demo data: " + (", ".join(f"{n} {kind}" for kind, n in created.items() if n) or "already loaded"))


@cli.command("serve", help="Serve the web app on http://HOST:PORT together with a background worker (the "
                          "outbox, webhooks' re-fetches, the periodic sync) and the sandbox provider on SIM-PORT. "
                          "Ctrl+C stops all three.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--sim-port", default=5055, show_default=True, type=int,
              help="port of the sandbox provider (the demo's sandbox account points at 5055)")
@click.option("--sim-speed", default=3600.0, show_default=True, type=float,
              help="sandbox virtual seconds per real second (3600: a day of carrier review takes 24 s)")
@click.option("--no-simulator", is_flag=True, help="do not start the sandbox provider")
@click.option("--workers", default=2, show_default=True, type=int, help="background worker threads (0: none)")
def serve(host: str, port: int, threads: int, sim_port: int, sim_speed: float, no_simulator: bool,
          workers: int) -> None:
    from registry.serving import serve_all

    serve_all(host=host, port=port, threads=threads, sim_port=None if no_simulator else sim_port,
              sim_speed=sim_speed, workers=workers, echo=click.echo)


# --- providers, the outbox and the sync (issue #5) ----------------------------------------------------------

@cli.command("worker", help="Run the background worker (Huey consumer with the periodic sync) until Ctrl+C.")
@click.option("--workers", default=2, show_default=True, type=int)
def worker(workers: int) -> None:
    from registry.app import create_app
    from registry.tasks import huey

    create_app()  # configures the queue storage and the app the tasks use
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


@cli.command("sync", help="Sync provider state: send due submissions and re-fetch due brands, campaigns and "
                          "numbers. --once runs one pass and exits 0; without it, passes repeat until Ctrl+C.")
@click.option("--once", is_flag=True, help="one pass, then exit")
@click.option("--workers", default=1, show_default=True, type=int, help="parallel fetch threads")
@click.option("--interval", default=30.0, show_default=True, type=float, help="seconds between passes")
@click.option("--limit", default=None, type=int, help="items per pass (default: the SYNC_BATCH setting)")
@with_app
def sync(once: bool, workers: int, interval: float, limit: int | None) -> None:
    import time

    from flask import current_app

    from registry.sync.runner import run_pass

    app = current_app._get_current_object()
    try:
        while True:
            stats = run_pass(app, workers=workers, limit=limit)
            click.echo(f"sync: {stats}")
            for error in stats.last_errors:
                click.echo(f"  {error}", err=True)
            if once:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("sync stopped")


@cli.group("provider", help="Provider accounts (credentials are encrypted and never shown again).")
def provider() -> None:
    pass


@provider.command("add", help="Add a provider account to an organization.")
@click.option("--org", "org_key", required=True, help="organization slug or name")
@click.option("--provider", "provider_name", required=True, type=click.Choice(["telnyx", "twilio", "tcr", "sandbox"]))
@click.option("--label", required=True)
@click.option("--base-url", default=None, help="API root (default: the provider's production URL; Twilio: a "
                                                "template such as https://{service}.twilio.com)")
@click.option("--api-key", envvar="REGISTRY_PROVIDER_API_KEY", help="API key (Twilio: account SID); read from "
                                                                    "REGISTRY_PROVIDER_API_KEY or prompted (hidden)")
@click.option("--api-secret", envvar="REGISTRY_PROVIDER_API_SECRET", help="Twilio auth token or TCR API secret; "
              "read from REGISTRY_PROVIDER_API_SECRET or prompted (hidden)")
@click.option("--upstream-cnp", default=None, help="TCR: the CNP/DCA id campaigns are shared with")
@click.option("--mno-ids", default=None, help="TCR: comma-separated MNO ids to elect (default: all)")
@click.option("--webhook-public-key", default=None, help="the key the provider signs webhooks with")
@click.option("--rate", default=10.0, show_default=True, type=float, help="requests per second we allow")
@click.option("--burst", default=5, show_default=True, type=int)
@click.option("--default/--not-default", "is_default", default=None,
              help="make it the organization's default account (default: if it has none)")
@with_app
def provider_add(org_key: str, provider_name: str, label: str, base_url: str | None, api_key: str | None,
                 api_secret: str | None, upstream_cnp: str | None, mno_ids: str | None,
                 webhook_public_key: str | None, rate: float, burst: int, is_default: bool | None) -> None:
    from registry.audit import Actor
    from registry.auth import operations as ops
    from registry.db import get_session
    from registry.errors import NotFound
    from registry.provider_accounts.crypto import app_fernet
    from registry.provider_accounts.operations import create_account

    session = get_session()
    org = ops.find_organization(session, org_key)
    if org is None:
        raise NotFound(f"No organization {org_key!r}.")
    if not api_key:
        api_key = click.prompt("Account SID" if provider_name == "twilio" else "API key", hide_input=True)
    if not api_secret and provider_name in ("twilio", "tcr"):
        api_secret = click.prompt("Auth token" if provider_name == "twilio" else "API secret", hide_input=True)
    settings = {"upstream_cnp_id": upstream_cnp,
                "mno_ids": [m.strip() for m in mno_ids.split(",") if m.strip()] if mno_ids else None}
    account = create_account(session, org, app_fernet(), provider=provider_name, label=label, api_key=api_key,
                             api_secret=api_secret, base_url=base_url, webhook_public_key=webhook_public_key,
                             settings=settings, rate=rate, burst=burst, is_default=is_default,
                             actor=Actor.system("cli provider add"))
    commit()
    click.echo(f"added {account.audit_label} to {org.name}"
               + (" (default)" if account.is_default else "")
               + f"; webhook path /webhooks/{account.provider.value}/{account.public_id}")


@provider.command("list", help="List provider accounts (never their credentials).")
@click.option("--org", "org_key", default=None, help="only this organization")
@with_app
def provider_list(org_key: str | None) -> None:
    import sqlalchemy as sa

    from registry.auth import operations as ops
    from registry.db import get_session
    from registry.provider_accounts.models import ProviderAccount

    session = get_session()
    query = sa.select(ProviderAccount).order_by(ProviderAccount.organization_id, ProviderAccount.id)
    if org_key:
        org = ops.find_organization(session, org_key)
        query = query.where(ProviderAccount.organization_id == (org.id if org else -1))
    for a in session.scalars(query):
        flags = ", ".join(f for f, on in (("default", a.is_default), ("inactive", not a.is_active)) if on)
        click.echo(f"{a.id}\t{a.organization.slug}\t{a.provider.value}\t{a.label}\t{a.base_url}\t"
                   f"/webhooks/{a.provider.value}/{a.public_id}" + (f"\t({flags})" if flags else ""))


@cli.group("submissions", help="The outbox of provider submissions.")
def submissions() -> None:
    pass


@submissions.command("list", help="Submissions that are not done (or all with --all).")
@click.option("--all", "show_all", is_flag=True)
@with_app
def submissions_list(show_all: bool) -> None:
    import sqlalchemy as sa

    from registry.db import get_session
    from registry.submissions.models import OPEN, Submission

    query = sa.select(Submission).order_by(Submission.id)
    if not show_all:
        query = query.where(Submission.status.in_(OPEN))
    for s in get_session().scalars(query):
        click.echo(f"{s.id}\t{s.step.value}\t{s.status.value}\t{s.client_ref}\tattempts={s.attempts}\t"
                   f"{s.provider_id or '-'}\t{s.last_error or ''}")


@submissions.command("retry", help="Retry a submission that needs attention.")
@click.argument("submission_id", type=int)
@with_app
def submissions_retry(submission_id: int) -> None:
    from registry.audit import Actor
    from registry.db import get_session
    from registry.errors import NotFound
    from registry.submissions.models import Submission
    from registry.submissions.operations import retry_submission

    session = get_session()
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"No submission {submission_id}.")
    retry_submission(session, submission, actor=Actor.system("cli submissions retry"))
    commit()
    click.echo(f"submission {submission_id} queued again")


# --- consent (issue #6) -----------------------------------------------------------------------------------

@cli.group(help="The consent audit trail: import, proof per number, inbound keys.")
def consent() -> None:
    pass


def _consent_org(org_key: str | None):
    """The organization named by --org, or the only one there is; exit 2 otherwise."""
    import sqlalchemy as sa

    from registry.auth import operations as ops
    from registry.auth.models import Organization
    from registry.db import get_session

    session = get_session()
    if org_key:
        org = ops.find_organization(session, org_key)
        if org is None:
            click.echo(f"error: no organization {org_key!r}", err=True)
            sys.exit(2)
        return org
    orgs = session.scalars(sa.select(Organization).limit(2)).all()
    if len(orgs) != 1:
        click.echo("error: name the organization with --org (slug or name)", err=True)
        sys.exit(2)
    return orgs[0]


@consent.command("import", help="Import consent events from a CSV file (columns phone, event, occurred_at, method, "
                                "source, campaign, and optionally disclosure_text, ip, user_agent; order free). "
                                "Rejected rows go to an error CSV with their row number and reason. Exit 0 when "
                                "every row was imported (or already was), 1 when some were rejected, 2 when the "
                                "file is unusable.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--org", "org_key", default=None, help="organization slug or name (default: the only one)")
@click.option("--errors", "errors_file", default=None, help="where to write rejected rows (default: FILE.errors.csv)")
@click.option("--batch", "batch_size", default=10_000, show_default=True, type=click.IntRange(1, 100_000),
              help="rows per transaction")
@with_app
def consent_import(file: str, org_key: str | None, errors_file: str | None, batch_size: int) -> None:
    import os
    from pathlib import Path

    from registry.audit import Actor
    from registry.consent.imports import UnusableFile, import_csv
    from registry.db import get_session

    org = _consent_org(org_key)
    path = Path(file)
    if not path.is_file():
        click.echo(f"error: {file}: no such file", err=True)
        sys.exit(2)
    errors_path = Path(errors_file) if errors_file else path.with_name(path.name + ".errors.csv")
    if errors_path.exists():
        errors_path.unlink()  # a report of an earlier run would mislead
    size = os.path.getsize(path)
    with open(path, "rb") as fh, click.progressbar(length=size, label=f"importing {path.name}", file=sys.stderr,
                                                   show_pos=False, show_percent=True) as bar:
        done = [0]

        def progress(read: int) -> None:
            bar.update(read - done[0])
            done[0] = read

        try:
            report = import_csv(get_session(), org.id, fh, filename=path.name, actor=Actor.system("cli consent import"),
                                errors_path=errors_path, commit=commit, progress=progress, batch_size=batch_size)
        except UnusableFile as exc:
            click.echo(f"\nerror: {path.name}: {exc.message}", err=True)
            sys.exit(2)
    click.echo(f"{report.rows:,} row(s): {report.imported:,} imported, {report.duplicates:,} already recorded, "
               f"{report.rejected:,} rejected")
    if report.rejected:
        click.echo(f"rejected rows (row number and reason): {report.errors_path}")
        sys.exit(1)


@consent.command("show", help="The consent proof of one number: every event across the organization's campaigns, "
                              "the disclosure shown at each opt-in, the current state and disclosure warnings.")
@click.argument("phone")
@click.option("--org", "org_key", default=None, help="organization slug or name (default: the only one)")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@with_app
def consent_show(phone: str, org_key: str | None, fmt: str) -> None:
    import json

    import sqlalchemy as sa

    from registry.campaigns.models import Campaign
    from registry.consent.disclosures import disclosure_status
    from registry.consent.proof import proof
    from registry.db import get_session
    from registry.errors import UserValueError

    session = get_session()
    org = _consent_org(org_key)
    try:
        found = proof(session, org.id, phone)
    except UserValueError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(2)
    campaigns = session.scalars(sa.select(Campaign).where(Campaign.id.in_(found.campaign_ids))).all()
    warnings = [(c.reference, w) for c in campaigns for w in disclosure_status(session, c).warnings]
    if fmt == "json":
        click.echo(json.dumps({
            "phone": found.phone,
            "current": [{"campaign": s.campaign_reference, "state": s.state.value, "since": s.since.isoformat(),
                         "method": s.method.value} for s in found.current],
            "events": [{"seq": e.event.seq, "campaign": e.campaign_reference, "event": e.event.kind.value,
                        "occurred_at": e.event.occurred_at.isoformat(),
                        "recorded_at": e.event.recorded_at.isoformat(), "method": e.event.method.value,
                        "source": e.event.source, "ip": e.event.ip, "user_agent": e.event.user_agent,
                        "message": e.event.message_text, "reply": e.event.reply_text,
                        "recorded_by": e.event.recorded_by, "hash": e.event.hash,
                        "disclosure": ({"version": e.disclosure.version, "sha256": e.disclosure.sha256,
                                        "text": e.disclosure.text, "findings": e.disclosure.findings}
                                       if e.disclosure else None),
                        "incomplete": list(e.gaps)} for e in found.entries],
            "warnings": [{"campaign": ref, "warning": w} for ref, w in warnings]}, indent=2))
        return
    click.echo(f"Consent proof for {found.phone} ({org.name})")
    if not found.entries:
        click.echo("  no consent events: this number may not be texted")
    click.echo("Current state:")
    for s in found.current:
        verdict = "may be texted" if s.state.value == "opted_in" else "OPTED OUT: do not text"
        click.echo(f"  {s.campaign_reference}: {verdict} since {s.since:%Y-%m-%d %H:%M:%S} UTC ({s.method.label})")
    click.echo("Timeline:")
    for item in found.entries:
        e = item.event
        click.echo(f"  {e.occurred_at:%Y-%m-%d %H:%M:%S} UTC  #{e.seq}  {item.campaign_reference}  {e.kind.label}  "
                   f"via {e.method.label}" + (f"  ({e.source})" if e.source else ""))
        if item.disclosure:
            click.echo(f"      disclosure v{item.disclosure.version} ({item.disclosure.sha256[:12]}): "
                       f"{item.disclosure.text}")
            for f in item.disclosure.findings:
                click.echo(f"        {f['severity']}: {f['rule']}: {f['message']}")
        if e.message_text:
            click.echo(f"      message: {e.message_text!r}" + (f"  reply: {e.reply_text!r}" if e.reply_text else ""))
        if e.ip or e.user_agent:
            click.echo(f"      ip {e.ip or '-'}  user agent {e.user_agent or '-'}")
        if item.gaps:
            click.echo(f"      incomplete (CONSENT-RECORD-COMPLETE): no {', no '.join(item.gaps)}")
    for ref, warning in warnings:
        click.echo(f"WARNING {ref}: {warning}")


@consent.command("inbound-key", help="Create a secret for POST /inbound/json (shown once; send it as "
                                     "'Authorization: Bearer KEY').")
@click.option("--org", "org_key", default=None, help="organization slug or name (default: the only one)")
@click.option("--label", required=True, help="which integration uses it")
@with_app
def consent_inbound_key(org_key: str | None, label: str) -> None:
    from registry.audit import Actor
    from registry.consent.signatures import create_key
    from registry.db import get_session

    org = _consent_org(org_key)
    token = create_key(get_session(), org.id, label, actor=Actor.system("cli consent inbound-key"))
    commit()
    click.echo(token)


def _attach_simulator() -> None:
    from registry.providers.simulator.cli import simulator

    cli.add_command(simulator)


_attach_simulator()


def _attach_reports() -> None:
    """``registry report dossier|consent|program`` (issue #7; the commands live in ``registry.reports.cli``)."""
    from registry.reports.cli import report

    cli.add_command(report)


_attach_reports()


def _attach_lint() -> None:
    """``registry lint`` (issue #3; the command lives in ``registry.rules.cli`` and needs no app)."""
    from registry.rules.cli import lint_command

    cli.add_command(lint_command)


_attach_lint()


def main() -> None:
    cli(prog_name="registry")
