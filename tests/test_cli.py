"""The `registry` command line (a contract: scripts rely on these names and exit codes)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from registry.auth.models import Membership, Organization, User
from registry.cli import cli
from registry.states import Role


def run(db_url, *args, **kw):
    return CliRunner().invoke(cli, list(args), env={"DATABASE_URL": db_url, **kw.pop("env", {})}, **kw)


def test_user_create_creates_the_organization_and_the_member(db_url, db):
    result = run(db_url, "user", "create", "--email", "Ops@Example.org", "--role", "admin", "--org", "Globex",
                 "--password", "a long enough password")
    assert result.exit_code == 0, result.output
    assert "created organization Globex (globex)" in result.output
    user = db.scalar(sa.select(User).where(User.email == "ops@example.org"))
    membership = db.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    assert membership.role == Role.ADMIN
    assert membership.organization.slug == "globex"


def test_user_create_adds_an_existing_user_to_another_organization(db_url, db):
    run(db_url, "user", "create", "--email", "ops@example.org", "--role", "admin", "--org", "Globex",
        "--password", "a long enough password")
    result = run(db_url, "user", "create", "--email", "ops@example.org", "--role", "viewer", "--org", "Initech")
    assert result.exit_code == 0, result.output
    assert db.scalar(sa.select(sa.func.count()).select_from(Organization)) == 2
    again = run(db_url, "user", "create", "--email", "ops@example.org", "--role", "viewer", "--org", "globex")
    assert again.exit_code == 1
    assert "already a member" in again.output


def test_user_create_reads_the_password_from_the_environment_or_prompts(db_url):
    result = run(db_url, "user", "create", "--email", "a@example.org", "--role", "viewer", "--org", "X",
                 env={"REGISTRY_PASSWORD": "from the environment"})
    assert result.exit_code == 0, result.output
    result = run(db_url, "user", "create", "--email", "b@example.org", "--role", "viewer", "--org", "X",
                 input="typed at the prompt\ntyped at the prompt\n")
    assert result.exit_code == 0, result.output


def test_user_create_refuses_bad_input_with_a_message(db_url):
    bad_role = run(db_url, "user", "create", "--email", "a@example.org", "--role", "boss", "--org", "X")
    assert bad_role.exit_code == 2 and "boss" in bad_role.output
    bad_email = run(db_url, "user", "create", "--email", "not-an-email", "--role", "viewer", "--org", "X",
                    "--password", "a long enough password")
    assert bad_email.exit_code == 1 and "not a valid e-mail address" in bad_email.output
    short = run(db_url, "user", "create", "--email", "a@example.org", "--role", "viewer", "--org", "X",
                "--password", "short")
    assert short.exit_code == 1 and "at least 12" in short.output


def test_db_upgrade_is_idempotent_and_reports_the_revision(db_url):
    result = run(db_url, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "database at" in result.output


@pytest.mark.parametrize("command", [
    "audit verify", "consent import", "consent show", "db upgrade", "demo load", "lint", "report consent",
    "report dossier", "report program", "serve", "simulator serve", "sync", "user create",
])
def test_every_command_the_issues_name_is_on_the_registry_group(command):
    """Scripts rely on these names (the issues' CLI contracts); one once went missing unnoticed."""
    result = CliRunner().invoke(cli, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
