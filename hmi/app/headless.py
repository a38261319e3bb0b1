"""Service mode: QCoreApplication + qasync, scheduler and admin API, no window."""

from __future__ import annotations

import asyncio
import logging

from hmi.app.logging_setup import route_qt_messages
from hmi.app.process_exit import ExitWatchdog
from hmi.app.service_stack import ServiceStack, run_on_qt_loop
from hmi.config import Settings

log = logging.getLogger("hmi.app")


def run_headless(settings: Settings, demo=None) -> int:
    from PySide6.QtCore import QCoreApplication

    route_qt_messages()  # Qt's own warnings: log file only
    app = QCoreApplication.instance() or QCoreApplication(["batch-hmi"])
    watchdog = ExitWatchdog()

    async def serve(stop_requested: asyncio.Event) -> None:
        stack = ServiceStack(settings, demo, watchdog=watchdog)
        try:
            await stack.start()
            stack.scheduler.start()
            log.info("Batch HMI running headless (stop with Ctrl+C or SIGTERM)")
            if await stack.runtime.operators.needs_first_engineer():
                log.warning("No engineer account yet: nobody can sign in at a window. Create one with "
                            "`python main.py --add-operator NAME --role engineer` (asks the PIN on the terminal)")
            await stop_requested.wait()
        finally:
            await stack.stop()

    try:
        run_on_qt_loop(app, serve)
    finally:
        watchdog.disarm()
    return 0
