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


@cli.command("serve", help="Serve the web app on http://HOST:PORT.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    from waitress import serve as waitress_serve

    from registry.app import create_app

    app = create_app()
    click.echo(f"registry serving on http://{host}:{port} (Ctrl+C to stop)")
    waitress_serve(app, host=host, port=port, threads=threads, ident="registry")


def _feature_commands() -> None:
    """Commands whose code lives with their feature (they need no app unless they say so)."""
    from registry.rules.cli import lint_command

    cli.add_command(lint_command)


_feature_commands()


def main() -> None:
    cli(prog_name="registry")
