"""What runs in every mode: (demo simulators) → runtime → scheduler, on one qasync loop.

The GUI adds a window on top; headless adds nothing. Both start the stack in this order,
stop it in reverse, and stop on SIGINT/SIGTERM.

Stopping has a budget (:data:`STOP_BUDGET_SECONDS`): every step waits for the work in flight
only for what is left of it, and an exit watchdog ends the process if the sequence itself
overruns (see :mod:`hmi.app.process_exit`).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Awaitable, Callable

from hmi.app.process_exit import ExitWatchdog
from hmi.app.runtime import Runtime, StopBudget
from hmi.app.scheduler import Scheduler
from hmi.config import Settings

log = logging.getLogger("hmi.app")

#: The whole stop sequence (timers, window reads, runtime, simulators); below the watchdog's deadline.
STOP_BUDGET_SECONDS = 3.5
#: Of it, how long running sync/poll/completion rounds may take to finish before they are cancelled.
SCHEDULED_TASKS_GRACE_SECONDS = 1.5
#: Of it, how long the window's reads in flight may take.
WINDOW_TASKS_GRACE_SECONDS = 0.5


class ServiceStack:
    def __init__(self, settings: Settings, demo=None, watchdog: ExitWatchdog | None = None) -> None:
        self.demo = demo
        self.runtime = Runtime(demo.settings if demo is not None else settings)
        self.scheduler: Scheduler | None = None
        self.watchdog = watchdog
        self._demo_started = False

    async def start(self) -> None:
        if self.demo is not None:
            await self.demo.start()
            self._demo_started = True
        await self.runtime.start()
        self.scheduler = Scheduler(self.runtime)
        self.runtime.admin.scheduler = self.scheduler

    async def stop(self, before_runtime: Callable[[], Awaitable[None]] | None = None) -> None:
        """Timers first, then ``before_runtime`` (the window's reads), the runtime, the simulators.

        Bounded by :data:`STOP_BUDGET_SECONDS` whatever is in flight (a database statement
        waiting for a lock, an Odoo request without an answer).
        """
        if self.watchdog is not None:
            self.watchdog.arm()
        budget = StopBudget(STOP_BUDGET_SECONDS)
        if self.scheduler is not None:
            await self.scheduler.stop(grace=budget.left(SCHEDULED_TASKS_GRACE_SECONDS))
        if before_runtime is not None:
            try:
                await asyncio.wait_for(before_runtime(), budget.left(WINDOW_TASKS_GRACE_SECONDS))
            except asyncio.TimeoutError:
                log.warning("Stopping: the window's reads did not finish in time; cancelled")
        await self.runtime.stop(budget)
        if self._demo_started:
            await self.demo.stop()
        # "Batch HMI stopped" is said by the entry point, after any start-up failure has been told.


def run_on_qt_loop(app, serve: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """Run ``serve(stop_requested)`` on a qasync loop over ``app``; SIGINT/SIGTERM set the event.

    The loop is closed at the end (which also ends qasync's worker threads) and the signal
    handlers are restored before this returns or raises.
    """
    import qasync

    from hmi.app.signals import SignalBridge

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    stop_requested = asyncio.Event()

    def stopping(signum: int) -> None:
        log.info("Received %s, shutting down", signal.Signals(signum).name)
        stop_requested.set()

    def on_signal(signum: int) -> None:
        # Runs inside the Python signal handler, possibly in the middle of a log write: logging here
        # would re-enter the log file's writer ("reentrant call"), so the work waits for the loop.
        loop.call_soon(stopping, signum)

    bridge = SignalBridge(on_signal)
    try:
        with loop:
            loop.run_until_complete(serve(stop_requested))
    finally:
        bridge.close()
