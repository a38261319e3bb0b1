"""SIGTERM ends the headless service within 5 s whatever it is waiting for: a database statement
blocked by another connection's lock (SQLite and PostgreSQL) or an Odoo request that gets no answer.
The real product runs as a process; the lock is held by another process or connection."""

from __future__ import annotations

import contextlib
import platform
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy

from tools.support.service_process import ROOT, clean_env, spawn, spawn_service
from tools.support.waiting import wait_until

EXIT_WITHIN_SECONDS = 5.0

SQLITE_LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _env(tmp_path: Path, fake_odoo, **extra) -> dict[str, str]:
    env = {
        "DATA_DIR": str(tmp_path / "data"),
        "ODOO_BASE_URL": fake_odoo.base_url, "ODOO_DB": fake_odoo.db, "ODOO_USERNAME": fake_odoo.login,
        "ODOO_PASSWORD": "admin", "ODOO_TIMEOUT_SECONDS": "60",
        "PLC_ENABLED": "false", "API_ENABLED": "false", "SYNC_INTERVAL_MINUTES": "5",
    }
    env.update(extra)
    return env


def _log(tmp_path: Path) -> str:
    return (tmp_path / "hmi.log").read_text(errors="replace")


def _wait_for_log(tmp_path: Path, fragment: str, process, timeout: float = 30) -> None:
    def seen() -> bool:
        assert process.poll() is None, _log(tmp_path)
        return fragment in _log(tmp_path)

    wait_until(seen, timeout, repr(fragment))


#: (clock_)nanosleep, where SQLite's busy handler waits between tries for another connection's lock.
SLEEP_SYSCALLS = {"x86_64": {"35", "230"}, "aarch64": {"101", "115"}}.get(platform.machine(), set())


def _threads_sleeping(pid: int) -> int:
    """Threads of process ``pid`` now in a sleep system call (Linux /proc)."""
    count = 0
    for path in Path(f"/proc/{pid}/task").glob("*/syscall"):
        with contextlib.suppress(OSError, IndexError):
            count += path.read_text().split()[0] in SLEEP_SYSCALLS
    return count


def _wait_until_a_statement_waits_for_the_lock(service, tmp_path: Path) -> None:
    """The service's statement is in SQLite's busy wait: one of its threads sleeps between tries.
    (Nothing else in the service sleeps that way: asyncio, Qt and the log writer wait in epoll/futex.)"""
    if not SLEEP_SYSCALLS or not Path(f"/proc/{service.pid}/task").is_dir():
        pytest.skip("needs Linux /proc on x86_64 or aarch64 to see the busy wait")

    def waiting() -> bool:
        assert service.poll() is None, _log(tmp_path)
        return _threads_sleeping(service.pid) > 0

    wait_until(waiting, 30, "a statement of the service to wait for the lock")


def _terminate_and_time(process) -> tuple[int, float]:
    process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    try:
        code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
        raise AssertionError("the service did not exit within 30 s of SIGTERM") from None
    return code, time.monotonic() - started


@pytest.mark.parametrize("mode", ["--headless", "window"])
def test_sigterm_while_a_sqlite_statement_waits_for_another_process_lock(tmp_path, fake_odoo, mode):
    db_file = tmp_path / "service.db"
    env = _env(tmp_path, fake_odoo, DATABASE_URL=f"sqlite:///{db_file}")
    if mode == "--headless":
        service = spawn_service(tmp_path, env)
    else:  # the operator window (offscreen): the same stop, plus the window's own reads
        full_env = clean_env()
        full_env.update(env)
        service = spawn([str(ROOT / "main.py")], full_env, tmp_path, "hmi.log")
    locker = None
    try:
        _wait_for_log(tmp_path, "Auto-sync scheduler STARTED", service)
        print(f"threads sleeping before the lock: {_threads_sleeping(service.pid)}")
        # Another process takes the write lock for a minute; the first sync (3 s after start) then
        # waits in its first database call (the busy timeout is 15 s).
        locker = subprocess.Popen([sys.executable, "-c", SQLITE_LOCKER, str(db_file), "60"],
                                  stdout=subprocess.PIPE, text=True)
        assert locker.stdout.readline().strip() == "locked"
        _wait_for_log(tmp_path, "Auto-sync task running... (trigger: timer)", service)
        _wait_until_a_statement_waits_for_the_lock(service, tmp_path)
        code, took = _terminate_and_time(service)
    finally:
        if service.poll() is None:
            service.kill()
        if locker is not None:
            locker.kill()
            locker.wait(timeout=5)
    log = _log(tmp_path)
    assert took < EXIT_WITHIN_SECONDS, log
    assert code == 0, log
    assert re.search(r"Stopping with \d database call\(s\) still running: abandoned", log), log
    assert "Batch HMI stopped" in log
    assert "Traceback" not in log
    # Nothing half-written: the file is sound and opens at once for the next start.
    conn = sqlite3.connect(db_file, timeout=5)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM mo_batch").fetchone()[0] == 0
    finally:
        conn.close()


@pytest.mark.postgres
def test_sigterm_while_a_postgres_statement_waits_for_another_session_lock(tmp_path, fake_odoo, postgres_server):
    url = postgres_server.create_database("shutdown_locked")
    service = spawn_service(tmp_path, _env(tmp_path, fake_odoo, DATABASE_URL=url))
    observer = sqlalchemy.create_engine(url)
    try:
        _wait_for_log(tmp_path, "Auto-sync scheduler STARTED", service)
        with observer.connect() as holder:
            # Another session locks mo_batch; the first sync's count waits for it (no statement
            # would end by itself before the 30 s statement timeout).
            holder.exec_driver_sql("LOCK TABLE mo_batch IN ACCESS EXCLUSIVE MODE")

            def service_waits_for_lock() -> bool:
                with observer.connect() as look:
                    return look.exec_driver_sql(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'batch-hmi' "
                        "AND wait_event_type = 'Lock'").scalar() > 0

            wait_until(service_waits_for_lock, 15, "the service's statement to wait for the lock")
            code, took = _terminate_and_time(service)

            # Its statement was cancelled at stop: nothing of it waits behind the lock any more.
            def nothing_left() -> bool:
                with observer.connect() as look:
                    return look.exec_driver_sql(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'batch-hmi' "
                        "AND state = 'active'").scalar() == 0

            wait_until(nothing_left, 3, "the service's statement to be gone")
            holder.rollback()
    finally:
        if service.poll() is None:
            service.kill()
        observer.dispose()
    log = _log(tmp_path)
    assert took < EXIT_WITHIN_SECONDS, log
    assert code == 0, log
    assert re.search(r"database call\(s\) still running after 1 s; [1-9] statement\(s\) cancelled", log), log
    assert "Batch HMI stopped" in log
    assert "Traceback" not in log


def test_sigterm_while_odoo_does_not_answer(tmp_path, fake_odoo):
    fake_odoo.set_faults(delay_seconds=120)
    holding = threading.Event()  # the fake Odoo has the service's request and sits on it
    pause = fake_odoo.pause

    def pause_noting_it(seconds: float) -> bool:
        holding.set()
        return pause(seconds)

    fake_odoo.pause = pause_noting_it
    db_file = tmp_path / "service.db"
    service = spawn_service(tmp_path, _env(tmp_path, fake_odoo, DATABASE_URL=f"sqlite:///{db_file}"))
    try:
        _wait_for_log(tmp_path, "Table mo_batch is empty. Fetching new batches from Odoo...", service)
        wait_until(lambda: holding.is_set() or service.poll() is not None, 30, "the service's request to reach Odoo")
        code, took = _terminate_and_time(service)
    finally:
        if service.poll() is None:
            service.kill()
        fake_odoo.clear_faults()
    log = _log(tmp_path)
    assert took < EXIT_WITHIN_SECONDS, log
    assert code == 0, log
    assert "still running in hmi-io" in log  # the Odoo request was abandoned, not waited for
    assert "Batch HMI stopped" in log
    assert "Traceback" not in log
