"""Schema migrations on SQLite and PostgreSQL: from empty, and from the previous revision."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from hmi.store.database import create_database_engine, current_revision, head_revision, migrate
from hmi.store.models import OPTIONAL_SEARCH_OBJECTS, metadata
from hmi.domain import HistoryStatus
from hmi.store.repository import BatchStore
from tools.support.factories import make_mo


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


def test_0015_counts_stored_failures_once_and_keys_them_by_line(raw_engine):
    """Failure records of before 0015 are one occurrence each (reported if they were), keyed by line;
    the same record on another line is then a row of its own; 0015 goes down again cleanly."""
    from datetime import datetime, timezone

    from hmi.store.equipment_failures import FIRST, EquipmentFailureStore

    migrate(raw_engine, "0014")
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
    _downgrade(raw_engine, "0014")

    assert current_revision(raw_engine) == "0014"
    columns = {c["name"] for c in inspect(raw_engine).get_columns("equipment_failures")}
    assert not columns & {"occurrences", "reported_occurrences", "last_occurred_at"}
    with raw_engine.connect() as conn:
        assert sorted(conn.execute(text("SELECT line, info FROM equipment_failures")).all(),
                      key=lambda row: row[1]) == [("PLC01", "JAM"), (None, "MOTOR OVERLOAD")]
    migrate(raw_engine)
    assert _schema_diff(raw_engine) == []


def test_0014_turns_the_batch_table_holds_and_history_into_the_dispatch_ledger(raw_engine):
    """A database filled by revision 0013: every MO it ever sent to a PLC becomes a ledger row the
    sync leaves out (unless its hold was released); held_mos is gone; going down restores the holds."""
    from hmi.domain import DispatchState as S

    migrate(raw_engine, "0013")
    sqlite = raw_engine.dialect.name == "sqlite"

    def uid():
        return uuid.uuid4().hex if sqlite else uuid.uuid4()

    batch = text(
        "INSERT INTO mo_batch (id, mo_id, plc_key, batch_no, consumption, equipment_id_batch, download_state,"
        " status_manufacturing, status_operation, update_odoo, actual_consumption_silo_a)"
        " VALUES (:id, :mo, :mo, :no, 100, 'PLC01', :dl, :done, :failed, :reported, :actual)")
    history = text("INSERT INTO mo_histories (id, mo_id, batch_no, consumption, equipment_id_batch, status)"
                   " VALUES (:id, :mo, 1, 100, 'PLC01', :status)")
    hold = text("INSERT INTO held_mos (mo_id, equipment_code, reason, held_at, held_by, released_at, released_by,"
                " release_reason) VALUES (:mo, 'PLC01', :reason, CURRENT_TIMESTAMP, 'op', :released,"
                " :released_by, :why)")
    with raw_engine.begin() as conn:
        for no, (mo, dl, done, failed, reported, actual) in enumerate([
                ("MO/PENDING", "pending", False, False, False, None),
                ("MO/QUEUED", "downloaded", False, False, False, None),
                ("MO/DONE", "downloaded", True, False, False, 40.0),
                ("MO/REPORTED", "downloaded", True, False, True, 40.0),
                ("MO/FAILED", "downloaded", True, True, False, 3.0)], start=1):
            conn.execute(batch, {"id": uid(), "mo": mo, "no": no, "dl": dl, "done": done, "failed": failed,
                                 "reported": reported, "actual": actual})
        for mo, status in [("MO/COMPLETED", "completed"), ("MO/CANCELLED", "cancelled"), ("MO/CLEARED", "cleared"),
                           ("MO/RESET", "cleared"), ("MO/RELEASED", "cleared")]:
            conn.execute(history, {"id": uid(), "mo": mo, "status": status})
        conn.execute(hold, {"mo": "MO/CLEARED", "reason": "Cleared by op", "released": None, "released_by": None,
                            "why": None})
        conn.execute(hold, {"mo": "MO/RELEASED", "reason": "Cleared by op", "released": datetime.now(timezone.utc),
                            "released_by": "sup", "why": "slot checked"})

    migrate(raw_engine)

    assert _schema_diff(raw_engine) == []
    assert "held_mos" not in inspect(raw_engine).get_table_names()
    store = BatchStore(raw_engine)
    states = {row.mo_id: row.state for row in store.ledger.dispatch_rows()}
    assert states == {
        "MO/PENDING": S.RESERVED, "MO/QUEUED": S.ON_PLC, "MO/DONE": S.FINISHED, "MO/REPORTED": S.REPORTED,
        "MO/FAILED": S.FAILED, "MO/COMPLETED": S.CLOSED, "MO/CANCELLED": S.CLOSED, "MO/CLEARED": S.HELD,
        "MO/RESET": S.RELEASED, "MO/RELEASED": S.RELEASED}
    # The sync leaves out every one of them except the released ones.
    assert set(store.ledger.dispatched_mo_ids(list(states))) == set(states) - {"MO/RESET", "MO/RELEASED"}
    assert [h.mo_id for h in store.ledger.list_held()] == ["MO/CLEARED"]
    with raw_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM mo_dispatch_events")).scalar_one() == len(states)

    _downgrade(raw_engine, "0013")
    with raw_engine.connect() as conn:
        assert conn.execute(text("SELECT mo_id FROM held_mos WHERE released_at IS NULL")).scalars().all() == [
            "MO/CLEARED"]
    migrate(raw_engine)
    assert _schema_diff(raw_engine) == []


def test_0016_dates_stored_history_by_its_last_plc_reading_and_downgrades(raw_engine):
    """History of before 0016 is dated by its last PLC reading (a completed batch's DONE reading), or its
    archive time when the PLC never reported it; 0016 goes down again cleanly."""
    migrate(raw_engine, "0015")
    insert = text("INSERT INTO mo_histories (id, mo_id, batch_no, consumption, equipment_id_batch, status,"
                  " last_read_from_plc, archived_at) VALUES (:id, :mo, 1, 100.0, 'PLC01', :status, :read, :archived)")
    read = datetime(2026, 11, 29, 20, 10, tzinfo=timezone.utc)
    archived = datetime(2026, 11, 30, 2, 0, tzinfo=timezone.utc)
    sqlite = raw_engine.dialect.name == "sqlite"
    with raw_engine.begin() as conn:
        for mo, status, last in (("MO/1", "completed", read), ("MO/2", "cancelled", None)):
            row_id = uuid.uuid4()
            stamp = (lambda value: value and value.strftime("%Y-%m-%d %H:%M:%S.%f")) if sqlite else (lambda v: v)
            conn.execute(insert, {"id": row_id.hex if sqlite else row_id, "mo": mo, "status": status,
                                  "read": stamp(last), "archived": stamp(archived)})

    migrate(raw_engine)

    assert current_revision(raw_engine) == head_revision()
    assert _schema_diff(raw_engine) == []
    from hmi.store.report_queries import report_groups

    assert [g.status for g in report_groups(raw_engine, read, read + timedelta(minutes=1))] == ["completed"]
    assert [g.status for g in report_groups(raw_engine, archived, archived + timedelta(minutes=1))] == ["cancelled"]

    _downgrade(raw_engine, "0015")

    assert current_revision(raw_engine) == "0015"
    assert "dosed_at" not in {c["name"] for c in inspect(raw_engine).get_columns("mo_histories")}
    with raw_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM mo_histories")).scalar_one() == 2
    migrate(raw_engine)
    assert _schema_diff(raw_engine) == []
    # The history's per-day counts and MO search (revision 0010's triggers) still follow new rows.
    BatchStore(raw_engine).insert_batches([make_mo(7)])
    BatchStore(raw_engine).archive("WH/MO/00007", HistoryStatus.CANCELLED)
    page = BatchStore(raw_engine).history.page(mo_text="00007")
    assert [e.mo_id for e in page.entries] == ["WH/MO/00007"] and page.total == 1
    assert BatchStore(raw_engine).history.page().total == 3
