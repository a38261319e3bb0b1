"""History at scale (keyset indexes, per-day counts, an index for the MO search); the line of each log record.

- ``(archived_at, id)`` and ``(status, archived_at, id)`` serve every history page by keyset
  (newest first, ``id`` breaks ties) without sorting; they replace the single-column
  indexes on status and archived_at and the old (status, archived_at) index.
- ``mo_history_counts`` keeps how many history rows each UTC day holds per status, kept
  by triggers, so the total of a status filter or a date range is a sum of a few thousand
  small rows instead of a count over a million.
- the MO search: on PostgreSQL a trigram GIN index when the ``pg_trgm`` extension can be
  created (``contains`` search), otherwise a ``varchar_pattern_ops`` index (``starts with``
  search); on SQLite an FTS5 trigram table when SQLite has FTS5 (3.34+), otherwise the
  existing mo_id index serves ``starts with``. hmi.store.history finds out which one exists.
- ``system_log.line``: the LINE_EQUIPMENT_CODE of the instance that wrote the record (NULL for
  records written before, '' for an instance serving the whole table), so several lines can
  share one database and each still reads its own log.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

log = logging.getLogger("hmi.store")

_PG_COUNT_FUNCTIONS = """
CREATE OR REPLACE FUNCTION mo_history_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mo_history_counts (day, status, entries)
    SELECT (archived_at AT TIME ZONE 'UTC')::date, status, count(*) FROM new_rows
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (day, status) DO UPDATE SET entries = mo_history_counts.entries + EXCLUDED.entries;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION mo_history_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE mo_history_counts AS c SET entries = c.entries - gone.n
    FROM (SELECT (archived_at AT TIME ZONE 'UTC')::date AS day, status, count(*) AS n FROM old_rows
          GROUP BY 1, 2 ORDER BY 1, 2) AS gone
    WHERE c.day = gone.day AND c.status = gone.status;
    RETURN NULL;
END $$;
"""

_PG_COUNT_TRIGGERS = (
    "CREATE TRIGGER mo_histories_count_insert AFTER INSERT ON mo_histories"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION mo_history_counts_add()",
    "CREATE TRIGGER mo_histories_count_delete AFTER DELETE ON mo_histories"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION mo_history_counts_remove()",
)

_SQLITE_COUNT_TRIGGERS = (
    """CREATE TRIGGER mo_histories_count_insert AFTER INSERT ON mo_histories BEGIN
        INSERT INTO mo_history_counts (day, status, entries) VALUES (substr(NEW.archived_at, 1, 10), NEW.status, 1)
        ON CONFLICT (day, status) DO UPDATE SET entries = entries + 1;
    END""",
    """CREATE TRIGGER mo_histories_count_delete AFTER DELETE ON mo_histories BEGIN
        UPDATE mo_history_counts SET entries = entries - 1
        WHERE day = substr(OLD.archived_at, 1, 10) AND status = OLD.status;
    END""",
)

_SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE mo_histories_mo_search USING fts5("
    "mo_id, content='mo_histories', content_rowid='rowid', tokenize='trigram')",
    """CREATE TRIGGER mo_histories_mo_search_insert AFTER INSERT ON mo_histories BEGIN
        INSERT INTO mo_histories_mo_search (rowid, mo_id) VALUES (NEW.rowid, NEW.mo_id);
    END""",
    """CREATE TRIGGER mo_histories_mo_search_delete AFTER DELETE ON mo_histories BEGIN
        INSERT INTO mo_histories_mo_search (mo_histories_mo_search, rowid, mo_id) VALUES ('delete', OLD.rowid, OLD.mo_id);
    END""",
    "INSERT INTO mo_histories_mo_search (mo_histories_mo_search) VALUES ('rebuild')",
)


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"

    with op.batch_alter_table("system_log") as batch:
        batch.add_column(sa.Column("line", sa.String(64)))
    op.create_index("ix_system_log_line_id", "system_log", ["line", "id"])

    op.drop_index("ix_mo_histories_status_archived_at", table_name="mo_histories")
    op.drop_index("ix_mo_histories_status", table_name="mo_histories")
    op.drop_index("ix_mo_histories_archived_at", table_name="mo_histories")
    op.create_index("ix_mo_histories_archived_at_id", "mo_histories", ["archived_at", "id"])
    op.create_index("ix_mo_histories_status_archived_at_id", "mo_histories", ["status", "archived_at", "id"])

    op.create_table(
        "mo_history_counts",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("entries", sa.BigInteger, nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("day", "status", name="pk_mo_history_counts"),
    )
    if postgres:
        op.execute(_PG_COUNT_FUNCTIONS)
        for statement in _PG_COUNT_TRIGGERS:
            op.execute(statement)
        op.execute("INSERT INTO mo_history_counts (day, status, entries)"
                    " SELECT (archived_at AT TIME ZONE 'UTC')::date, status, count(*) FROM mo_histories GROUP BY 1, 2")
        _create_pg_search_index(bind)
    else:
        for statement in _SQLITE_COUNT_TRIGGERS:
            op.execute(statement)
        op.execute("INSERT INTO mo_history_counts (day, status, entries)"
                    " SELECT substr(archived_at, 1, 10), status, count(*) FROM mo_histories GROUP BY 1, 2")
        _create_sqlite_search(bind)


def _create_pg_search_index(bind) -> None:
    """Trigram index when pg_trgm can be had; else an index LIKE 'prefix%' can use in any collation."""
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        savepoint.commit()
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        log.warning("pg_trgm is not available (%s); the MO search in the history matches the start of the name",
                    str(exc).splitlines()[0])
        op.execute("CREATE INDEX ix_mo_histories_mo_id_prefix ON mo_histories (mo_id varchar_pattern_ops)")
        return
    op.execute("CREATE INDEX ix_mo_histories_mo_id_trgm ON mo_histories USING gin (mo_id gin_trgm_ops)")


def _create_sqlite_search(bind) -> None:
    """FTS5 trigram table when this SQLite has it; else the plain mo_id index serves 'starts with'."""
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.fts5_trigram_probe USING fts5(x, tokenize='trigram')")
        bind.exec_driver_sql("DROP TABLE temp.fts5_trigram_probe")
    except sa.exc.DBAPIError as exc:
        log.warning("SQLite has no FTS5 trigram tokenizer (%s); the MO search matches the start of the name", exc)
        return
    for statement in _SQLITE_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_mo_histories_mo_id_trgm")
        op.execute("DROP INDEX IF EXISTS ix_mo_histories_mo_id_prefix")
        op.execute("DROP TRIGGER IF EXISTS mo_histories_count_insert ON mo_histories")
        op.execute("DROP TRIGGER IF EXISTS mo_histories_count_delete ON mo_histories")
        op.execute("DROP FUNCTION IF EXISTS mo_history_counts_add()")
        op.execute("DROP FUNCTION IF EXISTS mo_history_counts_remove()")
    else:
        for name in ("mo_histories_count_insert", "mo_histories_count_delete",
                     "mo_histories_mo_search_insert", "mo_histories_mo_search_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS mo_histories_mo_search")
    op.drop_table("mo_history_counts")
    op.drop_index("ix_mo_histories_status_archived_at_id", table_name="mo_histories")
    op.drop_index("ix_mo_histories_archived_at_id", table_name="mo_histories")
    op.create_index("ix_mo_histories_archived_at", "mo_histories", ["archived_at"])
    op.create_index("ix_mo_histories_status", "mo_histories", ["status"])
    op.create_index("ix_mo_histories_status_archived_at", "mo_histories", ["status", "archived_at"])
    op.drop_index("ix_system_log_line_id", table_name="system_log")
    with op.batch_alter_table("system_log") as batch:
        batch.drop_column("line")
