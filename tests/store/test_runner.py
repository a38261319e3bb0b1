"""The database runner: a cancelled caller holds its single-flight until its call has ended; stop never blocks."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from hmi.services.flight import Busy, SingleFlight
from hmi.store.runner import DbRunner, RunnerStopped
from tests.support.live import wait_for


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
    # The cancellation has reached the caller: it now holds its flight until the transaction ends.
    assert await wait_for(lambda: runner._abandoned is not None, timeout=5)
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
    events: list[str] = []  # what the loop did while stop waited, in order
    started = time.monotonic()

    async def ticker() -> None:
        while True:
            events.append("tick")
            await asyncio.sleep(0.01)

    beat = asyncio.ensure_future(ticker())
    await wait_for(lambda: events, timeout=5)
    events.append("stop")
    finished = await runner.stop(grace=0.5, interrupt=lambda: events.append("interrupt") or 1, interrupt_grace=0.2)
    events.append("stopped")
    beat.cancel()
    print(f"stop took {time.monotonic() - started:.2f} s")  # a figure, not an assertion
    assert finished is False and events.count("interrupt") == 1
    # The loop kept running while stop waited: during the grace and again after the interrupt.
    waited = events[events.index("stop"):]
    assert "tick" in waited[:waited.index("interrupt")], waited
    assert "tick" in waited[waited.index("interrupt"):waited.index("stopped")], waited
    with pytest.raises(asyncio.CancelledError):  # ... until the runner abandons it
        await asyncio.wait_for(caller, 1)
    with pytest.raises(RunnerStopped):
        await runner(lambda: None)
    release.set()
