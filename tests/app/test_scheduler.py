"""The Qt scheduler on a qasync loop: start-up lines, timers, single flight, pause/resume."""

from __future__ import annotations

import asyncio
import logging

import pytest

from hmi.app.runtime import Runtime
from hmi.app.scheduler import Scheduler
from tests.support.live import settings_for
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
        await asyncio.sleep(0.5)
        status = scheduler.status()
        count = await runtime.db(runtime.store.count_batches)
        outcome = await scheduler.run_sync("manual")  # manual trigger still works
        await scheduler.stop()
        await runtime.stop()
        return status, count, outcome

    status, count, outcome = _run(qloop, scenario())
    assert status["auto_sync_enabled"] is False and status["next_sync_at"] is None
    assert count == 0
    assert outcome.outcome == "synced"
    assert any("NOT started (ENABLE_AUTO_SYNC=false)" in m for m in caplog.messages)


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
    assert paused["auto_sync_enabled"] is False and paused["next_sync_at"] is None
    assert resumed["auto_sync_enabled"] is True and resumed["next_sync_at"] is not None
    assert "Auto-sync PAUSED by operator1" in caplog.messages
    assert "Auto-sync RESUMED by operator1: interval=10 minutes" in caplog.messages
