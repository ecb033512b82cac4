"""``registry report dossier|consent|program``: write a report's PDF (``--out``) and/or CSV (``--csv``).

A contract: bad arguments (an unknown reference, a bad date or phone number, a period that ends before it
starts, a missing ``--org`` when the database holds several organizations) print one line and exit 2; other
expected failures exit 1; success prints what was written and exits 0.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

EXIT_BAD_ARGUMENTS = 2


class OneLineError(click.UsageError):
    """A usage error shown as one line (``error: …``), exit 2 — no usage block."""

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class ReportCommand(click.Command):
    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except OneLineError:
            raise
        except click.UsageError as exc:
            raise OneLineError(exc.format_message()) from None


class ReportGroup(click.Group):
    command_class = ReportCommand

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            raise OneLineError(exc.format_message()) from None


@click.group("report", cls=ReportGroup, help="Audit reports as PDF (--out) and CSV (--csv).")
def report() -> None:
    pass


def _outputs(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
                      help="write the report's CSV here")(fn)
    fn = click.option("--out", "pdf_path", type=click.Path(dir_okay=False, path_type=Path),
                      help="write the PDF here")(fn)
    return click.option("--org", "org_key", default=None,
                        help="organization slug (required when the database has several)")(fn)


@report.command("dossier", help="The registration dossier of a campaign or a brand.")
@click.option("--campaign", default=None, help="campaign reference (or TCR campaign id)")
@click.option("--brand", default=None, help="brand reference (or TCR brand id)")
@_outputs
def dossier(campaign: str | None, brand: str | None, org_key: str | None, pdf_path: Path | None,
            csv_path: Path | None) -> None:
    if bool(campaign) == bool(brand):
        raise OneLineError("give either --campaign REF or --brand REF")
    _run("dossier", org_key, pdf_path, csv_path, campaign=campaign, brand=brand)


@report.command("consent", help="The consent proof of one phone number.")
@click.option("--phone", required=True, help="the subscriber's number, E.164 (+13125550142)")
@click.option("--campaign", default=None, help="only this campaign (reference or TCR campaign id)")
@click.option("--at", "at", default=None,
              help="when a message was sent: YYYY-MM-DDTHH:MM[:SS] (organization time) or with an offset")
@_outputs
def consent(phone: str, campaign: str | None, at: str | None, org_key: str | None, pdf_path: Path | None,
            csv_path: Path | None) -> None:
    _run("consent", org_key, pdf_path, csv_path, phone=phone, campaign=campaign, at=at)


@report.command("program", help="The program report for a period (organization calendar days, inclusive).")
@click.option("--from", "start", required=True, help="first day, YYYY-MM-DD")
@click.option("--to", "end", required=True, help="last day, YYYY-MM-DD")
@_outputs
def program(start: str, end: str, org_key: str | None, pdf_path: Path | None, csv_path: Path | None) -> None:
    _run("program", org_key, pdf_path, csv_path, start=start, end=end)


def _check_target(path: Path | None, option: str) -> None:
    if path is None:
        return
    if path.exists() and path.is_dir():
        raise OneLineError(f"{option} {path}: is a directory")
    if not path.parent.resolve().is_dir():
        raise OneLineError(f"{option} {path}: the folder {path.parent} does not exist")


def _run(kind: str, org_key: str | None, pdf_path: Path | None, csv_path: Path | None, **fields: Any) -> None:
    from registry.app import create_app
    from registry.db import get_database
    from registry.errors import RegistryError

    from .service import ReportArgumentError, ReportRequest, find_organization, generate, validate

    if pdf_path is None and csv_path is None:
        raise OneLineError("say where to write the report: --out F.pdf, --csv F.csv, or both")
    _check_target(pdf_path, "--out")
    _check_target(csv_path, "--csv")
    app = create_app()
    database = get_database(app)
    try:
        with app.app_context():
            with database.sessionmaker() as session:
                org = find_organization(session, org_key)
                request = ReportRequest(kind=kind, organization_id=org.id,
                                        generated_by=f"command line ({getpass.getuser()})", **fields)
                validate(session, request)
            produced = generate(database.sessionmaker, request, app.config, pdf=pdf_path, csv=csv_path)
    except ReportArgumentError as exc:
        raise OneLineError(exc.message) from None
    except RegistryError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    finally:
        database.engine.dispose()
    written = []
    if pdf_path is not None:
        written.append(f"{pdf_path} ({produced.pages} pages, {len(produced.attachments)} attached CSV)")
    if csv_path is not None:
        written.append(f"{csv_path} (sha256 {produced.csv_sha256})")
    click.echo(f"{request.label}: wrote {' and '.join(written)} in {produced.seconds:.1f} s")
