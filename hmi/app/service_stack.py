"""What runs in every mode: (demo simulators) → runtime → scheduler, on one qasync loop.

The GUI adds a window on top; headless adds nothing. Both start the stack in this order,
stop it in reverse, and stop on SIGINT/SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Awaitable, Callable

from hmi.app.runtime import Runtime
from hmi.app.scheduler import Scheduler
from hmi.config import Settings

log = logging.getLogger("hmi.app")


class ServiceStack:
    def __init__(self, settings: Settings, demo=None) -> None:
        self.demo = demo
        self.runtime = Runtime(demo.settings if demo is not None else settings)
        self.scheduler: Scheduler | None = None
        self._demo_started = False

    async def start(self) -> None:
        if self.demo is not None:
            await self.demo.start()
            self._demo_started = True
        await self.runtime.start()
        self.scheduler = Scheduler(self.runtime)
        self.runtime.admin.scheduler = self.scheduler

    async def stop(self, before_runtime: Callable[[], Awaitable[None]] | None = None) -> None:
        """Timers first, then ``before_runtime`` (the window's reads), the runtime, the simulators."""
        if self.scheduler is not None:
            await self.scheduler.stop()
        if before_runtime is not None:
            await before_runtime()
        await self.runtime.stop()
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

    def on_signal(signum: int) -> None:
        log.info("Received %s, shutting down", signal.Signals(signum).name)
        loop.call_soon(stop_requested.set)

    bridge = SignalBridge(on_signal)
    try:
        with loop:
            loop.run_until_complete(serve(stop_requested))
    finally:
        bridge.close()
