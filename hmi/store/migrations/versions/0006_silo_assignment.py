"""Silo assignment for stock Odoo: silo (A..M, LQ114, LQ115) -> product internal reference.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "silo_assignment",
        sa.Column("silo", sa.String(8), nullable=False),
        sa.Column("product_code", sa.String(64), nullable=False),
        sa.Column("product_name", sa.String(255), nullable=False, server_default=sa.text("''")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_by", sa.String(128)),
        sa.PrimaryKeyConstraint("silo", name="pk_silo_assignment"),
        sa.UniqueConstraint("product_code", name="uq_silo_assignment_product_code"),
    )


def downgrade() -> None:
    op.drop_table("silo_assignment")
