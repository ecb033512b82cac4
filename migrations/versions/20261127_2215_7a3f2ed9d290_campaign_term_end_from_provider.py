"""The end of a campaign's billing term as the provider reports it (TCR ``nextRenewalOrExpirationDate``), for
the dashboard's "terms ending" and the program report's expiries.

Revision ID: 7a3f2ed9d290
Revises: 5b1e0c2d9a41
Create Date: 2026-11-27 22:15:57+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "7a3f2ed9d290"
down_revision = "5b1e0c2d9a41"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("term_ends_on", sa.Date(), nullable=True))
        batch_op.create_index("ix_campaign_org_term_ends", ["organization_id", "term_ends_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_org_term_ends")
        batch_op.drop_column("term_ends_on")
