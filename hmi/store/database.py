"""Engine creation and schema migration for SQLite (embedded) and PostgreSQL (shared)."""

from __future__ import annotations

import logging
import threading
import weakref
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

log = logging.getLogger("hmi.store")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


#: Defaults of DATABASE_CONNECT_TIMEOUT_SECONDS and DATABASE_STATEMENT_TIMEOUT_SECONDS.
DEFAULT_CONNECT_TIMEOUT_SECONDS = 10
DEFAULT_STATEMENT_TIMEOUT_SECONDS = 30
#: TCP keepalives on PostgreSQL connections: a server or network gone silently (a switch
#: rebooted, a VM frozen) is noticed after about idle + interval * count = 60 s instead of
#: the operating system's two hours.
KEEPALIVES_IDLE_SECONDS = 30
KEEPALIVES_INTERVAL_SECONDS = 10
KEEPALIVES_COUNT = 3
#: Default of DATABASE_POOL_SIZE: the line lock's session, the database executor's two workers
#: and the audit log writer each hold at most one connection at a time.
DEFAULT_POOL_SIZE = 4
#: A caller finding every pooled connection busy waits this long, then fails (and retries later).
POOL_TIMEOUT_SECONDS = 15
#: Migrations may rebuild an index on a large history table: a longer statement limit.
MIGRATION_STATEMENT_TIMEOUT_SECONDS = 600
#: pg_advisory_xact_lock key that serialises migrations of instances starting at once
#: (any fixed 64-bit number; this one spells "BHMIMIGR" in ASCII).
MIGRATION_LOCK_KEY = 0x42484D494D494752
APPLICATION_NAME = "batch-hmi"
#: SQLite's synchronous setting on every connection (with journal_mode=WAL): FULL syncs the log at
#: every commit, so a committed transaction survives a power cut (docs/reliability.md, "Durability").
SQLITE_SYNCHRONOUS = "FULL"


class DatabaseError(Exception):
    """The database cannot be opened or migrated; the message says which and why."""


def create_database_engine(url: str, connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_SECONDS,
                           statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT_SECONDS,
                           pool_size: int = DEFAULT_POOL_SIZE) -> Engine:
    """An engine tuned for its backend.

    SQLite: WAL (readers never wait for the writer) with ``synchronous=FULL`` (a commit is on disk
    when it returns, also across a power cut), foreign keys on, a busy timeout, and
    ``BEGIN IMMEDIATE`` so a transaction that will write takes the lock up front instead
    of failing half-way with "database is locked". PostgreSQL: ``pool_pre_ping`` so a
    restarted server costs one reconnect, not an error; a connect timeout, a statement
    timeout (a statement blocked by another session's lock fails with "canceling statement
    due to statement timeout" instead of hanging) and TCP keepalives. ``statement_timeout``
    0 means no limit. ``pool_size`` (DATABASE_POOL_SIZE) bounds the PostgreSQL connections of
    this engine: no overflow, so many lines on one server add up to a known number.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})
        _tune_sqlite(engine)
    else:
        connect_args = {
            "connect_timeout": max(1, round(connect_timeout)),
            # Server-side keepalives too: the server ends the session of a PC that vanished (and
            # releases its line lock, hmi.store.instance_lock) within about a minute.
            "options": (f"-c statement_timeout={round(statement_timeout * 1000)}"
                        f" -c tcp_keepalives_idle={KEEPALIVES_IDLE_SECONDS}"
                        f" -c tcp_keepalives_interval={KEEPALIVES_INTERVAL_SECONDS}"
                        f" -c tcp_keepalives_count={KEEPALIVES_COUNT}"),
            "application_name": APPLICATION_NAME,
            "keepalives": 1,
            "keepalives_idle": KEEPALIVES_IDLE_SECONDS,
            "keepalives_interval": KEEPALIVES_INTERVAL_SECONDS,
            "keepalives_count": KEEPALIVES_COUNT,
        }
        engine = create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=0,
                               pool_timeout=POOL_TIMEOUT_SECONDS, connect_args=connect_args)
    _track_connections_in_use(engine)
    return engine


# Connections checked out of the pool right now, per engine: what interrupt_statements cancels.
_in_use: "weakref.WeakKeyDictionary[Engine, set]" = weakref.WeakKeyDictionary()
_in_use_lock = threading.Lock()


def _track_connections_in_use(engine: Engine) -> None:
    in_use: set = set()
    _in_use[engine] = in_use

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, _record, _proxy) -> None:
        with _in_use_lock:
            in_use.add(dbapi_connection)

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, _record) -> None:
        with _in_use_lock:
            in_use.discard(dbapi_connection)


def interrupt_statements(engine: Engine) -> int:
    """Ask the server to cancel what the connections in use are running; returns how many were asked.

    PostgreSQL cancels the statement (its transaction then rolls back), also one waiting for a
    lock. SQLite stops a running statement, not one waiting in its busy handler for a lock.
    Safe to call from any thread: both drivers support it while another thread uses the connection.
    """
    with _in_use_lock:
        connections = list(_in_use.get(engine, ()))
    asked = 0
    for dbapi_connection in connections:
        method = getattr(dbapi_connection, "cancel", None) or getattr(dbapi_connection, "interrupt", None)
        if method is None:
            continue
        try:
            method()
            asked += 1
        except Exception as exc:  # noqa: BLE001 - stopping anyway; say why the cancel did not go out
            log.warning("Cannot cancel a running database statement: %s", exc)
    return asked


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # pragma: no cover - exercised by every test
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" hook issue BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        # FULL, not NORMAL: under WAL, NORMAL syncs the log only at checkpoints, so a power cut can
        # take back the last commits. The sync commits its pending rows before it writes the PLC and
        # relies on them being there after any crash: every commit is on disk when it returns.
        cursor.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # pragma: no cover - exercised by every test
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest). Safe to run at every start."""
    config = _alembic_config()
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Instances starting at once on one database migrate one after the other: the
                # second waits here, then finds the schema at head and has nothing to do.
                connection.exec_driver_sql(
                    f"SET LOCAL statement_timeout = {MIGRATION_STATEMENT_TIMEOUT_SECONDS * 1000}")
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_signed64(MIGRATION_LOCK_KEY)})")
            config.attributes["connection"] = connection
            before = MigrationContext.configure(connection).get_current_revision()
            command.upgrade(config, revision)
            after = MigrationContext.configure(connection).get_current_revision()
    except Exception as exc:  # noqa: BLE001 - any driver error becomes one operator-readable line
        raise DatabaseError(f"database migration failed on {engine.url.render_as_string()}: {exc}") from exc
    if before != after:
        log.info("Database schema upgraded from %s to %s", before or "empty", after)


def _signed64(value: int) -> int:
    """PostgreSQL advisory lock keys are signed bigints."""
    return value - (1 << 64) if value >= 1 << 63 else value
