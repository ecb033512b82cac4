"""``lint_media``: MMS media type and size (rule MMS-MEDIA) and the campaign attachment limits."""

from __future__ import annotations

import pytest

from registry.rules import Report, Verdict, lint_media

KB = 1024
MB = 1024 * KB


@pytest.mark.parametrize(
    ("filename", "content_type", "size"),
    [
        ("offer.jpg", "image/jpeg", 200 * KB),
        ("offer.JPEG", None, 499 * KB),
        ("logo.png", "image/png", 120 * KB),
        ("smile.gif", "image/gif", 280 * KB),
        ("tour.mp4", "video/mp4", 900 * KB),
        ("greeting.mp3", "audio/mpeg", 300 * KB),
    ],
)
def test_supported_media_within_limits_pass(filename, content_type, size):
    report = lint_media(filename, content_type, size)
    assert isinstance(report, Report)
    assert report.findings == []
    assert report.verdict is Verdict.PASS


@pytest.mark.parametrize(
    ("filename", "content_type", "size", "words"),
    [
        ("offer.png", "image/png", 900 * KB, "500 KB"),
        ("smile.gif", "image/gif", 400 * KB, "300 KB"),
        ("tour.mp4", "video/mp4", 4 * MB, "3.0 MB"),
        ("greeting.mp3", "audio/mpeg", 700 * KB, "500 KB"),
    ],
)
def test_oversize_media_warns_with_the_per_type_limit(filename, content_type, size, words):
    report = lint_media(filename, content_type, size)
    assert report.verdict is Verdict.WARN
    assert [f.rule for f in report.findings] == ["MMS-MEDIA"]
    assert words in report.findings[0].message
    assert report.findings[0].field == "mmsMedia"


def test_video_above_one_megabyte_gets_carrier_guidance():
    report = lint_media("tour.mp4", "video/mp4", 2 * MB)
    assert [f.severity.value for f in report.findings] == ["info"]
    assert "1 MB" in report.findings[0].message


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("greeting.wav", "audio/wav"), ("clip.ogg", "audio/ogg"), ("photo.bmp", "image/bmp")],
)
def test_types_tcr_accepts_but_carriers_rarely_show_warn(filename, content_type):
    report = lint_media(filename, content_type, 100 * KB)
    assert report.verdict is Verdict.WARN
    assert report.rules() == {"MMS-MEDIA"}


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("flyer.tiff", "image/tiff"),
        ("card.vcf", "text/vcard"),
        ("menu.pdf", "application/pdf"),
        ("archive.zip", None),
        ("noextension", "image/jpeg"),
        ("photo.png", "application/octet-stream"),
        ("clip.3gp", "video/3gpp"),
    ],
)
def test_types_tcr_refuses_for_mms_samples_are_errors(filename, content_type):
    report = lint_media(filename, content_type, 100 * KB)
    assert report.verdict is Verdict.REJECT
    assert "CAMPAIGN-ATTACHMENTS" in {f.rule for f in report.errors}


def test_files_over_ten_megabytes_are_errors():
    report = lint_media("tour.mp4", "video/mp4", 12 * MB)
    assert {f.rule for f in report.errors} == {"CAMPAIGN-ATTACHMENTS"}
    assert "MMS-MEDIA" in report.rules()


def test_extension_and_content_type_must_agree():
    assert lint_media("offer.png", "image/jpeg", 100 * KB).verdict is Verdict.WARN
    assert lint_media("offer.jpg", "image/jpeg; charset=binary", 100 * KB).verdict is Verdict.PASS


def test_empty_file_warns():
    report = lint_media("offer.jpg", "image/jpeg", 0)
    assert "empty" in report.findings[0].message
