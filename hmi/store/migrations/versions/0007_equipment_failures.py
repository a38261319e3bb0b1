"""Equipment-failure records from the PLC's failure area, stored once each.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "equipment_failures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("line", sa.String(64)),
        sa.Column("equipment_code", sa.String(64), nullable=False),
        sa.Column("info", sa.String(64), nullable=False),
        sa.Column("failure_time", sa.DateTime()),
        sa.Column("failure_time_text", sa.String(64), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("plc_acknowledged_at", sa.DateTime(timezone=True)),
        sa.Column("reported_at", sa.DateTime(timezone=True)),
        sa.Column("report_attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("last_report_error", sa.Text()),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
        sa.Column("acknowledged_by", sa.String(128)),
        sa.PrimaryKeyConstraint("id", name="pk_equipment_failures"),
        sa.UniqueConstraint("equipment_code", "failure_time_text", "info", name="uq_equipment_failures_record"),
    )
    op.create_index("ix_equipment_failures_read_at", "equipment_failures", ["read_at"])


def downgrade() -> None:
    op.drop_index("ix_equipment_failures_read_at", table_name="equipment_failures")
    op.drop_table("equipment_failures")
