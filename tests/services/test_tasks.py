"""TaskGroup: held until done, failures logged, drained at stop."""

from __future__ import annotations

import asyncio
import logging

from hmi.services.tasks import TaskGroup

log = logging.getLogger("hmi.test.tasks")


async def test_failure_is_logged_and_finished_tasks_are_released(caplog):
    group = TaskGroup("Test", log)

    async def boom():
        raise RuntimeError("disk full")

    task = group.spawn(boom())
    await asyncio.sleep(0.01)
    assert task.done() and len(group) == 0
    assert any("Test task failed: RuntimeError('disk full')" in r.getMessage() for r in caplog.records)


async def test_drain_waits_for_short_tasks_and_cancels_stuck_ones():
    group = TaskGroup("Test", log)
    finished = []

    async def short():
        await asyncio.sleep(0.05)
        finished.append(True)

    stuck = group.spawn(asyncio.sleep(60))
    group.spawn(short())
    await group.drain(timeout=0.5)
    await asyncio.sleep(0)
    assert finished == [True]
    assert stuck.cancelled()
