"""The report engine without a database: ledger layout, CSV safety, plain contexts, streamed attachments, and
appendix chunks rendered in parallel processes with the right page numbers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from registry.reports import ledger
from registry.reports.attach import FileToAttach, attach_files
from registry.reports.csvout import cell, read_rows, write_csv
from registry.reports.html import css_string, render_html
from registry.reports.model import Built, Detail, Meta, Row, ensure_plain
from registry.reports.pdf import RenderOptions, produce

from .conftest import attachments, csv_rows, pdf_pages

META = Meta(kind="detail", title="Engine test", subject="ledger", organization="Acme Platform",
            timezone="America/New_York", generated_utc="2026-03-01 17:00:00 UTC",
            generated_local="2026-03-01 12:00:00 EST (America/New_York)", generated_iso="2026-03-01T17:00:00Z",
            generated_by="tests", chain_seq=7, chain_hash="a" * 64)


def rows(n: int):
    def make():
        for i in range(n):
            note = "a long note that wraps over several ledger lines " * 3 if i % 25 == 0 else "short"
            yield (f"2026-03-01T12:{i % 60:02d}:00.000000Z", f"+1312555{i:04d}", "opt_in", note, f"row-{i:05d}")
    return make


def detail(n: int) -> Detail:
    return Detail("events", "Events", ("time_utc", "phone", "kind", "note", "ref"), rows(n),
                  printed=((0, 20), (1, 13), (2, 8), (3, 60), (4, 11)))


# --- ledger ---------------------------------------------------------------------------------------------

def test_wrap_keeps_words_and_cuts_only_words_longer_than_the_column():
    assert ledger.wrap("alpha beta gamma", 11) == ["alpha beta", "gamma"]
    assert ledger.wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert ledger.wrap("line\nbreaks\tand\x00controls", 40) == ["line breaks and controls"]


def test_wide_characters_count_twice():
    assert ledger.text_width("日本") == 4
    assert all(ledger.text_width(line) <= 5 for line in ledger.wrap("日本語テキスト", 5))


def test_rows_taller_than_the_limit_are_cut_with_an_ellipsis():
    height, text = ledger.format_row(["word " * 200], [(0, 20)])
    assert height == ledger.MAX_ROW_LINES
    assert text.splitlines()[-1].endswith(ledger.ELLIPSIS)


def test_pages_never_hold_more_lines_than_fit_and_never_split_a_row():
    pages = ledger.paginate(([f"{i}", "word " * (i % 9)] for i in range(500)), [(0, 5), (1, 20)])
    assert all(sum(r.lines for r in p.rows) <= ledger.LINES_PER_PAGE for p in pages)
    assert sum(len(p.rows) for p in pages) == 500
    assert [p.index for p in pages] == list(range(1, len(pages) + 1))


def test_columns_wider_than_a_line_are_refused():
    with pytest.raises(ValueError, match="at most"):
        ledger.check_widths([(0, 100), (1, 30)])


def test_times_are_printed_to_the_second():
    assert ledger.display("2026-03-01T12:00:05.123456Z") == "2026-03-01 12:00:05Z"


# --- values that reach templates and CSVs ---------------------------------------------------------------

def test_spreadsheet_formulas_are_neutralised_but_phone_numbers_are_not():
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert cell("+13125550142") == "+13125550142"
    assert cell("-12.5") == "-12.5"
    assert cell(None) == "" and cell(True) == "true"


def test_css_strings_cannot_break_out_of_the_running_header():
    text = str(css_string('Acme"}</style><img src=x>'))
    assert text.startswith('"') and text.endswith('"')
    assert all(c.isalnum() or c in ' \\"' for c in text)
    assert "</style" not in text


def test_templates_get_plain_data_only():
    @dataclass
    class Mutable:
        x: int

    class Model:  # what an ORM object looks like to the check
        pass

    ensure_plain((Row("a", "b"), {"k": (1, 2.0, None)}))
    with pytest.raises(TypeError, match="frozen"):
        ensure_plain(Mutable(1))
    with pytest.raises(TypeError, match="Model"):
        render_html("reports/pdf/detail.html", meta=META, report=(Model(),), attachments=(), page=None)


def test_written_csv_hash_matches_its_bytes(tmp_path: Path):
    written = write_csv(tmp_path / "x.csv", ("a", "b"), [(1, "=x"), (2, "日本")])
    data = (tmp_path / "x.csv").read_bytes()
    assert written.sha256 == hashlib.sha256(data).hexdigest() and written.size == len(data) and written.rows == 2
    assert list(read_rows(tmp_path / "x.csv")) == [["1", "'=x"], ["2", "日本"]]


# --- attachments ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("via_pypdf", [False, True], ids=["xref-stream", "xref-table"])
def test_files_are_appended_to_a_finished_pdf(tmp_path: Path, via_pypdf: bool):
    import weasyprint
    from pypdf import PdfReader, PdfWriter

    pdf = tmp_path / "a.pdf"
    weasyprint.HTML(string="<h1>Hello</h1>").write_pdf(pdf)  # WeasyPrint writes cross-reference streams
    if via_pypdf:  # pypdf (our merge) writes a classic table
        writer = PdfWriter()
        writer.append(PdfReader(str(pdf)))
        writer.write(str(pdf))
    written = write_csv(tmp_path / "big.csv", ("n", "text"), ((i, "x" * (i % 50)) for i in range(5000)))
    attach_files(pdf, [FileToAttach(written.path, "big.csv", "Big", "text/csv", written.size, written.md5)])
    attach_files(pdf, [FileToAttach(written.path, "again.csv", "Again", "text/csv", written.size, written.md5)])
    found = attachments(pdf)
    assert set(found) == {"big.csv", "again.csv"}
    assert hashlib.sha256(found["big.csv"]).hexdigest() == written.sha256
    assert PdfReader(str(pdf)).pages[0].extract_text().strip() == "Hello"


# --- appendices rendered in parallel ----------------------------------------------------------------------

def test_appendix_chunks_render_in_parallel_with_global_page_numbers(tmp_path: Path):
    built = Built(meta=META, template="reports/pdf/detail.html", context=(Row("Rows", "400"),),
                  details=(detail(400),), csv_detail="events")
    options = RenderOptions(workers=2, chunk_pages=2, parallel_min_pages=1)
    produced = produce(built, pdf_path=tmp_path / "r.pdf", csv_path=tmp_path / "r.csv", options=options)
    pages = pdf_pages(tmp_path / "r.pdf")
    total = len(pages)
    assert produced.pages == total > 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Acme Platform" in text and "Engine test · ledger" in text
    appendix = produced.attachments[0]
    assert appendix.appendix == "A" and appendix.first_page == 2 and appendix.pages == total - 1
    assert "Appendix A, page 2" in pages[0]
    assert "row-00000" in pages[1] and "row-00399" in pages[-1]
    # every row printed once, in order
    printed = [t for page in pages for t in page.split() if t.startswith("row-")]
    assert printed == [f"row-{i:05d}" for i in range(400)]
    data = attachments(tmp_path / "r.pdf")["events.csv"]
    assert data == (tmp_path / "r.csv").read_bytes()
    assert hashlib.sha256(data).hexdigest() == appendix.sha256 == produced.csv_sha256
    assert appendix.sha256 in pages[0].replace(" ", "")
    assert len(csv_rows(data)) == 401


@pytest.mark.parametrize(("report_cap", "table_cap"), [(50, 0), (3000, 50)], ids=["report-wide", "per-table"])
def test_tables_over_the_limit_are_attached_but_not_printed(tmp_path: Path, report_cap: int, table_cap: int):
    from dataclasses import replace

    built = Built(meta=META, template="reports/pdf/detail.html", context=(),
                  details=(replace(detail(60), print_max=table_cap),), csv_detail="events")
    produced = produce(built, pdf_path=tmp_path / "r.pdf", options=RenderOptions(appendix_max_rows=report_cap))
    assert produced.pages == 1
    assert produced.attachments[0].note == "60 rows: attached only (printed up to 50)"
    assert "60 rows: attached only (printed up to 50)" in pdf_pages(tmp_path / "r.pdf")[0]
    assert len(csv_rows(attachments(tmp_path / "r.pdf")["events.csv"])) == 61
