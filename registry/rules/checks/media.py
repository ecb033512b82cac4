"""MMS media: type and size against the widely supported carrier limits (rule MMS-MEDIA).

``lint_media(filename, content_type, size_bytes)`` checks one file (uploads, the CLI) against TCR's
upload rules (CAMPAIGN-ATTACHMENTS: MMS file types, 10 MB; errors) and these (warnings); the campaign check
applies the same rules to each entry of the payload's ``mmsMedia`` list (``[{"filename", "contentType",
"sizeBytes"}]``, see ``campaign_limits``). Limits per type are guidance from
``shared/domain/messaging-practice.md`` ("MMS media limits": images 500 KB, GIF 300 KB, video 2-3 MB, audio
500 KB); ``tcr-rules.md`` section 6 adds that AT&T and T-Mobile take about 1 MB per message on 10DLC
(Bandwidth), which is reported as info for larger videos.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding, Report, Severity
from .campaign_limits import MMS_EXTENSIONS, file_findings

KB = 1024
MB = 1024 * KB
#: above this a message may be refused or transcoded by AT&T/T-Mobile on 10DLC (Bandwidth: 1 MB)
CARRIER_SAFE_BYTES = 1 * MB


@dataclass(frozen=True, slots=True)
class MediaType:
    label: str
    limit: int
    #: False: delivered by some carriers only (WAV, OGG, vCard, PDF...)
    widely_supported: bool = True


_JPEG = MediaType("JPEG image", 500 * KB)
_PNG = MediaType("PNG image", 500 * KB)
_GIF = MediaType("GIF image", 300 * KB)
_MP4 = MediaType("MP4 video", 3 * MB)
_3GP = MediaType("3GP video", 3 * MB)
_MOV = MediaType("MOV video", 3 * MB)
_MP3 = MediaType("MP3 audio", 500 * KB)
_AAC = MediaType("AAC audio", 500 * KB)
_AMR = MediaType("AMR audio", 500 * KB)
_WAV = MediaType("WAV audio", 500 * KB, widely_supported=False)
_OGG = MediaType("OGG audio", 500 * KB, widely_supported=False)
_VCARD = MediaType("vCard", 500 * KB, widely_supported=False)
_PDF = MediaType("PDF document", 500 * KB, widely_supported=False)
_WEBP = MediaType("WebP image", 500 * KB, widely_supported=False)
_BMP = MediaType("BMP image", 500 * KB, widely_supported=False)

BY_CONTENT_TYPE: dict[str, MediaType] = {
    "image/jpeg": _JPEG,
    "image/jpg": _JPEG,
    "image/pjpeg": _JPEG,
    "image/png": _PNG,
    "image/gif": _GIF,
    "video/mp4": _MP4,
    "video/3gpp": _3GP,
    "video/3gpp2": _3GP,
    "video/quicktime": _MOV,
    "video/h264": _MP4,
    "audio/mpeg": _MP3,
    "audio/mp3": _MP3,
    "audio/aac": _AAC,
    "audio/mp4": _AAC,
    "audio/x-m4a": _AAC,
    "audio/amr": _AMR,
    "audio/wav": _WAV,
    "audio/x-wav": _WAV,
    "audio/wave": _WAV,
    "audio/ogg": _OGG,
    "text/vcard": _VCARD,
    "text/x-vcard": _VCARD,
    "application/pdf": _PDF,
    "image/webp": _WEBP,
    "image/bmp": _BMP,
}
BY_EXTENSION: dict[str, MediaType] = {
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".png": _PNG,
    ".gif": _GIF,
    ".mp4": _MP4,
    ".m4v": _MP4,
    ".3gp": _3GP,
    ".3g2": _3GP,
    ".mov": _MOV,
    ".mp3": _MP3,
    ".aac": _AAC,
    ".m4a": _AAC,
    ".amr": _AMR,
    ".wav": _WAV,
    ".ogg": _OGG,
    ".oga": _OGG,
    ".vcf": _VCARD,
    ".pdf": _PDF,
    ".webp": _WEBP,
    ".bmp": _BMP,
}


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / KB:.0f} KB"


def media_findings(
    filename: str, content_type: str | None, size_bytes: int | None, field: str = "mmsMedia"
) -> Iterator[Finding]:
    """MMS-MEDIA findings for one file."""
    rule = "MMS-MEDIA"
    name = filename or "(no file name)"
    dot = filename.rfind(".")
    ext = filename[dot:].lower() if dot > 0 else ""
    by_ext = BY_EXTENSION.get(ext)
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    by_type = BY_CONTENT_TYPE.get(ctype) if ctype else None
    kind = by_type or by_ext
    if kind is None:
        what = ctype or ext or "an unknown type"
        yield finding(rule, field, f"'{name}' is {what}, which carriers do not reliably deliver by MMS.")
    else:
        if not kind.widely_supported:
            yield finding(
                rule,
                field,
                f"'{name}' is a {kind.label}, which only some carriers and handsets "
                "display; prefer JPEG, PNG, GIF, MP4 or MP3.",
            )
        if by_type and ext and by_ext is not by_type:
            yield finding(
                rule, field, f"'{name}': the extension {ext} does not match the content type {ctype}."
            )
    if size_bytes is None:
        return
    if size_bytes <= 0:
        yield finding(rule, field, f"'{name}' is empty.")
        return
    if kind is not None and size_bytes > kind.limit:
        yield finding(
            rule,
            field,
            f"'{name}' is {_size(size_bytes)}; keep a {kind.label} under "
            f"{_size(kind.limit)} so every carrier delivers it.",
        )
    elif size_bytes > CARRIER_SAFE_BYTES:
        yield finding(
            rule,
            field,
            f"'{name}' is {_size(size_bytes)}: AT&T and T-Mobile take about 1 MB per MMS on "
            "10DLC and may transcode or refuse larger media.",
            severity=Severity.INFO,
        )


def lint_media(filename: str, content_type: str | None, size_bytes: int) -> Report:
    """Check one MMS media file: a type and size TCR accepts for an MMS sample (CAMPAIGN-ATTACHMENTS, errors),
    and a type and size carriers deliver well (MMS-MEDIA, warnings)."""
    report = Report(
        [
            *file_findings("mmsMedia", filename, content_type, size_bytes, MMS_EXTENSIONS),
            *media_findings(filename, content_type, size_bytes),
        ]
    )
    report.sort()
    return report


@check("MMS-MEDIA", needs=CAMPAIGN)
def campaign_media(ctx: LintContext) -> list[Finding]:
    """Each file of the campaign's mmsMedia passes the MMS media rules."""
    media = ctx.campaign.get("mmsMedia")
    if not isinstance(media, (list, tuple)):
        return []
    out: list[Finding] = []
    for item in media:
        if not isinstance(item, Mapping):
            continue
        name = item.get("filename")
        size = item.get("sizeBytes")
        ctype = item.get("contentType")
        out.extend(media_findings(
            name if isinstance(name, str) else "",
            ctype if isinstance(ctype, str) else None,
            size if isinstance(size, int) and not isinstance(size, bool) else None,
        ))
    return out
