"""Two-phase download and the Held list.

- ``mo_batch.download_state``: ``pending`` (stored, the PLC write not yet confirmed),
  ``downloaded`` (the PLC has the recipe) or ``held`` (the PLC could not say whether it has
  it). Rows that exist before this revision were downloaded.
- ``mo_batch.plc_key``: what the PLC's MO text field holds for the batch (the MO name, or a
  unique short key when the name does not fit); the poll matches readings by it.
- ``mo_batch.hold_reason``: why a row is held.
- ``held_mos``: MOs that reached the PLC and left mo_batch without being completed (cleared,
  archived as failed). The sync never fetches them again until an operator releases them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_UNRELEASED = sa.text("released_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("mo_batch") as batch:
        batch.add_column(sa.Column("plc_key", sa.String(64)))
        batch.add_column(sa.Column("download_state", sa.String(16), nullable=False,
                                   server_default=sa.text("'downloaded'")))
        batch.add_column(sa.Column("hold_reason", sa.Text()))
    op.execute("UPDATE mo_batch SET plc_key = mo_id WHERE plc_key IS NULL")
    with op.batch_alter_table("mo_batch") as batch:
        batch.alter_column("plc_key", existing_type=sa.String(64), nullable=False)
        batch.create_index("uq_mo_batch_line_plc_key", ["equipment_id_batch", "plc_key"], unique=True)

    op.create_table(
        "held_mos",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("mo_id", sa.String(64), nullable=False),
        sa.Column("equipment_code", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_by", sa.String(128)),
        sa.Column("released_at", sa.DateTime(timezone=True)),
        sa.Column("released_by", sa.String(128)),
        sa.Column("release_reason", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_held_mos"),
    )
    op.create_index("ix_held_mos_mo_id", "held_mos", ["mo_id"])
    op.create_index("uq_held_mos_unreleased_mo_id", "held_mos", ["mo_id"], unique=True,
                    sqlite_where=_UNRELEASED, postgresql_where=_UNRELEASED)


def downgrade() -> None:
    op.drop_index("uq_held_mos_unreleased_mo_id", table_name="held_mos")
    op.drop_index("ix_held_mos_mo_id", table_name="held_mos")
    op.drop_table("held_mos")
    with op.batch_alter_table("mo_batch") as batch:
        batch.drop_index("uq_mo_batch_line_plc_key")
        for column in ("hold_reason", "download_state", "plc_key"):
            batch.drop_column(column)
