"""GUI mode: QApplication + qasync loop, runtime, scheduler and the operator window.

Start-up order: (demo simulators) → runtime (database, PLC link, API) → scheduler →
window. Closing the window (or SIGINT/SIGTERM) stops them in reverse order and exits 0.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from hmi.app.logging_setup import route_qt_messages
from hmi.app.process_exit import ExitWatchdog
from hmi.app.service_stack import ServiceStack, run_on_qt_loop
from hmi.app.startup_errors import STARTUP_ERRORS, StartupFailure, describe_startup_error
from hmi.config import Settings

log = logging.getLogger("hmi.app")

EXIT_NO_DISPLAY = 2

NO_DISPLAY_MESSAGE = (
    "No display found. Run `python main.py --headless` (add --demo for the simulators) "
    "or set QT_QPA_PLATFORM=offscreen."
)


def display_available(environ=None, platform: str | None = None) -> bool:
    """False on Linux/BSD without X11/Wayland unless a Qt platform plugin was chosen explicitly."""
    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    if environ.get("QT_QPA_PLATFORM"):
        return True
    if platform.startswith(("win", "darwin", "cygwin")):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def run_gui(settings: Settings, demo=None, kiosk: bool = False) -> int:
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return EXIT_NO_DISPLAY
    # qasync picks the first importable binding unless told; this product uses PySide6 only.
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from hmi.ui.main_window import APPLICATION, ORGANISATION, MainWindow
    from hmi.ui.theme import apply_theme

    route_qt_messages()  # Qt's own warnings: log file only, never the operator's screen
    if QApplication.instance() is None:
        # Fractional scale factors (125 %, 150 %) as they are, not rounded to whole numbers.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "batch-hmi"])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    # The shutdown coroutine ends the loop; Qt must not quit on its own when the window closes.
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    watchdog = ExitWatchdog()

    async def serve(stop_requested: asyncio.Event) -> None:
        stack = ServiceStack(settings, demo, watchdog=watchdog)
        window = None
        try:
            await stack.start()
            window = MainWindow(window_port(stack.runtime, stack.scheduler), stack.scheduler, demo=demo is not None,
                                kiosk=kiosk)
            window.closing.connect(stop_requested.set)
            show_window(window, kiosk)
            stack.scheduler.start()
            window.request_refresh()
            window.start_first_start_check()
            log.info("Batch HMI window open%s", " (demo)" if demo is not None else "")
            await stop_requested.wait()
        finally:
            if window is not None:
                window.close()  # after a signal: remembers the geometry and detaches the log panel
            await stack.stop(before_runtime=window.wait_for_tasks if window is not None else None)

    try:
        run_on_qt_loop(app, serve)
    except STARTUP_ERRORS as exc:
        watchdog.disarm()  # the dialog waits for the operator
        show_startup_error(describe_startup_error(exc, settings.resolved_database_url), settings.log_path)
        raise
    finally:
        watchdog.disarm()
    return 0


def window_port(runtime, scheduler):
    """The operator window's port (hmi.ui.ports.WindowPort) filled from the runtime: the services and
    callables the window may use, and nothing else of the runtime."""
    from hmi.app.settings_apply import apply_at_runtime
    from hmi.ui.formatting import use_plant_clock
    from hmi.ui.ports import HealthSnapshot, WindowPort

    use_plant_clock(runtime.reports.clock)  # the window shows every time in plant time (PLANT_TIMEZONE)
    health = runtime.health

    def snapshot(now):
        return HealthSnapshot(plc=health.plc_status(now), odoo=health.odoo_status(), alert=health.alert,
                              last_sync=health.last_sync)

    admin = runtime.admin
    return WindowPort(
        batches=admin.list_batches, actions=admin, health=snapshot,
        sync_running=lambda: bool(runtime.sync is not None and runtime.sync.running), settings=lambda: runtime.settings,
        apply_settings=lambda saved, actor: apply_at_runtime(runtime, scheduler, saved, actor),
        operators=runtime.operators, alarms=runtime.alarms, reports=runtime.reports,
        equipment_failures=runtime.equipment_failures, tolerance=runtime.tolerance,
        silo_assignment=runtime.silo_assignment, api_tokens=runtime.api_tokens,
        dosing_samples=runtime.recorder.samples_of if runtime.recorder is not None else None)


def show_window(window, kiosk: bool) -> None:
    """Kiosk: full screen, no window frame (quitting asks first, see MainWindow.request_quit)."""
    if kiosk:
        from PySide6.QtCore import Qt

        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.showFullScreen()
    else:
        window.show()


def startup_error_text(failure: StartupFailure, log_dir) -> str:
    """The dialog's text: what failed first, then the details and what to do, "stopped" last."""
    parts = [failure.headline]
    if failure.details:
        parts.append("\n".join(failure.details))
    parts.append(f"Fix the setting or the service named above and start Batch HMI again.\nLog files: {log_dir}")
    parts.append("Batch HMI has stopped.")
    return "\n\n".join(parts)


def show_startup_error(failure: StartupFailure, log_dir) -> None:
    """Tell the operator why the window did not open (the console may not be visible).

    Shown after the event loop has ended, so the modal dialog runs its own Qt loop and never
    nests inside an asyncio task. Skipped on the offscreen/minimal platforms: nobody could
    answer it there, and the log line says the same.
    """
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return
    QMessageBox.critical(None, "Batch HMI cannot start", startup_error_text(failure, log_dir))
