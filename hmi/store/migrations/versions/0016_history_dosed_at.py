"""History rows carry the time the batch was dosed, so reports count a batch in its dosing shift.

``mo_histories.dosed_at``: the time of the PLC reading that finished the batch (DONE), which no later
reading changes; for a batch archived without one (failed, cleared, cancelled) its last PLC reading,
and the archive time when the PLC never reported it. A batch archived hours later (Odoo was down)
still belongs to the shift it was dosed in.

- rows from before take their last PLC reading (``last_read_from_plc``: for a completed batch the DONE
  reading), falling back to the archive time;
- the reports' range scans read ``ix_mo_histories_dosed_at``.

Going down drops the column and its index; nothing else depends on it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Never batch mode here: SQLite's copy-and-move would drop mo_histories' count and search triggers
    # (revision 0010). SQLite adds a NOT NULL column only with a default: the epoch, replaced at once
    # (every writer gives dosed_at; the model's default is the archive time).
    if op.get_bind().dialect.name == "sqlite":
        op.add_column("mo_histories", sa.Column("dosed_at", sa.DateTime(timezone=True), nullable=False,
                                                server_default=sa.text("'1970-01-01 00:00:00.000000'")))
    else:
        op.add_column("mo_histories", sa.Column("dosed_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE mo_histories SET dosed_at = COALESCE(last_read_from_plc, archived_at)")
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("mo_histories", "dosed_at", existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_index("ix_mo_histories_dosed_at", "mo_histories", ["dosed_at"])


def downgrade() -> None:
    op.drop_index("ix_mo_histories_dosed_at", table_name="mo_histories")
    op.drop_column("mo_histories", "dosed_at")  # SQLite 3.35+ drops a column in place (triggers kept)
