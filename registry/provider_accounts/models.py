"""A provider account (credentials per organization) and the log of every call made with one."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column, utcnow
from registry.jsontype import JSONType

if TYPE_CHECKING:
    from registry.auth.models import Organization


class ProviderName(enum.StrEnum):
    """Which adapter talks to the account: Telnyx, Twilio or TCR directly (as a CSP). ``sandbox`` is the local
    simulator speaking Telnyx's wire format (the simulator also speaks Twilio's and TCR's: point a ``twilio`` or
    ``tcr`` account at it)."""

    TELNYX = "telnyx"
    SANDBOX = "sandbox"
    TWILIO = "twilio"
    TCR = "tcr"

    @property
    def display(self) -> str:
        """The provider's name as people write it."""
        return {"telnyx": "Telnyx", "sandbox": "Sandbox", "twilio": "Twilio", "tcr": "TCR"}[self.value]


class ProviderAccount(TimestampMixin, VersionedMixin, Base):
    """One set of provider credentials of an organization; one account per organization is the default."""

    __tablename__ = "provider_account"
    __table_args__ = (
        sa.UniqueConstraint("public_id"),
        sa.Index(
            "ix_provider_account_one_default",
            "organization_id",
            unique=True,
            sqlite_where=sa.text("is_default = 1"),
            postgresql_where=sa.text("is_default"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    #: random, unguessable id used in the webhook URL ``/webhooks/<provider>/<public_id>``
    public_id: Mapped[str] = mapped_column(sa.String(32))
    #: the adapter: ``telnyx``, ``twilio``, ``tcr`` or ``sandbox``
    provider: Mapped[ProviderName] = enum_column(ProviderName, "provider")
    #: what the organization calls it ("Telnyx production")
    label: Mapped[str] = mapped_column(sa.String(100))
    #: API root, e.g. ``https://api.telnyx.com/v2``; Twilio's is a template over its hosts,
    #: ``https://{service}.twilio.com``
    base_url: Mapped[str] = mapped_column(sa.String(255))
    #: Fernet token of the JSON credentials (``{"api_key": ..., "api_secret": ...}``: Telnyx API key; Twilio
    #: account SID and auth token; TCR API key and secret); never shown again after entry
    credentials: Mapped[str] = mapped_column(sa.Text)
    #: the key the provider signs webhooks with (Telnyx: base64 Ed25519 public key); public, not a secret
    webhook_public_key: Mapped[str | None] = mapped_column(sa.String(200))
    #: Fernet token of a shared webhook secret (HMAC-signing providers); None when unused
    webhook_secret: Mapped[str | None] = mapped_column(sa.Text)
    #: requests per second we allow ourselves against this account (client-side token bucket)
    rate: Mapped[float] = mapped_column(sa.Float, default=10.0)
    #: burst size of that bucket
    burst: Mapped[int] = mapped_column(sa.Integer, default=5)
    #: the account new submissions of the organization use
    is_default: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    #: provider options that are not secrets: TCR ``upstream_cnp_id`` (the DCA campaigns are shared with) and
    #: ``mno_ids``
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    #: inactive accounts are neither used for submissions nor accept webhooks
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    organization: Mapped[Organization] = relationship()

    def __repr__(self) -> str:
        return f"<ProviderAccount {self.provider.value}:{self.label}>"

    @property
    def audit_label(self) -> str:
        return f"{self.label} ({self.provider.value})"


class ProviderCall(Base):
    """One attempt of one provider request, redacted (secrets and tax ids never reach this table).

    Written in its own short transaction as the call completes, so attempts of a work item that later fails
    or is rolled back still leave their trace.
    """

    __tablename__ = "provider_call"
    __table_args__ = (sa.Index("ix_provider_call_account_started", "account_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("provider_account.id"))
    #: ``telnyx``, ``sandbox`` ...
    provider: Mapped[str] = mapped_column(sa.String(20))
    method: Mapped[str] = mapped_column(sa.String(10))
    #: path below the account's base URL
    path: Mapped[str] = mapped_column(sa.String(500))
    query: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    request_body: Mapped[Any] = mapped_column(JSONType, nullable=True)
    #: HTTP status; None when no response arrived (timeout, connection error)
    status: Mapped[int | None] = mapped_column(sa.Integer)
    response_body: Mapped[Any] = mapped_column(JSONType, nullable=True)
    duration_ms: Mapped[float] = mapped_column(sa.Float)
    #: 1 for the first try, 2… for the HTTP client's retries
    attempt: Mapped[int] = mapped_column(sa.Integer)
    #: when the attempt started (UTC)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: what went wrong without a response (timeout, connection refused, malformed JSON)
    error: Mapped[str | None] = mapped_column(sa.String(300))
    #: seconds the provider asked us to wait (Retry-After)
    retry_after: Mapped[float | None] = mapped_column(sa.Float)
    #: the work item that made the call (``submission:12``, ``sync:campaign:7``)
    context: Mapped[str | None] = mapped_column(sa.String(80))
