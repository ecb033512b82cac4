"""Outbox steps for the sole proprietor's one-time PIN: the submission step CHECK learns ``otp_send`` and
``otp_verify``, and a submission can carry the PIN until it is sent.

Revision ID: e81f3b6c2a95
Revises: c4d1a7e5b208
Create Date: 2026-11-27 22:50:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e81f3b6c2a95"
down_revision = "c4d1a7e5b208"
branch_labels = None
depends_on = None

OLD = "step IN ('brand', 'campaign', 'numbers', 'unassign')"
NEW = "step IN ('brand', 'campaign', 'numbers', 'unassign', 'otp_send', 'otp_verify')"


def upgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("otp_pin", sa.String(12), nullable=True))
        batch_op.drop_constraint(op.f("ck_submission_step"), type_="check")
        batch_op.create_check_constraint("step", NEW)


def downgrade() -> None:
    op.execute("DELETE FROM submission WHERE step IN ('otp_send', 'otp_verify')")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_submission_step"), type_="check")
        batch_op.create_check_constraint("step", OLD)
        batch_op.drop_column("otp_pin")
