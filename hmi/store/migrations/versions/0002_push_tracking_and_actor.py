"""Push retry bookkeeping on mo_batch; who did it (actor) on mo_histories and system_log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mo_batch") as batch:
        batch.add_column(sa.Column("push_attempts", sa.Integer(), nullable=False, server_default=sa.text("0")))
        batch.add_column(sa.Column("last_push_error", sa.Text()))
        batch.add_column(sa.Column("next_push_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("needs_attention", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("mo_histories") as batch:
        batch.add_column(sa.Column("actor", sa.String(128)))
    with op.batch_alter_table("system_log") as batch:
        batch.add_column(sa.Column("actor", sa.String(128)))


def downgrade() -> None:
    with op.batch_alter_table("system_log") as batch:
        batch.drop_column("actor")
    with op.batch_alter_table("mo_histories") as batch:
        batch.drop_column("actor")
    with op.batch_alter_table("mo_batch") as batch:
        for column in ("needs_attention", "next_push_at", "last_push_error", "push_attempts"):
            batch.drop_column(column)
