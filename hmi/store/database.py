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

from hmi.operator_text import first_line

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


#: SQLite's PRAGMA synchronous values by number.
_SQLITE_SYNCHRONOUS_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
#: What a PostgreSQL setting that loses commits risks, and what to set instead.
_POSTGRES_RISKS = {
    "fsync": ("the server does not force its writes to disk, so a power cut or an OS crash can lose "
              "committed batches or corrupt the database; set fsync=on"),
    "synchronous_commit": ("a commit the service relies on before writing the PLC may be lost in a "
                           "server crash; set synchronous_commit=on"),
}
#: Where a PostgreSQL setting comes from (pg_settings.source), in the words an administrator acts on.
_POSTGRES_SOURCES = {
    "configuration file": "postgresql.conf", "command line": "the server's command line",
    "database": "ALTER DATABASE", "user": "ALTER ROLE", "database user": "ALTER ROLE ... IN DATABASE",
    "client": "the connection", "environment variable": "the server's environment",
    "default": "PostgreSQL's default",
}


def durability_settings(engine: Engine) -> dict[str, str]:
    """The settings that decide whether a commit is on disk when it returns, as a connection sees them.

    SQLite: ``synchronous`` (by name) and ``journal_mode``. PostgreSQL: ``fsync`` and
    ``synchronous_commit``, each with where its value comes from (``pg_settings.source``:
    postgresql.conf, ALTER DATABASE, ALTER ROLE, the connection...), e.g. ``"off (set by ALTER DATABASE)"``.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
            journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            return {"synchronous": _SQLITE_SYNCHRONOUS_NAMES.get(synchronous, str(synchronous)),
                    "journal_mode": str(journal_mode).upper()}
        if connection.dialect.name == "postgresql":
            rows = connection.exec_driver_sql(
                "SELECT name, setting, source FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')")
            return {name: f"{setting} (set by {_POSTGRES_SOURCES.get(source, source)})"
                    for name, setting, source in rows}
    return {}


def check_durability(engine: Engine) -> list[str]:
    """What could make a commit the service relies on vanish in a crash; empty when nothing.

    The sync commits its pending rows before it writes the PLC (docs/reliability.md): that commit
    must survive a power cut or a server crash. Each problem is one sentence naming the setting,
    its value and what it risks. SQLite: ``synchronous`` below FULL (the engine sets FULL, so this
    only reports a connection that escaped it). PostgreSQL: ``fsync=off`` or
    ``synchronous_commit=off``, wherever they are set (server, database, role or connection).
    """
    settings = durability_settings(engine)
    problems: list[str] = []
    if engine.dialect.name == "sqlite":
        if settings.get("synchronous") in ("OFF", "NORMAL"):
            problems.append(f"SQLite synchronous={settings['synchronous']}: a commit the service relies on "
                            "before writing the PLC may be lost in a power cut; expected synchronous=FULL")
    elif engine.dialect.name == "postgresql":
        for name, risk in _POSTGRES_RISKS.items():
            value = settings.get(name, "")
            if value.split(" ", 1)[0] == "off":
                problems.append(f"PostgreSQL {name}={value}: {risk}")
    return problems


def warn_if_not_durable(engine: Engine) -> list[str]:
    """``check_durability``, logging what it finds as ONE warning; called once at start.

    The service runs anyway: the settings are the database administrator's, and a plant must not
    stop dosing over them. A check that cannot run is reported the same way.
    """
    try:
        problems = check_durability(engine)
    except Exception as exc:  # noqa: BLE001 - a check, not a reason to stop; say why it did not run
        problems = [f"cannot read the database's durability settings: {first_line(exc)}"]
    if problems:
        log.warning("Database commits are not durable: %s", "; ".join(problems))
    return problems


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
