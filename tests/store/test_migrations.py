"""Schema migrations on SQLite and PostgreSQL: from empty, and from the previous revision."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from hmi.store.database import create_database_engine, current_revision, head_revision, migrate
from hmi.store.models import OPTIONAL_SEARCH_OBJECTS, metadata
from hmi.store.repository import BatchStore


@pytest.fixture
def raw_engine(database_url):
    engine = create_database_engine(database_url)
    yield engine
    engine.dispose()


def _schema_diff(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_name": lambda name, _type, _parents: name not in OPTIONAL_SEARCH_OBJECTS,
        })
        return compare_metadata(context, metadata)


def test_migrate_from_empty_matches_models(raw_engine):
    assert current_revision(raw_engine) is None
    migrate(raw_engine)
    assert current_revision(raw_engine) == head_revision()
    assert set(inspect(raw_engine).get_table_names()) >= {"mo_batch", "mo_histories", "system_log"}
    assert _schema_diff(raw_engine) == []


def test_migrate_is_idempotent(raw_engine):
    migrate(raw_engine)
    migrate(raw_engine)
    assert current_revision(raw_engine) == head_revision()


def test_upgrade_from_previous_revision_keeps_data(raw_engine):
    migrate(raw_engine, "0001")
    assert current_revision(raw_engine) == "0001"
    row_id = uuid.uuid4()
    with raw_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO mo_batch (id, mo_id, batch_no, consumption, equipment_id_batch, finished_goods,"
                " consumption_silo_a, actual_consumption_silo_a, status_manufacturing)"
                " VALUES (:id, 'WH/MO/00042', 3, 1000.0, 'PLC01', 'JF SAPOT', 400.0, 398.5, :done)"
            ),
            {"id": row_id.hex if raw_engine.dialect.name == "sqlite" else row_id, "done": True},
        )
        conn.execute(text("INSERT INTO system_log (level, module, message) VALUES ('INFO', 'hmi', 'before upgrade')"))

    migrate(raw_engine)

    assert current_revision(raw_engine) == head_revision()
    assert _schema_diff(raw_engine) == []
    batch = BatchStore(raw_engine).get_batch("WH/MO/00042")
    assert batch.batch_no == 3
    assert batch.silos[0].target_kg == 400.0
    assert batch.silos[0].actual_kg == 398.5
    assert batch.status_manufacturing is True
    assert batch.push_attempts == 0 and batch.needs_attention is False
    assert batch.silos[1].silo.equipment_id == 102
    with raw_engine.connect() as conn:
        assert conn.execute(text("SELECT silo_b, lq115 FROM mo_batch")).one() == (102, 115)
        assert conn.execute(text("SELECT message, actor FROM system_log")).one() == ("before upgrade", None)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = create_database_engine(f"sqlite:///{tmp_path / 'sub' / 'dir' / 'hmi.db'}")
    migrate(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


@pytest.mark.postgres
def test_instances_starting_at_once_both_migrate_an_empty_database(postgres_server):
    """Two instances starting together: both come up, the schema is migrated once, to head."""
    import threading

    for attempt in range(3):  # the race is decided differently each time
        url = postgres_server.create_database(f"concurrent_migrate_{attempt}")
        engines = [create_database_engine(url) for _ in range(2)]
        barrier = threading.Barrier(2)
        failures: list[BaseException] = []

        def start(engine) -> None:
            barrier.wait()
            try:
                migrate(engine)
            except BaseException as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

        threads = [threading.Thread(target=start, args=(engine,)) for engine in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        try:
            assert failures == [], failures
            assert [current_revision(engine) for engine in engines] == [head_revision()] * 2
            assert _schema_diff(engines[0]) == []
        finally:
            for engine in engines:
                engine.dispose()


def _downgrade(engine, revision: str) -> None:
    from alembic import command

    from hmi.store.database import _alembic_config

    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _alarm_indexes(engine) -> dict:
    return {index["name"]: index for index in inspect(engine).get_indexes("alarms")}


def test_0013_adds_the_alarm_message_template_and_downgrades(raw_engine):
    """An alarm of before 0013 keeps its English and has no template; 0013 goes down again cleanly."""
    migrate(raw_engine, "0012")
    with raw_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO alarms (line, kind, source, subject, priority, message, state, count, raised_at,"
            " last_raised_at) VALUES ('PLC01', 'database.unreachable', 'database', '', 'critical',"
            " 'The database does not answer', 'unack_active', 1, :at, :at)"), {"at": "2026-12-01 08:00:00+00:00"})
    indexes_before = _alarm_indexes(raw_engine)

    migrate(raw_engine)

    assert current_revision(raw_engine) == head_revision()
    assert _schema_diff(raw_engine) == []
    with raw_engine.connect() as conn:
        assert conn.execute(text("SELECT message, message_template, message_values FROM alarms")).one() == (
            "The database does not answer", None, None)
    from hmi.store.alarms import AlarmStore
    from hmi.services.alarms import Alarm

    (row,) = AlarmStore(raw_engine).open_alarms("PLC01")
    alarm = Alarm.from_row(row)
    assert alarm.text == "The database does not answer" and type(alarm.text) is str

    _downgrade(raw_engine, "0012")

    assert current_revision(raw_engine) == "0012"
    columns = {c["name"] for c in inspect(raw_engine).get_columns("alarms")}
    assert "message_template" not in columns and "message_values" not in columns
    assert _alarm_indexes(raw_engine).keys() == indexes_before.keys()
    with raw_engine.connect() as conn:
        assert conn.execute(text("SELECT message FROM alarms")).scalar_one() == "The database does not answer"
    migrate(raw_engine)
    assert _schema_diff(raw_engine) == []


def test_0014_counts_stored_failures_once_and_keys_them_by_line(raw_engine):
    """Failure records of before 0014 are one occurrence each (reported if they were), keyed by line;
    the same record on another line is then a row of its own; 0014 goes down again cleanly."""
    from datetime import datetime, timezone

    from hmi.store.equipment_failures import FIRST, EquipmentFailureStore

    migrate(raw_engine, "0013")
    insert = text(
        "INSERT INTO equipment_failures (line, equipment_code, info, failure_time_text, read_at, reported_at)"
        " VALUES (:line, 'MIXER01', :info, 'raw 2026 001A 0005 0010 0020 0030', :read_at, :reported_at)")
    first_read = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
    with raw_engine.begin() as conn:
        conn.execute(insert, {"line": None, "info": "MOTOR OVERLOAD", "read_at": first_read, "reported_at": first_read})
        conn.execute(insert, {"line": "PLC01", "info": "JAM", "read_at": first_read, "reported_at": None})

    migrate(raw_engine)

    assert current_revision(raw_engine) == head_revision()
    assert _schema_diff(raw_engine) == []
    store = EquipmentFailureStore(raw_engine)
    rows = sorted(store.list(), key=lambda row: row.info)
    assert [(r.line, r.info, r.occurrences, r.reported_occurrences, r.fully_reported) for r in rows] == [
        ("PLC01", "JAM", 1, 0, False), (None, "MOTOR OVERLOAD", 1, 1, True)]
    assert all(r.last_occurred_at == r.read_at for r in rows)
    assert [r.info for r in store.unreported("PLC01")] == ["JAM"] and store.unreported(None) == []
    _row, outcome = store.record(line="PLC02", equipment_code="MIXER01", info="JAM", failure_time=None,
                                 failure_time_text="raw 2026 001A 0005 0010 0020 0030", notes=None)
    assert outcome == FIRST and len(store.list()) == 3

    with raw_engine.begin() as conn:
        conn.execute(text("DELETE FROM equipment_failures WHERE line = 'PLC02'"))  # the old key cannot hold it
    _downgrade(raw_engine, "0013")

    assert current_revision(raw_engine) == "0013"
    columns = {c["name"] for c in inspect(raw_engine).get_columns("equipment_failures")}
    assert not columns & {"occurrences", "reported_occurrences", "last_occurred_at"}
    with raw_engine.connect() as conn:
        assert sorted(conn.execute(text("SELECT line, info FROM equipment_failures")).all(),
                      key=lambda row: row[1]) == [("PLC01", "JAM"), (None, "MOTOR OVERLOAD")]
    migrate(raw_engine)
    assert _schema_diff(raw_engine) == []
