"""Consent audit trail (issue #6): disclosures, hash-chained consent events, subscriptions, metrics, inbound.

Why: carriers and courts ask whether a number agreed to receive a campaign's messages, after seeing which
words, and whether we stopped the moment it said STOP. consent_event and consent_disclosure hold that evidence
and are append-only: triggers refuse UPDATE and DELETE on both databases (as for audit_event), and each
organization's consent events form a SHA-256 chain (head in consent_chain_head) that `registry audit verify`
re-checks. consent_subscription (current state per number and campaign), consent_daily (metrics) and
consent_disclosure_use are derived state kept in the same transaction as the events. consent_inbound keeps the
inbound messages that carried a keyword (FCC proof of receipt and reply, provider retries deduplicated) and the
review queue of plain-language revocations; consent_inbound_key holds the hashed secrets of the JSON endpoint;
consent_import records each CSV import run.

Indexes: on PostgreSQL the random-valued lookup keys (phone, dedupe_key) use hash indexes, which keep bulk
loads fast and serve the only questions asked of them (equality); see docs/decisions.md.

Revision ID: 1a0554614d73
Revises: 789607c00c0c
Create Date: 2026-11-27 15:56:57.748700+00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "1a0554614d73"
down_revision = "789607c00c0c"
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ("consent_event", "consent_disclosure")


def create_append_only_triggers() -> None:
    """The same guard as audit_event's: the database refuses to change or remove evidence."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY_TABLES:
        message = f"{table} rows are append-only"
        if postgres:
            op.execute(f"""
                CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '{message}'; END $$""")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            )
        else:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )


def drop_append_only_triggers() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY_TABLES:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def upgrade() -> None:
    op.create_table(
        "consent_chain_head",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_consent_chain_head_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_consent_chain_head")),
    )
    op.create_table(
        "consent_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column(
            "status",
            sa.Enum("running", "done", "failed", name="status", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("errors_path", sa.String(length=500), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_consent_import_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_consent_import_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_import")),
    )
    op.create_index(op.f("ix_consent_import_organization_id"), "consent_import", ["organization_id"])

    op.create_table(
        "consent_inbound_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_consent_inbound_key_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_inbound_key")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_consent_inbound_key_token_sha256")),
    )
    op.create_index(op.f("ix_consent_inbound_key_organization_id"), "consent_inbound_key", ["organization_id"])

    op.create_table(
        "consent_daily",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("opt_ins", sa.Integer(), nullable=False),
        sa.Column("opt_outs", sa.Integer(), nullable=False),
        sa.Column("helps", sa.Integer(), nullable=False),
        sa.Column("gained", sa.Integer(), nullable=False),
        sa.Column("lost", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_consent_daily_campaign_id_campaign")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_consent_daily_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("campaign_id", "day", name=op.f("pk_consent_daily")),
    )
    op.create_index("ix_consent_daily_org_day", "consent_daily", ["organization_id", "day"])

    op.create_table(
        "consent_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.Column("from_phone", sa.String(length=16), nullable=False),
        sa.Column("to_phone", sa.String(length=16), nullable=True),
        sa.Column("text", sa.String(length=1600), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("reply_text", sa.String(length=1024), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column(
            "review_status",
            sa.Enum(
                "open",
                "confirmed",
                "dismissed",
                name="review_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_consent_inbound_campaign_id_campaign")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_consent_inbound_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["user_account.id"], name=op.f("fk_consent_inbound_reviewed_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_inbound")),
        sa.UniqueConstraint(
            "organization_id",
            "provider",
            "message_id",
            name=op.f("uq_consent_inbound_organization_id_provider_message_id"),
        ),
    )
    op.create_index(op.f("ix_consent_inbound_campaign_id"), "consent_inbound", ["campaign_id"])
    op.create_index("ix_consent_inbound_org_review", "consent_inbound", ["organization_id", "review_status"])

    op.create_table(
        "consent_disclosure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("findings", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_consent_disclosure_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_consent_disclosure_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_consent_disclosure_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_consent_disclosure_revision_id_revision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_disclosure")),
        sa.UniqueConstraint("campaign_id", "sha256", name=op.f("uq_consent_disclosure_campaign_id_sha256")),
        sa.UniqueConstraint("campaign_id", "version", name=op.f("uq_consent_disclosure_campaign_id_version")),
    )
    op.create_index(op.f("ix_consent_disclosure_organization_id"), "consent_disclosure", ["organization_id"])

    op.create_table(
        "consent_disclosure_use",
        sa.Column("disclosure_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("opt_ins", sa.Integer(), nullable=False),
        sa.Column("first_shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_consent_disclosure_use_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["disclosure_id"],
            ["consent_disclosure.id"],
            name=op.f("fk_consent_disclosure_use_disclosure_id_consent_disclosure"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_consent_disclosure_use_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("disclosure_id", name=op.f("pk_consent_disclosure_use")),
    )
    op.create_index(op.f("ix_consent_disclosure_use_campaign_id"), "consent_disclosure_use", ["campaign_id"])
    op.create_index(op.f("ix_consent_disclosure_use_organization_id"), "consent_disclosure_use", ["organization_id"])

    op.create_table(
        "consent_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "opt_in",
                "opt_out",
                "help",
                "re_opt_in",
                "double_opt_in",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "web_form",
                "keyword",
                "paper",
                "verbal",
                "api",
                "import",
                name="method",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("disclosure_id", sa.Integer(), nullable=True),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=1000), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("evidence_name", sa.String(length=255), nullable=True),
        sa.Column("message_text", sa.String(length=1600), nullable=True),
        sa.Column("reply_text", sa.String(length=1024), nullable=True),
        sa.Column("inbound_id", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.Column("dedupe_key", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_consent_event_campaign_id_campaign")),
        sa.ForeignKeyConstraint(
            ["disclosure_id"], ["consent_disclosure.id"], name=op.f("fk_consent_event_disclosure_id_consent_disclosure")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["consent_import.id"], name=op.f("fk_consent_event_import_id_consent_import")
        ),
        sa.ForeignKeyConstraint(
            ["inbound_id"], ["consent_inbound.id"], name=op.f("fk_consent_event_inbound_id_consent_inbound")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_consent_event_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_consent_event_recorded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_event")),
        sa.UniqueConstraint("organization_id", "seq", name=op.f("uq_consent_event_organization_id_seq")),
    )
    op.create_index("ix_consent_event_campaign_id", "consent_event", ["campaign_id"])
    op.create_index("ix_consent_event_dedupe_key", "consent_event", ["dedupe_key"], postgresql_using="hash")
    op.create_index("ix_consent_event_phone", "consent_event", ["phone"], postgresql_using="hash")

    op.create_table(
        "consent_subscription",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("opted_in", "opted_out", name="state", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("state_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state_seq", sa.Integer(), nullable=False),
        sa.Column(
            "state_kind",
            sa.Enum(
                "opt_in",
                "opt_out",
                "help",
                "re_opt_in",
                "double_opt_in",
                name="state_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "state_method",
            sa.Enum(
                "web_form",
                "keyword",
                "paper",
                "verbal",
                "api",
                "import",
                name="state_method",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("disclosure_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_consent_subscription_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["disclosure_id"],
            ["consent_disclosure.id"],
            name=op.f("fk_consent_subscription_disclosure_id_consent_disclosure"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_consent_subscription_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("campaign_id", "phone", name=op.f("pk_consent_subscription")),
    )
    op.create_index("ix_consent_subscription_phone", "consent_subscription", ["phone"], postgresql_using="hash")
    create_append_only_triggers()


def downgrade() -> None:
    drop_append_only_triggers()
    op.drop_index("ix_consent_subscription_phone", table_name="consent_subscription")

    op.drop_table("consent_subscription")
    op.drop_index("ix_consent_event_phone", table_name="consent_event")
    op.drop_index("ix_consent_event_dedupe_key", table_name="consent_event")
    op.drop_index("ix_consent_event_campaign_id", table_name="consent_event")

    op.drop_table("consent_event")
    op.drop_index(op.f("ix_consent_disclosure_use_organization_id"), table_name="consent_disclosure_use")
    op.drop_index(op.f("ix_consent_disclosure_use_campaign_id"), table_name="consent_disclosure_use")

    op.drop_table("consent_disclosure_use")
    op.drop_index(op.f("ix_consent_disclosure_organization_id"), table_name="consent_disclosure")

    op.drop_table("consent_disclosure")
    op.drop_index("ix_consent_inbound_org_review", table_name="consent_inbound")
    op.drop_index(op.f("ix_consent_inbound_campaign_id"), table_name="consent_inbound")

    op.drop_table("consent_inbound")
    op.drop_index("ix_consent_daily_org_day", table_name="consent_daily")

    op.drop_table("consent_daily")
    op.drop_index(op.f("ix_consent_inbound_key_organization_id"), table_name="consent_inbound_key")

    op.drop_table("consent_inbound_key")
    op.drop_index(op.f("ix_consent_import_organization_id"), table_name="consent_import")

    op.drop_table("consent_import")
    op.drop_table("consent_chain_head")
