"""Recording one consent event and asking whether a number may be texted.

Field checks shared by the web form, the JSON endpoint and the CSV import live here (``parse_*``), each raising
``UserValueError`` naming its field. Flushes, never commits.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import filetype
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from registry.audit import Actor
from registry.campaigns.models import Campaign
from registry.errors import UserValueError

from .disclosures import disclosure_for
from .models import CONSENTING, ConsentDisclosure, ConsentSubscription, EventKind, Method, SubscriptionState
from .phones import to_e164
from .writer import AppendResult, NewEvent, Recorder, append_events

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
#: how far ahead of our clock a recorded time may be (clock skew between systems), never more
FUTURE_TOLERANCE = timedelta(minutes=5)
_ALIASES = {"optin": "opt_in", "optout": "opt_out", "reoptin": "re_opt_in", "doubleoptin": "double_opt_in",
            "webform": "web_form"}


def _token(value: str) -> str:
    return re.sub(r"[\s-]+", "_", (value or "").strip().lower())


def parse_kind(value: str) -> EventKind:
    token = _token(value)
    try:
        return EventKind(_ALIASES.get(token.replace("_", ""), token))
    except ValueError:
        raise UserValueError(f"Unknown event {value!r}; use one of {', '.join(k.value for k in EventKind)}.",
                             field="event") from None


def parse_method(value: str) -> Method:
    token = _token(value)
    try:
        return Method(_ALIASES.get(token.replace("_", ""), token))
    except ValueError:
        raise UserValueError(f"Unknown method {value!r}; use one of {', '.join(m.value for m in Method)}.",
                             field="method") from None


def parse_time(value: str | datetime, *, now: datetime | None = None, field: str = "occurred_at") -> datetime:
    """An ISO 8601 time with a time zone (``…Z`` or ``…-05:00``), not in the future."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = (value or "").strip()
        if not text:
            raise UserValueError("Enter when it happened (ISO 8601 with a time zone).", field=field)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise UserValueError(f"{text!r} is not an ISO 8601 time (e.g. 2026-03-01T14:05:00-05:00).",
                                 field=field) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise UserValueError(f"{value!s} has no time zone; add one (Z for UTC, or e.g. -05:00).", field=field)
    moment = moment.astimezone(UTC)
    if moment > (now or datetime.now(UTC)) + FUTURE_TOLERANCE:
        raise UserValueError(f"{value!s} is in the future.", field=field)
    return moment


_IPV4 = re.compile(r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}")


def parse_ip(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if _IPV4.fullmatch(text):
        return text
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise UserValueError(f"{text!r} is not an IP address.", field="ip") from None


def parse_text(value: str | None, field: str, limit: int) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if "\x00" in text:
        raise UserValueError(f"The {field} contains a NUL character.", field=field)
    if len(text) > limit:
        raise UserValueError(f"The {field} is {len(text):,} characters; at most {limit:,}.", field=field)
    return text


def find_campaign(session: Session, organization_id: int, key: str) -> Campaign:
    """A campaign of the organization by our reference or its TCR campaign id."""
    key = (key or "").strip()
    if not key:
        raise UserValueError("Name the campaign (its reference or TCR campaign id).", field="campaign")
    found = session.scalar(sa.select(Campaign).where(Campaign.organization_id == organization_id,
                                                     sa.or_(Campaign.reference == key,
                                                            Campaign.tcr_campaign_id == key)))
    if found is None:
        raise UserValueError(f"No campaign with reference or TCR id {key!r}.", field="campaign")
    return found


# --- evidence files ---------------------------------------------------------------------------------------

def evidence_path(sha256: str) -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "consent-evidence" / sha256[:2] / sha256


def store_evidence(filename: str, data: bytes) -> tuple[str, str]:
    """Keep an evidence file once by content hash; ``(sha256, name)``."""
    name = os.path.basename(filename or "").strip()[:255] or "evidence"
    if not data:
        raise UserValueError("The evidence file is empty.", field="evidence")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise UserValueError(f"{name} is {len(data) / 1024 / 1024:.1f} MB; evidence files may be at most 10 MB.",
                             field="evidence")
    sha = hashlib.sha256(data).hexdigest()
    path = evidence_path(sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return sha, name


def evidence_type(data: bytes) -> str:
    kind = filetype.guess(data)
    return kind.mime if kind else "application/octet-stream"


# --- one event ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Recorded:
    """The outcome of :func:`record_event`."""

    seq: int | None
    duplicate: bool
    state: str | None


def record_event(session: Session, campaign: Campaign, *, kind: EventKind | str, phone: str,
                 occurred_at: datetime | str, method: Method | str, actor: Actor, source: str | None = None,
                 disclosure_text: str | None = None, ip: str | None = None, user_agent: str | None = None,
                 evidence: tuple[str, bytes] | None = None, message_text: str | None = None,
                 reply_text: str | None = None, inbound_id: int | None = None,
                 dedupe_key: str | None = None) -> Recorded:
    """Validate, then append one event to the organization's consent chain (same transaction as the caller)."""
    kind = kind if isinstance(kind, EventKind) else parse_kind(kind)
    method = method if isinstance(method, Method) else parse_method(method)
    e164 = to_e164(phone)
    moment = parse_time(occurred_at)
    source = parse_text(source, "source", 500)
    if kind in CONSENTING and not source and method is not Method.KEYWORD:
        raise UserValueError("Say where consent was given: the form's URL, the keyword and number, or the "
                             "document id (CONSENT-RECORD-COMPLETE).", field="source")
    disclosure: ConsentDisclosure | None = None
    if disclosure_text and disclosure_text.strip():
        disclosure = disclosure_for(session, campaign, disclosure_text, actor=actor)
    evidence_sha = evidence_name = None
    if evidence is not None:
        evidence_sha, evidence_name = store_evidence(*evidence)
    event = NewEvent(campaign_id=campaign.id, phone=e164, kind=kind.value, occurred_at=moment, method=method.value,
                     source=source, disclosure_id=disclosure.id if disclosure else None,
                     disclosure_sha256=disclosure.sha256 if disclosure else None, ip=parse_ip(ip),
                     user_agent=parse_text(user_agent, "user_agent", 1000), evidence_sha256=evidence_sha,
                     evidence_name=evidence_name, message_text=message_text, reply_text=reply_text,
                     inbound_id=inbound_id, dedupe_key=dedupe_key)
    result: AppendResult = append_events(session, campaign.organization_id, [event],
                                         Recorder(actor.label, actor.user_id))
    if result.duplicates:
        return Recorded(None, True, None)
    written = result.written[0]
    return Recorded(written.seq, False, written.state)


# --- may we text this number? --------------------------------------------------------------------------------

@dataclass(frozen=True)
class SendDecision:
    """``can_send``'s answer; truthy when the number may receive the campaign's messages."""

    allowed: bool
    reason: str
    state: SubscriptionState | None = None
    since: datetime | None = None

    def __bool__(self) -> bool:
        return self.allowed


def can_send(session: Session, phone: str, campaign: Campaign | int) -> SendDecision:
    """Only a number whose newest consent event for the campaign gave consent may be texted: an opt-out
    refuses it from the moment it is recorded (CONSENT-OPTOUT-DEADLINE), and no record means no consent."""
    campaign_id = campaign if isinstance(campaign, int) else campaign.id
    try:
        e164 = to_e164(phone)
    except UserValueError as exc:
        return SendDecision(False, exc.message)
    row = session.execute(sa.select(ConsentSubscription.state, ConsentSubscription.state_at,
                                    ConsentSubscription.state_kind)
                          .where(ConsentSubscription.campaign_id == campaign_id,
                                 ConsentSubscription.phone == e164)
                          .execution_options(populate_existing=True)).first()
    if row is None:
        return SendDecision(False, f"No consent on record for {e164}.")
    if row.state is SubscriptionState.OPTED_OUT:
        return SendDecision(False, f"{e164} opted out at {row.state_at:%Y-%m-%d %H:%M:%S} UTC.", row.state,
                            row.state_at)
    return SendDecision(True, f"{e164} opted in ({row.state_kind.label.lower()}) at "
                              f"{row.state_at:%Y-%m-%d %H:%M:%S} UTC.", row.state, row.state_at)
