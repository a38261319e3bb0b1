"""One instance per line: real service processes on one database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import re
import signal
import socket
from pathlib import Path

import time

import pytest
import sqlalchemy

from tools.support.service_process import spawn_service, stop
from tools.support.waiting import wait_until


def _env(tmp_path: Path, database_url: str, line: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "LINE_EQUIPMENT_CODE": line,
        "PLC_ENABLED": "false", "API_ENABLED": "false", "ENABLE_AUTO_SYNC": "false",
        "ODOO_BASE_URL": "http://127.0.0.1:9", "LOG_LEVEL": "INFO",
    }


def _output(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    return path.read_text(errors="replace") if path.exists() else ""


def _start(tmp_path: Path, database_url: str, line: str, name: str):
    process = spawn_service(tmp_path, _env(tmp_path, database_url, line), log_name=name)

    def serving() -> bool:
        assert process.poll() is None, _output(tmp_path, name)
        return "Batch HMI running headless" in _output(tmp_path, name)

    wait_until(serving, 30, f"{name} to start")
    return process


def test_second_instance_for_the_same_line_refuses_and_a_killed_one_blocks_nothing(tmp_path, database_url):
    first = _start(tmp_path, database_url, "LINE-1", "first.log")
    others = []
    try:
        assert "Serving line LINE-1 on this database" in _output(tmp_path, "first.log")

        second = spawn_service(tmp_path, _env(tmp_path, database_url, "LINE-1"), log_name="second.log")
        others.append(second)
        assert second.wait(timeout=30) == 1
        output = _output(tmp_path, "second.log")
        refusals = [line for line in output.splitlines() if "Another Batch HMI instance" in line]
        assert len(refusals) == 1, output
        assert re.search(
            rf"Another Batch HMI instance serves line LINE-1 on this database: "
            rf"host {re.escape(socket.gethostname())}, PID {first.pid} "
            rf"\(started \d{{4}}-\d\d-\d\d \d\d:\d\d UTC\); stop it first$", refusals[0]), refusals[0]
        assert "Traceback" not in output
        assert first.poll() is None  # the first one was not disturbed

        # Another line on the same database is a different claim.
        others.append(_start(tmp_path, database_url, "LINE-2", "line2.log"))

        # A crashed holder (SIGKILL: no clean-up at all) does not block the next start.
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        third = _start(tmp_path, database_url, "LINE-1", "third.log")
        others.append(third)
        assert "Serving line LINE-1 on this database" in _output(tmp_path, "third.log")
    finally:
        for process in [first, *others]:
            stop(process)
    for name in ("line2.log", "third.log"):
        assert "Batch HMI stopped" in _output(tmp_path, name), _output(tmp_path, name)


@pytest.mark.postgres
def test_lost_lock_session_fences_the_instance_until_it_takes_the_line_again(postgres_server):
    """The session holding the lock dies: the heartbeat notices, the fence refuses every write of
    this instance, another instance may take the line with a newer epoch, and the first one takes
    it again (with a newer epoch still) only once the other has let it go."""
    from hmi.domain import DispatchState
    from hmi.store import InstanceConflict, LineInstanceLock, create_database_engine, migrate
    from hmi.domain import FencedOut
    from hmi.store.repository import BatchStore
    from tools.support.factories import make_mo

    url = postgres_server.create_database("line_lock_lost")
    engine, other_engine = create_database_engine(url), create_database_engine(url)
    migrate(engine)
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    lock = LineInstanceLock(engine, "LINE-7")
    other = LineInstanceLock(other_engine, "LINE-7")
    try:
        fence = lock.acquire()
        assert fence.epoch == 1
        store = BatchStore(engine, fence)
        store.insert_batches([make_mo(1, line="LINE-7")], "LINE-7")
        # The server ends the session that holds the lock (a restart, a network cut, an admin).
        with admin.connect() as conn:
            ended = conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted").all()
        assert ended == [(True,)]
        assert lock.heartbeat() is False
        assert "session holding the line lock was lost" in fence.lost
        with pytest.raises(FencedOut):
            store.outbox.mark_reported("WH/MO/00001")  # refused at once, before anyone else took the line

        second = other.acquire()  # the line was free: the other instance takes it, one epoch later
        assert second.epoch == 2
        assert lock.reacquire() is False  # and keeps it
        assert BatchStore(other_engine, second).ledger.dispatch_states(["WH/MO/00001"]) == {
            "WH/MO/00001": DispatchState.ON_PLC}
        with pytest.raises(InstanceConflict, match=r"serves line LINE-7 on this database: host .*, PID \d+"):
            LineInstanceLock(create_database_engine(url), "LINE-7").acquire()
        other.release()  # its session ends on the server a moment later, and the lock with it
        deadline = time.monotonic() + 10
        while not lock.reacquire():
            assert time.monotonic() < deadline, "the line lock was not free after the other instance let it go"
            time.sleep(0.05)
        assert fence.epoch == 3 and fence.lost is None
        store.outbox.mark_reported("WH/MO/00001")  # owns the line again
    finally:
        lock.release()
        other.release()
        for each in (engine, other_engine, admin):
            each.dispose()
    # Released: the line is free for the next instance.
    engine = create_database_engine(url)
    try:
        assert LineInstanceLock(engine, "LINE-7").holder() is None
    finally:
        engine.dispose()
