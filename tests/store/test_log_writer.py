"""system_log receives log records (with MO, batch and actor) without blocking the caller."""

from __future__ import annotations

import logging
import threading

import pytest

from tools.support.waiting import wait_until

from hmi.store.log_writer import SystemLogHandler


def test_records_reach_system_log_with_context(log_records):
    handler = SystemLogHandler(log_records, flush_interval=0.05)
    logger = logging.getLogger("hmi.test.audit")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.info("mo_batch cleared: %d batches archived", 7, extra={"actor": "operator1"})
        logger.warning("Rejected reading", extra={"mo_id": "WH/MO/00011", "batch_no": 3})
        logger.debug("not stored: below INFO")
        logging.getLogger("sqlalchemy.engine.test").addHandler(handler)
        logging.getLogger("sqlalchemy.engine.test").warning("not stored: library noise")
        assert wait_until(lambda: len(log_records.recent_log()) >= 2, timeout=5)
    finally:
        logger.removeHandler(handler)
        logging.getLogger("sqlalchemy.engine.test").removeHandler(handler)
        handler.close()
    rows = {row["message"]: row for row in log_records.recent_log()}
    assert set(rows) == {"mo_batch cleared: 7 batches archived", "Rejected reading"}
    assert rows["mo_batch cleared: 7 batches archived"]["actor"] == "operator1"
    assert rows["Rejected reading"]["mo_id"] == "WH/MO/00011"
    assert rows["Rejected reading"]["batch_no"] == "3"
    assert rows["Rejected reading"]["level"] == "WARNING"
    assert rows["Rejected reading"]["module"] == "hmi.test.audit"


def test_each_line_reads_its_own_records(log_records):
    handlers = {line: SystemLogHandler(log_records, flush_interval=0.05, line=line) for line in ("PLC01", "PLC02")}
    for line, handler in handlers.items():
        logger = logging.getLogger(f"hmi.test.line.{line}")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.info("Batch done on %s", line)
        logger.removeHandler(handler)
    try:
        assert wait_until(lambda: len(log_records.recent_log()) >= 2, timeout=5)
    finally:
        for handler in handlers.values():
            handler.close()
    assert [row["message"] for row in log_records.recent_log(line="PLC01")] == ["Batch done on PLC01"]
    assert [row["line"] for row in log_records.recent_log(line="PLC02")] == ["PLC02"]
    assert log_records.recent_log(line="PLC03") == []


def test_records_wait_while_database_is_away(tmp_path):
    from hmi.store import create_database_engine, migrate
    from hmi.store.log_records import LogRecordStore

    engine = create_database_engine(f"sqlite:///{tmp_path / 'log.db'}")
    store = LogRecordStore(engine)  # not migrated yet: every write fails
    handler = SystemLogHandler(store, flush_interval=0.05)
    record = logging.LogRecord("hmi.sync", logging.ERROR, __file__, 1, "Odoo unreachable", None, None)
    handler.emit(record)
    assert wait_until(lambda: handler._pending, timeout=2)
    migrate(engine)  # database "comes back"
    assert wait_until(lambda: [r["message"] for r in store.recent_log()] == ["Odoo unreachable"], timeout=5)
    handler.close()
    engine.dispose()


def _record(message: str, name: str = "hmi.sync", level: int = logging.INFO) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


@pytest.mark.postgres
def test_a_record_postgres_refuses_is_dropped_alone_and_reported(postgres_server, caplog):
    from hmi.store import create_database_engine, migrate
    from hmi.store.log_records import LogRecordStore

    engine = create_database_engine(postgres_server.create_database("log_refused"))
    migrate(engine)
    store = LogRecordStore(engine)
    caplog.set_level(logging.INFO, logger="hmi.system_log")
    handler = SystemLogHandler(store, flush_interval=0.2)
    try:
        # One flush round: the NUL record (PostgreSQL text cannot hold it) between two good ones.
        handler.emit(_record("Batch 1 done"))
        handler.emit(_record("PLC field product_name holds 'MASH\x00\x00'"))
        handler.emit(_record("Batch 2 done"))
        assert wait_until(lambda: handler.stats()["written"] == 2, timeout=5)
        # The writer is not stuck on it: later records go on being stored.
        handler.emit(_record("Batch 3 done"))
        assert wait_until(lambda: handler.stats()["written"] == 3, timeout=5)
    finally:
        handler.close()
    assert [r["message"] for r in reversed(store.recent_log())] == ["Batch 1 done", "Batch 2 done", "Batch 3 done"]
    stats = handler.stats()
    assert stats["dropped"] == stats["dropped_refused"] == 1
    reports = [r.getMessage() for r in caplog.records if r.name == "hmi.system_log"]
    assert len(reports) == 1, reports
    assert "system_log refused a record" in reports[0] and "MASH\\x00\\x00" in reports[0]
    engine.dispose()


def test_queue_is_bounded_and_what_does_not_fit_is_counted(tmp_path):
    import sqlite3

    from hmi.store import create_database_engine, migrate
    from hmi.store.log_records import LogRecordStore

    db_file = tmp_path / "log.db"
    engine = create_database_engine(f"sqlite:///{db_file}")
    migrate(engine)
    store = LogRecordStore(engine)
    locker = sqlite3.connect(db_file, isolation_level=None, timeout=5)
    locker.execute("BEGIN EXCLUSIVE")  # the writer's first write waits for this lock
    writing = threading.Event()
    write_log_records = store.write_log_records

    def write_noting_it(records):
        writing.set()
        return write_log_records(records)

    store.write_log_records = write_noting_it
    handler = SystemLogHandler(store, flush_interval=0.05, max_queue=5)
    try:
        handler.emit(_record("first"))
        # The writer thread has taken "first" out of the queue and is in its write, waiting for the lock.
        assert writing.wait(10)
        assert handler.stats()["waiting"] == 1
        for number in range(20):
            handler.emit(_record(f"burst {number}"))
        assert handler.stats()["dropped_queue_full"] == 15
        assert handler.stats()["waiting"] >= 5
        locker.execute("ROLLBACK")
        assert wait_until(lambda: handler.stats()["written"] == 6, timeout=10)
    finally:
        locker.close()
        handler.close()
    assert [r["message"] for r in reversed(store.recent_log())] == ["first"] + [f"burst {n}" for n in range(5)]
    assert handler.dropped == 15
    engine.dispose()


def test_outage_buffer_keeps_the_newest_and_counts_the_rest(tmp_path):
    from hmi.store import create_database_engine, migrate
    from hmi.store.log_records import LogRecordStore

    engine = create_database_engine(f"sqlite:///{tmp_path / 'log.db'}")
    store = LogRecordStore(engine)  # not migrated yet: every write fails as if the database were away
    handler = SystemLogHandler(store, flush_interval=0.05, max_buffer=3)
    try:
        for number in range(5):
            handler.emit(_record(f"during outage {number}"))
        assert wait_until(lambda: handler.stats()["dropped_buffer_full"] == 2, timeout=5)
        migrate(engine)
        assert wait_until(lambda: handler.stats()["written"] == 3, timeout=5)
    finally:
        handler.close()
    assert [r["message"] for r in reversed(store.recent_log())] == [f"during outage {n}" for n in (2, 3, 4)]
    assert handler.dropped == 2
    engine.dispose()
