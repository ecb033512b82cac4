"""CSV import: row errors with number and reason, idempotent re-runs, exit codes, streaming with flat memory."""

from __future__ import annotations

import csv
import io
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from registry.audit import Actor
from registry.consent.imports import UnusableFile, import_csv

from .conftest import CTA, events

HEADER = "phone,event,occurred_at,method,source,campaign,disclosure_text,ip,user_agent\n"


def row(phone="+13125550142", event="opt_in", when="2026-01-05T14:03:00-05:00", method="web_form",
        source="https://www.acmedental.com/reminders", campaign="reminders", text=CTA, ip="203.0.113.9",
        ua="Mozilla/5.0 (X11)"):
    out = io.StringIO()
    csv.writer(out).writerow([phone, event, when, method, source, campaign, text, ip, ua])
    return out.getvalue()


def run_cli(db_url, path, *args):
    from registry.cli import cli

    return CliRunner().invoke(cli, ["consent", "import", str(path), "--org", "acme-consent", *args],
                              env={"DATABASE_URL": db_url})


def test_cli_imports_rejects_with_reasons_and_reruns_add_nothing(consent, db, db_url, tmp_path):
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    path = tmp_path / "consent.csv"
    path.write_text(HEADER + row() + row(phone="+13125550143", campaign="CXYZ789")
                    + row(phone="not a phone") + row(event="subscribe") + row(campaign="nope")
                    + row(when=future) + row(when="") + row(phone="+13125550144", event="opt_out", source="")
                    + "+13125550145,opt_in\n")
    result = run_cli(db_url, path)
    assert result.exit_code == 1, result.output
    assert "9 row(s): 3 imported, 0 already recorded, 6 rejected" in result.output
    errors = list(csv.DictReader(io.StringIO((tmp_path / "consent.csv.errors.csv").read_text())))
    assert [(e["row"], e["field"]) for e in errors] == [("4", "phone"), ("5", "event"), ("6", "campaign"),
                                                        ("7", "occurred_at"), ("8", "occurred_at"), ("10", "")]
    assert "in the future" in errors[3]["reason"] and "expected 9 fields, found 2" in errors[5]["reason"]
    assert len(events(db, consent.org.id)) == 3
    again = run_cli(db_url, path)
    assert again.exit_code == 1 and "0 imported, 3 already recorded, 6 rejected" in again.output
    assert len(events(db, consent.org.id)) == 3
    from registry.consent.chain import verify_consent_organization

    assert verify_consent_organization(db, consent.org.id) is None


def test_cli_exit_0_when_every_row_is_imported(consent, db_url, tmp_path):
    path = tmp_path / "ok.csv"
    # order free; optional columns may be left out; a BOM is fine
    path.write_text("\ufeffcampaign,phone,event,occurred_at,method,source\n"
                    "reminders,(312) 555-0150,opt_in,2026-01-05T10:00:00Z,paper,form 2026-117\n", encoding="utf-8")
    result = run_cli(db_url, path)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "ok.csv.errors.csv").exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"\xff\xfe\x00p\x00h", "UTF-8"),
    (b"phone,event,when\n", "missing column(s) occurred_at, method, source, campaign; unknown column(s) when"),
    ((HEADER.strip() + ",extra\n").encode(), "unknown column(s) extra"),
])
def test_cli_exit_2_for_unusable_files(consent, db, db_url, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run_cli(db_url, path)
    assert result.exit_code == 2
    assert message in result.output
    assert events(db, consent.org.id) == []


def test_cli_exit_2_for_a_missing_file_or_organization(consent, db_url, tmp_path):
    assert run_cli(db_url, tmp_path / "absent.csv").exit_code == 2
    from registry.cli import cli

    result = CliRunner().invoke(cli, ["consent", "import", str(tmp_path), "--org", "nobody"],
                                env={"DATABASE_URL": db_url})
    assert result.exit_code == 2


def _peak_import(session_factory, org_id, rows: int, tmp_path) -> int:
    """Peak traced memory of importing ``rows`` generated rows in batches of 250."""
    source = (HEADER + "".join(row(phone=f"+1312555{(i + rows) % 10000:04d}", when=f"2026-01-01T10:{i // 60 % 60:02d}:"
                                   f"{i % 60:02d}Z") for i in range(rows))).encode()
    stream = io.BytesIO(source)
    del source
    with session_factory() as session:
        tracemalloc.start()
        try:
            report = import_csv(session, org_id, stream, filename="gen.csv", actor=Actor.system("tests"),
                                errors_path=tmp_path / f"e{rows}.csv", commit=session.commit, batch_size=250)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert report.imported == rows
    return peak


def test_memory_stays_flat_as_the_file_grows(consent, session_factory, tmp_path):
    small = _peak_import(session_factory, consent.org.id, 500, tmp_path)
    large = _peak_import(session_factory, consent.org.id, 5000, tmp_path)  # 10 × the rows, 20 batches
    assert large < small * 2.5, (small, large)


def test_unusable_file_raises_before_anything_is_written(consent, session_factory, tmp_path, db):
    with session_factory() as session, pytest.raises(UnusableFile):
        import_csv(session, consent.org.id, io.BytesIO(b"phone\n+13125550142\n"), filename="x.csv",
                   actor=Actor.system("tests"), errors_path=tmp_path / "e.csv", commit=session.commit)
    assert events(db, consent.org.id) == []


def test_upload_page_imports_and_reports_errors(as_role, consent, db):
    web = as_role("submitter")
    data = (HEADER + row() + row(phone="nope")).encode()
    response = web.post("/consent/import", {"file": (io.BytesIO(data), "upload.csv")}, token_page="/consent",
                        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "1</strong> new event(s)" in response.text and "error report" in response.text
    from registry.consent.models import ConsentImport

    run = db.query(ConsentImport).one()
    report = web.get(f"/consent/imports/{run.id}/errors.csv")
    text = report.text
    report.close()
    assert report.status_code == 200 and "row,field,reason" in text and "'nope' is not a phone number" in text
    assert len(events(db, consent.org.id)) == 1


def test_the_collector_settings_are_restored_after_an_import(consent, session_factory, tmp_path):
    """The import collects garbage less often while it runs (many small objects per batch) and puts the
    process's settings back afterwards, also when it fails."""
    import gc

    before = gc.get_threshold()
    with session_factory() as session:
        import_csv(session, consent.org.id, io.BytesIO((HEADER + row()).encode()), filename="gc.csv",
                   actor=Actor.system("tests"), errors_path=tmp_path / "gc.errors.csv", commit=session.commit)
        assert gc.get_threshold() == before
        # the broken bytes come after the first 64 KiB the reader decodes: the import is under way
        rows = "".join(row(phone=f"+1312555{i:04d}") for i in range(400))
        with pytest.raises(UnusableFile, match="cannot be read"):
            import_csv(session, consent.org.id, io.BytesIO((HEADER + rows).encode() + b"\xff\xfe,opt_in\n"),
                       filename="bad.csv", actor=Actor.system("tests"), errors_path=tmp_path / "bad.errors.csv",
                       commit=session.commit)
    assert gc.get_threshold() == before
