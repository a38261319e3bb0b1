"""Take docs/screenshot-alarms.png (the Alarms dock) and docs/screenshot-alarm-journal.png.

    python tools/alarms_screenshot.py [output folder]     (offscreen; no display needed)

Runs the demo (PLC simulator, fake Odoo, temporary database) into real conditions: batches dosed
15 % off target (out of tolerance), Odoo refusing the report (ATTENTION), a batch failed on the
PLC, then the PLC stopped (offline). One alarm is acknowledged, one shelved.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_SCALE_FACTOR"] = "1"

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


from tools import screenshots as shots  # noqa: E402
from tools.support import until  # noqa: E402

from hmi.app.demo import DemoEnvironment  # noqa: E402
from hmi.app.runtime import Runtime  # noqa: E402
from hmi.app.scheduler import Scheduler  # noqa: E402
from hmi.config import load_settings  # noqa: E402

SIZE = (1366, 768)


async def capture(output_dir: Path, batch_seconds: float = 2.0) -> list[Path]:
    work = Path(tempfile.mkdtemp(prefix="batch-hmi-alarms-"))
    (work / "settings.ini").write_text("")
    base = load_settings(work / "settings.ini", environ={"API_ENABLED": "false", "MAX_PUSH_ATTEMPTS": "1",
                                                         "SYNC_BATCH_LIMIT": "4"})
    demo = DemoEnvironment(base, batch_seconds=batch_seconds)
    settings = dataclasses.replace(demo.settings, plc_poll_interval_seconds=0.3)
    await demo.start()
    demo.plc.plc.deviation = 0.15  # the simulated PLC doses up to 15 % off (outside the 2 % tolerance)
    runtime = Runtime(settings)
    await runtime.start()
    await runtime.plc.connection.wait_connected(timeout=5)
    scheduler = Scheduler(runtime, first_sync_delay_ms=3_600_000)
    runtime.admin.scheduler = scheduler
    window = await shots.signed_in_window(runtime, scheduler, work)
    window.resize(*SIZE)
    window.show()
    scheduler.start()
    views = window.alarm_views
    paths = []
    try:
        await runtime.sync.sync("manual")
        batches = await runtime.db(runtime.store.list_batches)
        demo.plc.fail_mo.add(batches[2].plc_key)

        async def alarms_of(kind):
            return [a for a in await runtime.alarms.open_alarms() if a.kind == kind]

        await until(lambda: alarms_of("batch.out_of_tolerance"), 6 * batch_seconds, "an out-of-tolerance batch")
        demo.odoo.set_faults(http_500=True)
        await until(lambda: alarms_of("odoo.push_failed"), 6 * batch_seconds, "a batch needing attention")
        await until(lambda: alarms_of("batch.failed"), 6 * batch_seconds, "a failed batch")
        await demo.plc.stop()
        await until(lambda: alarms_of("plc.offline"), 10, "PLC offline")

        await runtime.alarms.acknowledge_many([a.id for a in await alarms_of("batch.failed")], "operator")
        more = await alarms_of("batch.out_of_tolerance")
        if len(more) > 1:
            await runtime.alarms.shelve(more[-1].id, 60, "silo C scale being recalibrated", "supervisor")
        views.open_dock()
        window.resizeDocks([views.dock], [300], Qt.Orientation.Vertical)
        await asyncio.sleep(0.5)
        await until(lambda: views.dock.model.rowCount() >= 4, 5, "the dock")
        views.dock.view.selectRow(0)
        QApplication.processEvents()
        path = output_dir / "screenshot-alarms.png"
        window.grab().save(str(path))
        paths.append(path)


        views.dock.hide()  # the journal gets the room
        window.log_dock.hide()
        window.tabs.setCurrentWidget(views.journal)
        await until(lambda: views.journal.model.rowCount() > 0, 5, "the journal")
        QApplication.processEvents()
        path = output_dir / "screenshot-alarm-journal.png"
        window.grab().save(str(path))
        paths.append(path)
        for shot in paths:
            print(f"saved {shot}")
    finally:
        await shots.close_demo(window, scheduler, runtime, demo)
    return paths


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output_dir = Path(args[0]) if args else ROOT / "docs"
    shots.run_capture(lambda: capture(output_dir), "alarms-screenshot")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
