"""User-entered text never makes a report fetch anything: autoescaping keeps it text, and the fetcher refuses
whatever is not one of the report's own assets. A loopback HTTP server counts the requests it receives."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from registry.reports.fetcher import ReportURLFetcher
from registry.reports.render import render

from .conftest import attachments, build_scenario, pdf_text


class Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *_args) -> None:
        return None


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", Counter.hits
    server.shutdown()
    server.server_close()


def hostile(base: str) -> str:
    return (f'<img src={base}/img.png><link rel=stylesheet href="{base}/style.css">'
            f'<link rel=attachment href="file:///etc/passwd"><a rel=attachment href="file:///etc/passwd">x</a>'
            f'<style>@import url({base}/import.css);</style><svg><image href="{base}/svg.png"/></svg>')


def test_the_fetcher_alone_refuses_network_and_foreign_files(listener):
    base, hits = listener
    rendered = render(f"<html><body><p>raw markup, no escaping</p>{hostile(base)}"
                      '<img src="file:///etc/hostname"><img src="data:image/png;base64,iVBORw0KGgo=">'
                      '<link rel=stylesheet href="print.css"></body></html>')
    assert hits == []
    assert rendered.blocked  # it was asked, and said no
    assert not any("print.css" in url for url in rendered.blocked)  # our own asset is served
    import io

    from pypdf import PdfReader

    assert not PdfReader(io.BytesIO(rendered.pdf)).attachments  # no /etc/passwd inside


def test_the_fetcher_serves_assets_but_not_paths_escaping_them(tmp_path):
    fetcher = ReportURLFetcher()
    assert fetcher.fetch(fetcher.assets.joinpath("print.css").as_uri()).read().startswith(b"/*")
    for url in (fetcher.assets.as_uri() + "/../pdf/_layout.html", "file:///etc/passwd", "http://127.0.0.1/",
                "https://example.com/x.css", "data:text/css,body{}", "ftp://127.0.0.1/x"):
        with pytest.raises(ValueError, match="blocked"):
            fetcher.fetch(url)
    with pytest.raises(ValueError, match="never open"):
        fetcher.open("http://127.0.0.1/")


def test_hostile_registration_text_is_printed_not_fetched(db, create_org, create_user, create_brand,
                                                          create_campaign, generate, listener, tmp_path):
    from registry.audit import Actor
    from registry.consent.operations import record_event
    from registry.numbers.models import PhoneNumber

    base, hits = listener
    evil = hostile(base)
    scenario = build_scenario(db, create_org, create_user, create_brand, create_campaign, numbers=2,
                              name="Evil <b>Org</b>")
    # text the rule engine would refuse at review, but a draft (or a later edit) may hold: straight into the rows
    scenario.brand.display_name = f"Acme {evil}"[:255]
    scenario.campaign.description = f"Reminders. {evil}"
    scenario.revisions[0].review_comment = evil
    scenario.reviewer.full_name = evil[:200]
    for number in db.query(PhoneNumber).filter_by(organization_id=scenario.org.id):
        number.label = evil[:100]
    db.commit()
    record_event(db, scenario.campaign, kind="opt_in", phone="+13125550199", occurred_at=scenario.now,
                 method="paper", actor=Actor.system("tests"), source=evil[:500],
                 disclosure_text=f"Yes, text me. Msg & data rates may apply. Reply STOP. {evil}")
    db.commit()
    for kind, fields in (("dossier", {"campaign": "spring-reminders"}), ("consent", {"phone": "+13125550199"})):
        out = tmp_path / f"{kind}-{len(fields)}-{next(iter(fields))}"
        out.mkdir()
        produced, pdf, _ = generate(kind, out, org=scenario.org, **fields)
        assert hits == [], f"the {kind} report fetched {hits}"
        found = attachments(pdf)
        assert "passwd" not in found and set(found) == {a.name for a in produced.attachments}
        # printed as the characters the user typed (compared without whitespace: long values wrap)
        compact = "".join(pdf_text(pdf).split())
        assert f"<imgsrc={base}/img.png>" in compact
        assert '<linkrel=attachmenthref="file:///etc/passwd">' in compact
        assert "&lt;" not in compact
    assert "Evil<b>Org</b>" in compact  # the running header too
