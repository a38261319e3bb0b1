"""Dosing samples of the batches on the PLC (batch_readings), recorded when a value changes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_readings",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("mo_id", sa.String(64), nullable=False),
        sa.Column("batch_no", sa.Integer, nullable=False),
        sa.Column("equipment_id_batch", sa.String(64), nullable=False),
        sa.Column("silo", sa.String(8), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kg", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_batch_readings"),
    )
    op.create_index("ix_batch_readings_recorded_at", "batch_readings", ["recorded_at"])
    op.create_index("ix_batch_readings_mo_id_recorded_at", "batch_readings", ["mo_id", "recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_batch_readings_mo_id_recorded_at", table_name="batch_readings")
    op.drop_index("ix_batch_readings_recorded_at", table_name="batch_readings")
    op.drop_table("batch_readings")
