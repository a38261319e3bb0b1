"""Service mode: QCoreApplication + qasync, no window."""

from __future__ import annotations

import asyncio
import logging
import signal

from hmi.app.runtime import Runtime
from hmi.config import Settings

log = logging.getLogger("hmi.app")


def run_headless(settings: Settings) -> int:
    from PySide6.QtCore import QCoreApplication
    import qasync

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
        runtime = Runtime(settings)
        await runtime.start()
        log.info("Batch HMI running headless (stop with Ctrl+C or SIGTERM)")
        try:
            await stop_requested.wait()
        finally:
            await runtime.stop()
            log.info("Batch HMI stopped")

    try:
        with loop:
            loop.run_until_complete(serve())
    finally:
        bridge.close()
    return 0
