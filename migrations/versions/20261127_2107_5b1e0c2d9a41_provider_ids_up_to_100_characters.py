"""Provider ids up to 100 characters: a Twilio campaign is addressed by its messaging service and its
UsAppToPerson SID together (``MG…/QE…``, 69 characters), longer than the 64 a Telnyx UUID needed.

Revision ID: 5b1e0c2d9a41
Revises: 3626858b95a2
Create Date: 2026-11-27 21:07:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5b1e0c2d9a41"
down_revision = "3626858b95a2"
branch_labels = None
depends_on = None

COLUMNS = (
    ("sync_state", "provider_ref", False),
    ("sync_state", "parent_ref", True),
    ("submission", "provider_id", True),
    ("webhook_event", "provider_ref", True),
)


def _resize(length_from: int, length_to: int) -> None:
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column, existing_type=sa.String(length_from), type_=sa.String(length_to), existing_nullable=nullable
            )


def upgrade() -> None:
    _resize(64, 100)


def downgrade() -> None:
    _resize(100, 64)
