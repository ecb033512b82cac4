"""The report pages: who may generate and download, CSRF, bad input, background jobs and their progress page."""

from __future__ import annotations

import io

import pytest
from flask import render_template_string
from pypdf import PdfReader

from .conftest import pdf_text


def download(web, url):
    """GET a file and close the response (send_file streams from an open file)."""
    response = web.get(url)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def login(make_web, scenario):
    def as_user(user):
        client = make_web()
        assert client.login(user.email).status_code == 302
        return client
    return as_user


def test_a_viewer_generates_and_downloads_a_dossier(scenario, login):
    web = login(scenario.viewer)
    page = web.get("/reports")
    assert page.status_code == 200 and "Registration dossier" in page.text and "spring-reminders" in page.text
    response = web.post("/reports", {"kind": "dossier", "campaign": "spring-reminders"}, token_page="/reports")
    assert response.status_code == 302 and "/reports/jobs/" in response.location
    job = web.get(response.location)
    assert job.status_code == 200 and "Ready:" in job.text and "Refresh" not in job.headers
    pdf = download(web, response.location + "/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment; filename=dossier-spring-reminders-" in pdf.headers["Content-Disposition"]
    assert "Campaign spring-reminders" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    csv = download(web, response.location + "/report.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv" and csv.data.startswith(b"time_utc,kind")
    assert "Dossier of campaign spring-reminders" in web.get("/reports").text  # listed as a recent report


def test_posts_need_the_csrf_token(scenario, login):
    web = login(scenario.viewer)
    response = web.client.post("/reports", data={"kind": "dossier", "campaign": "spring-reminders"})
    assert response.status_code == 400


def test_bad_input_is_explained_on_the_form(scenario, login):
    web = login(scenario.admin)
    response = web.post("/reports", {"kind": "program", "start": "2026-03-02", "end": "2026-03-01"},
                        token_page="/reports")
    assert response.status_code == 400 and "starts (2026-03-02) after it ends (2026-03-01)" in response.text
    response = web.post("/reports", {"kind": "consent", "phone": "12"}, token_page="/reports")
    assert response.status_code == 400 and "phone:" in response.text


def test_big_reports_run_in_the_background_with_a_progress_page(scenario, login, app, tmp_path):
    from registry.reports.jobs import JobStore
    from registry.reports.service import ReportRequest

    app.config["REPORT_BACKGROUND_ROWS"] = 0  # everything counts as big; Huey runs tasks at once in tests
    web = login(scenario.author)
    response = web.post("/reports", {"kind": "consent", "phone": scenario.subscriber}, token_page="/reports")
    assert response.status_code == 302
    job_id = response.location.rsplit("/", 1)[1]
    store = JobStore.for_app(app)
    job = store.get(job_id)
    assert job.background and job.status == "done" and job.pages >= 1
    assert "Consent proof" in pdf_text(store.pdf(job_id))
    # a job still waiting for the worker: a page that refreshes itself and shows the progress
    waiting = store.create(ReportRequest(kind="program", organization_id=scenario.org.id, start="2026-01-01",
                                         end="2026-01-31"), user_id=None, background=True)
    store.update(waiting, progress=0.4, message="rendering 12 appendix pages")
    page = web.get(f"/reports/jobs/{waiting.id}")
    assert page.headers["Refresh"] == "2"
    assert '<progress value="40" max="100">' in page.text and "rendering 12 appendix pages" in page.text
    assert download(web, f"/reports/jobs/{waiting.id}/report.pdf").status_code == 404


def test_other_organizations_reports_are_not_found(scenario, login, create_org, create_user, make_web):
    web = login(scenario.viewer)
    response = web.post("/reports", {"kind": "consent", "phone": scenario.subscriber}, token_page="/reports")
    other_org = create_org("Globex")
    outsider = create_user(other_org, "admin", email="admin@globex.example")
    other = make_web()
    other.login(outsider.email)
    assert other.get(response.location).status_code == 404
    assert download(other, response.location + "/report.pdf").status_code == 404
    assert other.post("/reports", {"kind": "dossier", "campaign": "spring-reminders"},
                      token_page="/reports").status_code == 400  # no such campaign in Globex


def test_reports_need_a_login(scenario, make_web):
    response = make_web().get("/reports")
    assert response.status_code == 302 and "/login" in response.location


def test_the_partial_for_registration_pages_posts_a_dossier_request(scenario, app):
    with app.test_request_context("/"):
        html = render_template_string('{% include "reports/_links.html" %}', campaign=scenario.campaign)
        brand_html = render_template_string('{% include "reports/_links.html" %}', brand=scenario.brand)
    assert 'action="/reports"' in html and 'name="csrf_token"' in html
    assert 'name="campaign" value="spring-reminders"' in html
    assert f'name="brand" value="{scenario.brand.reference}"' in brand_html
