"""system_log receives log records (with MO, batch and actor) without blocking the caller."""

from __future__ import annotations

import logging

from tests.support.postgres import wait_until

from hmi.store.log_writer import SystemLogHandler


def test_records_reach_system_log_with_context(store):
    handler = SystemLogHandler(store, flush_interval=0.05)
    logger = logging.getLogger("hmi.test.audit")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.info("mo_batch cleared: %d batches archived", 7, extra={"actor": "operator1"})
        logger.warning("Rejected reading", extra={"mo_id": "WH/MO/00011", "batch_no": 3})
        logger.debug("not stored: below INFO")
        logging.getLogger("sqlalchemy.engine.test").addHandler(handler)
        logging.getLogger("sqlalchemy.engine.test").warning("not stored: library noise")
        assert wait_until(lambda: len(store.recent_log()) >= 2, timeout=5)
    finally:
        logger.removeHandler(handler)
        logging.getLogger("sqlalchemy.engine.test").removeHandler(handler)
        handler.close()
    rows = {row["message"]: row for row in store.recent_log()}
    assert set(rows) == {"mo_batch cleared: 7 batches archived", "Rejected reading"}
    assert rows["mo_batch cleared: 7 batches archived"]["actor"] == "operator1"
    assert rows["Rejected reading"]["mo_id"] == "WH/MO/00011"
    assert rows["Rejected reading"]["batch_no"] == "3"
    assert rows["Rejected reading"]["level"] == "WARNING"
    assert rows["Rejected reading"]["module"] == "hmi.test.audit"


def test_records_wait_while_database_is_away(tmp_path):
    from hmi.store import BatchStore, create_database_engine, migrate

    engine = create_database_engine(f"sqlite:///{tmp_path / 'log.db'}")
    store = BatchStore(engine)  # not migrated yet: every write fails
    handler = SystemLogHandler(store, flush_interval=0.05)
    record = logging.LogRecord("hmi.sync", logging.ERROR, __file__, 1, "Odoo unreachable", None, None)
    handler.emit(record)
    assert wait_until(lambda: handler._pending, timeout=2)
    migrate(engine)  # database "comes back"
    assert wait_until(lambda: [r["message"] for r in store.recent_log()] == ["Odoo unreachable"], timeout=5)
    handler.close()
    engine.dispose()
