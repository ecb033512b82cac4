"""The consent audit trail's tables.

Evidence (``consent_event``, ``consent_disclosure``) is append-only: the migration installs triggers refusing
UPDATE and DELETE, and every consent event is linked into one SHA-256 chain per organization
(``registry.consent.chain``) that ``registry audit verify`` re-checks. The other tables are derived state kept
in the same transaction as the events: the current subscription per (phone, campaign), daily counts for the
metrics, and how often each disclosure was shown.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, UTCDateTime, enum_column, utcnow
from registry.jsontype import JSONType
from registry.states import LabeledEnum

if TYPE_CHECKING:
    from registry.campaigns.models import Campaign

BigId = sa.BigInteger().with_variant(sa.Integer, "sqlite")


class EventKind(LabeledEnum):
    """What the subscriber did."""

    OPT_IN = "opt_in"
    OPT_OUT = "opt_out"
    HELP = "help"
    #: START / UNSTOP after an opt-out
    RE_OPT_IN = "re_opt_in"
    #: the confirming reply of a double opt-in
    DOUBLE_OPT_IN = "double_opt_in"

    __labels__ = {"opt_in": "Opt-in", "opt_out": "Opt-out", "help": "Help request", "re_opt_in": "Re-opt-in",
                  "double_opt_in": "Double opt-in confirmation"}


#: kinds that give consent (the subscription becomes opted in)
CONSENTING = frozenset({EventKind.OPT_IN, EventKind.RE_OPT_IN, EventKind.DOUBLE_OPT_IN})


class Method(LabeledEnum):
    """How consent was given or revoked (tcr-rules.md §5.4)."""

    WEB_FORM = "web_form"
    KEYWORD = "keyword"
    PAPER = "paper"
    VERBAL = "verbal"
    API = "api"
    #: imported from another system that did not say how
    IMPORT = "import"

    __labels__ = {"web_form": "Web form", "api": "API"}


class SubscriptionState(LabeledEnum):
    OPTED_IN = "opted_in"
    OPTED_OUT = "opted_out"


class ImportStatus(LabeledEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReviewStatus(LabeledEnum):
    """A plain-language revocation, honoured at once, awaiting a person's look."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"

    __labels__ = {"open": "Awaiting review", "confirmed": "Confirmed as a revocation",
                  "dismissed": "Not a revocation (opt-out stands)"}


class ConsentDisclosure(Base):
    """One version of the words shown at opt-in for a campaign; immutable, identified by the SHA-256 of its text."""

    __tablename__ = "consent_disclosure"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "sha256"), sa.UniqueConstraint("campaign_id", "version"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"))
    #: 1, 2, 3 … per campaign, in the order the versions were first seen
    version: Mapped[int] = mapped_column(sa.Integer)
    #: SHA-256 (hex) of ``text`` as UTF-8
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: the exact words (line endings normalized to ``\n``, outer whitespace trimmed)
    text: Mapped[str] = mapped_column(sa.Text)
    #: the registered campaign revision whose ``messageFlow`` contained this text when it was first recorded
    revision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("revision.id"))
    #: the rule engine's CAMPAIGN-CTA-DISCLOSURES findings on this text (``Finding.to_dict()`` each)
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    #: when it was first recorded (UTC)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: who recorded it, as shown to a reader
    created_by: Mapped[str] = mapped_column(sa.String(254))

    campaign: Mapped[Campaign] = relationship()

    @property
    def label(self) -> str:
        return f"v{self.version} ({self.sha256[:12]})"


class ConsentEvent(Base):
    """One consent fact: an opt-in, opt-out, help request, re-opt-in or double opt-in confirmation.

    Rows are written by ``registry.consent.writer`` only (batched, COPY on PostgreSQL), each linked into the
    organization's consent chain: ``hash`` covers a digest of the content and the link fields
    (``registry.consent.chain``).
    """

    __tablename__ = "consent_event"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "seq"),
        #: proof lookup by number and idempotency; hash indexes on PostgreSQL are cheaper to maintain under bulk
        #: load than B-trees on random keys and only equality is ever asked of them
        sa.Index("ix_consent_event_phone", "phone", postgresql_using="hash"),
        sa.Index("ix_consent_event_dedupe_key", "dedupe_key", postgresql_using="hash"),
        sa.Index("ix_consent_event_campaign_id", "campaign_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    #: position in the organization's consent chain: 1, 2, 3 … without gaps
    seq: Mapped[int] = mapped_column(sa.Integer)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"))
    #: the subscriber's number, E.164
    phone: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[EventKind] = enum_column(EventKind, "kind")
    #: when the subscriber acted (UTC; the source's time zone is not kept, the instant is)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when we recorded it (UTC)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[Method] = enum_column(Method, "method")
    #: where: the form URL, ``KEYWORD to +1…`` (keyword and short/long code), a paper document id …
    source: Mapped[str | None] = mapped_column(sa.String(500))
    #: the disclosure version shown at this opt-in
    disclosure_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consent_disclosure.id"))
    #: the subscriber's IP address (web opt-ins)
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    #: the subscriber's browser user agent (web opt-ins)
    user_agent: Mapped[str | None] = mapped_column(sa.String(1000))
    #: SHA-256 of an evidence file (screenshot, scanned form, recording) stored by hash in ``instance/``
    evidence_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    #: the evidence file's name as uploaded
    evidence_name: Mapped[str | None] = mapped_column(sa.String(255))
    #: the inbound text that carried a keyword or a revocation
    message_text: Mapped[str | None] = mapped_column(sa.String(1600))
    #: the registered reply returned in the same request (optoutMessage / helpMessage / optinMessage)
    reply_text: Mapped[str | None] = mapped_column(sa.String(1024))
    #: the inbound message this event came from
    inbound_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consent_inbound.id"))
    #: the import run this event came from
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consent_import.id"))
    #: who recorded it; ``None`` for the system (inbound keywords, CLI)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: who recorded it, as shown to a reader (e-mail or ``system: …``)
    recorded_by: Mapped[str] = mapped_column(sa.String(254))
    #: idempotency key: the content digest, or a digest of the provider's message id for inbound messages
    dedupe_key: Mapped[str] = mapped_column(sa.String(64))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    campaign: Mapped[Campaign] = relationship()
    disclosure: Mapped[ConsentDisclosure | None] = relationship()


class ConsentChainHead(Base):
    """The last event of each organization's consent chain (so deleting the newest events is detected)."""

    __tablename__ = "consent_chain_head"

    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.Integer)
    hash: Mapped[str] = mapped_column(sa.String(64))


class ConsentSubscription(Base):
    """The current state of one number for one campaign: the newest consenting or revoking event wins."""

    __tablename__ = "consent_subscription"
    __table_args__ = (sa.Index("ix_consent_subscription_phone", "phone", postgresql_using="hash"),)

    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), primary_key=True)
    phone: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    state: Mapped[SubscriptionState] = enum_column(SubscriptionState, "state")
    #: ``occurred_at`` of the event that decided the state; an older event never overrides it
    state_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: chain position (``seq``) of that event
    state_seq: Mapped[int] = mapped_column(sa.Integer)
    state_kind: Mapped[EventKind] = enum_column(EventKind, "state_kind")
    state_method: Mapped[Method] = enum_column(Method, "state_method")
    #: the disclosure shown at the opt-in that is in force (opted in only)
    disclosure_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consent_disclosure.id"))
    #: when this row last changed (UTC)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConsentDaily(Base):
    """Per campaign and UTC day: events by kind, and subscriptions gained and lost (for the opt-out rate)."""

    __tablename__ = "consent_daily"
    __table_args__ = (sa.Index("ix_consent_daily_org_day", "organization_id", "day"),)

    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    #: opt-in and re-opt-in events
    opt_ins: Mapped[int] = mapped_column(sa.Integer, default=0)
    opt_outs: Mapped[int] = mapped_column(sa.Integer, default=0)
    helps: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: subscriptions that became opted in that day
    gained: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: subscriptions that went from opted in to opted out that day
    lost: Mapped[int] = mapped_column(sa.Integer, default=0)


class ConsentDisclosureUse(Base):
    """How often and when a disclosure version was shown at an opt-in (the drift warning looks here)."""

    __tablename__ = "consent_disclosure_use"

    disclosure_id: Mapped[int] = mapped_column(sa.ForeignKey("consent_disclosure.id"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    opt_ins: Mapped[int] = mapped_column(sa.Integer, default=0)
    first_shown_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_shown_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConsentImport(Base):
    """One run of a CSV import (CLI or upload page): what came in and what became of it."""

    __tablename__ = "consent_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    #: SHA-256 of the whole file (known when the run ends)
    file_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    status: Mapped[ImportStatus] = enum_column(ImportStatus, "status", default=ImportStatus.RUNNING)
    #: data rows read (the header not counted)
    rows: Mapped[int] = mapped_column(sa.Integer, default=0)
    imported: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: rows already recorded by an earlier run (same content hash)
    duplicates: Mapped[int] = mapped_column(sa.Integer, default=0)
    rejected: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: where the error CSV of an upload is kept (``instance/consent-imports/``); the CLI writes next to the file
    errors_path: Mapped[str | None] = mapped_column(sa.String(500))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_by: Mapped[str] = mapped_column(sa.String(254))


class ConsentInbound(Base):
    """An inbound message that carried a keyword or a revocation: the FCC proof of when it was received,
    what it said, what we did and what we answered. Provider retries are recognised by ``message_id``."""

    __tablename__ = "consent_inbound"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "provider", "message_id"),
        sa.Index("ix_consent_inbound_org_review", "organization_id", "review_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    #: ``telnyx``, ``twilio`` or ``json``
    provider: Mapped[str] = mapped_column(sa.String(20))
    #: the provider's message id (or one we made up for the JSON form)
    message_id: Mapped[str] = mapped_column(sa.String(100))
    from_phone: Mapped[str] = mapped_column(sa.String(16))
    to_phone: Mapped[str | None] = mapped_column(sa.String(16))
    #: the message as received
    text: Mapped[str] = mapped_column(sa.String(1600))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when it was applied (the same request)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: ``opt_out``, ``opt_out_all``, ``help``, ``re_opt_in``, ``opt_in`` or ``none``
    action: Mapped[str] = mapped_column(sa.String(20))
    #: the campaign the receiving number serves
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    reply_text: Mapped[str | None] = mapped_column(sa.String(1024))
    #: a plain-language revocation: honoured at once, shown to an officer
    flagged: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    review_status: Mapped[ReviewStatus | None] = enum_column(ReviewStatus, "review_status", nullable=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(sa.Text)

    campaign: Mapped[Campaign | None] = relationship()


class ConsentInboundKey(Base):
    """A per-organization secret for the plain JSON inbound endpoint; only its SHA-256 is stored."""

    __tablename__ = "consent_inbound_key"
    __table_args__ = (sa.UniqueConstraint("token_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(100))
    token_sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(254))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
