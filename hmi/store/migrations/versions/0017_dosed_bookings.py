"""What a PLC dosed for a batch that produced nothing Odoo books: the manual-booking list.

``dosed_bookings``: one row per silo of a failed, cancelled or cleared batch that had dosed actuals,
written when the batch is archived, open until a person marks it booked in Odoo (who, when).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dosed_bookings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("mo_id", sa.String(64), nullable=False),
        sa.Column("line", sa.String(64), nullable=False, server_default=sa.text("''")),
        sa.Column("batch_no", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("component", sa.String(64), nullable=False),
        sa.Column("component_name", sa.String(255)),
        sa.Column("kg", sa.Float(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True)),
        sa.Column("booked_by", sa.String(128)),
    )
    op.create_index("ix_dosed_bookings_mo_id", "dosed_bookings", ["mo_id"])


def downgrade() -> None:
    op.drop_index("ix_dosed_bookings_mo_id", table_name="dosed_bookings")
    op.drop_table("dosed_bookings")
