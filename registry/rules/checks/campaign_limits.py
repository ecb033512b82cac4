"""Campaign field lengths and attachment limits (TCR ``CampaignRequest`` schema, ``/mms``,
``/supportingDocument``).

Attachments travel in the campaign payload as ``mmsMedia`` (MMS sample files) and ``supportingDocuments``
(CTA, terms or privacy evidence), each a list of
``{"filename": str, "contentType": str | None, "sizeBytes": int}``; neither is a TCR field: the
application uploads them with the campaign.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..engine import CAMPAIGN, LintContext, check, finding
from ..report import Finding
from ..text import wordset
from .campaign_text import flag

#: (field, minimum, maximum) in characters; the minimum counts non-blank characters
_LIMITS = (
    ("description", 40, 4096),
    ("messageFlow", 40, 4096),
    ("sample1", 20, 1024),
    ("sample2", 20, 1024),
    ("sample3", 20, 1024),
    ("sample4", 20, 1024),
    ("sample5", 20, 1024),
    ("optinMessage", 20, 1024),
    ("optoutMessage", 20, 1024),
    ("helpMessage", 20, 1024),
    ("privacyPolicyLink", 0, 2048),
    ("termsAndConditionsLink", 0, 2048),
    ("embeddedLinkSample", 0, 255),
    ("referenceId", 0, 50),
)
_ALWAYS_REQUIRED = frozenset({"description", "messageFlow", "sample1"})
_REQUIRED_BY_FLAG = {"optoutMessage": "subscriberOptout", "helpMessage": "subscriberHelp"}

MAX_FILE_BYTES = 10 * 1024 * 1024
#: 10 MB read as 10,000,000 bytes: between this and 10 MiB the reading of "10 MB" decides, so warn only
MAX_FILE_BYTES_STRICT = 10_000_000
MAX_FILES = 5
MMS_EXTENSIONS = wordset(
    ".bmp .dib .gif .jpeg .jpg .m2a .m4a .m4b .m4p .m4r .m4v .mp1 .mp2 .mp3 .mp4 .mpa .oga .ogg "
    ".ogm .ogv .ogx .png .spx .txt .wav .webm"
)
#: the content types of the MMS extensions above (what an upload's magic bytes may be)
MMS_CONTENT_TYPES = wordset(
    "image/bmp image/x-ms-bmp image/gif image/jpeg image/jpg image/pjpeg image/png text/plain "
    "audio/mpeg audio/mp3 audio/mp4 audio/x-m4a audio/m4a audio/aac audio/ogg audio/vorbis audio/opus "
    "audio/speex audio/wav audio/x-wav audio/wave audio/webm video/mp4 video/x-m4v video/ogg video/webm "
    "video/mpeg application/ogg"
)
DOCUMENT_EXTENSIONS = wordset(".jpg .jpeg .png .bmp .tiff .raw .pdf .rtf .xml .odt .docx .htm .txt")


def field_lengths(ctx: LintContext) -> list[Finding]:
    """Required campaign texts present and every field within TCR's length limits."""
    campaign = ctx.campaign
    get = campaign.get
    rule = "CAMPAIGN-FIELD-LENGTHS"
    out: list[Finding] = []
    for name, lo, hi in _LIMITS:
        value = get(name)
        if isinstance(value, str) and value and not value.isspace():
            n = len(value)
            if n > hi:
                out.append(finding(rule, name, f"{name} has {n} characters; TCR allows at most {hi}."))
            elif lo and (n < lo or value[0].isspace() or value[-1].isspace()) and len(value.strip()) < lo:
                out.append(finding(
                    rule, name, f"{name} has {len(value.strip())} characters; TCR requires at least {lo}."
                ))
            continue
        if value is None or isinstance(value, str):  # absent, empty or blank
            required = name in _ALWAYS_REQUIRED or (
                name in _REQUIRED_BY_FLAG and flag(campaign, _REQUIRED_BY_FLAG[name]) is True
            )
            if required:
                why = "" if name in _ALWAYS_REQUIRED else f" ({_REQUIRED_BY_FLAG[name]} is true)"
                out.append(finding(rule, name, f"{name} is missing{why}; TCR requires {lo} to {hi} characters."))
            continue
        out.append(finding(rule, name, f"{name} must be text, not {type(value).__name__}."))
    nudge = ctx.state.get("nudge")
    if (
        nudge is not None
        and isinstance(nudge, Mapping)
        and isinstance(nudge.get("description"), str)
        and len(nudge["description"]) > 1024
    ):
        out.append(finding(
            rule,
            "nudgeDescription",
            f"The nudge description has {len(nudge['description'])} characters; TCR allows at most 1,024.",
        ))
    return out


def _extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > 0 else ""


def file_findings(
    field: str, name: str, content_type: str | None, size: int | None, allowed: frozenset[str]
) -> Iterator[Finding]:
    """CAMPAIGN-ATTACHMENTS findings for one file: extension (and, for MMS samples, content type) in TCR's
    list, size within 10 MB."""
    rule = "CAMPAIGN-ATTACHMENTS"
    label = name or "(no file name)"
    ext = _extension(name)
    if ext not in allowed:
        kind = ext or "files without an extension"
        yield finding(
            rule, field, f"'{label}': TCR does not accept {kind} here (allowed: {' '.join(sorted(allowed))})."
        )
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if ctype and allowed is MMS_EXTENSIONS and ctype not in MMS_CONTENT_TYPES:
        yield finding(rule, field, f"'{label}' is {ctype}, which TCR does not accept as an MMS sample.")
    if size is not None:
        if size > MAX_FILE_BYTES:
            yield finding(
                rule, field, f"'{label}' is {size / 1048576:.1f} MB; TCR accepts at most 10 MB per file."
            )
        elif size > MAX_FILE_BYTES_STRICT:
            yield finding(
                rule,
                field,
                f"'{label}' is {size:,} bytes, at the 10 MB limit; keep it under 10,000,000 bytes "
                "to be safe.",
                severity="warning",
            )


def attachment_findings(field: str, files: Any, allowed: frozenset[str]) -> Iterator[Finding]:
    """CAMPAIGN-ATTACHMENTS findings for one attachment list (``mmsMedia`` or ``supportingDocuments``)."""
    rule = "CAMPAIGN-ATTACHMENTS"
    if not isinstance(files, (list, tuple)):
        yield finding(rule, field, f"{field} must be a list of files.")
        return
    if len(files) > MAX_FILES:
        yield finding(
            rule, field, f"{len(files)} files in {field}; TCR accepts at most {MAX_FILES} per campaign."
        )
    for item in files:
        if not isinstance(item, Mapping):
            yield finding(
                rule, field, f"Each entry of {field} must be an object with filename and sizeBytes."
            )
            continue
        name = item.get("filename")
        ctype = item.get("contentType")
        size = item.get("sizeBytes")
        yield from file_findings(
            field,
            name if isinstance(name, str) else "",
            ctype if isinstance(ctype, str) else None,
            size if isinstance(size, int) and not isinstance(size, bool) else None,
            allowed,
        )


def attachments(ctx: LintContext) -> list[Finding]:
    """MMS samples and supporting documents within TCR's count, size and type limits."""
    campaign = ctx.campaign
    media = campaign.get("mmsMedia")
    docs = campaign.get("supportingDocuments")
    if media is None and docs is None:
        return []
    out: list[Finding] = []
    if media is not None:
        out.extend(attachment_findings("mmsMedia", media, MMS_EXTENSIONS))
    if docs is not None:
        out.extend(attachment_findings("supportingDocuments", docs, DOCUMENT_EXTENSIONS))
    return out


@check("CAMPAIGN-FIELD-LENGTHS", "CAMPAIGN-ATTACHMENTS", needs=CAMPAIGN)
def limits(ctx: LintContext) -> list[Finding]:
    """Field lengths and attachments, as one check."""
    found = field_lengths(ctx)
    campaign = ctx.campaign
    if "mmsMedia" in campaign or "supportingDocuments" in campaign:
        found.extend(attachments(ctx))
    return found
