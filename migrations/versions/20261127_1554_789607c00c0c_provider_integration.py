"""Provider integration: provider accounts, the provider call log, the submission outbox, webhooks, sync state.

Issue #5 (database half): credentials per organization (encrypted), every provider request on record, approved
revisions sent at most once per client_ref, webhooks deduplicated by event id, and the per-item bookkeeping of
the scheduled sync (due time, priority, claims, last observation, stuck-in-review flag).

Revision ID: 789607c00c0c
Revises: 62f044f99b81
Create Date: 2026-11-27 15:54:47.295634+00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "789607c00c0c"
down_revision = "62f044f99b81"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column(
            "provider",
            sa.Enum("telnyx", "sandbox", name="provider", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("base_url", sa.String(length=255), nullable=False),
        sa.Column("credentials", sa.Text(), nullable=False),
        sa.Column("webhook_public_key", sa.String(length=200), nullable=True),
        sa.Column("webhook_secret", sa.Text(), nullable=True),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("burst", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_provider_account_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_provider_account_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_account")),
        sa.UniqueConstraint("public_id", name=op.f("uq_provider_account_public_id")),
    )
    op.create_index(
        "ix_provider_account_one_default",
        "provider_account",
        ["organization_id"],
        unique=True,
        sqlite_where=sa.text("is_default = 1"),
        postgresql_where=sa.text("is_default"),
    )
    op.create_index(op.f("ix_provider_account_organization_id"), "provider_account", ["organization_id"], unique=False)

    op.create_table(
        "provider_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("query", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("request_body", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("retry_after", sa.Float(), nullable=True),
        sa.Column("context", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["provider_account.id"], name=op.f("fk_provider_call_account_id_provider_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_provider_call_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_call")),
    )
    op.create_index("ix_provider_call_account_started", "provider_call", ["account_id", "started_at"], unique=False)
    op.create_index(op.f("ix_provider_call_organization_id"), "provider_call", ["organization_id"], unique=False)

    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("provider_ref", sa.String(length=64), nullable=False),
        sa.Column("parent_ref", sa.String(length=64), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_observed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("raw_status", sa.String(length=100), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("swept_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stuck_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "stuck_lever",
            sa.Enum(
                "telnyx_appeal",
                "tcr_nudge",
                "provider_ticket",
                name="stuck_lever",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("stuck_note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("subject IN ('brand', 'campaign', 'phone_number')", name=op.f("ck_sync_state_subject")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["provider_account.id"], name=op.f("fk_sync_state_account_id_provider_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_sync_state_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
        sa.UniqueConstraint("subject", "subject_id", name=op.f("uq_sync_state_subject_subject_id")),
    )
    op.create_index("ix_sync_state_due", "sync_state", ["priority", "next_due_at"], unique=False)
    op.create_index(op.f("ix_sync_state_organization_id"), "sync_state", ["organization_id"], unique=False)
    op.create_index("ix_sync_state_ref", "sync_state", ["account_id", "provider_ref"], unique=False)

    op.create_table(
        "webhook_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("provider_ref", sa.String(length=64), nullable=True),
        sa.Column("hint", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=True),
        sa.Column(
            "result",
            sa.Enum(
                "queued", "unmatched", "ignored", name="result", native_enum=False, create_constraint=True, length=20
            ),
            nullable=False,
        ),
        sa.Column("sync_state_id", sa.Integer(), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["provider_account.id"], name=op.f("fk_webhook_event_account_id_provider_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_webhook_event_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["sync_state_id"], ["sync_state.id"], name=op.f("fk_webhook_event_sync_state_id_sync_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_event")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_webhook_event_dedupe_key")),
    )
    op.create_index(op.f("ix_webhook_event_account_id"), "webhook_event", ["account_id"], unique=False)
    op.create_index(op.f("ix_webhook_event_organization_id"), "webhook_event", ["organization_id"], unique=False)
    op.create_index(op.f("ix_webhook_event_provider_ref"), "webhook_event", ["provider_ref"], unique=False)
    op.create_index(op.f("ix_webhook_event_sync_state_id"), "webhook_event", ["sync_state_id"], unique=False)

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column(
            "step",
            sa.Enum("brand", "campaign", "numbers", name="step", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "in_progress",
                "done",
                "failed",
                "needs_attention",
                "cancelled",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("brand_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("phone_number_id", sa.Integer(), nullable=True),
        sa.Column("client_ref", sa.String(length=50), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("maybe_committed", sa.Boolean(), nullable=False),
        sa.Column("provider_id", sa.String(length=64), nullable=True),
        sa.Column("registry_id", sa.String(length=20), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["provider_account.id"], name=op.f("fk_submission_account_id_provider_account")
        ),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], name=op.f("fk_submission_brand_id_brand")),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_submission_campaign_id_campaign")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_submission_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["phone_number_id"], ["phone_number.id"], name=op.f("fk_submission_phone_number_id_phone_number")
        ),
        sa.ForeignKeyConstraint(["revision_id"], ["revision.id"], name=op.f("fk_submission_revision_id_revision")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("client_ref", name=op.f("uq_submission_client_ref")),
    )
    op.create_index(op.f("ix_submission_account_id"), "submission", ["account_id"], unique=False)
    op.create_index(op.f("ix_submission_brand_id"), "submission", ["brand_id"], unique=False)
    op.create_index(op.f("ix_submission_campaign_id"), "submission", ["campaign_id"], unique=False)
    op.create_index("ix_submission_due", "submission", ["status", "next_attempt_at"], unique=False)
    op.create_index(op.f("ix_submission_organization_id"), "submission", ["organization_id"], unique=False)
    op.create_index(op.f("ix_submission_phone_number_id"), "submission", ["phone_number_id"], unique=False)
    op.create_index(op.f("ix_submission_revision_id"), "submission", ["revision_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_submission_revision_id"), table_name="submission")
    op.drop_index(op.f("ix_submission_phone_number_id"), table_name="submission")
    op.drop_index(op.f("ix_submission_organization_id"), table_name="submission")
    op.drop_index("ix_submission_due", table_name="submission")
    op.drop_index(op.f("ix_submission_campaign_id"), table_name="submission")
    op.drop_index(op.f("ix_submission_brand_id"), table_name="submission")
    op.drop_index(op.f("ix_submission_account_id"), table_name="submission")

    op.drop_table("submission")
    op.drop_index(op.f("ix_webhook_event_sync_state_id"), table_name="webhook_event")
    op.drop_index(op.f("ix_webhook_event_provider_ref"), table_name="webhook_event")
    op.drop_index(op.f("ix_webhook_event_organization_id"), table_name="webhook_event")
    op.drop_index(op.f("ix_webhook_event_account_id"), table_name="webhook_event")

    op.drop_table("webhook_event")
    op.drop_index("ix_sync_state_ref", table_name="sync_state")
    op.drop_index(op.f("ix_sync_state_organization_id"), table_name="sync_state")
    op.drop_index("ix_sync_state_due", table_name="sync_state")

    op.drop_table("sync_state")
    op.drop_index(op.f("ix_provider_call_organization_id"), table_name="provider_call")
    op.drop_index("ix_provider_call_account_started", table_name="provider_call")

    op.drop_table("provider_call")
    op.drop_index(op.f("ix_provider_account_organization_id"), table_name="provider_account")
    op.drop_index(
        "ix_provider_account_one_default",
        table_name="provider_account",
        sqlite_where=sa.text("is_default = 1"),
        postgresql_where=sa.text("is_default"),
    )

    op.drop_table("provider_account")
