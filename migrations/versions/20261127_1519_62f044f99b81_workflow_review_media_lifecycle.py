"""Workflow: lint findings and rejection reasons on revisions, acknowledgements, MMS media, status history, carrier state.

Issue #4 (review with acknowledged warnings and a diff against the last rejection) and the lifecycle view.

Revision ID: 62f044f99b81
Revises: 17325979c313
Create Date: 2026-11-27 15:19:32.075617+00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "62f044f99b81"
down_revision = "17325979c313"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=10), nullable=True),
        sa.Column("from_status", sa.String(length=30), nullable=True),
        sa.Column("to_status", sa.String(length=30), nullable=False),
        sa.Column("raw_status", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_status_change_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_change")),
    )
    op.create_index(
        op.f("ix_status_change_organization_id"), "status_change", ["organization_id"], unique=False
    )
    op.create_index(
        "ix_status_change_subject", "status_change", ["subject", "subject_id", "id"], unique=False
    )

    op.create_table(
        "campaign_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_media_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_campaign_media_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_campaign_media_uploaded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_media")),
        sa.UniqueConstraint("campaign_id", "sha256", name=op.f("uq_campaign_media_campaign_id_sha256")),
    )
    op.create_index(op.f("ix_campaign_media_campaign_id"), "campaign_media", ["campaign_id"], unique=False)
    op.create_index(
        op.f("ix_campaign_media_organization_id"), "campaign_media", ["organization_id"], unique=False
    )

    op.create_table(
        "carrier_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=10), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "unknown",
                "review",
                "registered",
                "rejected",
                "suspended",
                name="state",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("raw_status", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_carrier_status_campaign_id_campaign")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_status")),
        sa.UniqueConstraint("campaign_id", "carrier", name=op.f("uq_carrier_status_campaign_id_carrier")),
    )
    op.create_index(op.f("ix_carrier_status_campaign_id"), "carrier_status", ["campaign_id"], unique=False)

    op.create_table(
        "revision_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_revision_acknowledgement_revision_id_revision")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_revision_acknowledgement_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision_acknowledgement")),
        sa.UniqueConstraint(
            "revision_id", "rule", "field", name=op.f("uq_revision_acknowledgement_revision_id_rule_field")
        ),
    )
    op.create_index(
        op.f("ix_revision_acknowledgement_revision_id"),
        "revision_acknowledgement",
        ["revision_id"],
        unique=False,
    )

    # existing revisions get empty lists before the columns become NOT NULL
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("findings", json_type, nullable=True))
        batch_op.add_column(sa.Column("rejection_reasons", json_type, nullable=True))
    op.execute("UPDATE revision SET findings = '[]', rejection_reasons = '[]'")
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.alter_column("findings", existing_type=json_type, nullable=False)
        batch_op.alter_column("rejection_reasons", existing_type=json_type, nullable=False)

    # indexes for the lists and the dashboard (bench/web.py: 10,000 campaigns, 100,000 numbers)
    op.create_index("ix_brand_org_status_updated", "brand", ["organization_id", "status", "updated_at"])
    op.create_index("ix_brand_org_updated", "brand", ["organization_id", "updated_at"])
    op.create_index("ix_campaign_org_status_updated", "campaign", ["organization_id", "status", "updated_at"])
    op.create_index("ix_campaign_org_updated", "campaign", ["organization_id", "updated_at"])
    op.create_index("ix_phone_number_org_status", "phone_number", ["organization_id", "assignment_status"])
    op.create_index("ix_revision_org_status", "revision", ["organization_id", "status"])

    # lint counts on brands and campaigns (the dashboard's "drafts with errors"); existing rows start at 0
    for table in ("brand", "campaign"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("lint_errors", sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column("lint_warnings", sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET lint_errors = 0, lint_warnings = 0")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("lint_errors", existing_type=sa.Integer(), nullable=False)
            batch_op.alter_column("lint_warnings", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    for name, table in (("ix_revision_org_status", "revision"), ("ix_phone_number_org_status", "phone_number"),
                        ("ix_campaign_org_updated", "campaign"), ("ix_campaign_org_status_updated", "campaign"),
                        ("ix_brand_org_updated", "brand"), ("ix_brand_org_status_updated", "brand")):
        op.drop_index(name, table_name=table)
    for table in ("campaign", "brand"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("lint_warnings")
            batch_op.drop_column("lint_errors")
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_column("rejection_reasons")
        batch_op.drop_column("findings")

    op.drop_index(op.f("ix_revision_acknowledgement_revision_id"), table_name="revision_acknowledgement")

    op.drop_table("revision_acknowledgement")
    op.drop_index(op.f("ix_carrier_status_campaign_id"), table_name="carrier_status")

    op.drop_table("carrier_status")
    op.drop_index(op.f("ix_campaign_media_organization_id"), table_name="campaign_media")
    op.drop_index(op.f("ix_campaign_media_campaign_id"), table_name="campaign_media")

    op.drop_table("campaign_media")
    op.drop_index("ix_status_change_subject", table_name="status_change")
    op.drop_index(op.f("ix_status_change_organization_id"), table_name="status_change")

    op.drop_table("status_change")
