"""Origin-compatible schema: mo_batch (with a unique mo_id), mo_histories, system_log.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copy of the dosing points at this revision: (id column, tag, equipment id).
_POINTS = [(f"silo_{letter}", f"silo_{letter}", 101 + index) for index, letter in enumerate("abcdefghijklm")]
_POINTS += [("lq114", "lq_tetes", 114), ("lq115", "lq_fml", 115)]


def _data_columns() -> list[sa.Column]:
    columns = [
        sa.Column("batch_no", sa.Integer(), nullable=False),
        sa.Column("consumption", sa.Numeric(18, 3), nullable=False),
        sa.Column("equipment_id_batch", sa.String(64), nullable=False),
        sa.Column("finished_goods", sa.String(128)),
    ]
    for id_column, tag, equipment_id in _POINTS:
        columns += [
            sa.Column(id_column, sa.Integer(), nullable=False, server_default=sa.text(str(equipment_id))),
            sa.Column(f"component_{tag}_name", sa.String(64)),
            sa.Column(f"consumption_{tag}", sa.Float()),
        ]
    columns += [
        sa.Column("status_manufacturing", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("status_operation", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("actual_weight_quantity_finished_goods", sa.Numeric(18, 3)),
    ]
    columns += [sa.Column(f"actual_consumption_{tag}", sa.Float()) for _, tag, _ in _POINTS]
    columns.append(sa.Column("last_read_from_plc", sa.DateTime(timezone=True)))
    return columns


def upgrade() -> None:
    op.create_table(
        "mo_batch",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("mo_id", sa.String(64), nullable=False),
        *_data_columns(),
        sa.Column("update_odoo", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("odoo_cancelled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_mo_batch"),
        sa.UniqueConstraint("mo_id", name="uq_mo_batch_mo_id"),
    )
    op.create_index("ix_mo_batch_batch_no", "mo_batch", ["batch_no"])

    op.create_table(
        "mo_histories",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("mo_id", sa.String(64), nullable=False),
        *_data_columns(),
        sa.Column("status", sa.String(20), nullable=False, server_default=sa.text("'completed'")),
        sa.Column("notes", sa.Text()),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_mo_histories"),
    )
    op.create_index("ix_mo_histories_mo_id", "mo_histories", ["mo_id"])
    op.create_index("ix_mo_histories_batch_no", "mo_histories", ["batch_no"])
    op.create_index("ix_mo_histories_status", "mo_histories", ["status"])
    op.create_index("ix_mo_histories_archived_at", "mo_histories", ["archived_at"])
    op.create_index("ix_mo_histories_status_archived_at", "mo_histories", ["status", "archived_at"])

    op.create_table(
        "system_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("module", sa.String(255), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("batch_no", sa.String(64)),
        sa.Column("mo_id", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_system_log"),
    )
    op.create_index("ix_system_log_timestamp", "system_log", ["timestamp"])
    op.create_index("ix_system_log_mo_id", "system_log", ["mo_id"])
    op.create_index("ix_system_log_level_timestamp", "system_log", ["level", "timestamp"])


def downgrade() -> None:
    op.drop_table("system_log")
    op.drop_table("mo_histories")
    op.drop_table("mo_batch")
