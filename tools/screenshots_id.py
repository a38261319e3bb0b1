"""Screenshots of the window in Bahasa Indonesia at 1366x768, for docs/screenshots/.

    QT_QPA_PLATFORM=offscreen python tools/screenshots_id.py [OUTPUT_DIR]   (default: docs/screenshots/)

The real window, runtime and scheduler against the built-in simulators, an engineer signed
in, View > Language = Bahasa Indonesia. Scenes: id-running (batches dosing), id-details (the
batch details of a dosing batch), id-alarms (an alarm in the dock and the banner), id-history
(the table cleared into the History tab), id-reports (the Reports tab), id-sign-in (the sign-in
dialog with its keypad, one PIN digit typed), id-settings (the engineer's Settings dialog). Every grab is checked for text that does not fit (hmi.ui.elision); exit 1 if any.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import tempfile
from pathlib import Path

import screenshots as shots  # noqa: E402 - sets the offscreen platform and sys.path first
from tools.support.waiting import until  # noqa: E402

from PySide6.QtCore import QSettings  # noqa: E402


from hmi.app.demo import DemoEnvironment  # noqa: E402
from hmi.app.runtime import Runtime  # noqa: E402
from hmi.app.scheduler import Scheduler  # noqa: E402
from hmi.config import load_settings  # noqa: E402
from hmi.domain import BatchState  # noqa: E402
from hmi.operator_text import OperatorText  # noqa: E402
from hmi.services.access import Role  # noqa: E402
from hmi.ui.i18n import compile_ts, ts_path  # noqa: E402
from hmi.app.gui import window_port  # noqa: E402
from hmi.ui.main_window import MainWindow  # noqa: E402

SIZE = (1366, 768)


def toolbar_overflows(window: MainWindow) -> bool:
    """Qt hides the toolbar's last actions behind an extension button when they do not fit."""
    from PySide6.QtWidgets import QToolButton

    extension = window.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    return extension is not None and extension.isVisible()


async def capture(output_dir: Path, batch_seconds: float = 6.0) -> shots.Camera:
    output_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="batch-hmi-shots-id-"))
    (work / "settings.ini").write_text("")
    base = load_settings(work / "settings.ini", environ={"API_ENABLED": "false"})
    demo = DemoEnvironment(base, batch_seconds=batch_seconds)
    settings = dataclasses.replace(demo.settings, plc_poll_interval_seconds=0.5)
    await demo.start()
    runtime = Runtime(settings)
    await runtime.start()
    await runtime.plc.connection.wait_connected(timeout=5)
    scheduler = Scheduler(runtime, first_sync_delay_ms=3_600_000)
    runtime.admin.scheduler = scheduler
    window_settings = QSettings(str(work / "window.ini"), QSettings.Format.IniFormat)
    window_settings.setValue("ui/language", "id")
    window = MainWindow(window_port(runtime, scheduler), scheduler, demo=True, window_settings=window_settings)
    await runtime.operators.add("Budi", Role.ENGINEER, "4711", "screenshots")
    await runtime.operators.add("Siti", Role.OPERATOR, "2468", "Budi")
    await runtime.operators.add("Wahyu", Role.SUPERVISOR, "1357", "Budi")
    await window.session.sign_in("Budi", "4711")
    window.resize(*SIZE)
    window.show()
    scheduler.start()
    camera = shots.Camera(window, output_dir)
    camera_sizes, shots.SIZES = shots.SIZES, (SIZE,)
    try:
        await shots._refreshed(window)
        completion, runtime.completion = runtime.completion, None
        window.sync.trigger_sync()
        await until(lambda: not window.sync.sync_running, 15, "the sync")
        await until(lambda: any(b.state is BatchState.RUNNING and b.actual_total_kg > 0.2 * b.target_total_kg
                                       for b in window.batch_model.batches), 4 * batch_seconds, "a batch dosing")
        await shots._refreshed(window)
        await camera.shoot("id-running")
        if toolbar_overflows(window):
            camera.problems.append("id-running: the toolbar overflows (actions hidden)")

        # The batch details of a dosing batch, with its actions and the dosing curve.
        running = next(i for i, b in enumerate(window.batch_model.batches) if b.state is BatchState.RUNNING)
        window.workflows.show_batch_detail(window.batch_model.index(running, 0))
        await asyncio.sleep(0.5)
        await camera.shoot("id-details", window.workflows.detail_dialog)
        window.workflows.detail_dialog.close()

        # An alarm in the dock and the banner (the PLC's failure area is the plant's, not the demo's).
        await runtime.alarms.raise_alarm("database.unreachable", OperatorText(
            "The database does not answer, PLC readings are not stored: {error}",
            error="connection to server at \"db01\" (10.0.0.5), port 5432 failed: Connection refused"))
        await asyncio.sleep(0.5)
        await shots._refreshed(window)
        await camera.shoot("id-alarms")
        await runtime.alarms.clear("database.unreachable")

        await runtime.admin.clear("Budi")
        window.tabs.setCurrentWidget(window.history_tab)
        await until(lambda: window.history_tab.loaded_once, 10, "the history page")
        await asyncio.sleep(0.3)
        await camera.shoot("id-history")
        if window.reports_tab is not None:
            window.tabs.setCurrentWidget(window.reports_tab)
            await asyncio.sleep(1.0)
            await camera.shoot("id-reports")
        window.tabs.setCurrentIndex(0)

        window.session.sign_out()
        window.window_dialogs.sign_in_or_out()
        await until(lambda: window.window_dialogs.sign_in_dialog is not None
                           and window.window_dialogs.sign_in_dialog.isVisible(), 5, "the sign-in dialog")
        dialog = window.window_dialogs.sign_in_dialog
        dialog.names.setCurrentRow(1)
        dialog.keypad.press("2")
        await asyncio.sleep(0.2)
        await camera.shoot("id-sign-in", dialog)
        if toolbar_overflows(window):
            camera.problems.append("id-sign-in: the toolbar overflows (Sign in hidden)")
        dialog.close()

        await window.session.sign_in("Budi", "4711")
        window.window_dialogs.show_settings()
        await asyncio.sleep(0.3)
        await camera.shoot("id-settings", window.window_dialogs.settings_dialog)
        window.window_dialogs.settings_dialog.close()
        runtime.completion = completion
    finally:
        shots.SIZES = camera_sizes
        window.set_language("en")
        await shots.close_demo(window, scheduler, runtime, demo)
    return camera


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output_dir = Path(args[0]) if args else shots.ROOT / "docs" / "screenshots"
    compile_ts(ts_path("id"), ts_path("id").with_suffix(".qm"))
    return shots.report_problems(shots.run_capture(lambda: capture(output_dir), "screenshots", quiet=True))


if __name__ == "__main__":
    raise SystemExit(main())
