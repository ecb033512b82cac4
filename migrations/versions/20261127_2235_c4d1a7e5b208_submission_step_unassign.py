"""Outbox rows that release a number from its campaign at the provider: the submission step CHECK learns
``unassign``.

Revision ID: c4d1a7e5b208
Revises: 7a3f2ed9d290
Create Date: 2026-11-27 22:35:00+00:00
"""

from alembic import op

revision = "c4d1a7e5b208"
down_revision = "7a3f2ed9d290"
branch_labels = None
depends_on = None

OLD = "step IN ('brand', 'campaign', 'numbers')"
NEW = "step IN ('brand', 'campaign', 'numbers', 'unassign')"


def upgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_submission_step"), type_="check")
        batch_op.create_check_constraint("step", NEW)


def downgrade() -> None:
    op.execute("DELETE FROM submission WHERE step = 'unassign'")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_submission_step"), type_="check")
        batch_op.create_check_constraint("step", OLD)
