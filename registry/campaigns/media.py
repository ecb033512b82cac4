"""MMS sample media: checked by the rule engine, stored once by content hash in ``instance/media/``."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import filetype
from flask import current_app
from sqlalchemy.orm import Session

from registry.audit import Actor
from registry.compliance import refresh_lint_counts
from registry.errors import UserValueError
from registry.records import create_record, delete_record
from registry.rules import Severity, lint_media

from .models import Campaign, CampaignMedia

#: TCR refuses attachments above 10 MB (TCR API 544)
MAX_BYTES = 10 * 1024 * 1024


def media_root() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "media"


def media_path(sha256: str) -> Path:
    return media_root() / sha256[:2] / sha256


def detect_type(data: bytes) -> str:
    """The MIME type from the content's magic bytes (what the browser claimed is not trusted)."""
    kind = filetype.guess(data)
    if kind is not None:
        return kind.mime
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def add_media(session: Session, campaign: Campaign, filename: str, data: bytes, *, actor: Actor) -> CampaignMedia:
    """Check and store one MMS sample; errors from the media rules refuse it, warnings are kept for review."""
    from .operations import EDITABLE_STATES

    if campaign.status not in EDITABLE_STATES:
        raise UserValueError(f"{campaign.reference} is {campaign.status.label.lower()}; its samples cannot change.")
    filename = os.path.basename(filename or "").strip()[:255]
    if not filename or not data:
        raise UserValueError("Choose a non-empty file to upload.", field="file")
    if len(data) > MAX_BYTES:
        raise UserValueError(f"{filename} is {len(data) / 1024 / 1024:.1f} MB; TCR accepts at most 10 MB per "
                             "file.", field="file")
    content_type = detect_type(data)
    errors = [f for f in lint_media(filename, content_type, len(data)).findings if f.severity is Severity.ERROR]
    if errors:
        raise UserValueError(f"{filename}: {errors[0].message} {errors[0].hint}", field="file")
    sha256 = hashlib.sha256(data).hexdigest()
    if any(m.sha256 == sha256 for m in campaign.media):
        raise UserValueError(f"This file is already attached to {campaign.reference}.", field="file")
    _store(sha256, data)
    media = CampaignMedia(organization_id=campaign.organization_id, campaign=campaign, filename=filename,
                          content_type=content_type, size_bytes=len(data), sha256=sha256,
                          uploaded_by_id=actor.user_id)
    create_record(session, media, actor=actor, entity_type="campaign_media",
                  label=f"{campaign.reference}: MMS sample {filename}")
    refresh_lint_counts(campaign)
    return media


def remove_media(session: Session, media: CampaignMedia, *, actor: Actor) -> None:
    """Detach the file from the campaign (the stored bytes stay: revisions and audits may refer to them)."""
    campaign = media.campaign
    delete_record(session, media, actor=actor, entity_type="campaign_media",
                  label=f"{campaign.reference}: MMS sample {media.filename}")
    session.expire(campaign, ["media"])
    refresh_lint_counts(campaign)


def _store(sha256: str, data: bytes) -> None:
    path = media_path(sha256)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
