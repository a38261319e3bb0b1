"""An MO is archived as completed at most once (partial unique index on mo_histories).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COMPLETED = sa.text("status = 'completed'")


def upgrade() -> None:
    op.create_index(
        "uq_mo_histories_completed_mo_id",
        "mo_histories",
        ["mo_id"],
        unique=True,
        sqlite_where=_COMPLETED,
        postgresql_where=_COMPLETED,
    )


def downgrade() -> None:
    op.drop_index("uq_mo_histories_completed_mo_id", table_name="mo_histories")
