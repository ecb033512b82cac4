"""Provider accounts for Twilio and direct TCR: the provider CHECK learns ``twilio`` and ``tcr``, and accounts
get ``settings`` for options that are not secrets (TCR's upstream CNP, MNO ids).

Revision ID: 3626858b95a2
Revises: 1a0554614d73
Create Date: 2026-11-27 18:39:04.686532+00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "3626858b95a2"
down_revision = "1a0554614d73"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
OLD = "provider IN ('telnyx', 'sandbox')"
NEW = "provider IN ('telnyx', 'sandbox', 'twilio', 'tcr')"


def upgrade() -> None:
    with op.batch_alter_table("provider_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settings", JSON, nullable=True))
        batch_op.drop_constraint(op.f("ck_provider_account_provider"), type_="check")
        batch_op.create_check_constraint("provider", NEW)
    op.execute("UPDATE provider_account SET settings = '{}'")
    with op.batch_alter_table("provider_account", schema=None) as batch_op:
        batch_op.alter_column("settings", existing_type=JSON, nullable=False)


def downgrade() -> None:
    op.execute("DELETE FROM provider_account WHERE provider IN ('twilio', 'tcr')")
    with op.batch_alter_table("provider_account", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_provider_account_provider"), type_="check")
        batch_op.create_check_constraint("provider", OLD)
        batch_op.drop_column("settings")
