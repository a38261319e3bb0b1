"""Hand-added components of a batch (premix, medicines): target, weighed amount, who confirmed it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hand_add_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("mo_id", sa.String(64), nullable=False),
        sa.Column("equipment_code", sa.String(64), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("product_name", sa.String(255), nullable=False),
        sa.Column("target_kg", sa.Float(), nullable=False),
        sa.Column("uom", sa.String(16), nullable=False, server_default=sa.text("'kg'")),
        sa.Column("actual_kg", sa.Float()),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.Column("confirmed_by", sa.String(128)),
        sa.Column("source", sa.String(16)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_hand_add_lines"),
    )
    op.create_index("ix_hand_add_lines_mo_id", "hand_add_lines", ["mo_id"])
    op.create_index(
        "uq_hand_add_lines_open_mo_product", "hand_add_lines", ["mo_id", "product_id"], unique=True,
        sqlite_where=sa.text("archived_at IS NULL"), postgresql_where=sa.text("archived_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_hand_add_lines_open_mo_product", table_name="hand_add_lines")
    op.drop_index("ix_hand_add_lines_mo_id", table_name="hand_add_lines")
    op.drop_table("hand_add_lines")
