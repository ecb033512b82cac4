"""Initial schema: organizations, users, memberships, brands, campaigns, numbers, revisions, audit chain.

The audit_event table is append-only: triggers refuse UPDATE and DELETE on both SQLite and PostgreSQL
(TRUNCATE, which only an operator runs, is not a row operation). `registry audit verify` detects tampering
that bypasses them. NOTE for later migrations: a SQLite batch_alter_table on audit_event recreates the table
and drops these triggers; recreate them in the same migration.

Revision ID: 17325979c313
Revises: (none)
Create Date: 2026-11-27 15:09:46.889215+00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "17325979c313"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "audit_event rows are append-only"


def create_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$""")
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )


def drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


def upgrade() -> None:
    op.create_table(
        "organization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
        sa.UniqueConstraint("name", name=op.f("uq_organization_name")),
        sa.UniqueConstraint("slug", name=op.f("uq_organization_slug")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "audit_chain_head",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_audit_chain_head_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("changes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_audit_event_actor_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_audit_event_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("organization_id", "seq", name=op.f("uq_audit_event_organization_id_seq")),
    )
    op.create_index(
        "ix_audit_event_entity", "audit_event", ["organization_id", "entity_type", "entity_id"], unique=False
    )

    op.create_table(
        "brand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=50), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "awaiting_review",
                "queued",
                "submitted",
                "pending",
                "action_required",
                "in_review",
                "approved",
                "rejected",
                "failed",
                "suspended",
                "deactivated",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "identity_status",
            sa.Enum(
                "unknown",
                "self_declared",
                "unverified",
                "verified",
                "vetted_verified",
                name="identity_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("tcr_brand_id", sa.String(length=8), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("entity_type", sa.String(length=20), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("company_name", sa.String(length=255), nullable=True),
        sa.Column("ein", sa.String(length=21), nullable=True),
        sa.Column("ein_issuing_country", sa.String(length=2), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("mobile_phone", sa.String(length=20), nullable=True),
        sa.Column("street", sa.String(length=255), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("email", sa.String(length=100), nullable=True),
        sa.Column("website", sa.String(length=255), nullable=True),
        sa.Column("vertical", sa.String(length=50), nullable=True),
        sa.Column("brand_relationship", sa.String(length=20), nullable=True),
        sa.Column("stock_symbol", sa.String(length=10), nullable=True),
        sa.Column("stock_exchange", sa.String(length=10), nullable=True),
        sa.Column("business_contact_email", sa.String(length=255), nullable=True),
        sa.Column("alt_business_id_type", sa.String(length=10), nullable=True),
        sa.Column("alt_business_id", sa.String(length=50), nullable=True),
        sa.Column("tags", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_brand_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_brand_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brand")),
        sa.UniqueConstraint("organization_id", "reference", name=op.f("uq_brand_organization_id_reference")),
    )
    op.create_index(op.f("ix_brand_organization_id"), "brand", ["organization_id"], unique=False)
    op.create_index(op.f("ix_brand_tcr_brand_id"), "brand", ["tcr_brand_id"], unique=False)

    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "compliance_officer",
                "submitter",
                "viewer",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_membership_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_membership_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("user_id", "organization_id", name=op.f("uq_membership_user_id_organization_id")),
    )
    op.create_index(op.f("ix_membership_organization_id"), "membership", ["organization_id"], unique=False)
    op.create_index(op.f("ix_membership_user_id"), "membership", ["user_id"], unique=False)

    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=50), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "awaiting_review",
                "queued",
                "submitted",
                "pending",
                "action_required",
                "in_review",
                "approved",
                "rejected",
                "failed",
                "suspended",
                "deactivated",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("tcr_campaign_id", sa.String(length=10), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("usecase", sa.String(length=50), nullable=False),
        sa.Column("sub_usecases", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("reseller_id", sa.String(length=8), nullable=True),
        sa.Column("description", sa.String(length=4096), nullable=True),
        sa.Column("message_flow", sa.String(length=4096), nullable=True),
        sa.Column("sample1", sa.String(length=1024), nullable=True),
        sa.Column("sample2", sa.String(length=1024), nullable=True),
        sa.Column("sample3", sa.String(length=1024), nullable=True),
        sa.Column("sample4", sa.String(length=1024), nullable=True),
        sa.Column("sample5", sa.String(length=1024), nullable=True),
        sa.Column("subscriber_optin", sa.Boolean(), nullable=False),
        sa.Column("subscriber_optout", sa.Boolean(), nullable=False),
        sa.Column("subscriber_help", sa.Boolean(), nullable=False),
        sa.Column("optin_keywords", sa.String(length=255), nullable=True),
        sa.Column("optin_message", sa.String(length=1024), nullable=True),
        sa.Column("optout_keywords", sa.String(length=255), nullable=True),
        sa.Column("optout_message", sa.String(length=1024), nullable=True),
        sa.Column("help_keywords", sa.String(length=255), nullable=True),
        sa.Column("help_message", sa.String(length=1024), nullable=True),
        sa.Column("embedded_link", sa.Boolean(), nullable=False),
        sa.Column("embedded_link_sample", sa.String(length=255), nullable=True),
        sa.Column("embedded_phone", sa.Boolean(), nullable=False),
        sa.Column("number_pool", sa.Boolean(), nullable=False),
        sa.Column("age_gated", sa.Boolean(), nullable=False),
        sa.Column("direct_lending", sa.Boolean(), nullable=False),
        sa.Column("terms_and_conditions", sa.Boolean(), nullable=False),
        sa.Column("privacy_policy_link", sa.String(length=2048), nullable=True),
        sa.Column("terms_and_conditions_link", sa.String(length=2048), nullable=True),
        sa.Column("auto_renewal", sa.Boolean(), nullable=False),
        sa.Column("mno_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("tags", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], name=op.f("fk_campaign_brand_id_brand")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_campaign_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_campaign_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
        sa.UniqueConstraint(
            "organization_id", "reference", name=op.f("uq_campaign_organization_id_reference")
        ),
    )
    op.create_index(op.f("ix_campaign_brand_id"), "campaign", ["brand_id"], unique=False)
    op.create_index(op.f("ix_campaign_organization_id"), "campaign", ["organization_id"], unique=False)
    op.create_index(op.f("ix_campaign_tcr_campaign_id"), "campaign", ["tcr_campaign_id"], unique=False)

    op.create_table(
        "phone_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("e164", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column(
            "assignment_status",
            sa.Enum(
                "unassigned",
                "pending",
                "assigned",
                "failed",
                "pending_unassignment",
                name="assignment_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_phone_number_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_phone_number_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_number")),
        sa.UniqueConstraint("organization_id", "e164", name=op.f("uq_phone_number_organization_id_e164")),
    )
    op.create_index(op.f("ix_phone_number_campaign_id"), "phone_number", ["campaign_id"], unique=False)
    op.create_index(
        op.f("ix_phone_number_organization_id"), "phone_number", ["organization_id"], unique=False
    )

    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "awaiting_review",
                "returned",
                "approved",
                "submitted",
                "rejected",
                "superseded",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(subject = 'brand' AND brand_id IS NOT NULL AND campaign_id IS NULL) OR (subject = 'campaign' AND campaign_id IS NOT NULL AND brand_id IS NULL)",
            name=op.f("ck_revision_one_subject"),
        ),
        sa.CheckConstraint("subject IN ('brand', 'campaign')", name=op.f("ck_revision_subject")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_revision_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(["brand_id"], ["brand.id"], name=op.f("fk_revision_brand_id_brand")),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_revision_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_revision_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["user_account.id"], name=op.f("fk_revision_reviewer_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.UniqueConstraint("brand_id", "number", name=op.f("uq_revision_brand_id_number")),
        sa.UniqueConstraint("campaign_id", "number", name=op.f("uq_revision_campaign_id_number")),
    )
    op.create_index(op.f("ix_revision_brand_id"), "revision", ["brand_id"], unique=False)
    op.create_index(op.f("ix_revision_campaign_id"), "revision", ["campaign_id"], unique=False)
    op.create_index(op.f("ix_revision_organization_id"), "revision", ["organization_id"], unique=False)

    create_append_only_triggers()


def downgrade() -> None:
    drop_append_only_triggers()
    op.drop_index(op.f("ix_revision_organization_id"), table_name="revision")
    op.drop_index(op.f("ix_revision_campaign_id"), table_name="revision")
    op.drop_index(op.f("ix_revision_brand_id"), table_name="revision")

    op.drop_table("revision")
    op.drop_index(op.f("ix_phone_number_organization_id"), table_name="phone_number")
    op.drop_index(op.f("ix_phone_number_campaign_id"), table_name="phone_number")

    op.drop_table("phone_number")
    op.drop_index(op.f("ix_campaign_tcr_campaign_id"), table_name="campaign")
    op.drop_index(op.f("ix_campaign_organization_id"), table_name="campaign")
    op.drop_index(op.f("ix_campaign_brand_id"), table_name="campaign")

    op.drop_table("campaign")
    op.drop_index(op.f("ix_membership_user_id"), table_name="membership")
    op.drop_index(op.f("ix_membership_organization_id"), table_name="membership")

    op.drop_table("membership")
    op.drop_index(op.f("ix_brand_tcr_brand_id"), table_name="brand")
    op.drop_index(op.f("ix_brand_organization_id"), table_name="brand")

    op.drop_table("brand")
    op.drop_index("ix_audit_event_entity", table_name="audit_event")

    op.drop_table("audit_event")
    op.drop_table("audit_chain_head")
    op.drop_table("user_account")
    op.drop_table("organization")
