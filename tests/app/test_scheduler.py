"""The Qt scheduler on a qasync loop: start-up lines, timers, single flight, pause/resume."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from PySide6.QtCore import QTimer

from hmi.app.runtime import Runtime
from hmi.app.scheduler import Scheduler
from tests.support.live import settings_for, wait_for
from tests.support.qt_loop import run as _run


@pytest.fixture
def fake(tmp_path):
    from hmi.sim.odoo import FakeOdoo

    odoo = FakeOdoo(port=0)
    odoo.start()
    yield odoo
    odoo.stop()


def _runtime(tmp_path, odoo, **env) -> Runtime:
    return Runtime(settings_for(tmp_path, f"sqlite:///{tmp_path / 'hmi.db'}", odoo, None, **env))


def test_disabled_auto_sync_never_starts_the_timer(qloop, tmp_path, fake, caplog):
    caplog.set_level(logging.INFO)
    runtime = _runtime(tmp_path, fake, ENABLE_AUTO_SYNC="false")

    async def scenario():
        await runtime.start()
        scheduler = Scheduler(runtime, first_sync_delay_ms=50)
        scheduler.start()
        # A timer of the same delay started after the scheduler's fires after its first sync would
        # have (Qt fires timers of equal deadline in start order); that sync would then be running
        # or done, and the manual one below would not find an empty table to sync.
        later = asyncio.Event()
        QTimer.singleShot(50, later.set)
        await later.wait()
        status = scheduler.status()
        count = await runtime.db(runtime.store.count_batches)
        outcome = await scheduler.run_sync("manual")  # manual trigger still works
        await scheduler.stop()
        await runtime.stop()
        return status, count, outcome

    status, count, outcome = _run(qloop, scenario())
    assert status.auto_sync_enabled is False and status.next_sync_at is None
    assert count == 0
    assert outcome.outcome == "synced"
    assert any("NOT started (ENABLE_AUTO_SYNC=false)" in m for m in caplog.messages)
    assert [m for m in caplog.messages if m.startswith("Auto-sync task running")] == [
        "Auto-sync task running... (trigger: manual)"]


def test_timer_syncs_and_logs_start_line(qloop, tmp_path, fake, caplog):
    caplog.set_level(logging.INFO)
    runtime = _runtime(tmp_path, fake, SYNC_INTERVAL_MINUTES="0.01", SYNC_BATCH_LIMIT="3")
    finished = []

    async def scenario():
        await runtime.start()
        scheduler = Scheduler(runtime, first_sync_delay_ms=50)
        scheduler.sync_finished.connect(finished.append)
        scheduler.start()
        for _ in range(100):
            if len(finished) >= 2:
                break
            await asyncio.sleep(0.05)
        await scheduler.stop()
        await runtime.stop()

    _run(qloop, scenario())
    assert "Auto-sync scheduler STARTED: interval=0.01 minutes (0.6 s), batch_limit=3" in caplog.messages
    assert [o.outcome for o in finished[:2]] == ["synced", "skipped"]


def test_overlapping_sync_is_skipped_not_stacked(qloop, tmp_path, fake, caplog):
    caplog.set_level(logging.INFO)
    fake.set_faults(delay_seconds=1.0, route="/api/scada/mo-list-detailed")
    runtime = _runtime(tmp_path, fake, ENABLE_AUTO_SYNC="false")

    async def scenario():
        await runtime.start()
        scheduler = Scheduler(runtime)
        outcomes = await asyncio.gather(scheduler.run_sync("timer"), scheduler.run_sync("manual"))
        await scheduler.stop()
        await runtime.stop()
        return outcomes

    outcomes = _run(qloop, scenario())
    assert sorted(o.outcome for o in outcomes) == ["busy", "synced"]
    assert any("skipped: a sync or clear is already running" in m for m in caplog.messages)


def test_pause_and_resume_are_logged_with_actor(qloop, tmp_path, fake, caplog):
    caplog.set_level(logging.INFO)
    runtime = _runtime(tmp_path, fake, SYNC_INTERVAL_MINUTES="10")

    async def scenario():
        await runtime.start()
        scheduler = Scheduler(runtime, first_sync_delay_ms=60_000)
        scheduler.start()
        scheduler.set_auto_sync_enabled(False, "operator1")
        paused = scheduler.status()
        scheduler.set_auto_sync_enabled(True, "operator1")
        resumed = scheduler.status()
        await scheduler.stop()
        await runtime.stop()
        return paused, resumed

    paused, resumed = _run(qloop, scenario())
    assert paused.auto_sync_enabled is False and paused.next_sync_at is None
    assert resumed.auto_sync_enabled is True and resumed.next_sync_at is not None
    assert "Auto-sync PAUSED by operator1" in caplog.messages
    assert "Auto-sync RESUMED by operator1: interval=10 minutes" in caplog.messages


@pytest.fixture
def plc(qloop):
    from hmi.sim.plc import PlcSimulator

    async def started() -> PlcSimulator:  # built and started on the Qt loop the tests run on
        sim = PlcSimulator(host="127.0.0.1", port=0, batch_seconds=0.4, seed=3, scan_interval=0.02)
        await sim.start()
        return sim

    sim = _run(qloop, started())
    yield sim
    _run(qloop, sim.stop())


def test_hanging_odoo_never_delays_a_plc_reading(qloop, tmp_path, fake, plc, caplog):
    """Completion and polling run on separate timers: ten pushes that each wait for Odoo's timeout
    do not stop the PLC from being read meanwhile."""
    caplog.set_level(logging.INFO)
    runtime = Runtime(settings_for(tmp_path, f"sqlite:///{tmp_path / 'hmi.db'}", fake, plc, ENABLE_AUTO_SYNC="false",
                                   PLC_POLL_INTERVAL_SECONDS="0.1", ODOO_TIMEOUT_SECONDS="30", SYNC_BATCH_LIMIT="3"))
    polls: list[float] = []

    async def scenario():
        await runtime.start()
        scheduler = Scheduler(runtime, first_sync_delay_ms=3_600_000)
        try:
            assert await runtime.plc.connection.wait_connected(timeout=5)
            scheduler.poll_finished.connect(lambda: polls.append(asyncio.get_running_loop().time()))
            assert (await scheduler.run_sync("manual")).count == 3
            # Odoo takes the first push and sits on it until the test lets go: completion is stuck
            # from the moment the push reaches Odoo.
            pushed, answer = threading.Event(), threading.Event()

            def hold(_seconds: float) -> bool:
                pushed.set()
                answer.wait(30)
                return False

            fake.pause = hold
            fake.set_faults(delay_seconds=1, route="/api/scada/mo/update-with-consumptions")
            scheduler.start()
            loop = asyncio.get_running_loop()
            assert await wait_for(pushed.is_set, timeout=30), "no push reached Odoo"
            assert runtime.completion.flight.running
            window_start = loop.time()
            # Five PLC readings while the push still hangs.
            await wait_for(lambda: len([t for t in polls if t >= window_start]) >= 5, timeout=10)
            stuck = runtime.completion.flight.running and not answer.is_set()
            readings = [t for t in polls if t >= window_start]
            answer.set()
            return stuck, readings, window_start
        finally:
            # Stopped on the loop even when an assertion above failed: no task outlives the test.
            if "answer" in locals():
                answer.set()
            fake.clear_faults()
            await scheduler.stop()
            await runtime.stop()

    stuck, readings, window_start = _run(qloop, scenario(), timeout=60)
    assert stuck, "completion was not waiting on Odoo during the window"
    assert len(readings) >= 5, f"only {len(readings)} polls while Odoo hung"
    assert not any("PLC poll is taking longer" in m for m in caplog.messages)


def test_empty_table_syncs_right_away_instead_of_waiting_for_the_timer(qloop, tmp_path, fake, plc, caplog):
    caplog.set_level(logging.INFO)
    runtime = Runtime(settings_for(tmp_path, f"sqlite:///{tmp_path / 'hmi.db'}", fake, plc, SYNC_INTERVAL_MINUTES="60",
                                   PLC_POLL_INTERVAL_SECONDS="0.1", SYNC_BATCH_LIMIT="2"))
    finished = []

    async def scenario():
        await runtime.start()
        assert await runtime.plc.connection.wait_connected(timeout=5)
        scheduler = Scheduler(runtime, first_sync_delay_ms=50)
        scheduler.sync_finished.connect(finished.append)
        scheduler.start()
        for _ in range(300):  # the first sync, two batches dosed and reported, then the refill
            if len(finished) >= 2:
                break
            await asyncio.sleep(0.05)
        next_timer_sync = scheduler.next_sync_in_seconds()
        await scheduler.stop()
        await runtime.stop()
        return next_timer_sync

    next_timer_sync = _run(qloop, scenario(), timeout=60)
    assert [(o.outcome, o.count) for o in finished[:2]] == [("synced", 2), ("synced", 2)]
    assert next_timer_sync > 50 * 60  # the hourly timer did not fire: the empty table did
    assert "The batch table is empty: syncing now instead of waiting for the timer" in caplog.messages
    assert "Auto-sync task running... (trigger: empty)" in caplog.messages


def test_sync_on_empty_can_be_switched_off(qloop, tmp_path, fake, plc, caplog):
    caplog.set_level(logging.INFO)
    runtime = Runtime(settings_for(tmp_path, f"sqlite:///{tmp_path / 'hmi.db'}", fake, plc, SYNC_INTERVAL_MINUTES="60",
                                   PLC_POLL_INTERVAL_SECONDS="0.1", SYNC_BATCH_LIMIT="2", SYNC_ON_EMPTY="false"))
    finished = []
    rounds = []

    async def scenario():
        await runtime.start()
        assert await runtime.plc.connection.wait_connected(timeout=5)
        scheduler = Scheduler(runtime, first_sync_delay_ms=50)
        scheduler.sync_finished.connect(finished.append)
        scheduler.completion_finished.connect(lambda: rounds.append(1))
        scheduler.start()

        async def emptied() -> bool:
            return bool(finished) and not await runtime.db(runtime.store.count_batches)

        assert await wait_for(emptied, timeout=30)
        # The completion round that emptied the table decides on a sync right after it finishes;
        # rounds never overlap, so two more finished rounds include that decision.
        seen = len(rounds)
        assert await wait_for(lambda: len(rounds) >= seen + 2, timeout=10)
        await scheduler.stop()
        await runtime.stop()

    _run(qloop, scenario(), timeout=60)
    assert [o.outcome for o in finished] == ["synced"]
    assert "The batch table is empty: syncing now instead of waiting for the timer" not in caplog.messages
