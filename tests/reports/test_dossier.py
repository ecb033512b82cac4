"""The registration dossier: rendered from the scenario, read back as text, its attachments checked against the
hashes it prints, and page 1 rendered to an image."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from .conftest import attachments, csv_rows, first_page_png, pdf_pages, pdf_text


def compact(text: str) -> str:
    return "".join(text.split())


def test_campaign_dossier_states_the_key_facts_on_real_pages(scenario, generate, db, tmp_path):
    from PIL import Image

    from registry.audit.models import AuditChainHead

    produced, pdf, _ = generate("dossier", tmp_path, org=scenario.org, campaign="spring-reminders", csv=False)
    text = pdf_text(pdf)
    # the cover and the fields as filed
    assert "Registration dossier" in text and "Campaign spring-reminders" in text
    assert "TCR campaign id CACME01" in text and "Acme Dental (brand-" in text
    assert "Every field as filed (revision 2)" in text
    assert scenario.revisions[1].sha256 in compact(text)
    assert "messageFlow Patients opt in on the web form" in text
    assert "sample1 Acme Dental: your appointment is on [date] at [time]. Reply STOP to opt out, HELP for help." in text
    # findings with the acknowledged warnings and their reasons
    assert "Findings when revision 2 was frozen" in text
    assert "Acceptedforthetestscenario:CAMPAIGN-SAMPLE-COUNT." in compact(text)
    # who drafted, who approved, the four-eyes rule
    assert "Revision 2 drafted by Test User <author@acme-platform.example>" in text
    assert "Revision 2 approved by Test User <reviewer@acme-platform.example>" in text
    assert "Revision 1 sent back by Test User <reviewer@acme-platform.example>" in text
    assert "Four-eyes rule kept" in text
    # revisions and the diff between them, with the reason the first was refused
    assert "What changed: Revision 1 → 2" in text
    assert "Name the brand in the sample, as carriers expect." in text
    # submissions and provider calls
    assert "4b2c-sim / CACME01" in text
    assert f"submission {scenario.submission.id} (campaign) 2 1 0 0 1" in text
    assert "timeout after 10 s" in text and "status sync of the campaign" in text
    # carriers, timeline, numbers, consent
    assert "AT&T Registered REGISTERED" in text and "T-Mobile Registered REGISTERED" in text
    assert "T-Mobile review registered REGISTERED" in text
    assert "Numbers 45 45 assigned" in text
    assert "Consent events recorded 7 6 opt-ins and re-opt-ins, 1 opt-outs" in text
    assert "Subscribers now 5 opted in 1 opted out" in text
    # the audit chain head at generation time
    head = db.get(AuditChainHead, scenario.org.id)
    assert f"event #{head.seq}" in text and head.hash in compact(text)
    assert produced.pages == len(pdf_pages(pdf))
    # page 1 rendered by poppler: a US Letter page with text on it, not a blank or broken one
    png = first_page_png(pdf, tmp_path)
    with Image.open(png) as image:
        width, height = image.size
        assert abs(width / height - 612 / 792) < 0.01
        dark = sum(image.convert("L").histogram()[:128])
    assert dark > width * height * 0.01


def test_attachments_match_their_printed_hashes_and_long_sections_become_appendices(scenario, generate, tmp_path):
    produced, pdf, csv = generate("dossier", tmp_path, org=scenario.org, campaign="spring-reminders")
    found = attachments(pdf)
    assert set(found) == {"record.csv", "status-timeline.csv", "numbers.csv", "provider-calls.csv"}
    printed = compact(pdf_text(pdf))
    for attached in produced.attachments:
        digest = hashlib.sha256(found[attached.name]).hexdigest()
        assert digest == attached.sha256 and digest in printed, attached.name
        assert len(csv_rows(found[attached.name])) == attached.rows + 1
    # the CSV export is the chronological record, byte for byte the attached copy
    assert csv.read_bytes() == found["record.csv"]
    record = csv_rows(found["record.csv"])
    assert record[0] == ["time_utc", "kind", "subject", "actor", "summary", "detail", "audit_seq", "audit_hash"]
    kinds = {row[1] for row in record[1:]}
    assert {"field", "finding", "acknowledgement", "provider_call", "audit:approve", "audit:send_back",
            "audit:status", "audit:assign"} <= kinds
    times = [row[0] for row in record[1:]]
    assert times == sorted(times)
    numbers = csv_rows(found["numbers.csv"])
    assert len(numbers) == 46 and numbers[1][0] == "+13125551000"
    # long sections became appendices the summary points to; the body shows 40 numbers and says where the rest are
    pages = pdf_pages(pdf)
    numbers = next(a for a in produced.attachments if a.name == "numbers.csv")
    record = next(a for a in produced.attachments if a.name == "record.csv")
    assert record.appendix == "A" and numbers.appendix == "B"
    assert "Appendix A — Chronological record" in pages[record.first_page - 1]
    assert "Appendix B — Numbers" in pages[numbers.first_page - 1]
    assert "+13125551044" in pages[numbers.first_page - 1]
    assert f"Appendix B, page {numbers.first_page}" in pdf_text(pdf)
    assert "Showing 40 of 45; every row is in the attached numbers.csv." in pdf_text(pdf)
    # one running header and page count throughout
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Acme Platform" in text and "Registration dossier · Campaign spring-reminders" in text
        assert "Generated " in text and " UTC · " in text and "(America/New_York)" in text


def test_brand_dossier_lists_its_campaigns(scenario, generate, tmp_path):
    _, pdf, _ = generate("dossier", tmp_path, org=scenario.org, brand=scenario.brand.reference, csv=False)
    text = pdf_text(pdf)
    assert f"Brand Acme Dental ({scenario.brand.reference})" in text
    assert "TCR brand id BACME01" in text and "Every field as filed (revision 1)" in text
    assert "displayName Acme Dental" in text and "ein 36-4123456" in text
    assert "Campaigns under this brand" in text
    for reference in ("spring-reminders", "holiday-offers", "billing-alerts"):
        assert reference in text
    assert "Numbers 45 45 assigned" in text


def test_a_draft_never_frozen_is_reported_as_such(scenario, create_campaign, generate, tmp_path, db):
    draft = create_campaign(scenario.brand, referenceId="draft-only")
    _, pdf, csv = generate("dossier", tmp_path, org=scenario.org, campaign="draft-only")
    text = pdf_text(pdf)
    assert "Every field of the current draft (never frozen for review)" in text
    assert "No revision has been frozen for review yet." in text
    assert "Nothing was sent to a provider." in text
    assert draft.reference in csv.read_text()
    assert db.scalar(sa.text("select count(*) from revision where campaign_id = :c"), {"c": draft.id}) == 0
