"""Alarm messages in the window's language: the template and values of each alarm's sentence.

The English message stays the record (log, system_log, admin API); ``message_template`` (the
English template, looked up in the translation) and ``message_values`` (JSON) let the window show
the same sentence in Bahasa Indonesia. Rows from before stay NULL and are shown as stored.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alarms") as batch:
        batch.add_column(sa.Column("message_template", sa.Text))
        batch.add_column(sa.Column("message_values", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("alarms") as batch:
        batch.drop_column("message_values")
        batch.drop_column("message_template")
