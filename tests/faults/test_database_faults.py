"""The database misbehaving while the service runs: the PostgreSQL server restarted, the SQLite
file locked by another process. Polls and completions pause and say so once, nothing is lost,
and the cycle goes on by itself once the database is back."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time

import pytest

from tests.faults.conftest import assert_no_traceback, assert_reported_exactly, problems, run_until_empty
from tests.support.runtime_fixtures import wait_for


class _Ticker:
    """Calls poll + completion every ``interval`` like the scheduler's poll timer; records any exception."""

    def __init__(self, runtime, interval: float = 0.05) -> None:
        self.runtime = runtime
        self.interval = interval
        self.raised: list[BaseException] = []
        self.rounds = 0
        self._stopping = False
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self.runtime.poll_and_complete()
            except Exception as exc:  # noqa: BLE001 - the scheduler would log this with a traceback
                self.raised.append(exc)
            self.rounds += 1
            await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        """Let the round in progress finish (the scheduler does the same at shutdown): a cancelled
        round would leave its database call running in the executor while the next round starts."""
        self._stopping = True
        await asyncio.wait_for(self._task, 30)


@pytest.mark.postgres
async def test_postgres_restart_while_the_service_runs(postgres_server, tmp_path, fake_odoo, plc_sim, caplog):
    from hmi.app.runtime import Runtime
    from tests.support.runtime_fixtures import settings_for

    caplog.set_level(logging.INFO)
    url = postgres_server.create_database(f"restart_{os.getpid()}")
    runtime = Runtime(settings_for(tmp_path, url, fake_odoo, plc_sim, SYNC_BATCH_LIMIT=6))
    await runtime.start()
    try:
        assert await runtime.plc.connection.wait_connected(timeout=5)
        runtime.completion.backoff_initial = runtime.completion.backoff_initial * 0
        assert (await runtime.sync.sync("timer")).count == 6
        ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
        ticker = _Ticker(runtime)
        await wait_for(lambda: len(plc_sim.finished_slots) >= 2, timeout=10)
        await asyncio.to_thread(postgres_server.restart)  # batches keep finishing on the PLC meanwhile
        await wait_for(lambda: len(plc_sim.finished_slots) >= 6, timeout=15)
        assert await wait_for(lambda: ticker.rounds > 5, timeout=5)
        await ticker.stop()
        assert ticker.raised == [], ticker.raised  # a poll or completion never raised into the scheduler
        await run_until_empty(runtime)
        # A push that Odoo answered just before the database went away is sent again (the row could
        # not be marked reported): at least once on the wire, exactly once in history and in Odoo's totals.
        await assert_reported_exactly(runtime, fake_odoo, ids, once=False)
        # The next sync works on the restarted server too.
        assert (await runtime.sync.sync("timer")).outcome == "synced"
        errors = [r.getMessage() for r in problems(caplog) if r.levelno >= logging.ERROR]
        assert len(errors) <= 2, errors  # one for the polls, one for completion
        assert all("\n" not in e for e in errors)
        assert_no_traceback(caplog)
        # system_log kept the records written during the outage (buffered, then flushed): wait for
        # the writer's flush to bring them in, not for a second.
        async def outage_records_stored() -> bool:
            logged = await runtime.db(runtime.log_records.recent_log, 500)
            return any(r["message"].startswith("Auto-sync completed: 6 MO batches synced") for r in logged)

        assert await wait_for(outage_records_stored, timeout=10)
    finally:
        await runtime.stop()


@pytest.mark.postgres
async def test_database_unreachable_during_polls_is_reported_once(postgres_server, tmp_path, fake_odoo, plc_sim,
                                                                   caplog):
    """The server gone for longer than a restart: polls keep failing quietly, then recover."""
    from hmi.app.runtime import Runtime
    from tests.support.runtime_fixtures import settings_for

    caplog.set_level(logging.INFO)
    url = postgres_server.create_database(f"away_{os.getpid()}")
    runtime = Runtime(settings_for(tmp_path, url, fake_odoo, plc_sim, SYNC_BATCH_LIMIT=2))
    await runtime.start()
    try:
        assert await runtime.plc.connection.wait_connected(timeout=5)
        assert (await runtime.sync.sync("timer")).count == 2
        ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]
        await asyncio.to_thread(postgres_server._run, str(postgres_server.bin / "pg_ctl"), "-D",
                                str(postgres_server.datadir), "-m", "fast", "-w", "stop")
        try:
            for _ in range(20):
                await runtime.poll_and_complete()  # must not raise
            outcome = await runtime.sync.sync("timer")
            assert outcome.outcome == "failed" and "Cannot read the batch table" in outcome.message
        finally:
            await asyncio.to_thread(postgres_server.restart)
        db_errors = [r.getMessage() for r in problems(caplog) if r.name in ("hmi.poll", "hmi.completion")]
        assert db_errors and len(db_errors) <= 2, db_errors
        await run_until_empty(runtime)
        await assert_reported_exactly(runtime, fake_odoo, ids)
        assert "Database reachable again" in caplog.text
        assert_no_traceback(caplog)
    finally:
        await runtime.stop()


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def _lock_sqlite(path, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), str(seconds)], stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout.readline().strip() == "locked"
    return process


async def test_sqlite_file_locked_by_another_process(make_runtime, fake_odoo, plc_sim, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    runtime = await make_runtime(fake_odoo, plc_sim, SYNC_BATCH_LIMIT=4)
    db_file = tmp_path / "faults.db"

    # A sync while another process holds the write lock waits (busy timeout) and then stores everything.
    locker = _lock_sqlite(db_file, 2.0)
    started = time.monotonic()
    outcome = await runtime.sync.sync("timer")
    waited = time.monotonic() - started
    locker.wait(timeout=10)
    assert outcome.outcome == "synced" and outcome.count == 4, outcome
    assert waited >= 1.5
    ids = [b.mo_id for b in await runtime.db(runtime.store.list_batches)]

    # Polls and completions under a lock wait too; the batches finish and are reported once.
    locker = _lock_sqlite(db_file, 2.0)
    ticker = _Ticker(runtime)
    try:
        locker.wait(timeout=10)
        await run_until_empty(runtime)
    finally:
        await ticker.stop()
    assert ticker.raised == []
    await assert_reported_exactly(runtime, fake_odoo, ids)
    assert problems(caplog) == []  # waiting for a lock is not an error
    assert_no_traceback(caplog)
