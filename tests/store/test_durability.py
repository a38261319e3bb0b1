"""A commit is on disk when it returns: SQLite FULL+WAL on every connection, PostgreSQL checked at start.

The sync commits its pending rows before it writes the PLC; after a power cut or a server crash
those rows must still be there (docs/reliability.md, "Durability").
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import event

from hmi.store import create_database_engine, migrate
from hmi.store.database import check_durability, durability_settings, warn_if_not_durable

WARNING_START = "Database commits are not durable"


def _durability_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno == logging.WARNING and r.getMessage().startswith(WARNING_START)]


# ---------------------------------------------------------------------------------------- SQLite


def test_every_sqlite_connection_is_synchronous_full_with_wal(tmp_path):
    engine = create_database_engine(f"sqlite:///{tmp_path / 'durable.db'}")
    try:
        migrate(engine)
        # Several connections open at once (each a new DBAPI connection), then fresh ones after a dispose.
        seen = []
        for _ in range(2):
            connections = [engine.connect() for _ in range(3)]
            try:
                for c in connections:
                    seen.append((c.exec_driver_sql("PRAGMA synchronous").scalar(),
                                 c.exec_driver_sql("PRAGMA journal_mode").scalar()))
                    c.commit()  # ends the BEGIN IMMEDIATE so the next connection can begin; keeps it open
                assert len({id(c.connection.dbapi_connection) for c in connections}) == 3
            finally:
                for c in connections:
                    c.close()
            engine.dispose()
        assert seen == [(2, "wal")] * 6  # 2 = FULL
        assert durability_settings(engine) == {"synchronous": "FULL", "journal_mode": "WAL"}
        assert check_durability(engine) == []
    finally:
        engine.dispose()


def test_a_sqlite_connection_below_full_is_reported(tmp_path, caplog):
    engine = create_database_engine(f"sqlite:///{tmp_path / 'normal.db'}")

    @event.listens_for(engine, "connect")
    def _weaken(dbapi_connection, _record) -> None:  # runs after the engine's own tuning
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    try:
        assert check_durability(engine) == [
            "SQLite synchronous=NORMAL: a commit the service relies on before writing the PLC may be lost "
            "in a power cut; expected synchronous=FULL"]
        with caplog.at_level(logging.WARNING, logger="hmi.store"):
            warn_if_not_durable(engine)
        assert len(_durability_warnings(caplog)) == 1
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------------ PostgreSQL


@pytest.fixture(scope="module")
def durable_postgres(postgres_server):
    """A server with PostgreSQL's own defaults (fsync on): the session's server runs fsync=off for speed."""
    from tests.conftest import pick_free_port
    from tools.support.postgres import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer(pick_free_port(), fsync=True).start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    server.stop()


def _database_with(server, name: str, *settings: str) -> str:
    url = server.create_database(name)
    engine = create_database_engine(server.admin_url)
    try:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            for setting in settings:
                conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET {setting}')
    finally:
        engine.dispose()
    return url


@pytest.mark.postgres
def test_a_default_postgres_server_reports_nothing(durable_postgres, caplog):
    engine = create_database_engine(_database_with(durable_postgres, "durable_default"))
    try:
        migrate(engine)
        settings = durability_settings(engine)
        assert settings == {"fsync": "on (set by PostgreSQL's default)",
                            "synchronous_commit": "on (set by PostgreSQL's default)"}
        assert check_durability(engine) == []
        with caplog.at_level(logging.WARNING, logger="hmi.store"):
            assert warn_if_not_durable(engine) == []
        assert _durability_warnings(caplog) == []
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_synchronous_commit_off_for_the_database_is_reported(durable_postgres):
    engine = create_database_engine(_database_with(durable_postgres, "async_commit",
                                                   "synchronous_commit = off"))
    try:
        assert check_durability(engine) == [
            "PostgreSQL synchronous_commit=off (set by ALTER DATABASE): a commit the service relies on before "
            "writing the PLC may be lost in a server crash; set synchronous_commit=on"]
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_fsync_off_is_reported_with_synchronous_commit_in_one_warning(postgres_server, caplog):
    # The session's server runs with fsync=off (command line): both settings, one WARNING line.
    engine = create_database_engine(_database_with(postgres_server, "no_fsync", "synchronous_commit = off"))
    try:
        with caplog.at_level(logging.WARNING, logger="hmi.store"):
            problems = warn_if_not_durable(engine)
    finally:
        engine.dispose()
    assert problems == [
        "PostgreSQL fsync=off (set by the server's command line): the server does not force its writes to "
        "disk, so a power cut or an OS crash can lose committed batches or corrupt the database; set fsync=on",
        "PostgreSQL synchronous_commit=off (set by ALTER DATABASE): a commit the service relies on before "
        "writing the PLC may be lost in a server crash; set synchronous_commit=on"]
    warnings = _durability_warnings(caplog)
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert warnings[0] == f"{WARNING_START}: {'; '.join(problems)}"


@pytest.mark.postgres
async def test_runtime_warns_once_at_start(durable_postgres, tmp_path, fake_odoo, caplog):
    from hmi.app.runtime import Runtime
    from tests.support.runtime_fixtures import settings_for

    url = _database_with(durable_postgres, "runtime_async_commit", "synchronous_commit = off")
    caplog.set_level(logging.INFO)
    runtime = Runtime(settings_for(tmp_path, url, fake_odoo, None))
    await runtime.start()
    try:
        await runtime.sync.sync("timer")  # the service runs on: a warning, not a refusal
    finally:
        await runtime.stop()
    warnings = _durability_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert "synchronous_commit=off" in warnings[0] and "may be lost in a server crash" in warnings[0]
