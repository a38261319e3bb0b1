"""``--overview``: the plant overview window over the shared database, read only.

No PLC, no Odoo, no scheduler, no line lock and no migration: it only reads what the lines'
instances write (hmi.store.plant), through a one-thread database executor, so a slow or
unreachable database never blocks the window. Close the window (or SIGINT/SIGTERM) to end.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from hmi.clock import PlantClock
from hmi.config import Settings, mask_url_password

log = logging.getLogger("hmi.app")

#: The overview holds at most this many PostgreSQL connections (one reader thread).
OVERVIEW_POOL_SIZE = 1


def run_overview(settings: Settings) -> int:
    from hmi.app.gui import EXIT_NO_DISPLAY, NO_DISPLAY_MESSAGE, display_available

    if not display_available():
        print(NO_DISPLAY_MESSAGE.replace("--headless", "--overview"), file=sys.stderr)
        return EXIT_NO_DISPLAY
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtWidgets import QApplication

    from hmi.app.service_stack import run_on_qt_loop
    from hmi.store import DbRunner, create_database_engine
    from hmi.store.plant import PlantReader
    from hmi.ui.i18n import install_language
    from hmi.ui.main_window import APPLICATION, ORGANISATION, default_window_settings
    from hmi.ui.overview_window import OverviewWindow
    from hmi.ui.formatting import use_plant_clock
    from hmi.ui.theme import apply_theme

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "batch-hmi"])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(f"{APPLICATION} overview")
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    # The language the operator chose in the main window (View > Language), else UI_LANGUAGE.
    stored = default_window_settings().value("ui/language")
    install_language(app, str(stored) if stored else getattr(settings, "ui_language", "en"))
    use_plant_clock(PlantClock.from_settings(settings))  # every time on screen in plant time
    url = settings.resolved_database_url

    async def serve(stop_requested: asyncio.Event) -> None:
        engine = create_database_engine(url, connect_timeout=settings.database_connect_timeout_seconds,
                                        statement_timeout=settings.database_statement_timeout_seconds,
                                        pool_size=max(OVERVIEW_POOL_SIZE, 1))
        reader = PlantReader(engine)
        runner = DbRunner(max_workers=1)
        tasks: set[asyncio.Task] = set()

        def spawn(coroutine) -> asyncio.Task:
            task = asyncio.ensure_future(coroutine)
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            return task

        async def detail(line: str):
            return await runner(reader.line_batches, line), await runner(reader.line_log, line)

        window = OverviewWindow(lambda: runner(reader.lines), detail, spawn, mask_url_password(url))
        window.closed.connect(stop_requested.set)
        window.resize(1280, 760)
        window.show()
        window.start()
        log.info("Plant overview open on %s (read only)", mask_url_password(url))
        try:
            await stop_requested.wait()
        finally:
            window.timer.stop()
            window.close()
            for task in list(tasks):
                task.cancel()
            await runner.stop()
            engine.dispose()

    run_on_qt_loop(app, serve)
    return 0
