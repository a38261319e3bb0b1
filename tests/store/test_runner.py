"""The database runner: a cancelled caller holds its single-flight until its call has ended; stop never blocks."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from hmi.services.flight import Busy, SingleFlight
from hmi.store.runner import DbRunner, RunnerStopped


async def test_cancelled_run_keeps_its_flight_until_the_database_call_ends():
    runner = DbRunner()
    release = threading.Event()
    entered = threading.Event()

    def transaction() -> str:  # stands for a statement waiting for another connection's lock
        entered.set()
        release.wait(10)
        return "committed"

    flight = SingleFlight("completion")
    first = asyncio.ensure_future(flight.run(lambda: runner(transaction)))
    await asyncio.to_thread(entered.wait, 5)
    first.cancel()
    await asyncio.sleep(0.2)
    # The task was cancelled, but its transaction still runs: the next round must not start.
    assert flight.running and not first.done()
    with pytest.raises(Busy):
        await flight.run(lambda: runner(transaction))
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert not flight.running
    assert await runner(lambda: "next") == "next"
    await runner.stop(grace=1)


async def test_stop_abandons_a_call_that_does_not_end_without_blocking_the_loop():
    runner = DbRunner()
    release = threading.Event()
    entered = threading.Event()

    def stuck() -> None:
        entered.set()
        release.wait(30)

    caller = asyncio.ensure_future(runner(stuck))
    await asyncio.to_thread(entered.wait, 5)
    caller.cancel()  # as the scheduler does at stop: the caller waits for its call ...
    interrupted = []
    started = time.monotonic()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.05)

    beat = asyncio.ensure_future(ticker())
    finished = await runner.stop(grace=0.5, interrupt=lambda: interrupted.append(1) or 1, interrupt_grace=0.2)
    took = time.monotonic() - started
    beat.cancel()
    assert finished is False and interrupted == [1]
    assert 0.6 <= took < 2
    assert ticks >= 8  # the loop kept running while stop waited
    with pytest.raises(asyncio.CancelledError):  # ... until the runner abandons it
        await asyncio.wait_for(caller, 1)
    with pytest.raises(RunnerStopped):
        await runner(lambda: None)
    release.set()
