"""Screenshots of the operator window for docs/screenshots/, at 1366x768 and 1920x1080.

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [OUTPUT_DIR]   (default: docs/screenshots/)

Runs the real window, runtime and scheduler against the built-in PLC simulator and fake
Odoo (touch density, scale factor 1). One pass through a plant's day; at each scene the
window is grabbed at both sizes (dialogs are drawn over the window where they open):

- idle:          started, empty table: the panel says what the line waits for;
- running:       after a sync; batch 1 DONE (locked), batch 2 dosing, the rest QUEUED
                 (reporting to Odoo is held back so the locked row stays visible);
- attention:     Odoo refuses the report of batch 1 (HTTP 500 on the push route, one
                 attempt allowed) and the operator opened its details;
- odoo-failing:  batch 1 retried and reported, the table cleared, Odoo answers HTTP 500 to everything, three syncs
                 failed: the sync alert is up and the idle panel says Odoo is unreachable;
- history:       the History tab with the cleared and completed batches;
- settings:      the Settings dialog;
- plc-stale / plc-offline: a new cycle is dosing and the PLC goes away: the rows turn
                 NOT CURRENT, the banner says it first.

Every grab is also checked for text that does not fit (hmi.ui.elision); the tool lists any
and exits 1.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ["QT_SCALE_FACTOR"] = "1"

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QSettings  # noqa: E402
from PySide6.QtGui import QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

import qasync  # noqa: E402

from hmi.services.access import Role  # noqa: E402
from hmi.app.demo import DemoEnvironment  # noqa: E402
from hmi.app.logging_setup import route_qt_messages  # noqa: E402
from hmi.app.runtime import Runtime  # noqa: E402
from hmi.app.scheduler import Scheduler  # noqa: E402
from hmi.config import load_settings  # noqa: E402
from hmi.domain import BatchState  # noqa: E402
from hmi.ui.elision import find_elided_text  # noqa: E402
from tools.support import until  # noqa: E402
from hmi.app.gui import window_port  # noqa: E402
from hmi.ui.main_window import MainWindow  # noqa: E402
from hmi.ui.theme import apply_theme  # noqa: E402

SIZES = ((1366, 768), (1920, 1080))
SCENES = ("idle", "running", "attention", "odoo-failing", "history", "settings", "plc-stale", "plc-offline")
PUSH_ROUTE = "/api/scada/mo/update-with-consumptions"


def file_name(scene: str, size: tuple[int, int]) -> str:
    return f"{scene}-{size[0]}x{size[1]}.png"


async def close_demo(window: MainWindow, scheduler: Scheduler, runtime: Runtime, demo: DemoEnvironment) -> None:
    """Window, scheduler, runtime and simulators stopped in the product's order."""
    window.close()
    await scheduler.stop()
    await window.wait_for_tasks()
    await runtime.stop()
    await demo.stop()


def run_capture(capture, name: str, quiet: bool = False):
    """Every tool's main: an offscreen QApplication with the product's theme, one qasync loop
    running ``capture()`` to its end. ``quiet``: the sync log shows what an operator would see,
    without the libraries' and simulators' own chatter."""
    if quiet:
        logging.getLogger().setLevel(logging.INFO)
        for noisy in ("pymodbus", "uvicorn", "asyncio", "urllib3", "qasync"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
        # The simulators narrate what they do; a plant's log has no such lines.
        logging.getLogger("hmi.sim").setLevel(logging.WARNING)
        route_qt_messages()  # Qt's own warnings are not the product's output
    app = QApplication.instance() or QApplication([name])
    app.setQuitOnLastWindowClosed(False)  # the coroutine ends the loop, not the closed window
    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(capture())


def report_problems(camera: "Camera") -> int:
    for problem in camera.problems:  # elided text and an overflowing toolbar
        print(f"text does not fit: {problem}")
    return 1 if camera.problems else 0


async def _refreshed(window: MainWindow) -> None:
    done = asyncio.Event()
    window.refreshed.connect(done.set)
    window.request_refresh()
    await asyncio.wait_for(done.wait(), 10)
    window._update_status()  # badges and banner now, not at the next UI clock tick
    await asyncio.sleep(0.1)


async def signed_in_window(runtime: Runtime, scheduler: Scheduler, work: Path, **options) -> MainWindow:
    """The demo window as the screenshots show it: an engineer (Budi) signed in, so every action
    is enabled; window geometry and language kept in ``work``."""
    window = MainWindow(window_port(runtime, scheduler), scheduler, demo=True,
                        window_settings=QSettings(str(work / "window.ini"), QSettings.Format.IniFormat), **options)
    await runtime.operators.add("Budi", Role.ENGINEER, "4711", "screenshots")
    await window.session.sign_in("Budi", "4711")
    return window


def grab_with_dialog(window: QWidget, dialog: QWidget | None = None) -> QPixmap:
    """The window, and a dialog drawn over it, centred where a window-modal dialog opens."""
    picture = window.grab()
    if dialog is not None and dialog.isVisible():
        over = dialog.grab()
        painter = QPainter(picture)
        painter.drawPixmap(QPoint((picture.width() - over.width()) // 2, (picture.height() - over.height()) // 2),
                           over)
        painter.end()
    return picture


class Camera:
    def __init__(self, window: MainWindow, output_dir: Path) -> None:
        self.window = window
        self.output_dir = output_dir
        self.saved: list[Path] = []
        self.problems: list[str] = []

    async def shoot(self, scene: str, dialog: QWidget | None = None) -> None:
        for size in SIZES:
            self.window.resize(*size)
            if dialog is not None:
                dialog.resize(min(dialog.width(), size[0] - 80), min(dialog.height(), size[1] - 80))
            # Qt lays out and paints while the loop waits here; processEvents() inside a task would
            # re-enter the qasync loop.
            await asyncio.sleep(0.2)
            for widget in (self.window, dialog):
                if widget is not None:
                    self.problems += [f"{scene} {size[0]}x{size[1]}: {p}" for p in find_elided_text(widget)]
            path = self.output_dir / file_name(scene, size)
            grab_with_dialog(self.window, dialog).save(str(path))
            self.saved.append(path)
            print(f"saved {path}")


def _states(window: MainWindow) -> dict[int, BatchState]:
    return {b.batch_no: b.state for b in window.batch_model.batches}


async def capture(output_dir: Path, batch_seconds: float = 6.0, poll_seconds: float = 0.5) -> Camera:
    output_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="batch-hmi-shots-"))
    (work / "settings.ini").write_text("")
    base = load_settings(work / "settings.ini", environ={"API_ENABLED": "false", "MAX_PUSH_ATTEMPTS": "1"})
    demo = DemoEnvironment(base, batch_seconds=batch_seconds)
    settings = dataclasses.replace(demo.settings, plc_poll_interval_seconds=poll_seconds)
    await demo.start()
    runtime = Runtime(settings)
    await runtime.start()
    await runtime.plc.connection.wait_connected(timeout=5)
    scheduler = Scheduler(runtime, first_sync_delay_ms=252_000)  # "next sync in 4:12" in the idle picture
    runtime.admin.scheduler = scheduler
    window = await signed_in_window(runtime, scheduler, work)
    window.resize(*SIZES[0])
    window.show()
    scheduler.start()
    camera = Camera(window, output_dir)
    try:
        await _refreshed(window)
        await asyncio.sleep(1.2)
        await camera.shoot("idle")

        # Running: keep DONE rows in the table for the picture (no reporting to Odoo yet).
        completion, runtime.completion = runtime.completion, None
        window.sync.trigger_sync()
        await until(lambda: not window.sync.sync_running, 15, "the sync")
        await until(lambda: _states(window).get(1) is BatchState.DONE
                     and any(b.batch_no == 2 and b.actual_total_kg > 0.2 * b.target_total_kg
                             for b in window.batch_model.batches), 4 * batch_seconds, "batch 1 done, batch 2 dosing")
        await _refreshed(window)
        await camera.shoot("running")

        # ATTENTION: Odoo refuses the report of batch 1; the operator opens its details.
        demo.odoo.set_faults(http_500=True, route=PUSH_ROUTE)
        runtime.completion = completion
        await until(lambda: _states(window).get(1) is BatchState.ATTENTION, 4 * batch_seconds, "ATTENTION")
        completion, runtime.completion = runtime.completion, None  # batch 2 stays DONE for the picture
        await _refreshed(window)
        row = next(r for r in range(window.batch_model.rowCount())
                   if window.batch_model.batch_at(r).state is BatchState.ATTENTION)
        window.batch_view.selectRow(row)
        window.workflows.show_selected_detail()
        await asyncio.sleep(0.2)
        await camera.shoot("attention", window.workflows.detail_dialog)
        window.workflows.detail_dialog.close()

        attention_mo = window.batch_model.batch_at(row).mo_id

        # Odoo is back: the operator retries batch 1, which is reported and leaves the table (a batch the
        # PLC finished stays until Odoo has it: Clear never removes it).
        scheduler.set_auto_sync_enabled(False, "screenshots")  # no new cycle before the scene asks for one
        demo.odoo.clear_faults()
        runtime.completion = completion
        await runtime.admin.retry_push(attention_mo, "Budi")
        await until(lambda: _states(window).get(1) is None, 4 * batch_seconds, "batch 1 reported")

        # Odoo failing: the operator cleared the table; Odoo answers HTTP 500 to every call.
        await runtime.admin.clear("operator")
        await until(lambda: window.batch_model.rowCount() == 0, 4 * batch_seconds, "the table empty")
        demo.odoo.set_faults(http_500=True)  # every route now
        scheduler.set_auto_sync_enabled(True, "screenshots")
        for _ in range(3):
            await scheduler.run_sync("manual")
        await _refreshed(window)
        await camera.shoot("odoo-failing")

        window.tabs.setCurrentWidget(window.history_tab)
        await until(lambda: window.history_tab.loaded_once, 10, "the history page")
        await asyncio.sleep(0.2)
        await camera.shoot("history")
        window.tabs.setCurrentIndex(0)

        window.window_dialogs.show_settings()
        await asyncio.sleep(0.2)
        await camera.shoot("settings", window.window_dialogs.settings_dialog)
        window.window_dialogs.settings_dialog.close()

        # A new cycle, then the PLC goes away while batches are dosing.
        demo.odoo.clear_faults()
        runtime.completion = completion
        window.sync.trigger_sync()
        await until(lambda: not window.sync.sync_running, 15, "the sync")
        await until(lambda: any(b.state is BatchState.RUNNING and b.actual_total_kg > 0.3 * b.target_total_kg
                                 for b in window.batch_model.batches), 4 * batch_seconds, "a batch dosing")
        await demo.plc.stop()
        await until(lambda: window.plc_badge.text == "PLC STALE", 10 * poll_seconds + 10, "PLC STALE")
        await _refreshed(window)
        await camera.shoot("plc-stale")
        await until(lambda: window.plc_badge.text == "PLC OFFLINE", 10 * poll_seconds + 10, "PLC OFFLINE")
        await _refreshed(window)
        await camera.shoot("plc-offline")
    finally:
        await close_demo(window, scheduler, runtime, demo)
    return camera


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output_dir = Path(args[0]) if args else ROOT / "docs" / "screenshots"
    return report_problems(run_capture(lambda: capture(output_dir), "screenshots", quiet=True))


if __name__ == "__main__":
    raise SystemExit(main())
