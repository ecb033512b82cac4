"""The consent proof of one number, read back from the PDF and its CSV."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from .conftest import CTA, attachments, csv_rows, pdf_text


def compact(text: str) -> str:
    return "".join(text.split())


def test_consent_proof_shows_the_evidence_for_a_number(scenario, generate, tmp_path):
    produced, pdf, csv = generate("consent", tmp_path, org=scenario.org, phone=scenario.subscriber)
    text = pdf_text(pdf)
    assert f"Consent proof · {scenario.subscriber}" in text
    # the answer and the subscription now
    assert "spring-reminders Must not be texted now opted out at" in text
    assert "spring-reminders Opted out" in text
    # the timeline: the web opt-in and the STOP
    assert "Opt-inWebformhttps://www.acmedental.com/remindersv1" in compact(text)
    assert "Opt-out Keyword" in text and "STOPto+13125551000" in compact(text)
    # the exact disclosure text shown at opt-in, with its hash
    assert compact(CTA) in compact(text)
    assert hashlib.sha256(CTA.encode()).hexdigest() in compact(text)
    assert "part of the registered message flow" in text
    # the registered message flow at the moment of the opt-in
    assert "The registered message flow at that moment" in text
    assert "revision 2 (submitted)" in text and "optoutKeywords STOP,QUIT" in text
    # the sending number and its assignment
    assert "+13125551000 Front desk 0 spring-reminders Assigned" in text
    # how fast the opt-out was honoured
    assert "(in the request that received it)" in text and "still opted out" in text
    assert "Acme Dental: you are unsubscribed and will get no more messages." in text
    # the consent chain head
    assert "Consent chain head event #7" in text
    # the CSV: every event, the same bytes as the attachment whose hash the PDF prints
    data = attachments(pdf)["consent-timeline.csv"]
    assert data == csv.read_bytes()
    assert hashlib.sha256(data).hexdigest() == produced.csv_sha256 and produced.csv_sha256 in compact(text)
    rows = csv_rows(data)
    assert [r[3] for r in rows[1:]] == ["opt_in", "opt_out"]
    assert rows[1][7] == hashlib.sha256(CTA.encode()).hexdigest() and rows[1][8] == "203.0.113.9"


def test_consent_at_a_message_time_answers_for_that_moment(scenario, generate, tmp_path):
    cases = (
        (scenario.now - timedelta(days=12), "NO CONSENT at the message time"),
        (scenario.now - timedelta(days=5), "CONSENTED at the message time"),
        (scenario.now - timedelta(days=1), "OPTED OUT at the message time"),
    )
    for i, (moment, answer) in enumerate(cases):
        out = tmp_path / str(i)
        out.mkdir()
        _, pdf, _ = generate("consent", out, org=scenario.org, phone=scenario.subscriber,
                             campaign="spring-reminders", at=moment.isoformat(), csv=False)
        text = pdf_text(pdf)
        assert f"spring-reminders {answer}" in text, answer
        assert "Message sent at" in text


def test_a_number_without_consent_gets_a_negative_proof(scenario, generate, tmp_path):
    _, pdf, csv = generate("consent", tmp_path, org=scenario.org, phone="+13125550177")
    text = pdf_text(pdf)
    assert "No consent event is recorded for this number." in text
    assert "No subscription: this number never opted in." in text
    assert len(csv_rows(csv.read_bytes())) == 1  # the header only
