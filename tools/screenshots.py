"""Screenshots of the operator window for docs/: idle, running and fault.

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [OUTPUT_DIR]   (default: docs/)

Runs the real window, runtime and scheduler against the built-in PLC simulator and fake
Odoo at 1366x768, scale factor 1. What each picture shows:

- idle:    started, empty table, auto-sync counting down;
- running: after a sync; batch 1 DONE (locked), batch 2 dosing, the rest QUEUED. Reporting
           to Odoo is held back for this picture so the locked DONE row stays visible;
- fault:   Odoo answers HTTP 500 (the DONE batch becomes ATTENTION after its push fails),
           the PLC failed batch 2 (FAILED), then the PLC went away (PLC OFFLINE), and the
           sync-failure alert is up. The alert is recorded into the health monitor directly
           (three failed syncs need an empty table, which this scene does not have).
"""

from __future__ import annotations

import asyncio
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

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import qasync  # noqa: E402

from hmi.app.demo import DemoEnvironment  # noqa: E402
from hmi.app.runtime import Runtime  # noqa: E402
from hmi.app.scheduler import Scheduler  # noqa: E402
from hmi.config import load_settings  # noqa: E402
from hmi.domain import BatchState  # noqa: E402
from hmi.services.health import SyncRecord  # noqa: E402
from hmi.store.repository import utc_now  # noqa: E402
from hmi.ui.main_window import MainWindow  # noqa: E402
from hmi.ui.theme import apply_theme  # noqa: E402

SIZE = (1366, 768)
NAMES = ("screenshot-idle.png", "screenshot-running.png", "screenshot-fault.png")


async def _until(predicate, timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"screenshots: gave up waiting for {what}")
        await asyncio.sleep(0.05)


async def _refreshed(window: MainWindow) -> None:
    done = asyncio.Event()
    window.refreshed.connect(done.set)
    window.request_refresh()
    await asyncio.wait_for(done.wait(), 10)
    window._update_status()  # badges and banner now, not at the next UI clock tick
    await asyncio.sleep(0.1)


def _shoot(window: MainWindow, path: Path) -> Path:
    QApplication.processEvents()
    window.grab().save(str(path))
    print(f"saved {path}")
    return path


def _states(window: MainWindow) -> dict[int, BatchState]:
    return {b.batch_no: b.state for b in window.batch_model.batches}


async def capture(output_dir: Path, batch_seconds: float = 6.0, poll_seconds: float = 0.5) -> list[Path]:
    output_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="batch-hmi-shots-"))
    (work / "settings.ini").write_text("")
    base = load_settings(work / "settings.ini", environ={"API_ENABLED": "false", "MAX_PUSH_ATTEMPTS": "1"})
    demo = DemoEnvironment(base, batch_seconds=batch_seconds)
    import dataclasses

    settings = dataclasses.replace(demo.settings, plc_poll_interval_seconds=poll_seconds)
    await demo.start()
    runtime = Runtime(settings)
    await runtime.start()
    await runtime.plc.wait_connected(timeout=5)
    scheduler = Scheduler(runtime, first_sync_delay_ms=252_000)  # "next sync in 4:12" in the idle picture
    runtime.admin.scheduler = scheduler
    window = MainWindow(runtime, scheduler, demo=True,
                        window_settings=QSettings(str(work / "window.ini"), QSettings.Format.IniFormat),
                        actor=lambda: "operator")
    window.resize(*SIZE)
    window.show()
    scheduler.start()
    shots: list[Path] = []
    try:
        await _refreshed(window)
        await asyncio.sleep(1.2)
        shots.append(_shoot(window, output_dir / NAMES[0]))

        # Running: keep DONE rows in the table for the picture (no reporting to Odoo yet).
        completion, runtime.completion = runtime.completion, None
        window.trigger_sync()
        await _until(lambda: not window.sync_running, 15, "the sync")
        await _until(lambda: _states(window).get(1) is BatchState.DONE
                     and any(b.batch_no == 2 and b.actual_total_kg > 0.2 * b.target_total_kg
                             for b in window.batch_model.batches), 4 * batch_seconds, "batch 1 done, batch 2 dosing")
        await _refreshed(window)
        shots.append(_shoot(window, output_dir / NAMES[1]))

        # Fault: Odoo refuses, the PLC fails batch 2 and then goes away.
        demo.odoo.set_faults(http_500=True)
        demo.plc.fail_mo.add(next(b.mo_id for b in window.batch_model.batches if b.batch_no == 2))
        runtime.completion = completion
        await _until(lambda: _states(window).get(1) is BatchState.ATTENTION
                     and _states(window).get(2) is BatchState.FAILED, 4 * batch_seconds, "attention and failed rows")
        await demo.plc.stop()
        await _until(lambda: window.plc_badge.text == "PLC OFFLINE", 10 * poll_seconds + 10, "PLC OFFLINE")
        message = f"Fetching MOs from Odoo failed: {runtime.odoo.last_error or 'HTTP 500'}"
        for _ in range(3):
            runtime.health.record_sync(SyncRecord(utc_now(), "timer", "failed", message))
        await _refreshed(window)
        shots.append(_shoot(window, output_dir / NAMES[2]))
    finally:
        window.close()
        await scheduler.stop()
        await window.wait_for_tasks()
        await runtime.stop()
        await demo.stop()
    return shots


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output_dir = Path(args[0]) if args else ROOT / "docs"
    logging.getLogger().setLevel(logging.INFO)  # the sync log shows what an operator would see
    for noisy in ("pymodbus", "uvicorn", "asyncio", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    app = QApplication.instance() or QApplication(["screenshots"])
    app.setQuitOnLastWindowClosed(False)  # the coroutine below ends the loop, not the closed window
    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(capture(output_dir))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
