"""Equipment failures: one row per PLC record of a line, with an occurrence counter.

A record is identified by line, equipment code, the PLC's timestamp (as read) and the info text.
The PLC raising the same record again after the HMI acknowledged it (an invalid PLC clock makes
two occurrences look alike) is a new occurrence: ``occurrences`` + 1, ``last_occurred_at`` its read
time, and Odoo hears of it (``reported_occurrences`` trails ``occurrences`` until it has).

- ``line`` becomes part of the unique key and NOT NULL ('' for an instance without a line), so
  two lines on one database keep their own rows for the same equipment code;
- rows from before count one occurrence, reported when ``reported_at`` was set, last occurred at
  their ``read_at``;
- the list is ordered by the latest occurrence: its index replaces the one on ``read_at``.

Going down folds nothing back: the counters are dropped, and two lines' rows for the same record
would break the old key (the downgrade then fails and the database stays at 0014).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-09
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("equipment_failures") as batch:
        batch.add_column(sa.Column("last_occurred_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("occurrences", sa.Integer(), nullable=False, server_default=sa.text("1")))
        batch.add_column(sa.Column("reported_occurrences", sa.Integer(), nullable=False,
                                   server_default=sa.text("0")))
    op.execute("UPDATE equipment_failures SET line = '' WHERE line IS NULL")
    op.execute("UPDATE equipment_failures SET last_occurred_at = read_at,"
               " reported_occurrences = CASE WHEN reported_at IS NULL THEN 0 ELSE 1 END")
    op.drop_index("ix_equipment_failures_read_at", table_name="equipment_failures")
    with op.batch_alter_table("equipment_failures") as batch:
        batch.alter_column("line", existing_type=sa.String(64), nullable=False, server_default=sa.text("''"))
        batch.alter_column("last_occurred_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_constraint("uq_equipment_failures_record", type_="unique")
        batch.create_unique_constraint("uq_equipment_failures_record",
                                       ["line", "equipment_code", "failure_time_text", "info"])
    op.create_index("ix_equipment_failures_last_occurred_at", "equipment_failures", ["last_occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_equipment_failures_last_occurred_at", table_name="equipment_failures")
    with op.batch_alter_table("equipment_failures") as batch:
        batch.drop_constraint("uq_equipment_failures_record", type_="unique")
        batch.create_unique_constraint("uq_equipment_failures_record", ["equipment_code", "failure_time_text", "info"])
        batch.alter_column("line", existing_type=sa.String(64), nullable=True, server_default=None)
        batch.drop_column("reported_occurrences")
        batch.drop_column("occurrences")
        batch.drop_column("last_occurred_at")
    op.execute("UPDATE equipment_failures SET line = NULL WHERE line = ''")
    op.create_index("ix_equipment_failures_read_at", "equipment_failures", ["read_at"])
