"""``registry report …`` is a contract: these names, options, outputs and exit codes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from registry.cli import cli

from .conftest import csv_rows, pdf_text


def run(db_url, *args):
    return CliRunner().invoke(cli, ["report", *args], env={"DATABASE_URL": db_url})


def test_each_report_writes_its_pdf_and_csv(scenario, db_url, tmp_path):
    pdf, csv = tmp_path / "d.pdf", tmp_path / "d.csv"
    result = run(db_url, "dossier", "--campaign", "spring-reminders", "--out", str(pdf), "--csv", str(csv))
    assert result.exit_code == 0, result.output
    assert "Dossier of campaign spring-reminders: wrote" in result.stdout and "sha256 " in result.stdout
    assert "Campaign spring-reminders" in pdf_text(pdf) and csv_rows(csv.read_bytes())[0][0] == "time_utc"

    only_csv = tmp_path / "b.csv"
    result = run(db_url, "dossier", "--brand", scenario.brand.reference, "--csv", str(only_csv))
    assert result.exit_code == 0, result.output
    assert only_csv.exists() and not (tmp_path / "b.pdf").exists()

    result = run(db_url, "consent", "--phone", scenario.subscriber, "--campaign", "CACME01",
                 "--csv", str(tmp_path / "c.csv"))
    assert result.exit_code == 0, result.output
    assert [r[3] for r in csv_rows((tmp_path / "c.csv").read_bytes())[1:]] == ["opt_in", "opt_out"]

    result = run(db_url, "program", "--from", "2026-01-01", "--to", "2026-12-31", "--out", str(tmp_path / "p.pdf"))
    assert result.exit_code == 0, result.output
    assert "Program report" in pdf_text(tmp_path / "p.pdf")


@pytest.mark.parametrize(("args", "message"), [
    (("dossier", "--campaign", "no-such-campaign"), "No campaign 'no-such-campaign'"),
    (("dossier", "--brand", "no-such-brand"), "No brand 'no-such-brand'"),
    (("dossier", "--campaign", "spring-reminders", "--brand", "x"), "either --campaign REF or --brand REF"),
    (("dossier",), "either --campaign REF or --brand REF"),
    (("program", "--from", "2026-02-30", "--to", "2026-03-01"), "is not a date"),
    (("program", "--from", "2026-03-02", "--to", "2026-03-01"), "starts (2026-03-02) after it ends"),
    (("program", "--from", "2026-03-01"), "Missing option '--to'"),
    (("consent", "--phone", "555-0142"), "phone:"),
    (("consent", "--phone", "+13125550142", "--campaign", "nope"), "No campaign 'nope'"),
    (("consent", "--phone", "+13125550142", "--at", "yesterday"), "at: 'yesterday' is not a date"),
    (("dossier", "--campaign", "spring-reminders", "--nope"), "No such option '--nope'"),
    (("summary",), "No such command 'summary'"),
])
def test_bad_arguments_get_one_line_and_exit_2(scenario, db_url, tmp_path, args, message):
    out = tmp_path / "r.pdf"
    result = run(db_url, *args, "--out", str(out))
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_an_output_is_required(scenario, db_url):
    result = run(db_url, "program", "--from", "2026-01-01", "--to", "2026-01-31")
    assert result.exit_code == 2 and result.stderr == ("error: say where to write the report: --out F.pdf, "
                                                       "--csv F.csv, or both\n")


def test_org_is_required_when_there_are_several(scenario, create_org, db_url, tmp_path):
    create_org("Globex")
    result = run(db_url, "program", "--from", "2026-01-01", "--to", "2026-01-31", "--csv", str(tmp_path / "p.csv"))
    assert result.exit_code == 2 and "--org" in result.stderr and "acme-platform" in result.stderr
    result = run(db_url, "program", "--org", "nowhere", "--from", "2026-01-01", "--to", "2026-01-31",
                 "--csv", str(tmp_path / "p.csv"))
    assert result.exit_code == 2 and "No organization 'nowhere'" in result.stderr
    result = run(db_url, "dossier", "--org", "globex", "--campaign", "spring-reminders",
                 "--csv", str(tmp_path / "p.csv"))
    assert result.exit_code == 2 and "No campaign 'spring-reminders' in Globex" in result.stderr
    result = run(db_url, "dossier", "--org", "acme-platform", "--campaign", "spring-reminders",
                 "--csv", str(tmp_path / "p.csv"))
    assert result.exit_code == 0, result.output
