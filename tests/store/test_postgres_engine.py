"""The PostgreSQL engine never waits without bound: statement timeout, connect timeout, keepalives."""

from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy.exc import OperationalError

from hmi.store import BatchStore, create_database_engine, migrate

pytestmark = pytest.mark.postgres


def test_statement_blocked_by_another_session_fails_with_a_clear_error(postgres_server):
    url = postgres_server.create_database("statement_timeout")
    engine = create_database_engine(url, statement_timeout=1)
    migrate(engine)
    holder = create_database_engine(url)
    try:
        with holder.connect() as other:
            other.exec_driver_sql("LOCK TABLE mo_batch IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            with pytest.raises(OperationalError, match="canceling statement due to statement timeout"):
                BatchStore(engine).count_batches()
            assert time.monotonic() - started < 5
            other.rollback()
        assert BatchStore(engine).count_batches() == 0  # the pool recovered: the next call works
    finally:
        holder.dispose()
        engine.dispose()


def test_connection_settings_reach_the_server(postgres_server):
    engine = create_database_engine(postgres_server.create_database("engine_settings"), connect_timeout=4,
                                    statement_timeout=12.5)
    try:
        with engine.connect() as conn:
            shown = {name: conn.exec_driver_sql(f"SHOW {name}").scalar()
                     for name in ("statement_timeout", "application_name", "tcp_keepalives_idle")}
            dsn = conn.connection.dbapi_connection.get_dsn_parameters()
    finally:
        engine.dispose()
    assert shown == {"statement_timeout": "12500ms", "application_name": "batch-hmi", "tcp_keepalives_idle": "30"}
    assert dsn["connect_timeout"] == "4" and dsn["keepalives_idle"] == "30"


def test_unreachable_server_fails_within_the_connect_timeout():
    # A listening socket that never completes PostgreSQL's start-up: the server "hangs".
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        engine = create_database_engine(f"postgresql+psycopg2://hmi@127.0.0.1:{port}/hmi", connect_timeout=2)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="timeout expired"):
            engine.connect()
        took = time.monotonic() - started
        engine.dispose()
    assert took < 5
