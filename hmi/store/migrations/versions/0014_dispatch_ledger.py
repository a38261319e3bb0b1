"""The dispatch ledger and fenced line ownership.

- ``mo_dispatch``: one row per MO that was ever about to be written to a PLC, with where it
  stands (reserved, on_plc, finished, reported, closed, held, released, failed); never deleted.
  ``mo_dispatch_events``: every move of a ledger row (who, when, why).
- The rows of ``held_mos`` (revision 0004), ``mo_batch`` and ``mo_histories`` become ledger
  rows, so no MO this database ever sent to a PLC is fetched again after the upgrade:
  a batch in the table is where its row says; an open hold is ``held``; a released hold is
  ``released``; a history without a hold is ``closed`` (completed, cancelled), ``held``
  (archived as failed) or ``released`` (cleared after a PLC reset). ``held_mos`` is dropped.
- ``line_instances.epoch`` and ``mo_batch.epoch``: the fencing epoch (hmi.store.fencing).
- The PLC key of a batch is unique in the whole database (it was unique per line).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_UNRELEASED = sa.text("released_at IS NULL")
_MIGRATED = "'migration 0014'"

# Where each batch still in mo_batch stands.
_FROM_BATCHES = f"""
INSERT INTO mo_dispatch (mo_id, line, plc_key, state, epoch, dispatches, reason, actor, created_at, updated_at)
SELECT mo_id, equipment_id_batch, plc_key,
       CASE WHEN download_state <> 'downloaded' THEN 'reserved'
            WHEN status_operation AND odoo_cancelled THEN 'closed'
            WHEN status_operation THEN 'failed'
            WHEN status_manufacturing AND update_odoo THEN 'reported'
            WHEN status_manufacturing THEN 'finished'
            ELSE 'on_plc' END,
       0, 1, hold_reason, {_MIGRATED}, created_at, CURRENT_TIMESTAMP
FROM mo_batch
"""

# Open holds of MOs no longer in the table.
_FROM_OPEN_HOLDS = f"""
INSERT INTO mo_dispatch (mo_id, line, plc_key, state, epoch, dispatches, reason, actor, created_at, updated_at)
SELECT h.mo_id, h.equipment_code, h.mo_id, 'held', 0, 1, h.reason, h.held_by, h.held_at, h.held_at
FROM held_mos h
WHERE h.released_at IS NULL AND NOT EXISTS (SELECT 1 FROM mo_dispatch d WHERE d.mo_id = h.mo_id)
"""

# Released holds (the newest of each MO).
_FROM_RELEASED_HOLDS = f"""
INSERT INTO mo_dispatch (mo_id, line, plc_key, state, epoch, dispatches, reason, actor, created_at, updated_at)
SELECT h.mo_id, h.equipment_code, h.mo_id, 'released', 0, 1, h.release_reason, h.released_by, h.held_at,
       h.released_at
FROM held_mos h
WHERE h.id = (SELECT MAX(h2.id) FROM held_mos h2 WHERE h2.mo_id = h.mo_id)
  AND NOT EXISTS (SELECT 1 FROM mo_dispatch d WHERE d.mo_id = h.mo_id)
"""

# The history of MOs with no row above: completed or cancelled ones are closed, failed ones held,
# cleared ones (cleared after a PLC reset, no hold) released.
_FROM_HISTORY = f"""
INSERT INTO mo_dispatch (mo_id, line, plc_key, state, epoch, dispatches, reason, actor, created_at, updated_at)
SELECT mo_id, MAX(equipment_id_batch), mo_id,
       CASE WHEN MAX(CASE WHEN status IN ('completed', 'cancelled') THEN 1 ELSE 0 END) = 1 THEN 'closed'
            WHEN MAX(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) = 1 THEN 'held'
            ELSE 'released' END,
       0, 1, 'archived before the dispatch ledger', {_MIGRATED}, MIN(archived_at), MAX(archived_at)
FROM mo_histories h
WHERE NOT EXISTS (SELECT 1 FROM mo_dispatch d WHERE d.mo_id = h.mo_id)
GROUP BY mo_id
"""

_EVENTS = f"""
INSERT INTO mo_dispatch_events (mo_id, line, epoch, from_state, to_state, plc_key, actor, reason, at)
SELECT mo_id, line, 0, NULL, state, plc_key, {_MIGRATED}, reason, updated_at FROM mo_dispatch
"""


def upgrade() -> None:
    bind = op.get_bind()
    shared = bind.execute(sa.text(
        "SELECT plc_key FROM mo_batch GROUP BY plc_key HAVING COUNT(*) > 1")).scalars().all()
    if shared:
        raise RuntimeError(f"two lines hold batches with the same PLC key ({', '.join(shared)}); finish or "
                           "clear them before this upgrade")
    op.create_table(
        "mo_dispatch",
        sa.Column("mo_id", sa.String(64), nullable=False),
        sa.Column("line", sa.String(64), nullable=False),
        sa.Column("plc_key", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("dispatches", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("reason", sa.Text()),
        sa.Column("actor", sa.String(128)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("mo_id", name="pk_mo_dispatch"),
    )
    op.create_index("ix_mo_dispatch_line_state", "mo_dispatch", ["line", "state"])
    op.create_table(
        "mo_dispatch_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("mo_id", sa.String(64), nullable=False),
        sa.Column("line", sa.String(64), nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.Column("from_state", sa.String(16)),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("plc_key", sa.String(64)),
        sa.Column("actor", sa.String(128)),
        sa.Column("reason", sa.Text()),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mo_dispatch_events"),
    )
    op.create_index("ix_mo_dispatch_events_mo_id", "mo_dispatch_events", ["mo_id"])
    for statement in (_FROM_BATCHES, _FROM_OPEN_HOLDS, _FROM_RELEASED_HOLDS, _FROM_HISTORY, _EVENTS):
        op.execute(statement)

    op.drop_index("uq_held_mos_unreleased_mo_id", table_name="held_mos")
    op.drop_index("ix_held_mos_mo_id", table_name="held_mos")
    op.drop_table("held_mos")

    with op.batch_alter_table("mo_batch") as batch:
        batch.add_column(sa.Column("epoch", sa.BigInteger(), nullable=False, server_default=sa.text("0")))
        batch.drop_index("uq_mo_batch_line_plc_key")
        batch.create_index("uq_mo_batch_plc_key", ["plc_key"], unique=True)
    with op.batch_alter_table("line_instances") as batch:
        batch.add_column(sa.Column("epoch", sa.BigInteger(), nullable=False, server_default=sa.text("0")))


def downgrade() -> None:
    with op.batch_alter_table("line_instances") as batch:
        batch.drop_column("epoch")
    with op.batch_alter_table("mo_batch") as batch:
        batch.drop_index("uq_mo_batch_plc_key")
        batch.create_index("uq_mo_batch_line_plc_key", ["equipment_id_batch", "plc_key"], unique=True)
        batch.drop_column("epoch")
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
    # Every MO the ledger keeps from the PLC becomes an open hold again (the older schema's only way).
    op.execute("""
        INSERT INTO held_mos (mo_id, equipment_code, reason, held_at, held_by)
        SELECT mo_id, line, COALESCE(reason, 'held in the dispatch ledger'), updated_at, actor
        FROM mo_dispatch WHERE state = 'held'
    """)
    op.drop_index("ix_mo_dispatch_events_mo_id", table_name="mo_dispatch_events")
    op.drop_table("mo_dispatch_events")
    op.drop_index("ix_mo_dispatch_line_state", table_name="mo_dispatch")
    op.drop_table("mo_dispatch")
