"""Session-wide test helpers shared by every test package."""

from __future__ import annotations

import itertools
import os

import pytest

# Every Qt test runs without a display; set before any test module imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")


from tools.support import pick_free_port  # noqa: E402 - one picker, shared with tools and bench


@pytest.fixture
def free_port() -> int:
    return pick_free_port()


# ---------------------------------------------------------------------- databases

_db_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the whole session. With CI=true a missing server fails."""
    from tools.support.postgres import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer(pick_free_port()).start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"t{os.getpid()}_{next(_db_counter)}")


@pytest.fixture
def engine(database_url):
    from hmi.store.database import create_database_engine, migrate

    engine = create_database_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine):
    from hmi.store.repository import BatchStore

    return BatchStore(engine)


@pytest.fixture
def log_records(engine):
    from hmi.store.log_records import LogRecordStore

    return LogRecordStore(engine)


# Simulators, fake Odoo and the real Runtime, shared by services, API and UI tests.
pytest_plugins = ["tests.support.runtime_fixtures", "tests.support.qt_loop"]
