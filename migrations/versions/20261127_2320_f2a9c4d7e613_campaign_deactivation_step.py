"""Outbox rows that deactivate a registered campaign: the submission step CHECK learns ``deactivate``.

Revision ID: f2a9c4d7e613
Revises: e81f3b6c2a95
Create Date: 2026-11-27 23:20:00+00:00
"""

from alembic import op

revision = "f2a9c4d7e613"
down_revision = "e81f3b6c2a95"
branch_labels = None
depends_on = None

OLD = "step IN ('brand', 'campaign', 'numbers', 'unassign', 'otp_send', 'otp_verify')"
NEW = "step IN ('brand', 'campaign', 'numbers', 'unassign', 'otp_send', 'otp_verify', 'deactivate')"


def upgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_submission_step"), type_="check")
        batch_op.create_check_constraint("step", NEW)


def downgrade() -> None:
    op.execute("DELETE FROM submission WHERE step = 'deactivate'")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_submission_step"), type_="check")
        batch_op.create_check_constraint("step", OLD)
