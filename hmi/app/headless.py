"""Service mode: QCoreApplication + qasync, scheduler and admin API, no window."""

from __future__ import annotations

import asyncio
import logging
import signal

from hmi.app.runtime import Runtime
from hmi.config import Settings

log = logging.getLogger("hmi.app")


class StartupError(Exception):
    """The service could not start; the message says why (shown without a traceback)."""


def run_headless(settings: Settings, demo=None) -> int:
    from PySide6.QtCore import QCoreApplication
    import qasync

    from hmi.app.scheduler import Scheduler
    from hmi.app.signals import SignalBridge

    app = QCoreApplication.instance() or QCoreApplication(["batch-hmi"])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    stop_requested = asyncio.Event()

    def on_signal(signum: int) -> None:
        log.info("Received %s, shutting down", signal.Signals(signum).name)
        loop.call_soon(stop_requested.set)

    bridge = SignalBridge(on_signal)

    async def serve() -> None:
        if demo is not None:
            await demo.start()
        runtime = Runtime(demo.settings if demo is not None else settings)
        scheduler = None
        try:
            await runtime.start()
            scheduler = Scheduler(runtime)
            runtime.admin.scheduler = scheduler
            scheduler.start()
            log.info("Batch HMI running headless (stop with Ctrl+C or SIGTERM)")
            await stop_requested.wait()
        finally:
            if scheduler is not None:
                await scheduler.stop()
            await runtime.stop()
            if demo is not None:
                await demo.stop()
            log.info("Batch HMI stopped")

    try:
        with loop:
            loop.run_until_complete(serve())
    finally:
        bridge.close()
    return 0
