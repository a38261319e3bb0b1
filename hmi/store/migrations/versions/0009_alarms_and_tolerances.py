"""Alarms (ISA-18.2 states), per-silo dosing tolerances, tolerance verdict of archived batches.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alarms",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("line", sa.String(64), nullable=False, server_default=sa.text("''")),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False, server_default=sa.text("''")),
        sa.Column("mo_id", sa.String(64)),
        sa.Column("batch_no", sa.Integer),
        sa.Column("silo", sa.String(8)),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
        sa.Column("acknowledged_by", sa.String(128)),
        sa.Column("returned_at", sa.DateTime(timezone=True)),
        sa.Column("normal_at", sa.DateTime(timezone=True)),
        sa.Column("shelved_until", sa.DateTime(timezone=True)),
        sa.Column("shelved_by", sa.String(128)),
        sa.Column("shelf_reason", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_alarms"),
    )
    op.create_index("ix_alarms_kind", "alarms", ["kind"])
    op.create_index("ix_alarms_priority", "alarms", ["priority"])
    op.create_index("ix_alarms_state", "alarms", ["state"])
    op.create_index("ix_alarms_raised_at", "alarms", ["raised_at"])
    op.create_index("uq_alarms_open_condition", "alarms", ["line", "kind", "subject"], unique=True,
                    sqlite_where=sa.text("state <> 'normal'"), postgresql_where=sa.text("state <> 'normal'"))
    op.create_table(
        "silo_tolerances",
        sa.Column("silo", sa.String(8), nullable=False),
        sa.Column("tolerance_kg", sa.Float),
        sa.Column("tolerance_percent", sa.Float),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_by", sa.String(128)),
        sa.PrimaryKeyConstraint("silo", name="pk_silo_tolerances"),
    )
    with op.batch_alter_table("mo_histories") as batch:
        batch.add_column(sa.Column("tolerance_verdict", sa.String(16)))
        batch.add_column(sa.Column("tolerance_deviations", sa.Text))
    op.create_index("ix_mo_histories_tolerance_verdict", "mo_histories", ["tolerance_verdict"])


def downgrade() -> None:
    op.drop_index("ix_mo_histories_tolerance_verdict", table_name="mo_histories")
    with op.batch_alter_table("mo_histories") as batch:
        batch.drop_column("tolerance_deviations")
        batch.drop_column("tolerance_verdict")
    op.drop_table("silo_tolerances")
    op.drop_index("uq_alarms_open_condition", table_name="alarms")
    op.drop_index("ix_alarms_raised_at", table_name="alarms")
    op.drop_index("ix_alarms_state", table_name="alarms")
    op.drop_index("ix_alarms_priority", table_name="alarms")
    op.drop_index("ix_alarms_kind", table_name="alarms")
    op.drop_table("alarms")
